"""Articles by content hash, their analyses, the files they came from and the files that failed.

One transaction stores an article with its analysis and its file, so the
ingester never leaves an article without the file that names it (or the reverse).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from briefing.contract import analysis_from_record, analysis_record, event_from_record
from briefing.model import Analysis, Article, Failure, FileVersion, Period, ReportedEvent, StoredArticle
from briefing.store.core import StoreCore
from briefing.store.database import Database
from briefing.store.files import supersede_if_orphaned
from briefing.store.timestamps import from_iso, iso

_MANY_SUFFIX = re.compile(r"#\d+$")


@dataclass(frozen=True, slots=True)
class PeriodNeighbours:
    """The stored articles around a period (see :meth:`ArticlesMixin.period_neighbours`)."""

    dated: int
    """Articles dated in the period's days."""
    received: int
    """Articles first seen in the period."""
    total: int
    before: dt.date | None
    """The latest article date before the period's first day."""
    after: dt.date | None
    """The earliest article date after the period's last day."""


class ArticlesMixin(StoreCore):
    """Articles, analyses, sources (file versions) and failures: what ingesting and composing read and write."""

    # -- files -----------------------------------------------------------------------------

    def seen_files(self) -> dict[str, FileVersion]:
        """Every file done (all its articles stored or failed, see ``finish_file``) or failed whole, with its version.

        A stored article or a failed item (``name#3``) does not make its file done: a
        JSON list a crash cut short is not listed, so it is read again and finished.
        A file of one article (its source row is ``name`` itself, and no ``name#i`` rows
        of an earlier list version remain) is done as soon as that article is stored:
        nothing of it can be missing, so a stop between that transaction and
        ``finish_file`` does not make it look unread; a list turned into one object
        still waits for ``finish_file`` to supersede the list's items.
        """
        rows = self._db.execute(
            "SELECT path, size, mtime_ns, done_at AS at FROM files"
            " UNION ALL SELECT path, size, mtime_ns, seen_at FROM sources s WHERE NOT EXISTS"
            "  (SELECT 1 FROM sources i WHERE i.path >= s.path || '#0' AND i.path < s.path || '#:')"
            " UNION ALL SELECT path, size, mtime_ns, failed_at FROM failures ORDER BY at"
        )  # a file's latest row wins: what was last made of it is its current version
        return {
            row["path"]: FileVersion(row["size"], row["mtime_ns"])
            for row in rows
            if not _MANY_SUFFIX.search(row["path"])
        }

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
        stamp = iso(now)
        with self.transaction() as db:
            before = db.execute("SELECT article_id FROM sources WHERE path = ?", (article.source,)).fetchone()
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
            if inserted:
                self._article_inserted(db, article.id)
            if analysis is not None:
                self._put_analysis(db, article.id, analysis, version, stamp)
            db.execute(
                "INSERT INTO sources (path, article_id, size, mtime_ns, seen_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT(path) DO UPDATE SET article_id = excluded.article_id, size = excluded.size,"
                " mtime_ns = excluded.mtime_ns, seen_at = excluded.seen_at",
                (article.source, article.id, file.size, file.mtime_ns, stamp),
            )
            db.execute("DELETE FROM failures WHERE path = ?", (article.source,))
            db.execute("DELETE FROM superseded WHERE article_id = ?", (article.id,))  # current (again)
            if before is not None and before[0] != article.id:  # the file was edited: its old version
                supersede_if_orphaned(db, before[0], article.source, article.id, stamp)
        return bool(inserted)

    def record_failure(self, path: str, reason: str, file: FileVersion, now: dt.datetime) -> None:
        """Remember that ``path`` (at this version) could not be ingested, and why."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO failures (path, reason, size, mtime_ns, failed_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT(path) DO UPDATE SET reason = excluded.reason, size = excluded.size,"
                " mtime_ns = excluded.mtime_ns, failed_at = excluded.failed_at",
                (path, reason, file.size, file.mtime_ns, iso(now)),
            )

    def forget_failures(self, name: str) -> None:
        """Forget why the file ``name`` failed, and why any item of it (``name#1`` ...) did: it is read again."""
        where = (
            "WHERE path = :name OR (substr(path, 1, length(:name) + 1) = :name || '#'"
            " AND ltrim(substr(path, length(:name) + 2), '0123456789') = '')"
        )
        if self._db.execute(f"SELECT 1 FROM failures {where} LIMIT 1", {"name": name}).fetchone() is None:
            return  # the usual case, without a write transaction
        with self.transaction() as db:
            db.execute(f"DELETE FROM failures {where}", {"name": name})

    def prune_failures(self, existing: set[str], under: str = "") -> set[str]:
        """Forget the failures of files not in ``existing`` (names as stored, without ``#index``); returns those names.

        Only names starting with ``under`` count: a store shared by services that each
        watch their own folder keeps the others' failures.
        """
        gone = {
            path: base
            for (path,) in self._db.execute("SELECT path FROM failures")
            if path.startswith(under) and (base := _MANY_SUFFIX.sub("", path)) not in existing
        }
        if gone:
            with self.transaction() as db:
                db.executemany("DELETE FROM failures WHERE path = ?", [(path,) for path in gone])
        return set(gone.values())

    def failures(self) -> list[Failure]:
        rows = self._db.execute("SELECT path, reason, failed_at FROM failures ORDER BY failed_at, path")
        return [Failure(row["path"], row["reason"], from_iso(row["failed_at"])) for row in rows]

    # -- articles --------------------------------------------------------------------------

    def article_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def source_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM sources").fetchone()[0])

    def articles(self, period: Period | None = None) -> list[StoredArticle]:
        """Stored articles with their analyses, oldest first: all, or those in ``period``.

        A period by arrival selects on when the article was first seen; a period by
        date on the article's own date (whole days, ``start`` to ``end`` inclusive).
        An article superseded by an edit of its file is left out, so a briefing shows a
        file's current version; only a period by arrival that ended before the edit
        keeps it, so a briefing made then is composed again as it was.
        """
        query = (
            f"SELECT a.*, n.data AS analysis, {self.paths_agg} AS paths"
            " FROM articles a JOIN analyses n ON n.article_id = a.id LEFT JOIN sources s ON s.article_id = a.id"
            " LEFT JOIN superseded x ON x.article_id = a.id WHERE (x.superseded_at IS NULL OR x.superseded_at > ?)"
        )
        arrival = period is not None and period.basis != "date"
        params: tuple[str, ...] = (
            iso(period.end) if period is not None and arrival else "9999",
        )  # "9999": after every timestamp
        if period is not None and period.basis == "date":
            query += " AND a.date >= ? AND a.date <= ?"
            params += (period.start.date().isoformat(), period.end.date().isoformat())
        elif period is not None:
            query += " AND a.first_seen >= ? AND a.first_seen < ?"
            params += (iso(period.start), iso(period.end))
        query += " GROUP BY a.id, n.article_id ORDER BY a.first_seen, a.id"
        return [stored_article_of_row(row) for row in self._db.execute(query, params)]

    def period_neighbours(self, period: Period, first_day: dt.date, last_day: dt.date) -> PeriodNeighbours:
        """What lies near a period, for telling a reader why it is empty: the articles dated in its days
        (``first_day`` to ``last_day``) or received in it, and the nearest article dates before and after."""
        first, last = first_day.isoformat(), last_day.isoformat()
        db = self._db
        dated = db.execute("SELECT COUNT(*) FROM articles WHERE date >= ? AND date <= ?", (first, last)).fetchone()[0]
        received = db.execute(
            "SELECT COUNT(*) FROM articles WHERE first_seen >= ? AND first_seen < ?",
            (iso(period.start), iso(period.end)),
        ).fetchone()[0]
        before = db.execute("SELECT MAX(date) FROM articles WHERE date < ?", (first,)).fetchone()[0]
        after = db.execute("SELECT MIN(date) FROM articles WHERE date > ?", (last,)).fetchone()[0]
        return PeriodNeighbours(
            dated=int(dated),
            received=int(received),
            total=self.article_count(),
            before=dt.date.fromisoformat(before) if before else None,
            after=dt.date.fromisoformat(after) if after else None,
        )

    def stale_article_ids(self, version: str) -> list[str]:
        """Stored articles whose analysis was made with another ``version`` (or is missing), oldest first.

        Superseded versions of edited files are left alone: no new briefing shows them,
        and one that becomes current again (an edit back) is analysed when it is stored.
        """
        rows = self._db.execute(
            "SELECT a.id FROM articles a LEFT JOIN analyses n ON n.article_id = a.id"
            " WHERE (n.version IS NULL OR n.version != ?) AND a.id NOT IN (SELECT article_id FROM superseded)"
            " ORDER BY a.first_seen, a.id",
            (version,),
        )
        return [row["id"] for row in rows]

    def articles_by_id(self, ids: list[str]) -> list[Article]:
        """The stored articles (text and metadata, no analysis) with these ids, in the order given."""
        found: dict[str, Article] = {}
        for start in range(0, len(ids), 500):  # SQLite limits the number of parameters
            chunk = ids[start : start + 500]
            rows = self._db.execute(
                "SELECT a.*, (SELECT min(path) FROM sources s WHERE s.article_id = a.id) AS source"
                f" FROM articles a WHERE a.id IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
            for row in rows:
                found[row["id"]] = _article(row, row["source"] or "")
        return [found[i] for i in ids if i in found]

    def save_analysis(self, article_id: str, analysis: Analysis, version: str, now: dt.datetime) -> None:
        """Replace a stored article's analysis (one made with an older ``version``) in one transaction."""
        with self.transaction() as db:
            self._put_analysis(db, article_id, analysis, version, iso(now))

    def _put_analysis(self, db: Database, article_id: str, analysis: Analysis, version: str, stamp: str) -> None:
        record = analysis_record(analysis)
        db.execute(
            "INSERT INTO analyses (article_id, version, data, created_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(article_id) DO UPDATE SET version = excluded.version, data = excluded.data,"
            " created_at = excluded.created_at",
            (article_id, version, json.dumps(record, ensure_ascii=False), stamp),
        )
        self._analysis_saved(db, article_id, analysis, record)

    def events_ahead(
        self, today: dt.date, since: dt.date, until: dt.date | None = None, received_by: dt.datetime | None = None
    ) -> list[ReportedEvent]:
        """Events reported by articles dated ``since`` or later that may still lie ahead of ``today``.

        ``until`` keeps only articles dated on or before it and ``received_by`` only
        those that had arrived by then, so that a briefing or calendar made as of a
        past day knows nothing written after it. SQLite walks the stored analyses'
        JSON and hands back only plans without a date and events dated this year or
        later (TIMEX3 values sort as text), so the calendar gets a handful of rows
        even from many thousand articles; it judges the exact dates itself.
        (Analyses stored before events existed, some with a NaN score that is not
        valid JSON, hold no events and are passed over.)
        """
        bounds, params = events_ahead_bounds(today, since, until, received_by)
        rows = self._db.execute(
            "WITH n AS (SELECT article_id, data FROM analyses WHERE json_valid(data))"
            " SELECT a.id, a.date, a.first_seen, a.title, e.value AS event,"
            " substr(a.text, json_extract(e.value, '$.evidence.start') + 1,"
            " json_extract(e.value, '$.evidence.end') - json_extract(e.value, '$.evidence.start')) AS sentence"
            " FROM articles a JOIN n ON n.article_id = a.id, json_each(n.data, '$.events') e"
            " WHERE a.date >= ? AND a.id NOT IN (SELECT article_id FROM superseded)"
            " AND coalesce(json_extract(e.value, '$.notable'), 1)"
            " AND (json_extract(e.value, '$.start') IS NULL"
            " OR coalesce(json_extract(e.value, '$.end'), json_extract(e.value, '$.start')) >= ?)"
            f"{bounds} ORDER BY a.date, a.first_seen, a.id",
            params,
        )
        return [reported_event(row, json.loads(row["event"])) for row in rows]


def reported_event(row: Any, event: dict[str, Any]) -> ReportedEvent:
    """An event of the calendar query (``event`` its stored record) with the article that reported it."""
    return ReportedEvent(
        event_from_record(event),
        row["id"],
        dt.date.fromisoformat(row["date"]),
        from_iso(row["first_seen"]),
        row["title"],
        " ".join((row["sentence"] or "").split()),
    )


def _article(row: Any, source: str) -> Article:
    return Article(
        id=row["id"],
        source=source,
        title=row["title"],
        date=dt.date.fromisoformat(row["date"]),
        text=row["text"],
        date_inferred=bool(row["date_inferred"]),
        url=row["url"],
        fetched_at=from_iso(row["first_seen"]),
        meta=json.loads(row["meta"]),
    )


def stored_article_of_row(row: Any) -> StoredArticle:
    """A stored article from a row of the articles query's shape (article columns, its analysis, its file paths):
    shared by the store's record modules and the web view's read-only queries."""
    article = _article(row, (row["paths"] or "").split("\x1f")[0])
    return StoredArticle(
        article=article,
        analysis=analysis_from_record(row["id"], json.loads(row["analysis"])),
        sources=tuple(sorted((row["paths"] or "").split("\x1f"))) if row["paths"] else (),
        first_seen=from_iso(row["first_seen"]),
    )


def events_ahead_bounds(
    today: dt.date, since: dt.date, until: dt.date | None, received_by: dt.datetime | None
) -> tuple[str, list[str]]:
    """The WHERE conditions both backends' ``events_ahead`` add after their own (article ``a``), and all the
    parameters: articles dated from ``since`` (to ``until``, received by ``received_by``), events reaching this year."""
    bounds = ""
    params: list[str] = [since.isoformat(), f"{today.year:04d}"]
    if until is not None:
        bounds += " AND a.date <= ?"
        params.append(until.isoformat())
    if received_by is not None:
        bounds += " AND a.first_seen <= ?"
        params.append(iso(received_by))
    return bounds, params
