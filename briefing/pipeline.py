"""The use cases, each one readable function whose stages appear in order.

    ingest_folder:     scan -> read -> analyse -> store
    analyze_paths:     read -> analyse                      (``briefing analyze``)
    generate_briefing: collect -> compose -> render -> write

The command line and the service call these functions, never the stages' internals.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.compose import compose
from briefing.config import Settings
from briefing.contract import article_record
from briefing.ingest import Candidate, ReadError, read_articles, scan_folder
from briefing.model import Period
from briefing.nlp import ANALYSER_VERSION, AnalysisOptions, analyse
from briefing.render import IndexEntry, Rendered, relative_link, render_briefing, write_index
from briefing.store import BriefingRecord, FileVersion, Store

log = logging.getLogger(__name__)


def analysis_options(settings: Settings) -> AnalysisOptions:
    return AnalysisOptions(key_points=settings.analysis.key_points, summarizer=settings.analysis.summarizer)


def display_path(path: Path, base_dir: Path) -> str:
    """How a file is named in the store and in reports: relative to the project when inside it."""
    try:
        return path.resolve().relative_to(base_dir.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


# -- ingest ------------------------------------------------------------------------------------


@dataclass
class IngestReport:
    """What one pass over the seeds folder did."""

    new: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed


def ingest_folder(settings: Settings, now: dt.datetime | None = None) -> IngestReport:
    """Scan ``seeds/`` once: new and changed files are read, analysed and stored.

    Files already stored or already failed at the same size and mtime are
    skipped; each file is committed on its own, so an interruption loses nothing.
    """
    report = IngestReport()
    with Store(settings.state_path) as store:
        seen = store.seen_files()
        for candidate in scan_folder(settings.seeds_path):
            name = display_path(candidate.path, settings.base_dir)
            if seen.get(name) == FileVersion(candidate.size, candidate.mtime_ns):
                report.unchanged += 1
                continue
            ingest_file(settings, store, candidate, report, now)
    return report


def ingest_file(
    settings: Settings,
    store: Store,
    candidate: Candidate,
    report: IngestReport,
    now: dt.datetime | None = None,
) -> None:
    """read -> analyse -> store for one file; a bad file is recorded with its reason."""
    name = display_path(candidate.path, settings.base_dir)
    version = FileVersion(candidate.size, candidate.mtime_ns)
    now = now or dt.datetime.now(dt.UTC)
    try:
        articles = read_articles(candidate.path, max_bytes=settings.max_file_bytes, tz=settings.tz, source=name)
    except ReadError as exc:
        log.warning("%s: %s", name, exc)
        store.record_failure(name, str(exc), version, now)
        report.failed.append((name, str(exc)))
        return
    options = analysis_options(settings)
    for article in articles:
        fresh = not store.has_analysis(article.id, ANALYSER_VERSION)
        analysis = analyse(article, options) if fresh else None
        if store.save_article(article, analysis, ANALYSER_VERSION, version, now):
            report.new.append(article.source)
        else:
            report.duplicates.append(article.source)


# -- analyze -----------------------------------------------------------------------------------


def analyze_paths(paths: Iterable[Path], settings: Settings, date: dt.date | None = None) -> Iterator[dict[str, Any]]:
    """read -> analyse for each path, in order: the contract object, or ``{source, error}``."""
    options = analysis_options(settings)
    for path in paths:
        try:
            articles = read_articles(
                path, max_bytes=settings.max_file_bytes, tz=settings.tz, date=date, source=str(path)
            )
        except ReadError as exc:
            yield {"source": str(path), "error": str(exc)}
            continue
        for article in articles:
            yield article_record(article, analyse(article, options))


# -- generate ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GenerateResult:
    """A produced briefing: its files, and what went wrong while rendering, if anything."""

    rendered: Rendered
    articles: int
    period: Period


def default_period(settings: Settings, now: dt.datetime) -> Period:
    """The on-demand period: the last ``briefing_days`` days of arrivals, up to now."""
    return Period(now - dt.timedelta(days=settings.briefing_days), now)


def previous_briefing_time(
    records: Iterable[BriefingRecord], now: dt.datetime, schedule: str | None
) -> dt.datetime | None:
    """When the briefing before ``now`` was made: the same schedule's, or any one for an on-demand briefing."""
    earlier = [r.created_at for r in records if r.created_at < now and (schedule is None or r.schedule == schedule)]
    return max(earlier, default=None)


def generate_briefing(
    settings: Settings,
    period: Period | None = None,
    now: dt.datetime | None = None,
    schedule: str | None = None,
) -> GenerateResult:
    """collect -> compose -> render -> write one dated briefing, and refresh the archive index."""
    now = (now or dt.datetime.now(dt.UTC)).astimezone(settings.tz)
    period = period or default_period(settings, now)
    with Store(settings.state_path) as store:
        stored = store.articles(period)
        failures = store.failures()
        previous_at = previous_briefing_time(store.briefings(limit=100_000), now, schedule)
        briefing = compose(stored, failures, period, created_at=now, previous_at=previous_at)
        rendered = render_briefing(briefing, settings.reports_path, settings.templates_path)
        errors = "; ".join(f"{suffix[1:].upper()} failed: {why}" for suffix, why in rendered.errors.items()) or None
        store.record_briefing(
            now,
            period,
            len(stored),
            str(rendered.html_path) if rendered.html_path else None,
            str(rendered.pdf_path) if rendered.pdf_path else None,
            schedule=schedule,
            error=errors,
        )
        records = store.briefings(limit=100_000)
    reports = settings.reports_path
    write_index(
        [
            IndexEntry(
                created_at=r.created_at.astimezone(settings.tz),
                period_start=r.period.start.astimezone(settings.tz),
                period_end=r.period.end.astimezone(settings.tz),
                articles=r.articles,
                html=relative_link(r.html_path, reports),
                pdf=relative_link(r.pdf_path, reports),
                error=r.error,
            )
            for r in records
        ],
        reports,
        settings.templates_path,
    )
    return GenerateResult(rendered, len(stored), period)
