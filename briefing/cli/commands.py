"""The commands that read, analyse and show: analyze, ingest, generate, calendar, status and run.

Each turns its options into one call of a pipeline function (or the service),
prints what came back and returns an exit status; the stages' logic stays in the pipeline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Callable
from typing import Any

from briefing.batch import analysis_options
from briefing.cli.exits import EXIT_INPUT, EXIT_OK, EXIT_USAGE
from briefing.config import Settings
from briefing.executors import ExecutorError
from briefing.lock import AlreadyRunning, running_service
from briefing.model import Period
from briefing.nlp import analysis_key
from briefing.pipeline import (
    analyze_paths,
    as_of,
    export_calendar,
    generate_briefing,
    ingest_folder,
    pending_files,
)
from briefing.render.timevalues import describe_span, moved
from briefing.schedules import schedule_states
from briefing.store import Store


def _resolve(value: dt.datetime | dt.date | None, settings: Settings, end_of_day: bool = False) -> dt.datetime | None:
    """A command-line moment in the configured timezone; a bare date is its start (or its end)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=settings.tz)
    day = value + dt.timedelta(days=1) if end_of_day else value
    return dt.datetime.combine(day, dt.time(), settings.tz)


def cmd_analyze(args: argparse.Namespace, settings: Settings) -> int:
    """``briefing analyze``: each file's analysis, stored nowhere, so a reader can be tried on any file."""
    status = EXIT_OK
    for record in analyze_paths(args.paths, settings, args.date):
        if "error" in record:
            status = EXIT_INPUT
            print(f"briefing: {record['source']}: {record['error']}", file=sys.stderr)
        if args.json:
            print(json.dumps(record, ensure_ascii=False), flush=True)
        elif "error" not in record:
            _print_analysis(record)
    return status


def _print_analysis(record: dict[str, object]) -> None:
    """One article's contract object as a person reads it: title, key points, events."""
    print(f"{record['source']}\n  {record['title']} ({record['date']})")
    for point in record["key_points"]:  # type: ignore[attr-defined]
        print(f"  - {point['text']}")
    for event in record.get("events", ()):  # type: ignore[attr-defined]
        if not event.get("notable", True):
            continue  # a dated clause ("shares fell on Monday"): in the JSON, not in a reader's list
        print(f"  event: {event['title']} ({describe_span(event['start'], event['end'])}; {event['status']})")


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """``briefing ingest``: one scan of the seeds folder, unless the service is already ingesting it."""
    service = running_service(settings.reports_path)
    if service is not None:  # two processes reading the same files would analyse them twice
        print(f"`briefing run` (pid {service.pid}) is ingesting {settings.seeds_path}; not scanning it here")
        return EXIT_OK
    progress = ProgressBar()
    try:
        report = ingest_folder(
            settings, workers=args.workers, executor_spec=args.executor, progress=progress if progress.shown else None
        )
    except ExecutorError as exc:
        print(f"briefing: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        progress.close()
    again = f", {report.reanalysed} analysed again" if report.reanalysed else ""
    print(
        f"{len(report.new)} new, {len(report.duplicates)} duplicate, {len(report.failed)} failed,"
        f" {report.unchanged} unchanged{again} (seeds: {settings.seeds_path})"
    )
    for name, reason in report.failed:
        print(f"  failed: {name}: {reason}")
    return EXIT_OK if report.ok else EXIT_INPUT


class ProgressBar:
    """A progress bar on stderr for long batches, only when stderr is a terminal (never in logs or pipes).

    tqdm draws it: it keeps to one line, sizes itself to the terminal, and shows the
    rate and the time left; it is already installed with sumy's NLTK.
    """

    MIN_TOTAL = 50
    """Shorter runs finish before a bar would tell anything."""

    def __init__(self) -> None:
        self.shown = sys.stderr.isatty()
        self._bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            if total < self.MIN_TOTAL:
                return
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="article", desc="ingest", file=sys.stderr, dynamic_ncols=True)
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def cmd_generate(args: argparse.Namespace, settings: Settings) -> int:
    """``briefing generate``: ingest first (unless told not to), then one briefing of the period the options give."""
    if args.as_of and args.until:
        print("briefing: --as-of already sets the end of the briefing; drop --until", file=sys.stderr)
        return EXIT_USAGE
    ingest_ok = True
    if not args.no_ingest:
        ingest_ok = cmd_ingest(args, settings) == EXIT_OK
    now = period = None
    if args.as_of:
        resolved = _resolve(args.since, settings)
        since = resolved.astimezone(settings.tz).date() if resolved else None
        if since is not None and since > args.as_of:
            print("briefing: --since must come before --as-of", file=sys.stderr)
            return EXIT_USAGE
        period, now = as_of(settings, args.as_of, since)
    elif args.since or args.until:
        end = _resolve(args.until, settings, end_of_day=True) or dt.datetime.now(settings.tz)
        start = _resolve(args.since, settings) or end - dt.timedelta(days=settings.briefing_days)
        if start >= end:
            print("briefing: --since must come before --until", file=sys.stderr)
            return EXIT_USAGE
        period = Period(start, end)
    result = generate_briefing(settings, period, now=now, formats=args.format)
    for path in result.rendered.files.values():
        print(f"wrote {path}")
    for suffix, why in result.rendered.errors.items():
        print(f"briefing: {suffix[1:].upper()} not written: {why}", file=sys.stderr)
    print(f"{result.articles} article(s) in the briefing")
    return EXIT_OK if ingest_ok and not result.rendered.errors else EXIT_INPUT


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    """``briefing status``: what is stored, pending, failed, made and mailed, and whether the service runs."""
    with Store(settings.state_path) as store:
        service = running_service(settings.reports_path)
        if service is None:
            print("service: not running (start it with `briefing run`)")
        else:
            print(f"service: running (pid {service.pid}, since {service.started_at})")
        print(f"state: {settings.state_path}")
        print(f"articles stored: {store.article_count()} (from {store.source_count()} files)")
        stale = len(store.stale_article_ids(analysis_key(analysis_options(settings))))
        if stale:
            print(f"  {stale} analysed by an older analyser or other settings: `briefing ingest` analyses them again")
        pending = pending_files(settings, store)
        print(f"pending files: {len(pending)}")
        for name in pending[:20]:
            print(f"  {name}")
        if len(pending) > 20:
            print(f"  ... and {len(pending) - 20} more")
        failures = store.failures()
        print(f"failed files: {len(failures)}")
        for failure in failures:
            print(f"  {failure.path}: {failure.reason}")
        briefings = store.briefings(limit=5)
        print(f"latest briefings: {len(briefings)}")
        for record in briefings:
            when = record.created_at.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M")
            files = ", ".join(p for p in (record.html_path, record.pdf_path) if p)
            print(
                f"  {when}  {record.articles} article(s)  {files}{'  ERROR: ' + record.error if record.error else ''}"
            )
        counts = store.delivery_counts()
        if counts:
            print("e-mail: " + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("sent", "pending", "sending", "failed")))
            for row in [d for d in store.deliveries() if d.status == "failed"][-10:]:
                print(f"  failed: briefing {row.briefing_id} to {row.recipient}: {row.last_error}")
        _print_schedules(settings, store)
        _print_runs(settings, store)
    return EXIT_OK


