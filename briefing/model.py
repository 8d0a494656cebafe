"""The data that flows between stages: small, frozen, typed dataclasses.

Every stage takes and returns these types and nothing else, so a stage can be
tested, benchmarked or run in another process on its own. Offsets (``start``,
``end``) always index the owning article's ``text`` (Python ``str`` indices).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from briefing.timevalue import clock_time, granularity, utc_moment, value_end, value_start

ActorKind = Literal["person", "organization", "country", "location"]
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
EventStatus = Literal["upcoming", "ongoing", "past"]
PeriodBasis = Literal["arrival", "date"]
Grain = Literal["day", "time", "week", "weekend", "month", "season", "quarter", "half", "year", "other"]


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` of an article's text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Article:
    """One ingested article, independent of the file format it came from.

    ``id`` is the SHA-256 of the normalised text, so the same article dropped
    twice under different names is one article.
    """

    id: str
    source: str
    title: str
    date: dt.date
    text: str
    date_inferred: bool = False
    url: str | None = None
    fetched_at: dt.datetime | None = None
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article, located by its offsets in the text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class KeyPoint:
    """A sentence chosen as a key point, verbatim from the article text."""

    text: str
    start: int
    end: int
    score: float


@dataclass(frozen=True, slots=True)
class Actor:
    """A person, organisation, country or place, with every mention found."""

    name: str
    kind: ActorKind
    role: str | None = None
    affiliation: str | None = None
    aliases: tuple[str, ...] = ()
    mentions: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A TIMEX3-style time expression resolved against the article date."""

    text: str
    start: int
    end: int
    type: TimexType
    value: str
    end_value: str | None = None
    mod: str | None = None
    """TIMEX3 ``mod``: START ("early March"), END, MID, APPROX, LESS_THAN, MORE_THAN ..."""


