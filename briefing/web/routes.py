"""The pages: each handler reads the store (read-only), renders one template, and returns it.

Handlers are plain functions, so Starlette runs them in its thread pool; each opens its own
read-only :class:`~briefing.web.queries.Reader`. Nothing here writes, except ``POST /generate``,
which makes a briefing through the same pipeline function as ``briefing generate``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from briefing.compose.calendar import build_calendar, still_ahead
from briefing.compose.stories import build_stories
from briefing.config import Settings
from briefing.model import CalendarEntry, Period
from briefing.pipeline import CALENDAR_LOOKBACK_DAYS, generate_briefing, ingest_folder
from briefing.render import relative_link
from briefing.render.ics import calendar_ics
from briefing.render.templating import render_template
from briefing.service.lock import running_service
from briefing.status import collect_status, status_lines
from briefing.web.feeds import FeedEntry, atom_feed
from briefing.web.linking import link_briefing, targets
from briefing.web.markup import marked_text
from briefing.web.queries import MARK_END, MARK_START, Reader, SearchQuery
from briefing.web.security import Csrf, report_file

CALENDAR_ROWS = 200
"""The calendar page lists the first this many events (the filters narrow it); the iCalendar files hold all."""

STORY_WINDOW_DAYS = 3
"""A story page groups the articles dated this many days either side of the article, as stories join."""


@dataclass
class Context:
    """What every handler needs: the settings, the templates, the CSRF token."""

    settings: Settings
    env: jinja2.Environment
    csrf: Csrf
    generating: threading.Lock
    cache_lock: threading.Lock = field(default_factory=threading.Lock)
    watch: sqlite3.Connection | None = None
    calendar: tuple[tuple[dt.date, int], tuple[list[CalendarEntry], dict[str, str]]] | None = None

    @contextlib.contextmanager
    def reader(self) -> Iterator[Reader]:
        reader = Reader(self.settings.state_path)
        try:
            yield reader
        finally:
            reader.close()

    def page(self, name: str, status: int = 200, **values: object) -> HTMLResponse:
        html = render_template(
            self.env, f"web/{name}.html.j2", site=self.settings.report.title, csrf=self.csrf.token, **values
        )
        return HTMLResponse(html, status_code=status)

    def today(self) -> dt.date:
        return dt.datetime.now(self.settings.tz).date()

    def upcoming(self) -> tuple[list[CalendarEntry], dict[str, str]]:
        """Every upcoming event merged across articles, and the articles by id: worked out once per day and
        store version (SQLite's ``data_version`` tells when another connection committed), as merging
        thousands of reports takes seconds."""
        today = self.today()
        with self.cache_lock:
            if self.watch is None:
                self.watch = sqlite3.connect(
                    f"file:{self.settings.state_path}?mode=ro", uri=True, check_same_thread=False
                )
            key = (today, int(self.watch.execute("PRAGMA data_version").fetchone()[0]))
            if self.calendar is not None and self.calendar[0] == key:
                return self.calendar[1]
            with self.reader() as reader:
                since = today - dt.timedelta(days=CALENDAR_LOOKBACK_DAYS)
                reports = reader.events_ahead(today, since=since, until=today)
            ahead = [r for r in reports if still_ahead(r, today)]
            entries = [e for e in build_calendar(ahead, today) if e.status != "past"]
            sources = {r.article_id: f"{r.article_title} ({r.article_date.isoformat()})" for r in ahead}
            self.calendar = (key, (entries, sources))
            return entries, sources


def ctx(request: Request) -> Context:
    context: Context = request.app.state.context
    return context


def not_found(request: Request, what: str = "This page does not exist.") -> HTMLResponse:
    return ctx(request).page("missing", status=404, what=what)


# -- archive, briefings, files -------------------------------------------------------------------


def archive(request: Request) -> Response:
    c = ctx(request)
    with c.reader() as reader:
        records = reader.briefings(limit=100_000)
    rows = [
        {
            "record": r,
            "html": _link(c.settings, r.html_path),
            "pdf": _link(c.settings, r.pdf_path),
            "latest": i == 0,
            "made": (r.made_at or r.created_at).astimezone(c.settings.tz),
            "as_of": r.created_at.astimezone(c.settings.tz) if r.made_at else None,
        }
        for i, r in enumerate(records)
    ]
    return c.page("archive", rows=rows, watchlists=list(c.settings.watchlists))


def briefing_page(request: Request) -> Response:
    c = ctx(request)
    with c.reader() as reader:
        record = reader.briefing(int(request.path_params["id"]))
        if record is None or not record.html_path:
            return not_found(request, "No briefing has this number, or it has no HTML.")
        path = _in_reports(c.settings, record.html_path)
        if path is None:
            return not_found(request, "This briefing's file is no longer in the reports folder.")
        html = path.read_text(encoding="utf-8", errors="replace")
        found = targets(html)
        ids = reader.articles_titled(sorted(found.titles))
    nav = render_template(c.env, "web/nav.html.j2", record=record, pdf=_link(c.settings, record.pdf_path))
    return HTMLResponse(link_briefing(html, found, ids, nav))


def reports_file(request: Request) -> Response:
    path = report_file(ctx(request).settings.reports_path, request.path_params["path"])
    if path is None:
        return not_found(request)
    media = "application/pdf" if path.suffix.lower() == ".pdf" else "text/html; charset=utf-8"
    return FileResponse(path, media_type=media)


def _link(settings: Settings, stored: str | None) -> str | None:
    """A stored file's path inside the reports folder (as ``/reports/`` serves it), or None."""
    if not stored:
        return None
    link = relative_link(settings.path(Path(stored)), settings.reports_path)
    return None if not link or link.startswith("file:") else link


def _in_reports(settings: Settings, stored: str | None) -> Path | None:
    """A stored file path, if it lies safely inside the reports folder."""
    link = _link(settings, stored)
    return report_file(settings.reports_path, link) if link else None


# -- search ----------------------------------------------------------------------------------------


def search(request: Request) -> Response:
    c = ctx(request)
    q = request.query_params
    page = max(_int(q.get("page"), 1), 1)
    query = SearchQuery(
        words=q.get("q", "")[:500],
        since=_date(q.get("since")),
        until=_date(q.get("until")),
        actor=q.get("actor", "")[:300],
        source=q.get("source", "")[:300],
        offset=(page - 1) * 20,
    )
    with c.reader() as reader:
        result = reader.search(query)
    hits = [(hit, _snippet(hit.snippet)) for hit in result.hits]
    return c.page("search", query=query, result=result, hits=hits, page=page, asked=bool(q))


def _snippet(text: str) -> Markup:
    """A snippet escaped, its matched words in ``<mark>``."""
    escaped = str(escape(" ".join(text.split())))
    return Markup(escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


# -- actors, stories, articles, events -----------------------------------------------------------


def actor(request: Request) -> Response:
    c = ctx(request)
    name = request.query_params.get("name", "")
    kind = request.query_params.get("kind") or None
    with c.reader() as reader:
        profile = reader.actor(name, kind) if name else None
    if profile is None:
        return not_found(request, "No stored article names this actor.")
    return c.page("actor", actor=profile)


def actors(request: Request) -> Response:
    c = ctx(request)
    prefix = request.query_params.get("prefix", "")[:100]
    with c.reader() as reader:
        names = reader.actor_names(prefix)
    return c.page("actors", names=names, prefix=prefix)


def story(request: Request) -> Response:
    c = ctx(request)
    article_id = request.path_params["id"]
    with c.reader() as reader:
        found = reader.stored_article(article_id)
        if found is None:
            return not_found(request, "No stored article has this id.")
        day = found[0].date
        tz = c.settings.tz
        period = Period(
            dt.datetime.combine(day - dt.timedelta(days=STORY_WINDOW_DAYS), dt.time(), tz),
            dt.datetime.combine(day + dt.timedelta(days=STORY_WINDOW_DAYS), dt.time.max, tz),
            basis="date",
        )
        stored = reader.articles(period)
    stories = build_stories(stored, day)
    mine = next((s for s in stories if article_id in s.article_ids), None)
    if mine is None:
        return not_found(request, "This article belongs to no story (it may be superseded).")
    by_id = {s.article.id: s.article for s in stored}
    return c.page("story", story=mine, articles=[by_id[i] for i in mine.article_ids], window=STORY_WINDOW_DAYS)


def article(request: Request) -> Response:
    c = ctx(request)
    with c.reader() as reader:
        found = reader.stored_article(request.path_params["id"])
    if found is None:
        return not_found(request, "No stored article has this id.")
    item, analysis, superseded = found
    text = marked_text(item.text, analysis) if analysis else Markup(escape(item.text))
    return c.page("article", article=item, analysis=analysis, text=text, superseded=superseded)


def event(request: Request) -> Response:
    c = ctx(request)
    title = request.query_params.get("title", "")
    with c.reader() as reader:
        reports = reader.event_reports(title) if title else []
    if not reports:
        return not_found(request, "No stored article reports an event with this title.")
    return c.page("event", title=title, reports=reports)


# -- calendar ------------------------------------------------------------------------------------


def _calendar(c: Context, request: Request) -> tuple[list[CalendarEntry], dict[str, str]]:
    """The upcoming events (as ``briefing calendar``), filtered by actor, kind and dates."""
    entries, sources = c.upcoming()
    q = request.query_params
    who = q.get("actor", "").strip().lower()
    kind = q.get("kind", "").strip().lower()
    since, until = _date(q.get("since")), _date(q.get("until"))
    if who:
        entries = [e for e in entries if any(who == a.lower() for a in e.actors)]
    if kind:
        entries = [e for e in entries if (e.kind or "").lower() == kind]
    return [e for e in entries if within(e, since, until)], sources


def within(entry: CalendarEntry, since: dt.date | None, until: dt.date | None) -> bool:
    """Whether the days ``entry`` covers meet ``[since, until]``: "March 2022" is in a filter from
    5 March, "week of 7 Mar" in one until 8 March. An entry with no date yet (or none a calendar
    can place) is kept from a day on, as it may still come, and left out up to a day."""
    days = entry.start.days if entry.start else None
    if days is None:
        return until is None
    first, last = days
    if entry.end is not None and entry.end.days is not None:
        last = max(last, entry.end.days[1])
    return (since is None or last >= since) and (until is None or first <= until)


def calendar(request: Request) -> Response:
    c = ctx(request)
    entries, _ = _calendar(c, request)
    q = request.query_params
    kinds = sorted({e.kind for e in c.upcoming()[0] if e.kind})
    return c.page(
        "calendar",
        entries=entries[:CALENDAR_ROWS],
        more=max(len(entries) - CALENDAR_ROWS, 0),
        today=c.today(),
        q=q,
        kinds=kinds,
        watchlists=list(c.settings.watchlists),
    )


def calendar_ics_file(request: Request) -> Response:
    c = ctx(request)
    entries, sources = _calendar(c, request)
    who = request.query_params.get("actor", "")
    name = f"briefing: upcoming events of {who}" if who else "briefing: upcoming events"
    data = calendar_ics(entries, dt.datetime.now(dt.UTC), sources, name=name)
    return Response(data, media_type="text/calendar; charset=utf-8")


# -- feed ------------------------------------------------------------------------------------------


def feed(request: Request) -> Response:
    c = ctx(request)
    with c.reader() as reader:
        records = reader.briefings(limit=50)
    base = str(request.base_url).rstrip("/")
    entries = []
    for r in records:
        html, pdf = _link(c.settings, r.html_path), _link(c.settings, r.pdf_path)
        day = r.created_at.astimezone(c.settings.tz)
        entries.append(
            FeedEntry(
                key=f"{r.id}/{r.html_path or r.pdf_path or r.created_at.isoformat()}",
                title=f"{c.settings.report.title}, {day:%Y-%m-%d %H:%M}" + (" (failed)" if r.error else ""),
                updated=r.made_at or r.created_at,
                page=f"{base}/briefing/{r.id}",
                html=f"{base}/reports/{html}" if html else None,
                pdf=f"{base}/reports/{pdf}" if pdf else None,
                summary="\n".join(f"- {point}" for point in r.bottom_line or ()),
            )
        )
    data = atom_feed(
        c.settings.report.title, str(c.settings.reports_path.resolve()), f"{base}/feed.atom", f"{base}/", entries
    )
    return Response(data, media_type="application/atom+xml; charset=utf-8")


# -- status and generate now -----------------------------------------------------------------------


def status(request: Request) -> Response:
    """What ``briefing status`` prints, word for word."""
    c = ctx(request)
    text = "\n".join(status_lines(collect_status(c.settings), c.settings)) + "\n"
    return c.page("status", text=text, busy=c.generating.locked())


async def generate(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool

    c = ctx(request)
    form = await request.form()
    if not c.csrf.valid(form.get("csrf")):
        return forbidden()
    if not c.generating.acquire(blocking=False):
        return c.page("missing", status=409, what="A briefing is being made already; look at the archive in a moment.")
    try:
        result = await run_in_threadpool(_generate_now, c.settings)
    finally:
        c.generating.release()
    return RedirectResponse(f"/?made={result}", status_code=303)


def _generate_now(settings: Settings) -> int:
    """As ``briefing generate``: scan the seeds folder (unless a service has it), then one briefing."""
    if running_service(settings.reports_path, settings.state_path) is None:
        ingest_folder(settings)
    return generate_briefing(settings).briefing_id or 0


def forbidden() -> Response:
    return Response("403: the form's CSRF token is missing or wrong; reload the page and try again\n", status_code=403)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
