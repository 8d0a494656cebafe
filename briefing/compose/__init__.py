"""Compose: a :class:`~briefing.model.Briefing` from stored analyses. No markup here.

Stories are ordered newest first; each story's points keep the article they
came from, so the report can cite every point.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from briefing.compose.bottom_line import bottom_line
from briefing.model import Briefing, BriefingPoint, Failure, Period, SourceRef, StoredArticle, Story


def compose(
    stored: Sequence[StoredArticle],
    failures: Sequence[Failure],
    period: Period,
    created_at: dt.datetime,
) -> Briefing:
    """The briefing for ``period`` from the articles that arrived in it."""
    ordered = sorted(stored, key=lambda s: (s.article.date, s.first_seen), reverse=True)
    stories = tuple(
        Story(
            title=s.article.title,
            date=s.article.date,
            points=tuple(BriefingPoint(k.text, k.score, s.article.id) for k in s.analysis.key_points),
            article_ids=(s.article.id,),
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
        bottom_line=bottom_line(stories),
    )