@dataclass(frozen=True, slots=True)
class When:
    """An event's start or end: a TIMEX3 value, read once as the calendar period it names.

    ``value`` is kept exactly as the analysis resolved it ("2022-03-09", "2008-W41-WE",
    "2007-FA", "2022-03-09T16:00+02:00", "PRESENT_REF"): the JSON contract, the store and
    iCalendar carry it. The rest is worked out from it when the ``When`` is made:

    - ``grain``: how precise it is, ``time`` being a day with a clock time or a part of
      the day ("2022-03-09TMO"); ``other`` for a value that names no calendar period;
    - ``first``/``last``: the first and last day it covers (None when it names none, as
      ``PRESENT_REF``, a duration or a decade);
    - ``moment``: the instant in UTC, when it has a clock and a zone;
    - ``clock``: the hour and minute as written, when it has a clock (with a zone or not).

    Two ``When`` are equal when their values are; they order by the day they start
    (those naming no period last), then by value (:attr:`sort_key`).
    """

    value: str
    grain: Grain = field(init=False, compare=False, repr=False)
    first: dt.date | None = field(init=False, compare=False, repr=False)
    last: dt.date | None = field(init=False, compare=False, repr=False)
    moment: dt.datetime | None = field(init=False, compare=False, repr=False)
    clock: tuple[str, str] | None = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        unit = granularity(self.value)
        grain = "weekend" if unit == "week" and self.value.endswith("-WE") else unit or "other"
        object.__setattr__(self, "grain", grain)
        object.__setattr__(self, "first", value_start(self.value))
        object.__setattr__(self, "last", value_end(self.value))
        object.__setattr__(self, "moment", utc_moment(self.value))
        object.__setattr__(self, "clock", clock_time(self.value))

    @classmethod
    def parse(cls, value: str | None) -> When | None:
        """The ``When`` of a stored or serialised value; None for None (an event with no date yet)."""
        return None if value is None else cls(value)

    @property
    def days(self) -> tuple[dt.date, dt.date] | None:
        """The first and last day it covers, or None when it is not a calendar period."""
        return (self.first, self.last) if self.first is not None and self.last is not None else None

    @property
    def on_a_day(self) -> bool:
        """Whether it names one day (a date, a date with a time): what a calendar can count days to."""
        return self.grain in ("day", "time")

    @property
    def sort_key(self) -> tuple[int, dt.date, str]:
        """By the day it starts (those naming no period last), then the value: never alphabetically."""
        if self.first is not None and self.last is not None:
            return (0, self.first, self.value)
        return (1, dt.date.max, self.value)

    def __lt__(self, other: When) -> bool:
        return self.sort_key < other.sort_key

    def __le__(self, other: When) -> bool:
        return self.sort_key <= other.sort_key

    def __gt__(self, other: When) -> bool:
        return self.sort_key > other.sort_key

    def __ge__(self, other: When) -> bool:
        return self.sort_key >= other.sort_key


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened or will happen, with its evidence in the text.

    ``start``/``end`` are parsed TIMEX3 values (:class:`When`); None when it has no date yet.
    """

    title: str
    start: When | None
    end: When | None
    status: EventStatus
    actors: tuple[str, ...] = ()
    evidence: Span | None = None
    kind: str | None = None
    """What sort of event, as the noun its title starts with ("Visit", "Meeting", "Election")."""
    trigger: Span | None = None
    """The event word itself ("visit", "met", "files"): what TimeML marks as the EVENT, for measures."""
    notable: bool = True
    """A kind of event a calendar lists (a visit, a vote, a filing); False for any other dated clause
    ("shares fell on Monday"), which the analysis lists and the briefing's calendar leaves out."""


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the NLP stage yields for one article (the ``analyze --json`` shape)."""

    article_id: str
    key_points: tuple[KeyPoint, ...] = ()
    actors: tuple[Actor, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    events: tuple[Event, ...] = ()
    sentences: tuple[Span, ...] = ()
    """Where each sentence of the text lies, in order: later stages group by sentence without splitting again."""


@dataclass(frozen=True, slots=True)
class AnalysisFailure:
    """Why an article could not be analysed: it is recorded as failed with ``reason``, never raised."""

    reason: str


@dataclass(frozen=True, slots=True)
class FileVersion:
    """What the store last saw of a file: enough to tell whether it changed."""

    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class ReportedEvent:
    """An event as one article reported it: what the calendar merges across articles.

    ``reported_at`` is when the article arrived; with ``article_date`` it says
    which of two reports is the later one (the later one wins a date change).
    """

    event: Event
    article_id: str
    article_date: dt.date
    reported_at: dt.datetime | None = None
    article_title: str = ""
    sentence: str = ""
    """The sentence the event comes from (its evidence), for a reader to check the event against."""


@dataclass(frozen=True, slots=True)
class Failure:
    """A file that could not be ingested, kept so that nothing is lost silently."""

    path: str
    reason: str
    failed_at: dt.datetime


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as the store returns it: the article, its analysis, its files."""

    article: Article
    analysis: Analysis
    sources: tuple[str, ...]
    first_seen: dt.datetime


@dataclass(frozen=True, slots=True)
class Period:
    """The window a briefing covers: ``start <= t < end``.

    ``basis`` says what ``t`` is: when the article arrived (``arrival``, how
    scheduled and on-demand briefings work), or the article's own date
    (``date``, for a briefing "as of" a past day).
    """

    start: dt.datetime
    end: dt.datetime
    basis: PeriodBasis = "arrival"


@dataclass(frozen=True, slots=True)
class BriefingPoint:
    """A key point in a briefing, with the article it came from."""

    text: str
    score: float
    article_id: str
    is_new: bool = True


