"""Compose: a :class:`~briefing.model.Briefing` from stored analyses. No markup here.

Stories (:mod:`.stories`) group the articles that report the same thing, most
important first; each story's points keep the article they came from, so the
report can cite every point, and what arrived after the previous briefing is
flagged new. Every editorial choice (which stories are shown, the bottom line) is
made here (:mod:`.edition`); render and the digest only display it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from briefing.compose.actors import merge_actors, relations, story_actors
from briefing.compose.calendar import build_calendar, reported_events, still_ahead
from briefing.compose.edition import MAX_STORIES, edit
from briefing.compose.stories import build_stories
from briefing.model import (
    Briefing,
    CalendarEntry,
    Failure,
    Period,
    ReportedEvent,
    SourceRef,
    StoredArticle,
)


def compose(
    stored: Sequence[StoredArticle],
    failures: Sequence[Failure],
    period: Period,
    created_at: dt.datetime,
    earlier_events: Sequence[ReportedEvent] = (),
    previous_at: dt.datetime | None = None,
    made_at: dt.datetime | None = None,
    max_stories: int = MAX_STORIES,
) -> Briefing:
    """The briefing for ``period`` from the articles that arrived in it.

    ``earlier_events`` are events reported before the period; those still ahead
    of the briefing date join the calendar. ``previous_at`` is when the previous
    briefing was made: what arrived after it is new. The period and ``previous_at``
    are given in ``created_at``'s zone, so that no page mixes zones.

    ``made_at`` marks a briefing as of a past day (``created_at``), made later: it
    replays history, so each article counts as arrived at the start of its own day,
    and what is new is judged against the previous briefing as of an earlier day.

    A reader is shown ``max_stories`` stories (:func:`.edition.edit` chooses them and the bottom line).
    """
    zone = created_at.tzinfo  # every time a reader sees is in the briefing's zone, whatever the store kept
    period = replace(period, start=period.start.astimezone(zone), end=period.end.astimezone(zone))
    previous_at = previous_at.astimezone(zone) if previous_at else None
    if made_at is not None:
        stored = [replace(s, first_seen=dt.datetime.combine(s.article.date, dt.time(), zone)) for s in stored]
    actor_table, actor_names = merge_actors(stored)
    by_id = {s.article.id: s for s in stored}
    stories = tuple(
        replace(story, actors=_story_actors([by_id[i] for i in story.article_ids], actor_names))
        for story in build_stories(stored, created_at.date(), previous_at)
    )
    ordered = [by_id[article_id] for story in stories for article_id in story.article_ids]
    sources = tuple(
        SourceRef(
            article_id=s.article.id,
            title=s.article.title,
            date=s.article.date,
            date_inferred=s.article.date_inferred,
            files=s.sources,
            url=s.article.url,
            publisher=s.article.meta.get("publisher"),
        )
        for s in ordered
    )
    briefing = Briefing(
        created_at=created_at,
        period=period,
        stories=stories,
        sources=sources,
        failures=tuple(failures),
        actors=tuple(actor_table),
        relations=tuple(relations(stored, actor_names)),
        calendar=_calendar(stored, earlier_events, created_at.date()),
        previous_at=previous_at,
        made_at=made_at.astimezone(zone) if made_at else None,
    )
    return edit(briefing, max_stories)


def _story_actors(
    members: Sequence[StoredArticle], names: dict[tuple[str, str], str], limit: int = 8
) -> tuple[str, ...]:
    """A story's actors by their actor-table names, its articles' most mentioned first."""
    return tuple(dict.fromkeys(name for m in members for name in story_actors(m, names, limit)))[:limit]


def _calendar(
    stored: Sequence[StoredArticle], earlier: Sequence[ReportedEvent], today: dt.date
) -> tuple[CalendarEntry, ...]:
    ahead = [r for r in earlier if still_ahead(r, today)]
    return build_calendar([*ahead, *reported_events(stored)], today)
