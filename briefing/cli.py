"""The command line: parses arguments, loads settings, calls a pipeline function, reports.

Exit status: 0 on success, 1 when some input failed, 2 for usage or configuration errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from briefing import __version__
from briefing.config import ConfigError, Settings, load_settings
from briefing.deliver.addresses import AddressError, check_address
from briefing.delivery import DeliveryConfigError, deliver_outbox, find_briefing, preview_digest, send_digest
from briefing.executors import ExecutorError
from briefing.lock import AlreadyRunning, running_service
from briefing.model import Period
from briefing.nlp import analysis_key
from briefing.pipeline import (
    analysis_options,
    analyze_paths,
    as_of,
    export_calendar,
    generate_briefing,
    ingest_folder,
    pending_files,
)
from briefing.render import OUTPUT_FORMATS, TemplateError
from briefing.render.timevalues import describe_span, moved
from briefing.schedules import schedule_states
from briefing.store import Store

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {value!r}") from None


def _moment(value: str) -> dt.datetime | dt.date:
    """A date (``2022-02-17``) or an ISO date-time (``2022-02-17T08:00``, with or without an offset)."""
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else dt.datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD) or ISO date-time: {value!r}") from None


def _resolve(value: dt.datetime | dt.date | None, settings: Settings, end_of_day: bool = False) -> dt.datetime | None:
    """A command-line moment in the configured timezone; a bare date is its start (or its end)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=settings.tz)
    day = value + dt.timedelta(days=1) if end_of_day else value
    return dt.datetime.combine(day, dt.time(), settings.tz)


def _formats(value: str) -> tuple[str, ...]:
    names = [part.strip().lower().lstrip(".") for part in value.split(",") if part.strip()]
    unknown = [n for n in names if f".{n}" not in OUTPUT_FORMATS]
    if not names or unknown:
        raise argparse.ArgumentTypeError(f"formats are {', '.join(f[1:] for f in OUTPUT_FORMATS)}: {value!r}")
    return tuple(dict.fromkeys(f".{n}" for n in names))


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1: {value!r}")
    return number


def _address(value: str) -> str:
    try:
        return check_address(value)
    except AddressError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _executor(value: str) -> str:
    host, _, port = value.removeprefix("dask://").rpartition(":")
    if value in ("processes", "serial") or (value.startswith("dask://") and host and port.isdigit()):
        return value
    raise argparse.ArgumentTypeError(f"use processes, serial or dask://HOST:PORT, not {value!r}")


