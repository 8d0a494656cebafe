"""The store's connection, write transactions and the schema's migrations.

:class:`StoreCore` is what every backend provides to the record modules (the
interface below the SQL they share): ``_db`` to run statements on (``?`` and
``:name`` parameters, rows readable by index and by column name), an all-or-nothing
:meth:`~StoreCore.transaction`, the schema version, and the few dialect hooks where
SQLite and PostgreSQL disagree. :class:`SqliteCore` is the default backend, one
file; :mod:`briefing.store.postgres` the other, a server several machines share.

In SQLite, WAL mode lets readers (``briefing status``, an on-demand ``generate``)
work while the service writes; every write is one immediate transaction, so a crash
leaves each article either fully stored or not at all. The schema carries a version
and is migrated forward in order on open.
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Self

from briefing.model import Analysis
from briefing.store.database import Database
from briefing.store.search import index_actors, index_new_article

BUSY_TIMEOUT_MS = 30_000


class StoreRefused(RuntimeError):
    """The store cannot be used as it is (a schema newer than this briefing, a server that cannot be reached);
    the message says why and what to do, in one line."""


MIGRATIONS: tuple[str, ...] = (
    # 1: articles by content hash, their files, analyses, failures, briefings
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        date TEXT NOT NULL,
        date_inferred INTEGER NOT NULL,
        url TEXT,
        text TEXT NOT NULL,
        meta TEXT NOT NULL,
        first_seen TEXT NOT NULL
    );
    CREATE INDEX articles_first_seen ON articles(first_seen);
    CREATE TABLE sources (
        path TEXT PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id),
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        seen_at TEXT NOT NULL
    );
    CREATE INDEX sources_article ON sources(article_id);
    CREATE TABLE analyses (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        version TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE failures (
        path TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        failed_at TEXT NOT NULL
    );
    CREATE TABLE briefings (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        schedule TEXT,
        period_start TEXT NOT NULL,
        period_end TEXT NOT NULL,
        articles INTEGER NOT NULL,
        html_path TEXT,
        pdf_path TEXT,
        error TEXT
    );
    """,
    # 2: e-mail digests (one message per briefing) and the outbox (one row per briefing and recipient)
    """
    CREATE TABLE digests (
        briefing_id INTEGER PRIMARY KEY REFERENCES briefings(id),
        subject TEXT NOT NULL,
        message BLOB NOT NULL,
        note TEXT,
        nothing_new INTEGER NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        briefing_id INTEGER NOT NULL REFERENCES briefings(id),
        recipient TEXT NOT NULL COLLATE NOCASE,
        message_id TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        claimed_by TEXT,
        lease_until TEXT,
        last_code INTEGER,
        last_error TEXT,
        maybe_delivered INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        sent_at TEXT,
        UNIQUE (briefing_id, recipient)
    );
    CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
    """,
    # 3: the service's job log (``briefing run``): every job run, its outcome and what it did
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        job TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL,
        items INTEGER NOT NULL DEFAULT 0,
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX runs_job_started ON runs(job, started_at);
    """,
    # 4: a briefing's period may run over the articles' own dates ("as of" briefings)
    """
    ALTER TABLE briefings ADD COLUMN basis TEXT NOT NULL DEFAULT 'arrival';
    CREATE INDEX articles_date ON articles(date);
    """,
    # 5: a file is done only once all its articles are stored (a JSON list cut short by a crash is
    # finished on restart), and an edited file's earlier version is kept as superseded. Stored
    # files of one article count as done; those of several (``name#3`` rows) are read once more,
    # their analyses cached, in case a crash cut one short before this version.
    """
    CREATE TABLE files (
        path TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        articles INTEGER NOT NULL,
        done_at TEXT NOT NULL
    );
    INSERT OR REPLACE INTO files (path, size, mtime_ns, articles, done_at)
        SELECT path, size, mtime_ns, 1, seen_at FROM sources
        WHERE NOT (rtrim(path, '0123456789') GLOB '*#' AND path GLOB '*#[0-9]*') ORDER BY seen_at;
    CREATE TABLE superseded (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        path TEXT NOT NULL,
        replaced_by TEXT,
        superseded_at TEXT NOT NULL
    );
    INSERT INTO superseded (article_id, path, replaced_by, superseded_at)
        SELECT id, '', NULL, strftime('%Y-%m-%dT%H:%M:%f000Z', 'now') FROM articles WHERE id NOT IN (SELECT article_id FROM sources);
    """,
    # 6: when the service first ran each schedule: a schedule's first briefing covers everything since then
    """
    CREATE TABLE schedules (
        name TEXT PRIMARY KEY,
        started_at TEXT NOT NULL
    );
    """,
    # 7: a briefing "as of" a past day remembers when it was really made
    """
    ALTER TABLE briefings ADD COLUMN made_at TEXT;
    """,
    # 8: the web view (``briefing serve``): full-text search over the articles (FTS5 over the articles table
    # itself), an index of who each analysis names, and each briefing's bottom line for the archive and feed
    """
    CREATE VIRTUAL TABLE article_search USING fts5(
        title, text, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
    );
    INSERT INTO article_search(article_search) VALUES ('rebuild');
    CREATE INDEX articles_title ON articles(title);
    CREATE TABLE article_actors (
        article_id TEXT NOT NULL REFERENCES articles(id),
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        date TEXT NOT NULL,
        role TEXT,
        affiliation TEXT,
        aliases TEXT NOT NULL,
        mentions INTEGER NOT NULL,
        PRIMARY KEY (article_id, kind, name)
    ) WITHOUT ROWID;
    CREATE INDEX article_actors_name ON article_actors(name, kind, date);
    INSERT OR IGNORE INTO article_actors (article_id, name, kind, date, role, affiliation, aliases, mentions)
        SELECT n.article_id, json_extract(e.value, '$.name'), json_extract(e.value, '$.kind'), a.date,
            json_extract(e.value, '$.role'), json_extract(e.value, '$.affiliation'),
            coalesce(json_extract(e.value, '$.aliases'), '[]'), coalesce(json_array_length(e.value, '$.mentions'), 0)
        FROM analyses n JOIN articles a ON a.id = n.article_id, json_each(n.data, '$.actors') e
        WHERE json_valid(n.data) AND json_extract(e.value, '$.name') IS NOT NULL;
    ALTER TABLE briefings ADD COLUMN bottom_line TEXT;
    """,
)


class StoreCore(ABC):
    """What each backend gives the record modules: the connection, transactions, the schema version, dialect hooks."""

    _db: Database

    #: SQL after a subquery that picks outbox rows to claim (PostgreSQL: ``FOR UPDATE SKIP LOCKED``)
    claim_lock: str = ""
    #: the conflict target of an outbox row: one per briefing and recipient, whatever the recipient's case
    outbox_key: str = "(briefing_id, recipient)"
    #: an article's file names in one text, separated by U+001F
    paths_agg: str = "group_concat(s.path, char(31))"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Database]:
        """One write transaction: all of it is stored, or none."""

    @property
    @abstractmethod
    def schema_version(self) -> int: ...

    @property
    @abstractmethod
    def location(self) -> str:
        """Where the store is, to show: a file's path, or a server's address without any password."""

    def _article_inserted(self, db: Database, article_id: str) -> None:
        """Called in the transaction that stored a new article (SQLite adds it to the web view's search index)."""
        return None

    def _analysis_saved(self, db: Database, article_id: str, analysis: Analysis, record: dict[str, Any]) -> None:
        """Called in the transaction that stored an article's analysis (PostgreSQL keeps its events in a table,
        SQLite lists its actors for the web view)."""
        return None

    def ids_copied(self, db: Database) -> None:
        """Rows were copied in with their ids (``briefing migrate --from``): new rows must be numbered after them."""
        return None  # SQLite numbers a new row after the largest id there is


class SqliteCore(StoreCore):
    """The state file: one SQLite connection, opened and migrated; each kind of record adds its own methods on top."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._sqlite = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        self._db = self._sqlite
        self._sqlite.row_factory = sqlite3.Row
        self._sqlite.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self._sqlite.execute("PRAGMA journal_mode = WAL")
        self._sqlite.execute("PRAGMA synchronous = NORMAL")
        self._sqlite.execute("PRAGMA foreign_keys = ON")
        self._migrate()

    def close(self) -> None:
        self._sqlite.close()

    @property
    def location(self) -> str:
        return str(self.path)

    def _article_inserted(self, db: Database, article_id: str) -> None:
        index_new_article(db, article_id)

    def _analysis_saved(self, db: Database, article_id: str, analysis: Analysis, record: dict[str, Any]) -> None:
        index_actors(db, article_id, analysis)  # the events are read from the analysis itself

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One immediate write transaction: all of it is stored, or none."""
        self._sqlite.execute("BEGIN IMMEDIATE")
        try:
            yield self._sqlite
        except BaseException:
            self._sqlite.execute("ROLLBACK")
            raise
        self._sqlite.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        return int(self._sqlite.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        with self.transaction() as db:
            current = int(db.execute("PRAGMA user_version").fetchone()[0])
            if current > len(MIGRATIONS):
                raise StoreRefused(
                    f"{self.path} has schema version {current}, newer than this briefing ({len(MIGRATIONS)}); upgrade briefing"
                )
            for version, script in enumerate(MIGRATIONS[current:], start=current + 1):
                for statement in script.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {version}")
