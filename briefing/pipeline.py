"""The use cases, each one readable function whose stages appear in order.

    ingest_folder:     scan -> read -> analyse (executor) -> store, then stale analyses again
    analyse_paths:     read -> analyse                      (``briefing analyze``)
    generate_briefing: collect -> compose -> render -> write
    refresh_live:      collect -> compose -> render live.html                    (``briefing run``)
    export_calendar:   collect -> calendar -> iCalendar -> write   (``briefing calendar``)

The deliver stage's jobs (a stored briefing's digest -> outbox -> deliver) are in
:mod:`briefing.deliver.send`, which builds on :func:`collect_and_compose` here; this
module does not import it. The command line and the service call these functions,
never the stages' internals.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.batch import (
    IngestReport,
    Progress,
    analysis_options,
    choose_executor,
    ingest_candidates,
    prune_failures,
    read_limits,
    reanalyse_stale,
    record_crashes,
    scan_pending,
)
from briefing.batch.executors import Executor
from briefing.compose import compose
from briefing.compose.calendar import build_calendar, still_ahead
from briefing.compose.edition import MAX_STORIES
from briefing.config import Settings
from briefing.contract import article_record
from briefing.ingest import ItemError, ReadError, printable, read_items
from briefing.ingest.identity import display_path
from briefing.model import Briefing, CalendarEntry, Period, StoredArticle
from briefing.nlp import analyse, analysis_key
from briefing.render import (
    LIVE_PAGE,
    IndexEntry,
    Rendered,
    publish_latest,
    relative_link,
    render_briefing,
    render_live,
    write_index,
)
from briefing.render.ics import write_ics
from briefing.store import BriefingRecord, Store, open_store

log = logging.getLogger(__name__)

CALENDAR_LOOKBACK_DAYS = 400
"""Articles this many days old can still hold upcoming events for the calendar."""


# -- ingest ------------------------------------------------------------------------------------


def ingest_folder(
    settings: Settings,
    now: dt.datetime | None = None,
    *,
    executor: Executor | None = None,
    workers: int | None = None,
    executor_spec: str | None = None,
    progress: Progress | None = None,
    reanalyse: bool = True,
) -> IngestReport:
    """Scan ``seeds/`` once: new and changed files are read, analysed and stored; then stored
    articles whose analysis is stale (another analyser version or other settings) are analysed again.

    Files already stored or already failed at the same size and mtime are skipped.
    The analyses run on ``executor``, or on the configured one (worker processes by
    default; ``workers`` and ``executor_spec`` override the settings); each article is
    committed on its own as its analysis comes back, so an interruption loses nothing.
    """
    report = IngestReport()
    with open_store(settings) as store:
        report.failed += record_crashes(settings, store, now)
        candidates, pending = scan_pending(settings, store)
        prune_failures(settings, store, candidates)
        report.unchanged = len(candidates) - len(pending)
        key = analysis_key(analysis_options(settings))
        stale = len(store.stale_article_ids(key)) if reanalyse else 0
        total = len(pending) + stale
        own = executor is None
        executor = executor or choose_executor(settings, total, workers, executor_spec)
        try:
            ingest_candidates(settings, store, pending, executor, report, now=now, progress=progress, total=total)
            if reanalyse:
                reanalyse_stale(
                    settings, store, executor, report, now=now, progress=progress, done=len(pending), total=total
                )
        finally:
            if own:
                executor.close()
    return report


def pending_files(settings: Settings, store: Store) -> list[str]:
    """Files in ``seeds/`` not yet stored or failed at their current size and mtime, by name."""
    return [display_path(c.path, settings.base_dir) for c in scan_pending(settings, store)[1]]


# -- analyse -----------------------------------------------------------------------------------


def analyse_paths(paths: Iterable[Path], settings: Settings, date: dt.date | None = None) -> Iterator[dict[str, Any]]:
    """read -> analyse for each path, in order: the contract object, or ``{source, error}``.

    Each item of a JSON list gives its own line: an object, or an error whose source is ``PATH#INDEX``.
    """
    options = analysis_options(settings)
    for path in paths:
        source = printable(str(path))
        try:
            items = read_items(
                path,
                max_bytes=settings.max_file_bytes,
                tz=settings.tz,
                date=date,
                source=source,
                limits=read_limits(settings),
            )
        except ReadError as exc:
            yield {"source": source, "error": str(exc)}
            continue
        except Exception as exc:  # a reader bug on an odd file: reported like an unreadable one
            log.exception("%s: could not be read", source)
            yield {"source": source, "error": printable(f"the file could not be read ({type(exc).__name__}: {exc})")}
            continue
        for article in items:
            if isinstance(article, ItemError):  # one bad item of a JSON list: its own error line
                yield {"source": article.source, "error": article.reason}
                continue
            try:
                analysis = analyse(article, options)
            except Exception as exc:  # an analysis bug on odd text: reported like an unreadable file
                log.exception("%s: the article could not be analysed", article.source)
                yield {
                    "source": article.source,
                    "error": f"the article could not be analysed ({type(exc).__name__}: {exc})",
                }
                continue
            yield article_record(article, analysis)


# -- generate ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GenerateResult:
    """A produced briefing: its files, and what went wrong while rendering, if anything."""

    rendered: Rendered
    articles: int
    period: Period
    briefing: Briefing | None = None
    briefing_id: int | None = None


def default_period(settings: Settings, now: dt.datetime) -> Period:
    """The on-demand period: the last ``briefing_days`` days of arrivals, up to now."""
    return Period(now - dt.timedelta(days=settings.briefing_days), now)


def as_of(settings: Settings, day: dt.date, since: dt.date | None = None) -> tuple[Period, dt.datetime]:
    """The briefing as it would have been on ``day``: the period and the moment it is made.

    It covers the articles dated in the ``briefing_days`` days up to ``day`` (or
    from ``since``), whenever they arrived, and judges events against ``day``.
    """
    now = dt.datetime.combine(day, dt.datetime.now(settings.tz).time(), settings.tz)
    first = since or day - dt.timedelta(days=settings.briefing_days - 1)
    start = dt.datetime.combine(first, dt.time(), settings.tz)
    return Period(start, now, basis="date"), now


def generate_briefing(
    settings: Settings,
    period: Period | None = None,
    now: dt.datetime | None = None,
    schedule: str | None = None,
    formats: Sequence[str] = (".html", ".pdf"),
    made_at: dt.datetime | None = None,
) -> GenerateResult:
    """collect -> compose -> render -> write one dated briefing, and refresh the archive index.

    ``made_at`` is the real time of a briefing made as of a past moment (``now``, see :func:`as_of`).
    """
    now = (now or dt.datetime.now(dt.UTC)).astimezone(settings.tz)
    made_at = made_at.astimezone(settings.tz) if made_at else None
    period = period or default_period(settings, now)
    with open_store(settings) as store:
        stored, briefing = collect_and_compose(store, period, now, schedule, made_at, settings.report.max_stories)
        rendered = render_briefing(
            briefing,
            settings.reports_path,
            settings.templates_path,
            formats=formats,
            settings=settings.report,
            latest=False,  # published below, once the store knows which briefing is the latest
            sources=settings.sources,
            analyses=[article_record(s.article, s.analysis) for s in stored],
        )
        errors = "; ".join(f"{suffix[1:].upper()} failed: {why}" for suffix, why in rendered.errors.items()) or None
        briefing_id = store.record_briefing(
            now,
            period,
            len(stored),
            str(rendered.html_path) if rendered.html_path else None,
            str(rendered.pdf_path) if rendered.pdf_path else None,
            schedule=schedule,
            error=errors,
            made_at=made_at,
            bottom_line=tuple(point.text for point in briefing.bottom_line),
        )
        # latest.* is the briefing made last, as `send` finds it, whatever day it is as of
        publish_latest(settings.reports_path, lambda: _files(settings, store.latest_briefing()))
        records = store.briefings(limit=100_000)
    write_archive(settings, records)
    return GenerateResult(rendered, len(stored), period, briefing, briefing_id)


def write_archive(settings: Settings, records: Sequence[BriefingRecord]) -> None:
    """``reports/index.html`` of ``records`` in the store's order (newest made first: the one ``latest.*`` shows)."""
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
                latest=r is records[0],  # newest made first
                made_at=r.made_at.astimezone(settings.tz) if r.made_at else None,
                basis=r.period.basis,
            )
            for r in records
        ],
        reports,
        settings.templates_path,
        title=settings.report.title,
    )


