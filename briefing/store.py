"""The state store: one SQLite file holding articles, analyses, files, failures and briefings.

WAL mode lets readers (``briefing status``, an on-demand ``generate``) work while
the service writes; every write is one immediate transaction, so a crash leaves
each article either fully stored or not at all. The schema carries a version and
is migrated forward in order on open.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from briefing.contract import analysis_from_record, analysis_record, event_from_record
from briefing.model import Analysis, Article, Failure, Period, ReportedEvent, StoredArticle

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
)


@dataclass(frozen=True, slots=True)
class FileVersion:
    """What the store last saw of a file: enough to tell whether it changed."""

    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class BriefingRecord:
    """A briefing that was produced (or attempted), as the store remembers it."""

    id: int
    created_at: dt.datetime
    schedule: str | None
    period: Period
    articles: int
    html_path: str | None
    pdf_path: str | None
    error: str | None


class Store:
    """Access to the state file. One instance per thread; open as a context manager."""

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

    def __enter__(self) -> Store:
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

    # -- files -----------------------------------------------------------------------------

    def seen_files(self) -> dict[str, FileVersion]:
        """Every file path already stored or failed, with the version that was seen."""
        rows = self._db.execute(
            "SELECT path, size, mtime_ns FROM sources UNION ALL SELECT path, size, mtime_ns FROM failures"
        )
        return {row["path"]: FileVersion(row["size"], row["mtime_ns"]) for row in rows}

    def has_analysis(self, article_id: str, version: str) -> bool:
        row = self._db.execute("SELECT version FROM analyses WHERE article_id = ?", (article_id,)).fetchone()
        return row is not None and row["version"] == version

    def save_article(
        self,
        article: Article,
        analysis: Analysis | None,
        version: str,
        file: FileVersion,
        now: dt.datetime,
    ) -> bool:
        """Store an article (once per content hash), its analysis, and the file it came from.

        Returns True when the article is new. ``analysis`` may be None when the
        article is already stored with a current analysis.
        """
        stamp = _iso(now)
        with self.transaction() as db:
            inserted = db.execute(
                "INSERT INTO articles (id, title, date, date_inferred, url, text, meta, first_seen)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING",
                (
                    article.id,
                    article.title,
                    article.date.isoformat(),
                    int(article.date_inferred),
                    article.url,
                    article.text,
                    json.dumps(article.meta, sort_keys=True),
                    stamp,
                ),
            ).rowcount
            if analysis is not None:
                db.execute(
                    "INSERT INTO analyses (article_id, version, data, created_at) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT(article_id) DO UPDATE SET version = excluded.version, data = excluded.data,"
                    " created_at = excluded.created_at",
                    (article.id, version, json.dumps(analysis_record(analysis), ensure_ascii=False), stamp),
                )
            db.execute(
                "INSERT INTO sources (path, article_id, size, mtime_ns, seen_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT(path) DO UPDATE SET article_id = excluded.article_id, size = excluded.size,"
                " mtime_ns = excluded.mtime_ns, seen_at = excluded.seen_at",
                (article.source, article.id, file.size, file.mtime_ns, stamp),
            )
            db.execute("DELETE FROM failures WHERE path = ?", (article.source,))
        return bool(inserted)

    def record_failure(self, path: str, reason: str, file: FileVersion, now: dt.datetime) -> None:
        """Remember that ``path`` (at this version) could not be ingested, and why."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO failures (path, reason, size, mtime_ns, failed_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT(path) DO UPDATE SET reason = excluded.reason, size = excluded.size,"
                " mtime_ns = excluded.mtime_ns, failed_at = excluded.failed_at",
                (path, reason, file.size, file.mtime_ns, _iso(now)),
            )

    def failures(self) -> list[Failure]:
        rows = self._db.execute("SELECT path, reason, failed_at FROM failures ORDER BY failed_at, path")
        return [Failure(row["path"], row["reason"], _dt(row["failed_at"])) for row in rows]

    # -- articles --------------------------------------------------------------------------

    def article_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def source_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM sources").fetchone()[0])

    def articles(self, period: Period | None = None) -> list[StoredArticle]:
        """Stored articles with their analyses, those first seen in ``period`` if given, oldest first."""
        query = (
            "SELECT a.*, n.data AS analysis, group_concat(s.path, char(31)) AS paths"
            " FROM articles a JOIN analyses n ON n.article_id = a.id LEFT JOIN sources s ON s.article_id = a.id"
        )
        params: tuple[str, ...] = ()
        if period is not None:
            query += " WHERE a.first_seen >= ? AND a.first_seen < ?"
            params = (_iso(period.start), _iso(period.end))
        query += " GROUP BY a.id ORDER BY a.first_seen, a.id"
        return [_stored_article(row) for row in self._db.execute(query, params)]

    def events_ahead(self, today: dt.date, since: dt.date) -> list[ReportedEvent]:
        """Events reported by articles dated ``since`` or later that may still lie ahead of ``today``.

        SQLite walks the stored analyses' JSON and hands back only plans without a
        date and events dated this year or later (TIMEX3 values sort as text), so
        the calendar gets a handful of rows even from many thousand articles; it
        judges the exact dates itself. (Analyses stored before events existed, some
        with a NaN score that is not valid JSON, hold no events and are passed over.)
        """
        rows = self._db.execute(
            "WITH n AS (SELECT article_id, data FROM analyses WHERE json_valid(data))"
            " SELECT a.id, a.date, a.first_seen, a.title, e.value AS event"
            " FROM articles a JOIN n ON n.article_id = a.id, json_each(n.data, '$.events') e"
            " WHERE a.date >= ? AND (json_extract(e.value, '$.start') IS NULL"
            " OR coalesce(json_extract(e.value, '$.end'), json_extract(e.value, '$.start')) >= ?)"
            " ORDER BY a.date, a.first_seen, a.id",
            (since.isoformat(), f"{today.year:04d}"),
        )
        return [
            ReportedEvent(
                event_from_record(json.loads(row["event"])),
                row["id"],
                dt.date.fromisoformat(row["date"]),
                _dt(row["first_seen"]),
                row["title"],
            )
            for row in rows
        ]

    # -- briefings -------------------------------------------------------------------------

    def record_briefing(
        self,
        created_at: dt.datetime,
        period: Period,
        articles: int,
        html_path: str | None,
        pdf_path: str | None,
        schedule: str | None = None,
        error: str | None = None,
    ) -> int:
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO briefings (created_at, schedule, period_start, period_end, articles, html_path, pdf_path, error)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    _iso(created_at),
                    schedule,
                    _iso(period.start),
                    _iso(period.end),
                    articles,
                    html_path,
                    pdf_path,
                    error,
                ),
            )
            return int(cursor.lastrowid or 0)

    def briefings(self, limit: int = 20) -> list[BriefingRecord]:
        """The latest briefings, newest first."""
        rows = self._db.execute("SELECT * FROM briefings ORDER BY created_at DESC, id DESC LIMIT ?", (limit,))
        return [
            BriefingRecord(
                id=row["id"],
                created_at=_dt(row["created_at"]),
                schedule=row["schedule"],
                period=Period(_dt(row["period_start"]), _dt(row["period_end"])),
                articles=row["articles"],
                html_path=row["html_path"],
                pdf_path=row["pdf_path"],
                error=row["error"],
            )
            for row in rows
        ]


def _stored_article(row: sqlite3.Row) -> StoredArticle:
    article = Article(
        id=row["id"],
        source=(row["paths"] or "").split("\x1f")[0],
        title=row["title"],
        date=dt.date.fromisoformat(row["date"]),
        text=row["text"],
        date_inferred=bool(row["date_inferred"]),
        url=row["url"],
        fetched_at=_dt(row["first_seen"]),
        meta=json.loads(row["meta"]),
    )
    return StoredArticle(
        article=article,
        analysis=analysis_from_record(row["id"], json.loads(row["analysis"])),
        sources=tuple(sorted((row["paths"] or "").split("\x1f"))) if row["paths"] else (),
        first_seen=_dt(row["first_seen"]),
    )


def _iso(moment: dt.datetime) -> str:
    """Timestamps are stored in UTC, in a form that sorts as text."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _dt(value: str) -> dt.datetime:
    return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
