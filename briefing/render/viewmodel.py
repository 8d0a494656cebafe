"""The shapes a page is built from: a :class:`Report` and the views of its parts.

:mod:`briefing.render.view` fills them from a :class:`~briefing.model.Briefing`; the templates
read them and compute nothing. Plain, frozen dataclasses, as between the pipeline's stages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from briefing.model import ActorEntry, Briefing, CalendarEntry, SourceRef
from briefing.render.reliability import Grade
from briefing.render.watchlists import WatchlistView


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