def _files(settings: Settings, record: BriefingRecord | None) -> dict[str, Path | None]:
    """A stored briefing's files by suffix (stored paths are relative to the project folder)."""
    if record is None:
        return {}
    return {
        ".html": settings.path(Path(record.html_path)) if record.html_path else None,
        ".pdf": settings.path(Path(record.pdf_path)) if record.pdf_path else None,
    }


def period_days(period: Period) -> tuple[dt.date, dt.date]:
    """The first and last day a period covers: by article date the store's whole days, both included;
    by arrival the days its moments fall on (an end at midnight belongs to the day before)."""
    if period.basis == "date":
        return period.start.date(), period.end.date()
    return period.start.date(), (period.end - dt.timedelta(microseconds=1)).date()


def received_span(period: Period, tz: dt.tzinfo) -> str:
    """``2026-12-01 09:00 to 2026-12-04 09:00 EST``: an arrival period as a reader reads it, in ``tz``."""
    start, end = (t.astimezone(tz) for t in (period.start, period.end))
    return f"{start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M %Z}"


def empty_period_note(settings: Settings, period: Period) -> str | None:
    """Why a period holds no article, when other stored articles lie near it; None when nothing is stored.

    A reader who asks for a span by one basis (article date, or arrival) and gets
    nothing should learn that the other basis, or a neighbouring span, has articles.
    """
    first, last = period_days(period)
    with open_store(settings) as store:
        near = store.period_neighbours(period, first, last)
    if near.total == 0:
        return None
    if period.basis == "date":
        note = f"no stored article is dated {first} to {last}"
        if near.received:
            note += f"; {near.received} arrived in that time (--by received selects those)"
        nearest = " and ".join(
            f"{day} ({side})" for day, side in ((near.before, "before"), (near.after, "after")) if day
        )
        note += f"; the nearest article dates are {nearest}" if nearest else ""
    else:
        note = f"no article was received from {received_span(period, settings.tz)}"
        if near.dated:
            note += f"; {near.dated} stored article(s) are dated {first} to {last} (--by date selects those)"
    return f"{note}; {near.total} article(s) are stored in all"


