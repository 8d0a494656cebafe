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

from briefing.batch.executors import ExecutorError
from briefing.cli.exits import EXIT_INPUT, EXIT_OK, EXIT_USAGE
from briefing.cli.serve import UnsafeBind, web_view_beside
from briefing.config import Settings
from briefing.model import Period
from briefing.pipeline import (
    analyse_paths,
    as_of,
    empty_period_note,
    export_calendar,
    generate_briefing,
    ingest_folder,
    period_days,
    received_span,
)
from briefing.printable import ZonedFormatter, json_printable, printable
from briefing.render.timevalues import as_when, describe_span, moved
from briefing.service.lock import AlreadyRunning, running_service
from briefing.status import collect_status, status_lines


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
    for record in analyse_paths(args.paths, settings, args.date):
        if "error" in record:
            status = EXIT_INPUT
            print(f"briefing: {printable(record['source'])}: {printable(record['error'])}", file=sys.stderr)
        if args.json:
            print(json_printable(json.dumps(record, ensure_ascii=False)), flush=True)
        elif "error" not in record:
            _print_analysis(record)
    return status


def _print_analysis(record: dict[str, Any]) -> None:
    """One article's contract object as a person reads it: title, key points, events (text from outside, escaped)."""
    print(f"{printable(record['source'])}\n  {printable(record['title'])} ({record['date']})")
    for point in record["key_points"]:
        print(f"  - {printable(point['text'])}")
    for event in record.get("events", ()):
        if not event.get("notable", True):
            continue  # a dated clause ("shares fell on Monday"): in the JSON, not in a reader's list
        span = describe_span(as_when(event["start"]), as_when(event["end"]))
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
    print("\n".join(status_lines(collect_status(settings), settings)))
    return EXIT_OK


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
