"""The service's job log (``briefing run``): every job run, its outcome and what it did."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from briefing.store.core import StoreCore
from briefing.store.timestamps import from_iso, iso


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One run of a service job (``briefing:daily``, ``ingest``, ``rescan``, ``service`` ...).

    ``status`` is ``running`` until the run ends, then ``ok``, ``failed``, ``missed``,
    ``skipped``, ``stopped`` or ``interrupted`` (the process died during the run).
    ``items`` counts what the run handled (articles ingested, articles in a briefing).
    """

    id: int
    job: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    status: str
    items: int
    detail: str


class RunsMixin(StoreCore):
    """The ``runs`` table: written as jobs start and end, so that a run a dead process left is visible."""

    def start_run(self, job: str, now: dt.datetime, detail: str = "") -> int:
        """Log that ``job`` started; returns the run's id for :meth:`finish_run`."""
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO runs (job, started_at, status, detail) VALUES (?, ?, 'running', ?) RETURNING id",
                (job, iso(now), detail),
            )
            return int(cursor.fetchone()[0])

    def finish_run(self, run_id: int, now: dt.datetime, status: str, items: int = 0, detail: str = "") -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET finished_at = ?, status = ?, items = ?, detail = ? WHERE id = ?",
                (iso(now), status, items, detail, run_id),
            )

    def record_run(self, job: str, now: dt.datetime, status: str, items: int = 0, detail: str = "") -> int:
        """Log a run that started and ended at ``now`` (a missed or skipped job)."""
        run_id = self.start_run(job, now)
        self.finish_run(run_id, now, status, items, detail)
        return run_id

    def open_runs(self) -> list[RunRecord]:
        """The runs still ``running``: at a service's start, those its killed predecessor left."""
        rows = self._db.execute("SELECT * FROM runs WHERE status = 'running' ORDER BY id")
        return [_run(row) for row in rows]

    def close_interrupted_runs(self, now: dt.datetime, ids: list[int] | None = None) -> int:
        """Mark runs left ``running`` by a process that died as ``interrupted`` (only ``ids`` if given); returns how many."""
        with self.transaction() as db:
            if ids is not None:
                return sum(
                    db.execute(
                        "UPDATE runs SET status = 'interrupted', finished_at = ? WHERE status = 'running' AND id = ?",
                        (iso(now), run_id),
                    ).rowcount
                    for run_id in ids
                )
            return db.execute(
                "UPDATE runs SET status = 'interrupted', finished_at = ? WHERE status = 'running'", (iso(now),)
            ).rowcount

    def prune_runs(self, keep: int = 10_000) -> int:
        """Forget all but the latest ``keep`` finished runs (the job log must not grow forever); returns how many."""
        with self.transaction() as db:
            return db.execute(
                "DELETE FROM runs WHERE status != 'running' AND id <= (SELECT id FROM runs ORDER BY id DESC LIMIT 1 OFFSET ?)",
                (keep,),
            ).rowcount

    def runs(self, limit: int = 20, job: str | None = None) -> list[RunRecord]:
        """The latest runs (of ``job`` if given), newest first."""
        where, params = ("WHERE job = ?", (job, limit)) if job else ("", (limit,))
        rows = self._db.execute(f"SELECT * FROM runs {where} ORDER BY started_at DESC, id DESC LIMIT ?", params)
        return [_run(row) for row in rows]

    def last_runs(self) -> list[RunRecord]:
        """The latest run of every job, by job name."""
        rows = self._db.execute("SELECT * FROM runs WHERE id IN (SELECT max(id) FROM runs GROUP BY job) ORDER BY job")
        return [_run(row) for row in rows]


def _run(row: Any) -> RunRecord:
    return RunRecord(
        id=row["id"],
        job=row["job"],
        started_at=from_iso(row["started_at"]),
        finished_at=from_iso(row["finished_at"]) if row["finished_at"] else None,
        status=row["status"],
        items=row["items"],
        detail=row["detail"],
    )
