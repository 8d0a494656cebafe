"""The events timeline: past and upcoming events on one time axis, drawn as SVG.

Events are dots (or bars, when they last several days; pale bars when only the
month or year is known) on a horizontal axis with the briefing date marked
"today". Labels hang in lanes, upcoming events above the axis and past ones
below (either side when one is full). A label takes the first lane where it
overlaps no other label and where its leader line cuts through no label nearer
the axis, so nothing is ever drawn over text; events that find no room are
counted, and the calendar tables list every event anyway.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from briefing.model import CalendarEntry
from briefing.render.svg import element, esc, shorten, svg_document, text_width
from briefing.render.timevalues import span_label, span_range

WIDTH = 720.0
MARGIN = 14.0
HEADER = 20.0
LANE_HEIGHT = 18.0
AXIS_GAP = 16.0
MAX_LANES = 5
LABEL_SIZE = 10.0
LABEL_CHARS = 46
MAX_EVENTS = 30
MAX_TICKS = 9
PAD = 8.0

COLOURS = {"past": "#7d8794", "ongoing": "#b4560b", "upcoming": "#1f4e79"}
INK = {"past": "#3f4954", "ongoing": "#1d2733", "upcoming": "#1d2733"}
TODAY = "#b4560b"
GRID = "#e3e8ed"

Side = int  # -1 above the axis, +1 below


@dataclass(frozen=True, slots=True)
class Timeline:
    """The drawn timeline, how many events carry a label, and how many are not labelled or not drawn."""

    svg: str
    shown: int
    left_out: int


@dataclass(frozen=True, slots=True)
class _Item:
    entry: CalendarEntry
    first: dt.date
    last: dt.date


@dataclass(frozen=True, slots=True)
class _Label:
    item: _Item
    text: str
    x: float
    side: Side
    lane: int
    anchor_end: bool


def draw_timeline(entries: Sequence[CalendarEntry], today: dt.date) -> Timeline | None:
    """The SVG timeline of ``entries`` that have a calendar date, or None when none has."""
    items = [_Item(e, *bounds) for e in entries if (bounds := span_range(e.start, e.end))]
    if not items:
        return None
    undated = len(entries) - len(items)
    items.sort(key=lambda i: (abs((i.first - today).days), i.entry.title))  # many events: keep the nearest
    kept = sorted(items[:MAX_EVENTS], key=lambda i: (i.first, i.last, i.entry.title))
    not_drawn = len(items) - len(kept) + undated

    lo = min([today, *(i.first for i in kept)])
    hi = max([today, *(i.last for i in kept)])
    pad = max(2, (hi - lo).days // 14)
    lo, hi = _shifted(lo, -pad), _shifted(hi, pad)  # an event in year 1 or 9999 must not overflow
    span = max(1, (hi - lo).days)

    def x(day: dt.date) -> float:
        return MARGIN + (WIDTH - 2 * MARGIN) * (day - lo).days / span

    labels = _place_labels(kept, today, x)
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
            element("text", esc(text), x=x(day), y=HEADER - 8, font_size=9.0, fill="#5b6673", text_anchor="middle")
        )
    parts.append(
        element("line", x1=MARGIN, y1=axis_y, x2=WIDTH - MARGIN, y2=axis_y, stroke="#5b6673", stroke_width=1.2)
    )
    tx = x(today)
    parts.append(
        element(
            "line", x1=tx, y1=HEADER - 4, x2=tx, y2=height - 14, stroke=TODAY, stroke_width=1.0, stroke_dasharray="3 3"
        )
    )
    today_text = f"today, {today.day} {today:%b %Y}"
    near_right = tx + text_width(today_text, 9.0) > WIDTH - MARGIN
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
        )
    )
    for lb in labels:
        y = _lane_y(lb, axis_y)
        tip_y = axis_y - 6 if lb.side < 0 else axis_y + 6
        end_y = y + 3 if lb.side < 0 else y - 10
        colour = COLOURS[lb.item.entry.status]
        parts.append(
            element("line", x1=lb.x, y1=tip_y, x2=lb.x, y2=end_y, stroke=colour, stroke_width=0.7, opacity="0.8")
        )
        parts.append(
            element(
                "text",
                esc(lb.text),
                x=lb.x + (-3 if lb.anchor_end else 3),
                y=y,
                font_size=LABEL_SIZE,
                fill=INK[lb.item.entry.status],
                font_weight=None if lb.item.entry.status == "past" else "bold",
                text_anchor="end" if lb.anchor_end else None,
            )
        )
    parts += [_marker(item, x, axis_y) for item in kept]
    title = f"Timeline of {len(kept)} events around {today.isoformat()}: upcoming above the line, past below"
    svg = svg_document(WIDTH, height, "".join(parts), title, "chart timeline")
    return Timeline(svg, len(labels), not_drawn + len(kept) - len(labels))


def _lane_y(label: _Label, axis_y: float) -> float:
    """The text baseline of a label's lane."""
    if label.side < 0:
        return axis_y - AXIS_GAP - label.lane * LANE_HEIGHT - 3
    return axis_y + AXIS_GAP + label.lane * LANE_HEIGHT + 10


