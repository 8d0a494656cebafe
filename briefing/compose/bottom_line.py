"""The bottom line up front: the few points a busy reader should see first.

Stories arrive ranked (most important first), and key point scores are only
comparable inside one article, so the bottom line takes the best point of each
top story rather than the best scores overall. With fewer stories than the
minimum, the top stories give a second or third point.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefing.model import BriefingPoint, Story

BOTTOM_LINE_MAX = 5
BOTTOM_LINE_MIN = 3


def bottom_line(
    stories: Sequence[Story], most: int = BOTTOM_LINE_MAX, least: int = BOTTOM_LINE_MIN
) -> tuple[BriefingPoint, ...]:
    """Up to ``most`` points: round after round, each top story's best point not yet taken."""
    ranked = [sorted(story.points, key=lambda p: -p.score) for story in stories[:most] if story.points]
    chosen: list[BriefingPoint] = []
    for depth in range(max((len(points) for points in ranked), default=0)):
        if depth and len(chosen) >= least:
            break
        for points in ranked:
            if depth < len(points) and len(chosen) < (most if depth == 0 else least):
                chosen.append(points[depth])
    return tuple(chosen)
