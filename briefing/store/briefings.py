"""The briefings that were made (or attempted): schedules and "what is new" are worked out from them."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from briefing.model import Period
from briefing.store.core import StoreCore
from briefing.store.timestamps import from_iso, iso


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
    made_at: dt.datetime | None = None
    """When a briefing as of a past day (``created_at``) was really made; None for one made live."""
    bottom_line: tuple[str, ...] | None = None
    """The points of its bottom line, as the archive and the feed show them; None for a briefing made before they were kept."""


class BriefingsMixin(StoreCore):
    """The ``briefings`` table: one row per briefing made, with its period and the files written."""

    def record_briefing(
        self,
        created_at: dt.datetime,
        period: Period,
        articles: int,
        html_path: str | None,
        pdf_path: str | None,
        schedule: str | None = None,
        error: str | None = None,
        made_at: dt.datetime | None = None,
        bottom_line: tuple[str, ...] | None = None,
    ) -> int:
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO briefings (created_at, schedule, period_start, period_end, basis, articles, html_path,"
                " pdf_path, error, made_at, bottom_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    iso(created_at),
                    schedule,
                    iso(period.start),
                    iso(period.end),
                    period.basis,
                    articles,
                    html_path,
                    pdf_path,
                    error,
                    iso(made_at) if made_at else None,
                    json.dumps(list(bottom_line), ensure_ascii=False) if bottom_line is not None else None,
                ),
            )
            return int(cursor.fetchone()[0])

    def briefings(self, limit: int = 20) -> list[BriefingRecord]:
        """The latest briefings, the most recently made first.

        Made, not dated: ``created_at`` is the day a briefing is *as of*, which
        ``--as-of`` sets to any day (9999-12-31 too); the row id grows with every
        briefing recorded, so it is the order they were made in.
        """
        rows = self._db.execute("SELECT * FROM briefings ORDER BY id DESC LIMIT ?", (limit,))
        return [_briefing_record(row) for row in rows]

    def previous_briefing_at(
        self, before: dt.datetime, schedule: str | None = None, earlier_day: bool = False
    ) -> dt.datetime | None:
        """When the last briefing before ``before`` was made: that schedule's, or any one when ``schedule`` is None.

        With ``earlier_day`` (a briefing as of a past day), only one as of an earlier
        day counts: a briefing remade as of the same day is no "previous" one.
        """
        if earlier_day:
            before = dt.datetime.combine(before.date(), dt.time(), before.tzinfo)
        row = self._db.execute(
            "SELECT MAX(created_at) FROM briefings WHERE created_at < ?"
            + (" AND schedule = ?" if schedule is not None else ""),
            (iso(before), schedule) if schedule is not None else (iso(before),),
        ).fetchone()
        return from_iso(row[0]) if row and row[0] else None

    def briefing(self, briefing_id: int) -> BriefingRecord | None:
        row = self._db.execute("SELECT * FROM briefings WHERE id = ?", (briefing_id,)).fetchone()
        return _briefing_record(row) if row else None

    def latest_briefing(
        self, start: dt.datetime | None = None, end: dt.datetime | None = None
    ) -> BriefingRecord | None:
        """The most recently made briefing dated in ``[start, end)`` (any date when unset).

        "Latest" is the one made last, whatever day it is as of (see :meth:`briefings`),
        so ``send``, ``latest.*`` and the archive's first entry agree.
        """
        row = self._db.execute(
            "SELECT * FROM briefings WHERE created_at >= ? AND created_at < ? ORDER BY id DESC LIMIT 1",
            (iso(start) if start else "", iso(end) if end else "~"),  # "" and "~" sort before and after any stamp
        ).fetchone()
        return _briefing_record(row) if row else None

    def last_briefing(self, schedule: str) -> BriefingRecord | None:
        """The latest briefing made for ``schedule`` (one that wrote a file), or None if it never made one.

        An attempt that wrote nothing does not count: its articles are still owed to the next one.
        """
        row = self._db.execute(
            "SELECT * FROM briefings WHERE schedule = ? AND (html_path IS NOT NULL OR pdf_path IS NOT NULL)"
            " ORDER BY created_at DESC, id DESC LIMIT 1",
            (schedule,),
        ).fetchone()
        return _briefing_record(row) if row else None

    def start_schedule(self, schedule: str, now: dt.datetime) -> dt.datetime:
        """When the service first ran ``schedule``: recorded now if never before; returns the recorded time.

        Until the schedule's first briefing is made, that briefing owes everything since then.
        """
        with self.transaction() as db:
            db.execute(
                "INSERT INTO schedules (name, started_at) VALUES (?, ?) ON CONFLICT(name) DO NOTHING",
                (schedule, iso(now)),
            )
            row = db.execute("SELECT started_at FROM schedules WHERE name = ?", (schedule,)).fetchone()
        return from_iso(row[0])

    def schedule_started(self, schedule: str) -> dt.datetime | None:
        """When the service first ran ``schedule``, or None if it never did."""
        row = self._db.execute("SELECT started_at FROM schedules WHERE name = ?", (schedule,)).fetchone()
        return from_iso(row[0]) if row else None


def _briefing_record(row: Any) -> BriefingRecord:
    return BriefingRecord(
        id=row["id"],
        created_at=from_iso(row["created_at"]),
        schedule=row["schedule"],
        period=Period(from_iso(row["period_start"]), from_iso(row["period_end"]), row["basis"]),
        articles=row["articles"],
        html_path=row["html_path"],
        pdf_path=row["pdf_path"],
        error=row["error"],
        made_at=from_iso(row["made_at"]) if row["made_at"] else None,
        bottom_line=tuple(json.loads(row["bottom_line"])) if row["bottom_line"] else None,
    )
