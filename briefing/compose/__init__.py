"""Compose: a :class:`~briefing.model.Briefing` from stored analyses. No markup here.

Stories (:mod:`.stories`) group the articles that report the same thing, most
important first; each story's points keep the article they came from, so the
report can cite every point, and what arrived after the previous briefing is
flagged new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from briefing.compose.stories import build_stories
from briefing.model import Briefing, Failure, Period, SourceRef, StoredArticle


def compose(
    stored: Sequence[StoredArticle],
    failures: Sequence[Failure],
    period: Period,
    created_at: dt.datetime,
    previous_at: dt.datetime | None = None,
) -> Briefing:
    """The briefing for ``period`` from the articles that arrived in it; ``previous_at`` is
    when the previous briefing was made (what arrived after it is new)."""
    stories = tuple(build_stories(stored, created_at.date(), previous_at))
    by_id = {s.article.id: s for s in stored}
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
    return Briefing(
        created_at=created_at,
        period=period,
        stories=stories,
        sources=sources,
        failures=tuple(failures),
        previous_at=previous_at,
    )
