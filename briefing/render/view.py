"""What the templates show: a :class:`Briefing` arranged for reading.

Templates must not compute, so everything a page needs is worked out here:
nothing editorial (the stories shown and the bottom line are chosen by compose), but source numbers for citations, story anchors, which stories an actor appears
in, upcoming versus past events, what is new, the charts, and whether the
briefing is long enough for a table of contents. Article text stays plain
text; only the charts (built with escaping in :mod:`briefing.render.svg`) are
passed on as markup.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from markupsafe import Markup

from briefing.config import SourceSettings
from briefing.model import ActorEntry, Briefing, BriefingPoint, CalendarEntry, SourceRef, Story, When
from briefing.render.network import draw_network
from briefing.render.reliability import Grade, grade_sources, independent_sources
from briefing.render.timeline import draw_timeline, timeline_window
from briefing.render.timevalues import days_label, span_label, timex_label
from briefing.render.watchlists import WatchlistView, watchlist_views

TOC_MIN_PAGES = 3.0
"""With ``toc = "auto"``, a briefing estimated to run past this many pages gets a table of contents."""

_LINES_PER_PAGE = 56
_CHARS_PER_LINE = 95


@dataclass(frozen=True, slots=True)
class SourceView:
    number: int
    ref: SourceRef
    href: str | None
    grade: Grade | None = None
    """The source's reliability grade (``[sources.NAME]``), when a configured source recognises it."""

    @property
    def anchor(self) -> str:
        return f"source-{self.number}"


@dataclass(frozen=True, slots=True)
class PointView:
    text: str
    is_new: bool
    source: SourceView | None
    single_low: bool = False
    """Only one low-graded source carries this point: no other independent source reports its story."""


@dataclass(frozen=True, slots=True)
class StoryView:
    number: int
    title: str
    date: dt.date
    is_new: bool
    points: tuple[PointView, ...]
    sources: tuple[SourceView, ...]
    actors: tuple[str, ...]
    new_points: int
    more_sources: int = 0
    """Articles of the story not listed under it (a capped report lists the few its points cite first)."""
    independent: int = 1
    """Independent sources reporting the story (one graded source, publisher or web domain counts once)."""

    @property
    def anchor(self) -> str:
        return f"story-{self.number}"

    @property
    def source_count(self) -> int:
        return len(self.sources) + self.more_sources


@dataclass(frozen=True, slots=True)
class HeadlinePoint:
    """A bottom-line point with the story it comes from."""

    point: PointView
    story: StoryView | None


@dataclass(frozen=True, slots=True)
class EventView:
    entry: CalendarEntry
    when: str
    days: str
    sources: tuple[SourceView, ...]
    moved_from: str | None
    more_sources: int = 0


@dataclass(frozen=True, slots=True)
class ActorView:
    entry: ActorEntry
    kind: str
    stories: tuple[StoryView, ...]


@dataclass(frozen=True, slots=True)
class FailureView:
    path: str
    reason: str
    since: str


@dataclass(frozen=True, slots=True)
class Chart:
    svg: Markup
    shown: int
    left_out: int


@dataclass(frozen=True, slots=True)
class Caps:
    """How much of a large briefing is shown (``[report]`` settings); the rest is counted, never dropped silently.

    A week of 10,000 articles cannot be read as 10,000 stories: the report shows the
    stories compose chose (``[report] max_stories``, best first) with their sources, the soonest
    upcoming and latest past events, the most mentioned actors, and says how many of
    each it leaves out.
    """

    max_events: int = 40
    max_actors: int = 40
    max_failures: int = 50
    max_story_sources: int = 5
    event_sources: int = 3
    """In a capped report, the most sources cited for one event (those of the stories shown first)."""


@dataclass(frozen=True, slots=True)
class LeftOut:
    """What a capped report does not show, counted (all zero when everything fits)."""

    stories: int = 0
    story_articles: int = 0
    new_stories: int = 0
    upcoming: int = 0
    past: int = 0
    actors: int = 0
    sources: int = 0
    failures: int = 0

    def __bool__(self) -> bool:
        return any((self.stories, self.upcoming, self.past, self.actors, self.sources, self.failures))


