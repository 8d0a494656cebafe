"""The state file itself: the connection, write transactions and the schema's migrations.

WAL mode lets readers (``briefing status``, an on-demand ``generate``) work while
the service writes; every write is one immediate transaction, so a crash leaves
each article either fully stored or not at all. The schema carries a version and
is migrated forward in order on open. The record modules build on :class:`StoreCore`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

BUSY_TIMEOUT_MS = 30_000

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


class StoreCore:
    """The connection to the state file, opened and migrated; each kind of record adds its own methods on top."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.execute("PRAGMA foreign_keys = ON")
        self._migrate()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One immediate write transaction: all of it is stored, or none."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        with self.transaction() as db:
            current = int(db.execute("PRAGMA user_version").fetchone()[0])
            if current > len(MIGRATIONS):
                raise RuntimeError(
                    f"{self.path} has schema version {current}, newer than this briefing ({len(MIGRATIONS)}); upgrade briefing"
                )
            for version, script in enumerate(MIGRATIONS[current:], start=current + 1):
                for statement in script.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {version}")
