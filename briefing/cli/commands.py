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
from briefing.cli.serve import UnsafeBind, web_view_beside
from briefing.config import Settings
from briefing.executors import ExecutorError
from briefing.lock import AlreadyRunning, running_service
from briefing.model import Period
from briefing.nlp import analysis_key
from briefing.pipeline import (
    analyze_paths,
    as_of,
    empty_period_note,
    export_calendar,
    generate_briefing,
    ingest_folder,
    pending_files,
    period_days,
    received_span,
)
from briefing.printable import ZonedFormatter, json_printable, printable
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
            print(f"briefing: {printable(record['source'])}: {printable(record['error'])}", file=sys.stderr)
        if args.json:
            print(json_printable(json.dumps(record, ensure_ascii=False)), flush=True)
        elif "error" not in record:
            _print_analysis(record)
    return status


def _print_analysis(record: dict[str, object]) -> None:
    """One article's contract object as a person reads it: title, key points, events (text from outside, escaped)."""
    print(f"{printable(record['source'])}\n  {printable(record['title'])} ({record['date']})")
    for point in record["key_points"]:  # type: ignore[attr-defined]
        print(f"  - {printable(point['text'])}")
    for event in record.get("events", ()):  # type: ignore[attr-defined]
        if not event.get("notable", True):
            continue  # a dated clause ("shares fell on Monday"): in the JSON, not in a reader's list
        span = describe_span(event["start"], event["end"])
        print(f"  event: {printable(event['title'])} ({span}; {event['status']})")


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """``briefing ingest``: one scan of the seeds folder, unless the service is already ingesting it."""
    service = running_service(settings.reports_path, settings.state_path)
    if service is not None:  # two processes reading the same files would analyse them twice
        print(f"`briefing run` (pid {service.pid}) is ingesting {printable(settings.seeds_path)}; not scanning it here")
        return EXIT_OK
    progress = ProgressBar()
    try:
        report = ingest_folder(
            settings, workers=args.workers, executor_spec=args.executor, progress=progress if progress.shown else None
        )
    except ExecutorError as exc:
        print(f"briefing: {printable(exc)}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        progress.close()
    again = f", {report.reanalysed} analysed again" if report.reanalysed else ""
    print(
        f"{len(report.new)} new, {len(report.duplicates)} duplicate, {len(report.failed)} failed,"
        f" {report.unchanged} unchanged{again} (seeds: {printable(settings.seeds_path)})"
    )
    for name, reason in report.failed:  # file names are anyone's: a newline in one must not forge a line
        print(f"  failed: {printable(name)}: {printable(reason)}")
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
    if args.as_of and args.by == "received":
        print("briefing: --as-of selects the articles dated up to that day; drop --by received", file=sys.stderr)
        return EXIT_USAGE
    ingest_ok = True
    if not args.no_ingest:
        ingest_ok = cmd_ingest(args, settings) == EXIT_OK
    now = None
    period = _period(args, settings)
    if isinstance(period, str):
        print(f"briefing: {period}", file=sys.stderr)
        return EXIT_USAGE
    if args.as_of:
        period, now = as_of(settings, args.as_of, period.start.date() if period and args.since else None)
    made_at = dt.datetime.now(settings.tz) if args.as_of else None
    result = generate_briefing(settings, period, now=now, formats=args.format, made_at=made_at)
    for path in result.rendered.files.values():
        print(f"wrote {printable(path)}")
    for suffix, why in result.rendered.errors.items():
        print(f"briefing: {suffix[1:].upper()} not written: {printable(why)}", file=sys.stderr)
    print(f"{result.articles} article(s) in the briefing, {_period_words(result.period, settings)}")
    if not result.articles and (note := empty_period_note(settings, result.period)):
        print(f"note: {note}")
    return EXIT_OK if ingest_ok and not result.rendered.errors else EXIT_INPUT


def _period(args: argparse.Namespace, settings: Settings) -> Period | str | None:
    """The period the options ask for, or what is wrong with them.

    ``--since`` and ``--until`` select by the articles' own dates unless ``--by
    received`` says otherwise: a reader naming a span of days means the news of
    those days, not when the files happened to land. Without them, the last
    ``briefing_days`` days of arrivals (None: the pipeline's default), or of dates with ``--by date``.
    """
    if not (args.since or args.until or args.as_of or args.by == "date"):
        return None
    now = dt.datetime.now(settings.tz)
    end = _resolve(args.until, settings, end_of_day=True) or now
    start = _resolve(args.since, settings) or end - dt.timedelta(days=settings.briefing_days)
    if start >= end or (args.as_of and args.since and start.date() > args.as_of):
        return "--since must come before " + ("--as-of" if args.as_of else "--until")
    by = args.by or ("date" if args.since or args.until else "received")
    if by == "received":
        return Period(start, end)
    last = (end - dt.timedelta(microseconds=1)).date()  # --until 2009-06-30 ends at midnight: June 30 is the last day
    if args.since is None:
        start = start + dt.timedelta(days=1)  # the last N days, today included
    return Period(start, dt.datetime.combine(last, dt.time.max, settings.tz), basis="date")


def _period_words(period: Period, settings: Settings) -> str:
    """``dated 2008-09-01 to 2009-06-30`` or ``received 2026-12-01 09:00 to 2026-12-04 09:00 EST``."""
    if period.basis == "date":
        first, last = period_days(period)
        return f"dated {first} to {last}"
    return f"received {received_span(period, settings.tz)}"


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    """``briefing status``: what is stored, pending, failed, made and mailed, and whether the service runs."""
    with Store(settings.state_path) as store:
        service = running_service(settings.reports_path, settings.state_path)
        if service is None:
            print("service: not running (start it with `briefing run`)")
        else:
            print(f"service: running (pid {service.pid}, since {service.started_at})")
        print(f"state: {printable(settings.state_path)}")
        print(f"articles stored: {store.article_count()} (from {store.source_count()} files)")
        stale = len(store.stale_article_ids(analysis_key(analysis_options(settings))))
        if stale:
            print(f"  {stale} analysed by an older analyser or other settings: `briefing ingest` analyses them again")
        pending = pending_files(settings, store)
        print(f"pending files: {len(pending)}")
        for name in pending[:20]:  # file names are anyone's: escaped, so none can forge a status line
            print(f"  {printable(name)}")
        if len(pending) > 20:
            print(f"  ... and {len(pending) - 20} more")
        failures = store.failures()
        print(f"failed files: {len(failures)}")
        for failure in failures:
            print(f"  {printable(failure.path)}: {printable(failure.reason)}")
        _print_superseded(settings, store)
        briefings = store.briefings(limit=5)
        print(f"latest briefings: {len(briefings)}")
        for record in briefings:
            when = _when(record.created_at, settings)
            if record.made_at:  # a briefing as of a past day: that day, and when it was made
                when = f"as of {record.created_at.astimezone(settings.tz):%Y-%m-%d} (made {_when(record.made_at, settings)})"
            files = printable(", ".join(p for p in (record.html_path, record.pdf_path) if p))
            error = f"  ERROR: {printable(record.error)}" if record.error else ""
            print(f"  {when}  {record.articles} article(s)  {files}{error}")
        counts = store.delivery_counts()
        if counts:
            print("e-mail: " + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("sent", "pending", "sending", "failed")))
            for row in [d for d in store.deliveries() if d.status == "failed"][-10:]:
                print(
                    f"  failed: briefing {row.briefing_id} to {printable(row.recipient)}: {printable(row.last_error)}"
                )
        _print_schedules(settings, store)
        _print_runs(settings, store)
    return EXIT_OK