@dataclass(frozen=True, slots=True)
class Report:
    """Everything ``briefing.html.j2`` shows."""

    briefing: Briefing
    title: str
    organisation: str | None
    page_size: str
    notices: tuple[str, ...]
    bottom_line: tuple[HeadlinePoint, ...]
    stories: tuple[StoryView, ...]
    upcoming: tuple[EventView, ...]
    past: tuple[EventView, ...]
    actors: tuple[ActorView, ...]
    sources: tuple[SourceView, ...]
    failures: tuple[FailureView, ...]
    new_stories: tuple[StoryView, ...]
    updated_stories: tuple[StoryView, ...]
    moved_events: tuple[EventView, ...]
    timeline: Chart | None
    network: Chart | None
    show_toc: bool
    left_out: LeftOut = LeftOut()
    caps: Caps = Caps()
    live: bool = False
    """The service's live view (``reports/live.html``), not a briefing: the page says so and links ``latest.html``."""
    watchlists: tuple[WatchlistView[EventView], ...] = ()
    """The Watchlist section: one entry per configured watchlist (none configured: no section)."""
    marking: str | None = None
    """The handling marking (``report.marking``) shown at the top and bottom of the page and of every PDF page."""
    graded: bool = False
    """Sources are graded (``[sources.NAME]`` set): the sources list says what the grades mean."""

    @property
    def today(self) -> dt.date:
        return self.briefing.created_at.date()

    @property
    def period(self) -> str:
        """``14–21 Feb 2022``, ``28 Jan – 4 Feb 2022``, ``1 Dec 2021 – 4 Jan 2022``, with the end time."""
        start, end = self.briefing.period.start, self.briefing.period.end.astimezone(self.briefing.period.start.tzinfo)
        if (start.year, start.month) == (end.year, end.month):
            days = f"{start.day}–{end.day} {end:%b %Y}" if start.day != end.day else f"{end.day} {end:%b %Y}"
        elif start.year == end.year:
            days = f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
        else:
            days = f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"
        if self.briefing.period.basis == "date":
            return days
        return f"{days}, to {end:%H:%M %Z}".rstrip()

    @property
    def period_label(self) -> str:
        """What the period counts: arrivals, or (for a briefing as of a past day) the articles' dates."""
        return "Articles dated" if self.briefing.period.basis == "date" else "Articles received"


