"""The command line's grammar: every command, its options, and the types that check their values.

Kept apart from the commands: this module is what ``briefing --help`` shows, the
command modules are what each command does.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from briefing import __version__
from briefing.config.addresses import AddressError, check_address
from briefing.render import OUTPUT_FORMATS

FIRST_YEAR, LAST_YEAR = 1900, 9998
"""Dates the options accept. A briefing reaches days back from its date and a day past it, so ``0001-01-01`` or
``9999-12-31`` would fall off the calendar; before 1900 the ingest takes a date for a placeholder anyway."""


def _in_range(value: dt.date, text: str) -> None:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(
            f"{text!r} is out of range: use a date from {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31"
        )


def _date(value: str) -> dt.date:
    """A ``YYYY-MM-DD`` option, rejected by argparse with a usage error when it is not one."""
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {value!r}") from None
    _in_range(date, value)
    return date


def _moment(value: str) -> dt.datetime | dt.date:
    """A date (``2022-02-17``) or an ISO date-time (``2022-02-17T08:00``, with or without an offset)."""
    try:
        moment = dt.date.fromisoformat(value) if len(value) == 10 else dt.datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD) or ISO date-time: {value!r}") from None
    _in_range(moment, value)
    return moment


def _formats(value: str) -> tuple[str, ...]:
    """``--format html,pdf``: known output suffixes, in the order given, each once."""
    names = [part.strip().lower().lstrip(".") for part in value.split(",") if part.strip()]
    unknown = [n for n in names if f".{n}" not in OUTPUT_FORMATS]
    if not names or unknown:
        raise argparse.ArgumentTypeError(f"formats are {', '.join(f[1:] for f in OUTPUT_FORMATS)}: {value!r}")
    return tuple(dict.fromkeys(f".{n}" for n in names))


def _positive(value: str) -> int:
    """A count of at least 1 (days, workers, key points): zero or less would mean nothing."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1: {value!r}")
    return number


def _address(value: str) -> str:
    """A ``--to`` address, checked as strictly as the settings' (no header injection from the command line)."""
    try:
        return check_address(value)
    except AddressError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _executor(value: str) -> str:
    """``--executor``: the forms ``analysis.executor`` accepts, checked before anything is scanned."""
    host, _, port = value.removeprefix("dask://").rpartition(":")
    if value in ("processes", "serial") or (value.startswith("dask://") and host and port.isdigit()):
        return value
    raise argparse.ArgumentTypeError(f"use processes, serial or dask://HOST:PORT, not {value!r}")


def _executor_options(parser: argparse.ArgumentParser) -> None:
    """``--workers`` and ``--executor``, shared by the commands that ingest."""
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
    """Every command and option; ``main`` dispatches on ``command``."""
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
    generate.add_argument("--days", type=_positive, metavar="N", help="cover the articles of the last N days")
    generate.add_argument(
        "--since", type=_moment, metavar="WHEN", help="cover articles from WHEN (YYYY-MM-DD or ISO date-time)"
    )
    generate.add_argument(
        "--until", type=_moment, metavar="WHEN", help="cover articles before WHEN (a date includes that day)"
    )
    generate.add_argument(
        "--by",
        choices=("date", "received"),
        help="what the period selects on: the articles' own dates (the default with --since or --until)"
        " or when they were received (the default otherwise)",
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
        description="Watch the seeds folder, ingest each new file once, keep the live view reports/live.html"
        " current and make the briefings of [schedules.*] on time. Stops on Ctrl-C or SIGTERM after the current article.",
    )
    calendar = commands.add_parser(
        "calendar",
        help="list the upcoming events of the stored articles; --ics FILE writes them as iCalendar",
        description="List the upcoming events of every stored article, merged across articles, with days to go."
        " With --ics, also write them to FILE as iCalendar (RFC 5545) for calendar applications to subscribe to.",
    )
    calendar.add_argument("--ics", type=Path, metavar="FILE", help="write the events to FILE as iCalendar")
    calendar.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="count from this date (default: today)")
    migrate = commands.add_parser(
        "migrate",
        help="bring the store's schema up to date, or copy a store into another (--from, --to)",
        description="Apply the store's schema migrations (state_url or state_file). With --from and --to, copy"
        " every row of one store into another, empty one (sqlite:///path/state.db or postgresql://user@host/db;"
        " the password in BRIEFING_PGPASSWORD) and compare each table's row count and checksum.",
    )
    migrate.add_argument("--from", dest="source", metavar="URL", help="the store to copy")
    migrate.add_argument("--to", dest="target", metavar="URL", help="the empty store to copy it into")
    serve = commands.add_parser(
        "serve",
        help="serve the briefings in a browser: archive, search, actor pages, calendar, feed",
        description="Serve the web view of the store and reports/ (default http://127.0.0.1:8000/). Any address"
        " other than a loopback one needs serve.token (or BRIEFING_SERVE__TOKEN). Stops on Ctrl-C or SIGTERM.",
    )
    serve.add_argument("--host", metavar="ADDRESS", help="address to listen on (default: serve.host, 127.0.0.1)")
    serve.add_argument("--port", type=int, metavar="PORT", help="port to listen on (default: serve.port, 8000)")
    return parser
