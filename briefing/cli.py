"""The command line: parses arguments, loads settings, calls a pipeline function, reports.

Exit status: 0 on success, 1 when some input failed, 2 for usage or configuration errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from briefing import __version__
from briefing.config import ConfigError, Settings, load_settings
from briefing.pipeline import analyze_paths, export_calendar, generate_briefing, ingest_folder
from briefing.render import TemplateError
from briefing.render.timevalues import describe_span, moved
from briefing.store import Store

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {value!r}") from None


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1: {value!r}")
    return number


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

    commands.add_parser(
        "ingest", help="scan the seeds folder once and store new articles", description="Scan the seeds folder once."
    )

    generate = commands.add_parser(
        "generate", help="write a dated HTML and PDF briefing now", description="Write a dated briefing now."
    )
    generate.add_argument("--no-ingest", action="store_true", help="do not scan the seeds folder first")
    generate.add_argument("--days", type=_positive, metavar="N", help="cover articles received in the last N days")

    commands.add_parser("status", help="show stored articles, failures and briefings", description="Show the state.")

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
    report = ingest_folder(settings)
    print(
        f"{len(report.new)} new, {len(report.duplicates)} duplicate, {len(report.failed)} failed,"
        f" {report.unchanged} unchanged (seeds: {settings.seeds_path})"
    )
    for name, reason in report.failed:
        print(f"  failed: {name}: {reason}")
    return EXIT_OK if report.ok else EXIT_INPUT


def cmd_generate(args: argparse.Namespace, settings: Settings) -> int:
    ingest_ok = True
    if not args.no_ingest:
        ingest_ok = cmd_ingest(args, settings) == EXIT_OK
    result = generate_briefing(settings)
    for path in result.rendered.files.values():
        print(f"wrote {path}")
    for suffix, why in result.rendered.errors.items():
        print(f"briefing: {suffix[1:].upper()} not written: {why}", file=sys.stderr)
    print(f"{result.articles} article(s) in the briefing")
    return EXIT_OK if ingest_ok and not result.rendered.errors else EXIT_INPUT


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    with Store(settings.state_path) as store:
        print(f"state: {settings.state_path}")
        print(f"articles stored: {store.article_count()} (from {store.source_count()} files)")
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
    return EXIT_OK


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
    "status": cmd_status,
    "calendar": cmd_calendar,
}