def safe_href(url: str | None) -> str | None:
    """``url`` when it is a plain http(s) address, else None: no ``javascript:``, ``file:`` or ``data:`` links."""
    if not url:
        return None
    url = url.strip()
    if any(ord(c) < 33 or c in "\"'<>\\`" for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def build_report(
    briefing: Briefing,
    title: str = "Intelligence briefing",
    organisation: str | None = None,
    page_size: str = "A4",
    toc: str = "auto",
    notices: Sequence[str] = (),
    caps: Caps = Caps(),
    live: bool = False,
    marking: str | None = None,
    sources_config: Mapping[str, SourceSettings] | None = None,
) -> Report:
    """The reading view of ``briefing``, within ``caps``: its shown stories and bottom line, as compose chose them."""
    shown_stories = briefing.shown_stories
    calendar = [e for e in briefing.calendar if e.status != "past"]
    upcoming_entries = sorted(calendar, key=lambda e: (_sort_day(e.start, dt.date.max), e.title))
    past_entries = sorted(
        (e for e in briefing.calendar if e.status == "past"),
        key=lambda e: (_sort_day(e.start, dt.date.min), e.title),
        reverse=True,
    )
    upcoming_entries = _most_reported(upcoming_entries, caps.max_events)
    past_entries_shown = _most_reported(past_entries, caps.max_events)
    shown_events = [*upcoming_entries, *past_entries_shown]
    capped = (
        len(shown_stories) < len(briefing.stories)
        or len(shown_events) < len(briefing.calendar)
        or any(len(story.article_ids) > caps.max_story_sources for story in shown_stories)
    )
    per_event: int | None = None
    listed_of: dict[int, list[str]] = {}  # story index -> the articles its entry lists
    if capped:  # only what is shown is cited: a few sources for each story and each event
        per_event = caps.event_sources
        for index, story in enumerate(shown_stories):
            listed_of[index] = _story_articles(story, caps.max_story_sources)
        cited = {a for listed in listed_of.values() for a in listed}
        cited |= {a for entry in shown_events for a in _event_articles(entry.article_ids, cited, per_event)}
        refs = [ref for ref in briefing.sources if ref.article_id in cited]
    else:
        refs = list(briefing.sources)
    grades = grade_sources(briefing.sources, sources_config or {})
    all_refs = {ref.article_id: ref for ref in briefing.sources}
    sources = tuple(SourceView(n, ref, safe_href(ref.url), grades.get(ref.article_id)) for n, ref in enumerate(refs, 1))
    by_article = {s.ref.article_id: s for s in sources}
    independent = [independent_sources(story.article_ids, all_refs, grades) for story in shown_stories]

    def cite(point: BriefingPoint, story_sources: int = 1) -> PointView:
        source = by_article.get(point.article_id)
        low = source is not None and source.grade is not None and source.grade.low and story_sources <= 1
        return PointView(point.text, point.is_new, source, single_low=low)

    stories = tuple(
        StoryView(
            number=n,
            title=story.title,
            date=story.date,
            is_new=story.is_new,
            points=tuple(cite(p, independent[n - 1]) for p in story.points),
            sources=tuple(by_article[a] for a in listed_of.get(n - 1, story.article_ids) if a in by_article),
            actors=story.actors,
            new_points=sum(p.is_new for p in story.points),
            more_sources=len(story.article_ids) - len(listed_of.get(n - 1, story.article_ids)),
            independent=independent[n - 1],
        )
        for n, story in enumerate(shown_stories, 1)
    )
    story_of: dict[str, StoryView] = {}
    for view, story in zip(stories, shown_stories, strict=True):
        for article in story.article_ids:
            story_of.setdefault(article, view)

    headline = tuple(
        HeadlinePoint(
            cite(p, shown.independent if (shown := story_of.get(p.article_id)) else 1), story_of.get(p.article_id)
        )
        for p in briefing.bottom_line
    )

    upcoming = [_event(e, by_article, per_event) for e in upcoming_entries]
    past = [_event(e, by_article, per_event, today=briefing.created_at.date()) for e in past_entries_shown]

    ranked_actors = sorted(briefing.actors, key=lambda a: (-a.mentions, a.name.casefold()))
    actors = tuple(
        ActorView(
            entry=a,
            kind={"organization": "organisation", "location": "place"}.get(a.kind, a.kind),
            stories=tuple(sorted({story_of[i] for i in a.article_ids if i in story_of}, key=lambda s: s.number)),
        )
        for a in ranked_actors[: caps.max_actors]
    )

    first = briefing.previous_at is None
    shown_ids = {id(story) for story in shown_stories}
    hidden = [story for story in briefing.stories if id(story) not in shown_ids]
    left_out = LeftOut(
        stories=len(hidden),
        story_articles=len({a for story in hidden for a in story.article_ids}),
        new_stories=0 if first else sum(s.is_new for s in hidden),
        upcoming=sum(e.status != "past" for e in briefing.calendar) - len(upcoming),
        past=len(past_entries) - len(past),
        actors=len(briefing.actors) - len(actors),
        sources=len(briefing.sources) - len(sources),
        failures=max(0, len(briefing.failures) - caps.max_failures),
    )
    new_stories = tuple(s for s in stories if s.is_new) if not first else ()
    updated = tuple(s for s in stories if not s.is_new and s.new_points) if not first else ()
    moved = tuple(e for e in upcoming if e.moved_from)

    today = briefing.created_at.date()
    timeline = draw_timeline(briefing.calendar, today, timeline_window([s.date for s in briefing.sources], today))
    kinds = {a.name: a.kind for a in briefing.actors}
    network = draw_network(briefing.relations, kinds)

    report = Report(
        briefing=briefing,
        title=title,
        organisation=organisation,
        page_size=page_size,
        notices=tuple(notices),
        bottom_line=headline,
        stories=stories,
        upcoming=tuple(upcoming),
        past=tuple(past),
        actors=actors,
        sources=sources,
        failures=tuple(
            FailureView(f.path, f.reason, f"{f.failed_at.astimezone(briefing.created_at.tzinfo):%Y-%m-%d %H:%M %Z}")
            for f in briefing.failures[: caps.max_failures]
        ),
        new_stories=new_stories,
        updated_stories=updated,
        moved_events=moved,
        timeline=Chart(Markup(timeline.svg), timeline.shown, timeline.left_out) if timeline else None,
        network=Chart(Markup(network.svg), network.shown, network.left_out) if network else None,
        show_toc=False,
        left_out=left_out,
        caps=caps,
        live=live,
        marking=marking,
        graded=bool(grades),
        watchlists=watchlist_views(
            briefing,
            {id(story): (view.number, view.anchor) for view, story in zip(stories, shown_stories, strict=True)},
            lambda entry: _event(entry, by_article, per_event, today=today),
            caps.max_events,
        ),
    )
    wants_toc = toc == "always" or (toc == "auto" and estimated_pages(report) > TOC_MIN_PAGES)
    return replace(report, show_toc=wants_toc)


def _event(
    entry: CalendarEntry, by_article: dict[str, SourceView], limit: int | None = None, today: dt.date | None = None
) -> EventView:
    """An event's row; with ``today``, a past one dated to the day says how long ago it was."""
    listed = [by_article[a] for a in entry.article_ids if a in by_article]
    if limit is not None:
        listed = sorted(listed, key=lambda s: s.number)[:limit]
    days, last = entry.days_to_go, None
    if entry.start and entry.start.on_a_day:
        last = (entry.end or entry.start).last
        if days is None and today is not None:
            days = (last - today).days if last and last < today else None
    return EventView(
        entry=entry,
        when=span_label(entry.start, entry.end),
        days=days_label(days, last),
        sources=tuple(listed),
        moved_from=timex_label(entry.moved_from) if entry.moved_from else None,
        more_sources=len(entry.article_ids) - len(listed) if limit is not None else 0,
    )


def _story_articles(story: Story, limit: int) -> list[str]:
    """The articles a story's entry lists: those its points cite, then its latest others, ``limit`` in all
    (never fewer than the points cite)."""
    cited = list(dict.fromkeys(p.article_id for p in story.points if p.article_id in story.article_ids))
    others = [a for a in story.article_ids if a not in set(cited)]
    return cited + others[: max(0, limit - len(cited))]


def _most_reported(entries: list[CalendarEntry], limit: int) -> list[CalendarEntry]:
    """The ``limit`` entries reported by the most articles (the earlier in ``entries`` on a tie), kept in order."""
    if len(entries) <= limit:
        return entries
    chosen = sorted(range(len(entries)), key=lambda i: (-len(entries[i].article_ids), i))[:limit]
    return [entries[i] for i in sorted(chosen)]


def _event_articles(article_ids: Sequence[str], cited: set[str], limit: int) -> list[str]:
    """At most ``limit`` of an event's articles, those already cited (by the stories shown) first."""
    ordered = [a for a in article_ids if a in cited] + [a for a in article_ids if a not in cited]
    return ordered[:limit]


def _sort_day(value: When | None, default: dt.date) -> dt.date:
    bounds = value.days if value else None
    return bounds[0] if bounds else default


def estimated_pages(report: Report) -> float:
    """A rough page count for the PDF, from text lengths and row counts (no layout run needed)."""
    lines = 14.0 + 2.0 * len(report.bottom_line)
    for story in report.stories:
        lines += 3.5 + sum(math.ceil(len(p.text) / _CHARS_PER_LINE) + 0.4 for p in story.points)
    lines += 3 + 1.6 * (len(report.upcoming) + len(report.past))
    lines += 3 + 1.3 * len(report.actors)
    lines += 3 + 2.4 * len(report.sources)
    lines += 3 + 2.0 * len(report.failures)
    lines += 14 if report.timeline else 2
    lines += 24 if report.network else 2
    return lines / _LINES_PER_PAGE
