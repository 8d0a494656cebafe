"""Files read whole, and the articles an edited file no longer holds (superseded versions).

A file is *done* once every article in it is stored (or recorded as failed): only
then is it listed by :meth:`~briefing.store.articles.ArticlesMixin.seen_files`, so a
JSON list that a crash cut short is read again, and finished, on the next start.

When a file changes, its name points at the new article; the earlier version stays
in the store (briefings already made cite it) but is *superseded*: from then on it is
left out of briefings and the calendar, and ``briefing status`` lists it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from briefing.store.core import StoreCore
from briefing.store.database import Database
from briefing.store.timestamps import from_iso, iso

FILE_AND_ITEMS = (
    "(path >= :name AND path < :name || '$' AND (path = :name OR (substr(path, 1, length(:name) + 1) = :name || '#'"
    " AND ltrim(substr(path, length(:name) + 2), '0123456789') = '')))"
)
"""SQL: the row of the file ``:name`` itself or of one of its items (``name#3``), not ``name#x`` or ``name2``.

The range (``'$'`` follows ``'#'``) lets SQLite look the rows up in the primary key instead of reading every row.
"""


@dataclass(frozen=True, slots=True)
class Superseded:
    """An article no file holds any more: the file it came from changed (or dropped it) at ``at``."""

    article_id: str
    title: str
    path: str
    """The file name (``seeds/a.txt``, ``seeds/list.json#3``) that held it last; empty if unknown."""
    replaced_by: str | None
    """The article the file holds now, or None when the item was dropped from the file."""
    at: dt.datetime


def supersede_if_orphaned(db: Database, article_id: str, path: str, replaced_by: str | None, stamp: str) -> None:
    """Mark ``article_id`` superseded when no file names it any more (``path`` named it last); in the caller's transaction."""
    if db.execute("SELECT 1 FROM sources WHERE article_id = ? LIMIT 1", (article_id,)).fetchone() is None:
        db.execute(
            "INSERT INTO superseded (article_id, path, replaced_by, superseded_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(article_id) DO UPDATE SET path = excluded.path, replaced_by = excluded.replaced_by,"
            " superseded_at = excluded.superseded_at",
            (article_id, path, replaced_by, stamp),
        )


class FilesMixin(StoreCore):
    """Which files are done, and which stored articles their edits superseded."""

    def finish_file(self, name: str, size: int, mtime_ns: int, stored: set[str], now: dt.datetime) -> None:
        """``name`` at this version is done: ``stored`` are the sources (``name`` or ``name#i``) it holds now.

        A source of the file's earlier version that it no longer holds (a list that
        shrank, an item that is now bad, a list that became one object) is dropped,
        and its article is superseded if no other file holds it.
        """
        stamp = iso(now)
        with self.transaction() as db:
            rows = db.execute(f"SELECT path, article_id FROM sources WHERE {FILE_AND_ITEMS}", {"name": name}).fetchall()
            for path, article_id in rows:
                if path not in stored:
                    db.execute("DELETE FROM sources WHERE path = ?", (path,))
                    supersede_if_orphaned(db, article_id, path, None, stamp)
            db.execute(
                "INSERT INTO files (path, size, mtime_ns, articles, done_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns,"
                " articles = excluded.articles, done_at = excluded.done_at",
                (name, size, mtime_ns, len(stored), stamp),
            )

    def stored_items(self, name: str, size: int, mtime_ns: int) -> int:
        """How many articles of the file ``name`` at this version are stored (``name`` or ``name#i``)."""
        row = self._db.execute(
            f"SELECT count(*) FROM sources WHERE size = :size AND mtime_ns = :mtime AND {FILE_AND_ITEMS}",
            {"name": name, "size": size, "mtime": mtime_ns},
        ).fetchone()
        return int(row[0])

    def superseded(self) -> list[Superseded]:
        """The superseded articles, latest first."""
        rows = self._db.execute(
            "SELECT x.article_id, a.title, x.path, x.replaced_by, x.superseded_at FROM superseded x"
            " JOIN articles a ON a.id = x.article_id ORDER BY x.superseded_at DESC, x.path"
        )
        return [Superseded(r[0], r[1], r[2], r[3], from_iso(r[4])) for r in rows]