def collect_and_compose(
    store: Store,
    period: Period,
    now: dt.datetime,
    schedule: str | None = None,
    made_at: dt.datetime | None = None,
    max_stories: int = MAX_STORIES,
) -> tuple[list[StoredArticle], Briefing]:
    """collect -> compose: the one way a Briefing is made from the store (generate, send and the service share it).

    A briefing as of a past day (``made_at`` set) is compared with the previous one as of an earlier day.
    ``max_stories`` is ``[report] max_stories``: compose chooses the stories shown (the page and the digest show those).
    """
    stored = store.articles(period)
    # Only what was known at ``now``: articles dated by then, and (unless the briefing is made as
    # of a past day, from articles by their date) received by then.
    received_by = None if period.basis == "date" else now
    earlier = store.events_ahead(
        now.date(),
        since=now.date() - dt.timedelta(days=CALENDAR_LOOKBACK_DAYS),
        until=now.date(),
        received_by=received_by,
    )
    previous_at = store.previous_briefing_at(now, schedule, earlier_day=made_at is not None)
    briefing = compose(
        stored,
        store.failures(),
        period,
        created_at=now,
        earlier_events=earlier,
        previous_at=previous_at,
        made_at=made_at,
        max_stories=max_stories,
    )
    return stored, briefing


# -- refresh live (the service's live view) ----------------------------------------------------


def current_period(settings: Settings, store: Store, now: dt.datetime) -> Period:
    """What the next scheduled briefing will cover so far: since the latest scheduled briefing.

    With no scheduled briefing yet (or no schedules), the on-demand window of
    ``briefing_days`` days.
    """
    ends = [last.period.end for name in settings.schedules if (last := store.last_briefing(name)) is not None]
    return Period(max(ends), now) if ends else default_period(settings, now)


def refresh_live(settings: Settings, now: dt.datetime | None = None) -> int:
    """collect -> compose -> render ``reports/live.html`` for the current period; returns its article count.

    Only the live view: ``latest.html`` and ``latest.pdf`` stay the briefing made
    last, as ``send`` and the archive name it (issue 17). A view of nothing is
    written too (it says nothing arrived since the last briefing). The first time
    there is a live view, the archive index is written again to link it.
    """
    now = (now or dt.datetime.now(dt.UTC)).astimezone(settings.tz)
    first = not (settings.reports_path / LIVE_PAGE).exists()
    with open_store(settings) as store:
        period = current_period(settings, store, now)
        stored, briefing = collect_and_compose(store, period, now, max_stories=settings.report.max_stories)
        records = store.briefings(limit=100_000) if first else []
    render_live(briefing, settings.reports_path, settings.templates_path, settings.report, settings.sources)
    if records and (settings.reports_path / "index.html").exists():
        write_archive(settings, records)
    return len(stored)


# -- calendar ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CalendarExport:
    """The events ahead on a date, and what was written of them."""

    today: dt.date
    entries: tuple[CalendarEntry, ...]
    path: Path | None = None
    written: int = 0


def export_calendar(settings: Settings, target: Path | None = None, today: dt.date | None = None) -> CalendarExport:
    """collect -> calendar -> iCalendar -> write: the upcoming and ongoing events of every stored article.

    With ``target``, they are written there as an iCalendar file (events with no
    date yet cannot be placed in a calendar and are listed only).
    """
    now = dt.datetime.now(settings.tz)
    today = today or now.date()
    with open_store(settings) as store:
        reports = store.events_ahead(today, since=today - dt.timedelta(days=CALENDAR_LOOKBACK_DAYS), until=today)
    ahead = [r for r in reports if still_ahead(r, today)]
    entries = tuple(e for e in build_calendar(ahead, today) if e.status != "past")
    if target is None:
        return CalendarExport(today, entries)
    sources = {r.article_id: f"{r.article_title} ({r.article_date.isoformat()})" for r in ahead}
    written = write_ics(entries, target, now, sources)
    return CalendarExport(today, entries, target, written)