def _when(moment: dt.datetime | None, settings: Settings) -> str:
    """A moment in the configured timezone, to the minute, or ``-`` when there is none."""
    return moment.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M %Z") if moment else "-"


def _print_schedules(settings: Settings, store: Store) -> None:
    """Each schedule's last and next briefing; a due time already past shows as missed."""
    now = dt.datetime.now(dt.UTC)
    states = schedule_states(settings, store, now)
    print(f"schedules: {len(states)} ({settings.timezone})")
    for state in states:
        last = _when(state.last.created_at, settings) if state.last else "never"
        due = _when(state.next_run, settings)
        if state.next_run is not None and state.next_run <= now:
            due += " (missed: made as soon as the service runs)"
        print(f"  {state.name}  [{state.cron}]  last {last}  next {due}")


def _print_runs(settings: Settings, store: Store) -> None:
    """The service's last run of each job, and its recent failures."""
    runs = store.last_runs()
    print(f"last runs: {len(runs)} job(s)")
    for run in runs:
        took = f" in {(run.finished_at - run.started_at).total_seconds():.1f} s" if run.finished_at else ""
        detail = f"  {run.detail}" if run.detail else ""
        print(f"  {run.job:<18} {_when(run.started_at, settings)}  {run.status}{took}{detail}")
    recent_failures = [r for r in store.runs(limit=200) if r.status in ("failed", "missed", "interrupted")][:5]
    if recent_failures:
        print("recent job failures:")
        for run in recent_failures:
            print(f"  {run.job:<18} {_when(run.started_at, settings)}  {run.status}  {run.detail}")


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """``briefing run``: the service in the foreground, until Ctrl-C or SIGTERM."""
    from briefing.service import run_service  # the scheduler and watchdog load only for the service

    def started(service: object) -> None:
        names = ", ".join(f"{name} [{s.cron}]" for name, s in settings.schedules.items()) or "none"
        print(
            f"briefing run: watching {settings.seeds_path}, writing {settings.reports_path};"
            f" schedules: {names} ({settings.timezone}). Ctrl-C stops after the current article.",
            file=sys.stderr,
            flush=True,
        )

    restore_logging = _service_logging(args.verbose)
    try:
        run_service(settings, started=started)
    except AlreadyRunning as exc:
        print(f"briefing: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        restore_logging()
    return EXIT_OK


def _service_logging(verbose: bool) -> Callable[[], None]:
    """A service logs what it does, with the time, to stderr; returns what undoes this."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    # APScheduler logs every run of every job at INFO; the service logs its own jobs' outcomes.
    levels = {
        "briefing": logging.DEBUG if verbose else logging.INFO,
        "apscheduler": logging.INFO if verbose else logging.WARNING,
    }
    saved = []
    for name, level in levels.items():
        logger = logging.getLogger(name)
        saved.append((logger, logger.level, logger.propagate))
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False

    def restore() -> None:
        for logger, level, propagate in saved:
            logger.removeHandler(handler)
            logger.setLevel(level)
            logger.propagate = propagate

    return restore


def cmd_calendar(args: argparse.Namespace, settings: Settings) -> int:
    """``briefing calendar``: the events ahead, with days to go; ``--ics`` also writes them for calendar apps."""
    try:
        result = export_calendar(settings, args.ics, args.date)
    except OSError as exc:
        print(f"briefing: cannot write {args.ics}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_INPUT
    print(f"upcoming events on {result.today.isoformat()}: {len(result.entries)}")
    for entry in result.entries:
        when = describe_span(entry.start, entry.end)
        to_go = f" (in {entry.days_to_go} days)" if entry.days_to_go else " (today)" if entry.days_to_go == 0 else ""
        note = f"; {moved(entry.moved_from, entry.start)}" if entry.moved_from and entry.start else ""
        sources = f"{len(entry.article_ids)} source{'s' if len(entry.article_ids) != 1 else ''}"
        print(f"  {when}{to_go}: {entry.title} [{entry.status}; {sources}{note}]")
    if result.path is not None:
        print(f"wrote {result.written} event(s) to {result.path}")
    return EXIT_OK
