"""Compose: a :class:`~briefing.model.Briefing` from stored analyses. No markup here.

Stories are ordered newest first; each story's points keep the article they
came from, so the report can cite every point.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from briefing.compose.actors import merge_actors, relations, story_actors
from briefing.compose.bottom_line import bottom_line
from briefing.compose.calendar import build_calendar, reported_events, still_ahead
from briefing.model import (
    Briefing,
    BriefingPoint,
    CalendarEntry,
    Failure,
    Period,
    ReportedEvent,
    SourceRef,
    StoredArticle,
    Story,
)


def compose(
    stored: Sequence[StoredArticle],
    failures: Sequence[Failure],
    period: Period,
    created_at: dt.datetime,
    earlier_events: Sequence[ReportedEvent] = (),
) -> Briefing:
    """The briefing for ``period`` from the articles that arrived in it.

    ``earlier_events`` are events reported before the period; those still ahead
    of the briefing date join the calendar.
    """
    ordered = sorted(stored, key=lambda s: (s.article.date, s.first_seen), reverse=True)
    actor_table, actor_names = merge_actors(stored)
    stories = tuple(
        Story(
            title=s.article.title,
            date=s.article.date,
            points=tuple(BriefingPoint(k.text, k.score, s.article.id) for k in s.analysis.key_points),
            article_ids=(s.article.id,),
            actors=story_actors(s, actor_names),
        )
        for s in ordered
    )
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
    return Briefing(
        created_at=created_at,
        period=period,
        stories=stories,
        sources=sources,
        failures=tuple(failures),
        actors=tuple(actor_table),
        relations=tuple(relations(stored, actor_names)),
        calendar=_calendar(stored, earlier_events, created_at.date()),
        bottom_line=bottom_line(stories),
    )


def _calendar(
    stored: Sequence[StoredArticle], earlier: Sequence[ReportedEvent], today: dt.date
) -> tuple[CalendarEntry, ...]:
    ahead = [r for r in earlier if still_ahead(r, today)]
    return build_calendar([*ahead, *reported_events(stored)], today)