def _print_superseded(settings: Settings, store: Store) -> None:
    """The earlier versions of edited files: kept in the store, left out of briefings and the calendar."""
    superseded = store.superseded()
    if not superseded:
        return
    print(f"superseded versions: {len(superseded)} (earlier versions of edited files: kept, left out of briefings)")
    for old in superseded[:20]:
        why = "replaced by its new version" if old.replaced_by else "no longer in the file"
        name = printable(old.path) if old.path else "(file unknown)"
        print(f"  {name}: {printable(repr(old.title))}, {why} {_when(old.at, settings)}")
    if len(superseded) > 20:
        print(f"  ... and {len(superseded) - 20} more")


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
        detail = f"  {printable(run.detail)}" if run.detail else ""
        print(f"  {run.job:<18} {_when(run.started_at, settings)}  {run.status}{took}{detail}")
    recent_failures = [r for r in store.runs(limit=200) if r.status in ("failed", "missed", "interrupted")][:5]
    if recent_failures:
        print("recent job failures:")
        for run in recent_failures:
            print(f"  {run.job:<18} {_when(run.started_at, settings)}  {run.status}  {printable(run.detail)}")


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """``briefing run``: the service in the foreground, until Ctrl-C or SIGTERM."""
    from briefing.service import run_service  # the scheduler and watchdog load only for the service

    def started(service: object) -> None:
        names = ", ".join(f"{name} [{s.cron}]" for name, s in settings.schedules.items()) or "none"
        print(
            f"briefing run: watching {printable(settings.seeds_path)}, writing {printable(settings.reports_path)};"
            f" schedules: {names} ({settings.timezone}). Ctrl-C stops after the current article.",
            file=sys.stderr,
            flush=True,
        )

    restore_logging = _service_logging(args.verbose, settings.tz)
    try:
        with web_view_beside(settings):  # [serve] enabled = true: briefing serve inside the service
            run_service(settings, started=started)
    except (AlreadyRunning, UnsafeBind, OSError) as exc:
        print(f"briefing: {printable(exc)}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        restore_logging()
    return EXIT_OK


def _service_logging(verbose: bool, tz: dt.tzinfo = dt.UTC) -> Callable[[], None]:
    """A service logs what it does, with the time in ``tz``, to stderr; returns what undoes this."""
    handler = logging.StreamHandler(sys.stderr)
    # File names reach the log: escaped, so a newline in one cannot forge an entry; stamped in the configured zone.
    handler.setFormatter(ZonedFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", tz))
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
        print(f"briefing: cannot write {printable(args.ics)}: {printable(exc.strerror or exc)}", file=sys.stderr)
        return EXIT_INPUT
    print(f"upcoming events on {result.today.isoformat()}: {len(result.entries)}")
    for entry in result.entries:
        when = describe_span(entry.start, entry.end)
        to_go = f" (in {entry.days_to_go} days)" if entry.days_to_go else " (today)" if entry.days_to_go == 0 else ""
        note = f"; {moved(entry.moved_from, entry.start)}" if entry.moved_from and entry.start else ""
        sources = f"{len(entry.article_ids)} source{'s' if len(entry.article_ids) != 1 else ''}"
        print(f"  {when}{to_go}: {printable(entry.title)} [{entry.status}; {sources}{note}]")
    if result.path is not None:
        print(f"wrote {result.written} event(s) to {printable(result.path)}")
    return EXIT_OK
