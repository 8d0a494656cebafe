"""The ``briefing status`` use case: what is stored, pending, failed, made and mailed, and whether the service runs.

    collect_status: store + seeds/ + the service's lock + the schedules -> Status
    status_lines: Status -> the report's lines, every name from outside escaped

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
from briefing.printable import printable
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


def status_lines(status: Status, settings: Settings) -> list[str]:
    """``briefing status``'s report, line by line (the CLI prints it, the web view shows it): what is stored,
    pending, failed, made and mailed, and whether the service runs. Every name from outside is escaped."""
    out: list[str] = []
    if status.service is None:
        out.append("service: not running (start it with `briefing run`)")
    else:
        out.append(f"service: running (pid {status.service.pid}, since {status.service.started_at})")
    out.append(f"state: {printable(status.state)}")
    out.append(f"articles stored: {status.articles} (from {status.files} files)")
    if status.stale:
        out.append(
            f"  {status.stale} analysed by an older analyser or other settings: `briefing ingest` analyses them again"
        )
    pending = status.pending
    out.append(f"pending files: {len(pending)}")
    for name in pending[:20]:  # file names are anyone's: escaped, so none can forge a status line
        out.append(f"  {printable(name)}")
    if len(pending) > 20:
        out.append(f"  ... and {len(pending) - 20} more")
    out.append(f"failed files: {len(status.failures)}")
    for failure in status.failures:
        out.append(f"  {printable(failure.path)}: {printable(failure.reason)}")
    _print_superseded(settings, status, out)
    out.append(f"latest briefings: {len(status.briefings)}")
    for record in status.briefings:
        when = _when(record.created_at, settings)
        if record.made_at:  # a briefing as of a past day: that day, and when it was made
            when = (
                f"as of {record.created_at.astimezone(settings.tz):%Y-%m-%d} (made {_when(record.made_at, settings)})"
            )
        files = printable(", ".join(p for p in (record.html_path, record.pdf_path) if p))
        error = f"  ERROR: {printable(record.error)}" if record.error else ""
        out.append(f"  {when}  {record.articles} article(s)  {files}{error}")
    counts = status.delivery_counts
    if counts:
        out.append("e-mail: " + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("sent", "pending", "sending", "failed")))
        for row in status.failed_deliveries:
            out.append(
                f"  failed: briefing {row.briefing_id} to {printable(row.recipient)}: {printable(row.last_error)}"
            )
    _print_schedules(settings, status, out)
    _print_runs(settings, status, out)
    return out


def _print_superseded(settings: Settings, status: Status, out: list[str]) -> None:
    """The earlier versions of edited files: kept in the store, left out of briefings and the calendar."""
    superseded = status.superseded
    if not superseded:
        return
    out.append(
        f"superseded versions: {len(superseded)} (earlier versions of edited files: kept, left out of briefings)"
    )
    for old in superseded[:20]:
        why = "replaced by its new version" if old.replaced_by else "no longer in the file"
        name = printable(old.path) if old.path else "(file unknown)"
        out.append(f"  {name}: {printable(repr(old.title))}, {why} {_when(old.at, settings)}")
    if len(superseded) > 20:
        out.append(f"  ... and {len(superseded) - 20} more")


def _when(moment: dt.datetime | None, settings: Settings) -> str:
    """A moment in the configured timezone, to the minute, or ``-`` when there is none."""
    return moment.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M %Z") if moment else "-"


def _print_schedules(settings: Settings, status: Status, out: list[str]) -> None:
    """Each schedule's last and next briefing; a due time already past shows as missed."""
    out.append(f"schedules: {len(status.schedules)} ({settings.timezone})")
    for state in status.schedules:
        last = _when(state.last.created_at, settings) if state.last else "never"
        due = _when(state.next_run, settings)
        if state.next_run is not None and state.next_run <= status.now:
            due += " (missed: made as soon as the service runs)"
        out.append(f"  {state.name}  [{state.cron}]  last {last}  next {due}")


def _print_runs(settings: Settings, status: Status, out: list[str]) -> None:
    """The service's last run of each job, and its recent failures."""
    out.append(f"last runs: {len(status.last_runs)} job(s)")
    for run in status.last_runs:
        took = f" in {(run.finished_at - run.started_at).total_seconds():.1f} s" if run.finished_at else ""
        detail = f"  {printable(run.detail)}" if run.detail else ""
        out.append(f"  {run.job:<18} {_when(run.started_at, settings)}  {run.status}{took}{detail}")
    if status.job_failures:
        out.append("recent job failures:")
        for run in status.job_failures:
            out.append(f"  {run.job:<18} {_when(run.started_at, settings)}  {run.status}  {printable(run.detail)}")
