"""The ``briefing status`` use case: what is stored, pending, failed, made and mailed, and whether the service runs.

    collect_status: store + seeds/ + the service's lock + the schedules -> Status

One readable function, like the use cases of :mod:`briefing.pipeline`; the command line
only prints what it returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from briefing.batch import analysis_options
from briefing.config import Settings
from briefing.model import Failure
from briefing.nlp import analysis_key
from briefing.pipeline import pending_files
from briefing.service.lock import Holder, running_service
from briefing.service.schedules import ScheduleState, schedule_states
from briefing.store import BriefingRecord, Delivery, RunRecord, Superseded, open_store

LATEST_BRIEFINGS = 5
FAILED_DELIVERIES = 10
RECENT_JOB_FAILURES = 5


@dataclass(frozen=True, slots=True)
class Status:
    """Everything ``briefing status`` shows, as of ``now``."""

    now: dt.datetime
    service: Holder | None
    state: str
    """Where the store is: a file's path, or a server's address without its password."""
    articles: int
    files: int
    stale: int
    """Articles analysed by an older analyser or other settings (``briefing ingest`` analyses them again)."""
    pending: list[str]
    failures: list[Failure]
    superseded: list[Superseded]
    briefings: list[BriefingRecord]
    delivery_counts: dict[str, int]
    failed_deliveries: list[Delivery]
    schedules: list[ScheduleState]
    last_runs: list[RunRecord]
    job_failures: list[RunRecord]


def collect_status(settings: Settings, now: dt.datetime | None = None) -> Status:
    """The project's state, read from the store, ``seeds/`` and the service's lock."""
    now = now or dt.datetime.now(dt.UTC)
    with open_store(settings) as store:
        return Status(
            now=now,
            service=running_service(settings.reports_path, settings.state_path),
            state=store.location,
            articles=store.article_count(),
            files=store.source_count(),
            stale=len(store.stale_article_ids(analysis_key(analysis_options(settings)))),
            pending=pending_files(settings, store),
            failures=store.failures(),
            superseded=store.superseded(),
            briefings=store.briefings(limit=LATEST_BRIEFINGS),
            delivery_counts=store.delivery_counts(),
            failed_deliveries=[d for d in store.deliveries() if d.status == "failed"][-FAILED_DELIVERIES:],
            schedules=schedule_states(settings, store, now),
            last_runs=store.last_runs(),
            job_failures=[r for r in store.runs(limit=200) if r.status in ("failed", "missed", "interrupted")][
                :RECENT_JOB_FAILURES
            ],
        )
