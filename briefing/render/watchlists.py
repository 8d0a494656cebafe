"""The Watchlist section as the templates show it: each watchlist's stories and events, linked where shown.

The stories are compose's choice (:mod:`briefing.compose.watchlists`): a story the
report shows (``briefing.shown_stories``) links to its entry; one compose left out of
the report is still listed here with its best point, since a reader who watches an
actor wants every story about it. Each watchlist lists at most ``max_events`` events
and counts the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from briefing.model import Briefing, CalendarEntry, Story, WatchlistSection

EventT = TypeVar("EventT")


@dataclass(frozen=True, slots=True)
class WatchedStory:
    title: str
    date: dt.date
    is_new: bool
    point: str | None
    anchor: str | None
    """The story's entry in the report, when it is shown there."""
    number: int | None


@dataclass(frozen=True, slots=True)
class WatchlistView(Generic[EventT]):
    number: int
    name: str
    terms: tuple[str, ...]
    found: tuple[str, ...]
    stories: tuple[WatchedStory, ...]
    events: tuple[EventT, ...]
    more_stories: int = 0
    more_events: int = 0

    @property
    def anchor(self) -> str:
        return f"watchlist-{self.number}"

    @property
    def empty(self) -> bool:
        return not self.stories and not self.events


def watchlist_views(
    briefing: Briefing,
    shown: Mapping[int, tuple[int, str]],
    event_view: Callable[[CalendarEntry], EventT],
    max_events: int,
) -> tuple[WatchlistView[EventT], ...]:
    """One view per watchlist section; ``shown`` maps ``id(story)`` to its number and anchor in the report."""
    return tuple(_view(n, section, shown, event_view, max_events) for n, section in enumerate(briefing.watchlists, 1))


def _view(
    number: int,
    section: WatchlistSection,
    shown: Mapping[int, tuple[int, str]],
    event_view: Callable[[CalendarEntry], EventT],
    max_events: int,
) -> WatchlistView[EventT]:
    stories = tuple(_story(story, shown.get(id(story))) for story in section.stories)
    events = tuple(event_view(entry) for entry in section.events[:max_events])
    return WatchlistView(
        number=number,
        name=section.name,
        terms=section.terms,
        found=section.found,
        stories=stories,
        events=events,
        more_stories=section.more_stories,
        more_events=len(section.events) - len(events),
    )


def _story(story: Story, shown: tuple[int, str] | None) -> WatchedStory:
    best = max(story.points, key=lambda p: p.score).text if story.points else None
    number, anchor = shown if shown else (None, None)
    return WatchedStory(story.title, story.date, story.is_new, best, anchor, number)
