"""The editorial choices a reader's copy makes: which stories are shown and which points lead.

Every output (the HTML page, its PDF, the e-mail digest) displays these choices as they are
made here, so that they all lead with the same points; none of them chooses again.

A briefing shows its ``max_stories`` best stories, in rank order, except that no story new
since the previous briefing is left out for an older one (a briefing exists to say what is
new). The bottom line (:mod:`.bottom_line`) quotes only stories that are shown: a point of
a story left out gives way to the best point of the best shown story not yet quoted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from briefing.compose.bottom_line import bottom_line
from briefing.model import Briefing, BriefingPoint, Story

MAX_STORIES = 50
"""The stories a briefing shows when not told otherwise (the ``[report] max_stories`` default)."""


def edit(briefing: Briefing, max_stories: int = MAX_STORIES) -> Briefing:
    """``briefing`` with its shown stories and its bottom line chosen (see the module doc)."""
    shown = shown_stories(briefing.stories, briefing.previous_at, max_stories)
    shown_ids = {id(story) for story in shown}
    indexes = tuple(i for i, story in enumerate(briefing.stories) if id(story) in shown_ids)
    return replace(briefing, shown=indexes, bottom_line=lead(bottom_line(briefing.stories), shown))


def shown_stories(stories: Sequence[Story], previous_at: dt.datetime | None, limit: int) -> list[Story]:
    """The ``limit`` best stories, in rank order, no new one left out for an older one."""
    if len(stories) <= limit or previous_at is None:
        return list(stories[:limit])
    new = [story for story in stories if story.is_new][:limit]
    old = [story for story in stories if not story.is_new][: limit - len(new)]
    chosen = {id(story) for story in (*new, *old)}
    return [story for story in stories if id(story) in chosen]


def lead(points: Sequence[BriefingPoint], shown: Sequence[Story]) -> tuple[BriefingPoint, ...]:
    """The bottom line's ``points`` whose stories are shown, topped up from the best shown stories not quoted."""
    shown_articles = {a for story in shown for a in story.article_ids}
    chosen = [p for p in points if p.article_id in shown_articles]
    quoted = {p.article_id for p in chosen}
    for story in shown:
        if len(chosen) >= len(points):
            break
        if story.points and quoted.isdisjoint(story.article_ids):
            chosen.append(story.points[0])
            quoted.add(story.points[0].article_id)
    return tuple(chosen)