@dataclass(frozen=True, slots=True)
class Story:
    """One story of a briefing: one or more articles about the same thing."""

    title: str
    date: dt.date
    points: tuple[BriefingPoint, ...]
    article_ids: tuple[str, ...]
    is_new: bool = True
    actors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceRef:
    """How a briefing cites an article."""

    article_id: str
    title: str
    date: dt.date
    date_inferred: bool
    files: tuple[str, ...]
    url: str | None = None
    publisher: str | None = None


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """An event in a briefing's calendar, merged across the articles that report it.

    ``start``/``end`` are the events' parsed TIMEX3 values (:class:`When`: ``2022-03-09``,
    ``2022-03``); ``None`` for a planned event with no date yet. ``days_to_go`` counts
    from the briefing date to ``start`` when that is a full date. ``moved_from`` is the
    earlier reported start when a later article moved the date.
    """

    title: str
    start: When | None
    end: When | None
    status: EventStatus
    days_to_go: int | None
    actors: tuple[str, ...]
    article_ids: tuple[str, ...]
    moved_from: When | None = None
    uid: str = ""
    """Stable identity of the event across briefings and exports (the iCalendar UID)."""
    moves: int = 0
    """How many times a later article moved the date (the iCalendar SEQUENCE)."""
    kind: str | None = None
    evidence: str = ""
    """The sentence of the report the entry's date comes from, so that a reader sees what it rests on."""


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """A row of the briefing's actor table, merged across articles (latest role shown)."""

    name: str
    kind: ActorKind
    role: str | None
    affiliation: str | None
    mentions: int
    article_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Relation:
    """Two actors that took part in the same event or sentence (who meets whom)."""

    a: str
    b: str
    weight: int
    article_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WatchlistSection:
    """What one watchlist matched in a briefing: its stories and events, and which of its terms were found."""

    name: str
    terms: tuple[str, ...]
    """The watchlist's actors and keywords, as configured."""
    stories: tuple[Story, ...] = ()
    events: tuple[CalendarEntry, ...] = ()
    found: tuple[str, ...] = ()
    """The terms that matched something in the briefing."""
    more_stories: int = 0
    """Matching stories left out of the section (it lists at most ``max_stories``, the briefing's best first)."""


@dataclass(frozen=True, slots=True)
class Briefing:
    """A composed briefing, ready to render: plain data, no markup.

    ``calendar`` holds past and upcoming events (the report shows upcoming ones
    as the calendar and all of them on the timeline). ``previous_at`` is when the
    previous briefing was made; what arrived after it is flagged new.
    ``bottom_line`` is the handful of points a reader should see first, taken
    from the top stories (see :mod:`briefing.compose.bottom_line`).

    Every editorial choice is made by compose (:mod:`briefing.compose.edition`) and
    only displayed by render and the digest: ``shown`` (the indexes of the stories a
    reader is shown, in rank order; None shows them all) and ``bottom_line``.
    """

    created_at: dt.datetime
    period: Period
    stories: tuple[Story, ...]
    sources: tuple[SourceRef, ...]
    failures: tuple[Failure, ...]
    actors: tuple[ActorEntry, ...] = ()
    calendar: tuple[CalendarEntry, ...] = ()
    relations: tuple[Relation, ...] = ()
    previous_at: dt.datetime | None = None
    bottom_line: tuple[BriefingPoint, ...] = ()
    made_at: dt.datetime | None = None
    """When a briefing as of a past day (``created_at``) was really made; None when made live."""
    watchlists: tuple[WatchlistSection, ...] = ()
    """One section per configured watchlist (none configured: none), in the settings' order."""
    limited_to: tuple[str, ...] = ()
    """The watchlists a schedule limits the briefing to: it holds only what matches one of them."""
    shown: tuple[int, ...] | None = None
    """The stories shown (indexes into ``stories``, in rank order); None when every story is shown."""

    @property
    def shown_stories(self) -> tuple[Story, ...]:
        """The stories a reader is shown, best first."""
        if self.shown is None:
            return self.stories
        return tuple(self.stories[i] for i in self.shown)

    @property
    def new_stories(self) -> tuple[Story, ...]:
        """The stories new since the previous briefing (all of them in a first briefing), best first."""
        return tuple(story for story in self.stories if story.is_new)