def _marker(item: _Item, x: Callable[[dt.date], float], axis_y: float) -> str:
    colour = COLOURS[item.entry.status]
    x0, x1 = x(item.first), x(item.last)
    if x1 - x0 >= 4:
        vague = not _is_day(item.entry.start)
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


def _place_labels(items: Sequence[_Item], today: dt.date, x: Callable[[dt.date], float]) -> list[_Label]:
    """Labels in priority order, each in the first free lane (its own side first, then the other)."""
    lanes: dict[tuple[Side, int], list[tuple[float, float]]] = {}
    placed: list[_Label] = []
    for item in sorted(items, key=lambda i: _priority(i, today)):
        text = shorten(f"{span_label(item.entry.start, item.entry.end, short=True)} · {item.entry.title}", LABEL_CHARS)
        width = text_width(text, LABEL_SIZE)
        x0 = x(item.first)
        anchors = [
            end
            for end in (False, True)
            if MARGIN / 2 <= (x0 - 3 - width if end else x0 + 3 + width) <= WIDTH - MARGIN / 2
        ]
        if not anchors:
            continue
        home: Side = 1 if item.entry.status == "past" else -1
        spot = _free_spot(lanes, x0, width, anchors, (home, -home))
        if spot is None:
            continue
        side, lane, anchor_end = spot
        left = x0 - 3 - width if anchor_end else x0 + 3
        lanes.setdefault((side, lane), []).append((left, left + width))
        placed.append(_Label(item, text, x0, side, lane, anchor_end))
    return placed


def _free_spot(
    lanes: dict[tuple[Side, int], list[tuple[float, float]]],
    x0: float,
    width: float,
    anchors: list[bool],
    sides: tuple[Side, Side],
) -> tuple[Side, int, bool] | None:
    """The nearest lane (and anchor) where the label fits and its leader crosses no text nearer the axis."""
    blocked = {side: False for side in sides}
    for lane in range(MAX_LANES):
        for side in sides:
            if blocked[side]:
                continue
            taken = lanes.get((side, lane), [])
            for anchor_end in anchors:
                left = x0 - 3 - width if anchor_end else x0 + 3
                if all(left + width + PAD < a or left - PAD > b for a, b in taken):
                    return side, lane, anchor_end
            if any(a + 1 < x0 < b - 1 for a, b in taken):
                blocked[side] = True  # a leader going further out would cut through this lane's text
    return None


def _is_day(value: str | None) -> bool:
    return bool(value) and len(value) >= 10 and value[4] == "-" and value[7] == "-"  # type: ignore[index]


def _priority(item: _Item, today: dt.date) -> tuple[bool, bool, int, str]:
    """Upcoming and ongoing events are labelled first, then events with a known day, nearest to today first."""
    return (
        item.entry.status == "past",
        not _is_day(item.entry.start),
        abs((item.first - today).days),
        item.entry.title,
    )


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
            text = f"{day.day} {day:%b}"
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
