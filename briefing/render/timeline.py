"""The events timeline: past and upcoming events on one time axis, drawn as SVG.

Events are dots (or bars, when they last several days; pale bars when only the
month or year is known) on a horizontal axis with the briefing date marked
"today". Labels hang in lanes: upcoming and ongoing events above the axis, past
ones below, never the other way round (the caption promises it). A label takes
the first lane where it overlaps no other label, no leader line and not the
today line, and where its own leader cuts through no label nearer the axis, so
nothing is ever drawn over text; events that find no room are counted, and the
calendar tables list every event anyway.

Given the briefing's window, events wholly outside it (an anniversary from 1985 in
an article of 2008) do not stretch the axis: each is marked by an arrow at the
edge it lies beyond, with its date and title as tooltip, and counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from briefing.model import CalendarEntry
from briefing.render.svg import element, esc, svg_document, text_width
from briefing.render.timelabels import (
    LABEL_SIZE,
    MARGIN,
    WIDTH,
    Item,
    Label,
    is_day,
    is_past,
    label_text,
    place_labels,
)
from briefing.render.timevalues import span_label, span_range

HEADER = 20.0
LANE_HEIGHT = 18.0
AXIS_GAP = 16.0
MAX_EVENTS = 30
MAX_TICKS = 9
WINDOW_BEFORE_DAYS = 92
"""How far before its earliest article a briefing's timeline reaches (events an article recalls)."""
WINDOW_AFTER_DAYS = 366
"""How far after the briefing date (or its latest article) the timeline reaches (events planned ahead)."""

COLOURS = {"past": "#7d8794", "ongoing": "#b4560b", "upcoming": "#1f4e79"}
INK = {"past": "#3f4954", "ongoing": "#1d2733", "upcoming": "#1d2733"}
TODAY = "#b4560b"
GRID = "#e3e8ed"


@dataclass(frozen=True, slots=True)
class Timeline:
    """The drawn timeline, how many events carry a label, and how many are not labelled or not drawn."""

    svg: str
    shown: int
    left_out: int