def _executor_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workers",
        type=_positive,
        metavar="N",
        help="worker processes that analyse articles (default: analysis.workers, else one per core)",
    )
    parser.add_argument(
        "--executor",
        type=_executor,
        metavar="WHERE",
        help="where articles are analysed: processes, serial or dask://HOST:PORT (default: analysis.executor)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefing", description="Turn a folder of news articles into dated intelligence briefings."
    )
    parser.add_argument("--version", action="version", version=f"briefing {__version__}")
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help="settings file (default: ./briefing.toml if present)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what each stage does (to stderr)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    analyze = commands.add_parser(
        "analyze", help="analyse article files and print what they yield", description="Analyse article files."
    )
    analyze.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="article files")
    analyze.add_argument("--json", action="store_true", help="print one JSON object per article (JSON Lines)")
    analyze.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="article date (overrides the file's own)")
    analyze.add_argument("--key-points", type=_positive, metavar="N", help="number of key points per article")

    ingest = commands.add_parser(
        "ingest",
        help="scan the seeds folder once and store new articles",
        description="Scan the seeds folder once: new and changed files are read, analysed (in worker processes"
        " for a batch) and stored one by one; stored articles analysed by an older analyser are analysed again.",
    )
    _executor_options(ingest)

    generate = commands.add_parser(
        "generate", help="write a dated HTML and PDF briefing now", description="Write a dated briefing now."
    )
    generate.add_argument("--no-ingest", action="store_true", help="do not scan the seeds folder first")
    generate.add_argument("--days", type=_positive, metavar="N", help="cover articles received in the last N days")
    generate.add_argument(
        "--since", type=_moment, metavar="WHEN", help="cover articles received from WHEN (YYYY-MM-DD or ISO date-time)"
    )
    generate.add_argument(
        "--until", type=_moment, metavar="WHEN", help="cover articles received before WHEN (a date includes that day)"
    )
    generate.add_argument(
        "--as-of",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the briefing as it would have been on that day: articles dated up to it, events judged against it",
    )
    generate.add_argument(
        "--format", type=_formats, default=(".html", ".pdf"), metavar="html,pdf", help="formats to write (default both)"
    )
    generate.add_argument(
        "--template", type=Path, metavar="DIR", help="your own templates, searched before the bundled ones"
    )
    generate.add_argument("--out", type=Path, metavar="DIR", help="write into DIR instead of the reports folder")
    _executor_options(generate)

    send = commands.add_parser(
        "send",
        help="e-mail a briefing's digest now",
        description="E-mail the digest of a briefing (the latest, or the latest of --briefing DATE) to its"
        " schedule's recipients or to --to. Each recipient gets at most one copy of each briefing; a failed"
        " delivery is tried again. Exit status: 0 sent, 1 some delivery failed or no briefing, 2 usage or settings.",
    )
    send.add_argument(
        "--to",
        action="append",
        type=_address,
        metavar="ADDR",
        help="recipient (repeat for several; default: the schedule's)",
    )
    send.add_argument("--briefing", type=_date, metavar="YYYY-MM-DD", help="the latest briefing made on this date")
    send.add_argument("--dry-run", action="store_true", help="write the message as .eml file(s) instead of sending")
    send.add_argument("--output", type=Path, metavar="DIR", help="folder for --dry-run files (default: the briefing's)")
    send.add_argument(
        "--no-wait", action="store_true", help="do not wait for retries; leave them in the outbox for the service"
    )
    send.add_argument(
        "--pending", action="store_true", help="only deliver what is waiting in the outbox (retries); send nothing new"
    )

    commands.add_parser(
        "status",
        help="show stored articles, pending and failed files, briefings, schedules and the service's last runs",
        description="Show the state.",
    )

    commands.add_parser(
        "run",
        help="run as a service: watch the seeds folder and make the scheduled briefings",
        description="Watch the seeds folder, ingest each new file once, keep reports/latest.html current and"
        " make the briefings of [schedules.*] on time. Stops on Ctrl-C or SIGTERM after the current article.",
    )
    calendar = commands.add_parser(
        "calendar",
        help="list the upcoming events of the stored articles; --ics FILE writes them as iCalendar",
        description="List the upcoming events of every stored article, merged across articles, with days to go."
        " With --ics, also write them to FILE as iCalendar (RFC 5545) for calendar applications to subscribe to.",
    )
    calendar.add_argument("--ics", type=Path, metavar="FILE", help="write the events to FILE as iCalendar")
    calendar.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="count from this date (default: today)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    overrides: dict[str, object] = {}
    if getattr(args, "key_points", None):
        overrides["analysis.key_points"] = args.key_points
    if getattr(args, "days", None):
        overrides["briefing_days"] = args.days
    if getattr(args, "template", None):
        overrides["templates_dir"] = str(args.template.resolve())
    if getattr(args, "out", None):
        overrides["reports_dir"] = str(args.out.resolve())
    try:
        settings = load_settings(args.config, overrides=overrides)
    except ConfigError as exc:
        print(f"briefing: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        return COMMANDS[args.command](args, settings)
    except TemplateError as exc:
        print(f"briefing: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:  # every article is its own transaction: what was stored stays
        print("\nbriefing: interrupted; what was stored is kept, and the next run carries on", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`briefing analyze --json ... | head -1`): stop quietly, with the status a
        # process ended by SIGPIPE has, as other command-line tools do. Whatever is still buffered goes nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


def cmd_analyze(args: argparse.Namespace, settings: Settings) -> int:
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
    print(f"{record['source']}\n  {record['title']} ({record['date']})")
    for point in record["key_points"]:  # type: ignore[attr-defined]
        print(f"  - {point['text']}")
    for event in record.get("events", ()):  # type: ignore[attr-defined]
        print(f"  event: {event['title']} ({describe_span(event['start'], event['end'])}; {event['status']})")


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
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
    if args.as_of and args.until:
        print("briefing: --as-of already sets the end of the briefing; drop --until", file=sys.stderr)
        return EXIT_USAGE
    ingest_ok = True
    if not args.no_ingest:
        ingest_ok = cmd_ingest(args, settings) == EXIT_OK
    now = period = None
    if args.as_of:
        since = args.since.astimezone(settings.tz).date() if args.since else None
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


def cmd_send(args: argparse.Namespace, settings: Settings) -> int:
    try:
        if args.pending:
            stats = deliver_outbox(settings)
            print(f"outbox: {stats.sent} sent, {stats.deferred} to retry later, {stats.failed} failed")
            return EXIT_OK if not stats.failed else EXIT_INPUT
        record = find_briefing(settings, args.briefing)
        if record is None:
            when = f" made on {args.briefing}" if args.briefing else ""
            print(f"briefing: no briefing{when} to send; run `briefing generate` first", file=sys.stderr)
            return EXIT_INPUT
        schedule = settings.schedules.get(record.schedule) if record.schedule else None
        recipients = args.to or (schedule.recipients if schedule else [])
        made = record.created_at.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M")
        if args.dry_run:
            folder = args.output or (Path(record.html_path).parent if record.html_path else Path.cwd())
            for path in preview_digest(settings, record, recipients, folder):
                print(f"wrote {path}")
            return EXIT_OK
        result = send_digest(
            settings, record, recipients, skip_if_nothing_new=False, retry_failed=True, wait=not args.no_wait
        )
    except DeliveryConfigError as exc:
        print(f"briefing: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"{result.subject} (briefing of {made})")
    if result.note:
        print(f"  note: {result.note}")
    for row in result.already_sent:
        when = row.sent_at.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M") if row.sent_at else "earlier"
        print(f"  already sent  {row.recipient} on {when}; not sent twice")
    for row in result.deliveries:
        if row.status == "sent":
            print(f"  sent          {row.recipient}")
        elif row.status == "pending":
            retry = row.next_attempt_at.astimezone(settings.tz).strftime("%H:%M:%S")
            print(f"  will retry    {row.recipient} at {retry}: {row.last_error}")
        else:
            print(f"  failed        {row.recipient}: {row.last_error}")
    return EXIT_OK if result.ok else EXIT_INPUT


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
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
    return moment.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M %Z") if moment else "-"


def _print_schedules(settings: Settings, store: Store) -> None:
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


COMMANDS = {
    "analyze": cmd_analyze,
    "ingest": cmd_ingest,
    "generate": cmd_generate,
    "send": cmd_send,
    "status": cmd_status,
    "run": cmd_run,
    "calendar": cmd_calendar,
}
