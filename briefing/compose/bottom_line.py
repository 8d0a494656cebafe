"""The bottom line up front: the few points a busy reader should see first.

Stories arrive ranked (most important first), and key point scores are only
comparable inside one article, so the bottom line takes the best point of each
top story rather than the best scores overall. With fewer stories than the
minimum, the top stories give a second or third point.

Over a long span (more than :data:`LONG_SPAN_DAYS` between the first and the last story)
the bottom line covers the period: the span is cut into as many parts as the bottom line
has points, and the top stories are taken in rank order, at first no two from one part,
so that a quiet month's biggest story is not pushed out by the last week's small ones.
The most important story always leads.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefing.model import BriefingPoint, Story

BOTTOM_LINE_MAX = 5
BOTTOM_LINE_MIN = 3
LONG_SPAN_DAYS = 14
SPREAD_POOL = 3
"""Over a long span, a part of it is represented only by a story ranked in the top
``SPREAD_POOL`` x the bottom line's length: a minor story does not get in by its date alone."""


def top_stories(stories: Sequence[Story], most: int) -> list[Story]:
    """The stories the bottom line quotes, in rank order (see the module doc)."""
    if len(stories) <= most:
        return list(stories)
    first = min(s.date for s in stories)
    span = (max(s.date for s in stories) - first).days
    if span <= LONG_SPAN_DAYS:
        return list(stories[:most])
    chosen: list[int] = []
    parts: set[int] = set()
    for index, story in enumerate(stories[: SPREAD_POOL * most]):
        part = min((story.date - first).days * most // (span + 1), most - 1)
        if part not in parts and len(chosen) < most:
            chosen.append(index)
            parts.add(part)
    chosen += [i for i in range(len(stories)) if i not in chosen][: most - len(chosen)]
    return [stories[i] for i in sorted(chosen)]


def bottom_line(
    stories: Sequence[Story], most: int = BOTTOM_LINE_MAX, least: int = BOTTOM_LINE_MIN
) -> tuple[BriefingPoint, ...]:
    """Up to ``most`` points: round after round, each top story's best point not yet taken."""
    ranked = [sorted(story.points, key=lambda p: -p.score) for story in top_stories(stories, most) if story.points]
    chosen: list[BriefingPoint] = []
    for depth in range(max((len(points) for points in ranked), default=0)):
        if depth and len(chosen) >= least:
            break
        for points in ranked:
            if depth < len(points) and len(chosen) < (most if depth == 0 else least):
                chosen.append(points[depth])
    return tuple(chosen)