def timeline_window(article_dates: Sequence[dt.date], today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The span a briefing's timeline shows: from a little before its earliest article to a year after
    the later of today and its latest article; None without articles (no clipping)."""
    if not article_dates:
        return None
    lo = _shifted(min(article_dates), -WINDOW_BEFORE_DAYS)
    return min(lo, today), _shifted(max(today, max(article_dates)), WINDOW_AFTER_DAYS)


def draw_timeline(
    entries: Sequence[CalendarEntry], today: dt.date, window: tuple[dt.date, dt.date] | None = None
) -> Timeline | None:
    """The SVG timeline of ``entries`` that have a calendar date, or None when none has.

    With ``window``, events wholly outside it are marked at the edge, not placed on the axis.
    """
    items = [Item(e, *bounds) for e in entries if (bounds := span_range(e.start, e.end))]
    if not items:
        return None
    undated = len(entries) - len(items)
    outside = [i for i in items if window and (i.last < window[0] or i.first > window[1])]
    inside = [i for i in items if i not in outside]
    inside.sort(key=lambda i: (abs((i.first - today).days), i.entry.title))  # many events: keep the nearest
    kept = sorted(inside[:MAX_EVENTS], key=lambda i: (i.first, i.last, i.entry.title))
    not_drawn = len(inside) - len(kept) + undated

    lo = min([today, *(max(i.first, window[0]) if window else i.first for i in kept)])
    hi = max([today, *(min(i.last, window[1]) if window else i.last for i in kept)])
    pad = max(2, (hi - lo).days // 14)
    lo, hi = _shifted(lo, -pad), _shifted(hi, pad)  # an event in year 1 or 9999 must not overflow
    for _ in range(2):  # making room on one side narrows the other: once more settles both
        hi = _room_ahead(kept, today, lo, hi)
        lo = _room_behind(kept, today, lo, hi)
    span = max(1, (hi - lo).days)

    def x(day: dt.date) -> float:
        day = min(max(day, lo), hi)
        return MARGIN + (WIDTH - 2 * MARGIN) * (day - lo).days / span

    tx = x(today)
    labels = place_labels(kept, today, x, tx)
    above = max((lb.lane + 1 for lb in labels if lb.side < 0), default=0)
    below = max((lb.lane + 1 for lb in labels if lb.side > 0), default=0)
    axis_y = HEADER + above * LANE_HEIGHT + AXIS_GAP
    height = axis_y + AXIS_GAP + below * LANE_HEIGHT + 18

    parts: list[str] = []
    for day, text in _ticks(lo, hi):
        parts.append(
            element("line", x1=x(day), y1=HEADER - 4, x2=x(day), y2=height - 18, stroke=GRID, stroke_width=0.8)
        )
        parts.append(
            element(
                "text",
                esc(text),
                x=x(day),
                y=HEADER - 8,
                font_size=9.0,
                fill="#5b6673",
                text_anchor="middle",
                class_="tick",
            )
        )
    parts.append(
        element(
            "line",
            x1=MARGIN,
            y1=axis_y,
            x2=WIDTH - MARGIN,
            y2=axis_y,
            stroke="#5b6673",
            stroke_width=1.2,
            class_="axis",
        )
    )
    parts.append(
        element(
            "line",
            x1=tx,
            y1=HEADER - 4,
            x2=tx,
            y2=height - 14,
            stroke=TODAY,
            stroke_width=1.0,
            stroke_dasharray="3 3",
            class_="today",
        )
    )
    today_text = f"today, {today.day} {today:%b %Y}"
    near_right = tx + text_width(today_text, 9.0, bold=True) > WIDTH - MARGIN
    parts.append(
        element(
            "text",
            esc(today_text),
            x=tx + (-4 if near_right else 4),
            y=height - 5,
            font_size=9.0,
            fill=TODAY,
            font_weight="bold",
            text_anchor="end" if near_right else None,
            class_="today-label",
        )
    )
    for lb in labels:
        y = _lane_y(lb, axis_y)
        tip_y = axis_y - 6 if lb.side < 0 else axis_y + 6
        end_y = y + 3 if lb.side < 0 else y - 10
        colour = COLOURS[lb.item.entry.status]
        parts.append(
            element(
                "line",
                x1=lb.x,
                y1=tip_y,
                x2=lb.x,
                y2=end_y,
                stroke=colour,
                stroke_width=0.7,
                opacity="0.8",
                class_="leader",
            )
        )
        parts.append(
            element(
                "text",
                esc(lb.text),
                x=lb.x + (-3 if lb.anchor_end else 3),
                y=y,
                font_size=LABEL_SIZE,
                fill=INK[lb.item.entry.status],
                font_weight=None if is_past(lb.item, today) else "bold",
                text_anchor="end" if lb.anchor_end else None,
                class_="label past" if is_past(lb.item, today) else "label upcoming",
            )
        )
    parts += [_marker(item, x, axis_y) for item in kept]
    parts += _edge_marks(outside, window, axis_y) if window else []
    title = describe_timeline(kept, today)
    svg = svg_document(WIDTH, height, "".join(parts), title, "chart timeline")
    return Timeline(svg, len(labels), not_drawn + len(outside) + len(kept) - len(labels))


def _room_ahead(kept: Sequence[Item], today: dt.date, lo: dt.date, hi: dt.date) -> dt.date:
    """``hi``, moved on so that the latest upcoming event's label fits on its right: it may not run
    left across the today line, so without that room the most important labels would find no place."""
    ahead = [i for i in kept if not is_past(i, today)]
    if not ahead:
        return hi
    latest = max(ahead, key=lambda i: i.first)
    plot = WIDTH - 2 * MARGIN
    room = min(text_width(label_text(latest, today), LABEL_SIZE, bold=True) + 3 + MARGIN / 2, 0.45 * plot)
    if plot * (latest.first - today).days / max(1, (hi - lo).days) > room:
        return hi  # the label fits between today and the event, running left
    needed = (latest.first - lo).days * plot / (plot - room)
    return max(hi, _shifted(lo, int(needed) + 1))


def _room_behind(kept: Sequence[Item], today: dt.date, lo: dt.date, hi: dt.date) -> dt.date:
    """``lo``, moved back so that the latest past event's label fits on its left (the mirror of
    :func:`_room_ahead`: a past label may not run right across the today line)."""
    behind = [i for i in kept if is_past(i, today)]
    if not behind:
        return lo
    latest = max(behind, key=lambda i: i.first)
    plot = WIDTH - 2 * MARGIN
    room = min(text_width(label_text(latest, today), LABEL_SIZE) + 3 + MARGIN / 2, 0.45 * plot)
    if plot * (today - latest.first).days / max(1, (hi - lo).days) > room:
        return lo  # the label fits between the event and today, running right
    needed = (hi - latest.first).days * plot / (plot - room)
    return min(lo, _shifted(hi, -int(needed) - 1))


def _edge_marks(outside: Sequence[Item], window: tuple[dt.date, dt.date], axis_y: float) -> list[str]:
    """An arrow at each edge that events lie beyond, with their dates and titles as tooltip."""
    marks = []
    for edge, group in (
        (-1, [i for i in outside if i.last < window[0]]),
        (1, [i for i in outside if i.first > window[1]]),
    ):
        if not group:
            continue
        tip = "; ".join(f"{span_label(i.entry.start, i.entry.end)}: {i.entry.title}" for i in group[:12])
        more = f" and {len(group) - 12} more" if len(group) > 12 else ""
        where = "before" if edge < 0 else "after"
        x0 = 3.0 if edge < 0 else WIDTH - 3.0
        x1 = x0 - edge * 8
        points = f"{x0:.1f},{axis_y:.1f} {x1:.1f},{axis_y - 4.5:.1f} {x1:.1f},{axis_y + 4.5:.1f}"
        shape = element("polygon", points=points, fill=COLOURS["past"] if edge < 0 else COLOURS["upcoming"])
        label = f"{len(group)} event{'s' if len(group) != 1 else ''} {where} this timeline: {tip}{more}"
        marks.append(element("g", element("title", esc(label)) + shape, class_=f"outside {where}"))
    return marks


def _lane_y(label: Label, axis_y: float) -> float:
    """The text baseline of a label's lane."""
    if label.side < 0:
        return axis_y - AXIS_GAP - label.lane * LANE_HEIGHT - 3
    return axis_y + AXIS_GAP + label.lane * LANE_HEIGHT + 10


def _marker(item: Item, x: Callable[[dt.date], float], axis_y: float) -> str:
    colour = COLOURS[item.entry.status]
    x0, x1 = x(item.first), x(item.last)
    if x1 - x0 >= 4:
        vague = not is_day(item.entry.start)
        mark = element(
            "rect",
            x=x0,
            y=axis_y - (3 if vague else 4),
            width=x1 - x0,
            height=6.0 if vague else 8.0,
            rx=3,
            fill=colour,
            opacity="0.35" if vague else None,
        )
    else:
        hollow = bool(item.entry.moved_from)
        mark = element(
            "circle", cx=x0, cy=axis_y, r=4.5, fill="#ffffff" if hollow else colour, stroke=colour, stroke_width=1.5
        )
    tip = f"{span_label(item.entry.start, item.entry.end)}: {item.entry.title}"
    return element("g", element("title", esc(tip)) + mark)


_STEPS: tuple[tuple[str, int], ...] = (
    ("day", 1),
    ("day", 7),
    ("month", 1),
    ("month", 3),
    ("year", 1),
    ("year", 5),
    ("year", 25),
)


def _shifted(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days``, kept within the dates Python can hold."""
    ordinal = min(max(day.toordinal() + days, dt.date.min.toordinal()), dt.date.max.toordinal())
    return dt.date.fromordinal(ordinal)


def _ticks(lo: dt.date, hi: dt.date) -> list[tuple[dt.date, str]]:
    """Ticks at the finest of days, weeks, months, quarters or years that gives at most 9 of them.

    Over centuries even 25 years are too fine: every n-th of those ticks is kept.
    """
    for unit, step in _STEPS:
        days = _tick_days(lo, hi, unit, step, MAX_TICKS + 1)
        if len(days) <= MAX_TICKS:
            break
    else:
        days = _tick_days(lo, hi, unit, step, dt.MAXYEAR)
        days = days[:: -(-len(days) // MAX_TICKS)]
    ticks: list[tuple[dt.date, str]] = []
    previous_year = None
    for day in days:
        if unit == "day":
            text = f"{day.day} {day:%b}" if day.year == previous_year else f"{day.day} {day:%b %Y}"
        elif unit == "month":
            text = f"{day:%b}" if day.year == previous_year else f"{day:%b %Y}"
        else:
            text = str(day.year)
        previous_year = day.year
        ticks.append((day, text))
    return ticks


def _tick_days(lo: dt.date, hi: dt.date, unit: str, step: int, limit: int) -> list[dt.date]:
    """The tick dates between ``lo`` and ``hi``, at most ``limit`` of them (enough to know there are too many)."""
    days: list[dt.date] = []
    if unit == "day":
        day = _shifted(lo, (-lo.weekday()) % 7 if step == 7 else 1)
        while day < hi and len(days) < limit:
            days.append(day)
            day = _shifted(day, step)
    elif unit == "month":
        index = lo.year * 12 + lo.month  # the month after lo's
        while index // 12 <= dt.MAXYEAR and (day := dt.date(index // 12, index % 12 + 1, 1)) < hi:
            if len(days) >= limit:
                break
            if (day.month - 1) % step == 0:
                days.append(day)
            index += 1
    else:
        year = lo.year + 1
        while year <= dt.MAXYEAR and dt.date(year, 1, 1) < hi and len(days) < limit:
            if year % step == 0:
                days.append(dt.date(year, 1, 1))
            year += 1
    return days


def describe_timeline(kept: Sequence[Item], today: dt.date) -> str:
    """The chart in words, its text alternative: how many events ahead and behind, the next and the latest.

    ``Timeline: 3 upcoming events, next on 9 Mar 2022, Herzog visit to Turkey; 1 past event, latest on
    17 Feb 2022, Talks in Jerusalem. Upcoming above the line, past below.``
    """
    ahead = sorted((i for i in kept if not is_past(i, today)), key=lambda i: (i.first, i.entry.title))
    behind = sorted((i for i in kept if is_past(i, today)), key=lambda i: (i.last, i.entry.title), reverse=True)
    parts = []
    if ahead:
        word = "upcoming event" if len(ahead) == 1 else "upcoming events"
        parts.append(f"{len(ahead)} {word}, next on {_day(ahead[0].first)}, {ahead[0].entry.title}")
    if behind:
        word = "past event" if len(behind) == 1 else "past events"
        parts.append(f"{len(behind)} {word}, latest on {_day(behind[0].last)}, {behind[0].entry.title}")
    return f"Timeline: {'; '.join(parts) or 'no dated events'}. Upcoming above the line, past below."


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"
