"""Where the timeline's labels go: each event's label in a lane of its own side of the axis.

Upcoming and ongoing events hang above the axis, past ones below, never the other way
round. A label overlaps no other label, no leader line and not the today line, and its
own leader cuts through no label nearer the axis (see :func:`place_labels`). Split from
:mod:`briefing.render.timeline`, which draws what is placed here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from briefing.model import CalendarEntry, When
from briefing.render.svg import shorten, text_width
from briefing.render.timevalues import span_label

WIDTH = 720.0
MARGIN = 14.0
MAX_LANES = 5
LABEL_SIZE = 10.0
LABEL_CHARS = 46
SHORT_LABEL_CHARS = 26
"""A label that finds no room whole is tried once more cut to this length (the tooltip and tables keep all)."""
PAD = 8.0
TODAY_CLEARANCE = 4.0
"""Room kept between the today line and any label."""

Side = int  # -1 above the axis, +1 below


@dataclass(frozen=True, slots=True)
class Item:
    entry: CalendarEntry
    first: dt.date
    last: dt.date


@dataclass(frozen=True, slots=True)
class Label:
    item: Item
    text: str
    x: float
    side: Side
    lane: int
    anchor_end: bool
    left: float
    right: float


def is_past(item: Item, today: dt.date) -> bool:
    """Past is over before today, whatever the article thought then: it hangs below the line."""
    return item.last < today


def label_text(item: Item, today: dt.date) -> str:
    """``9 Mar · Summit``; the year is added for an event in another year than today's."""
    when = span_label(item.entry.start, item.entry.end, short=True)
    if (item.first.year != today.year or item.last.year != today.year) and not any(
        w.isdigit() and len(w) == 4 for w in when.replace("–", " ").split()
    ):
        same = item.first.year == item.last.year
        when = f"{when} {item.last.year}" if same else span_label(item.entry.start, item.entry.end)
    return shorten(f"{when} · {item.entry.title}", LABEL_CHARS)


def place_labels(items: Sequence[Item], today: dt.date, x: Callable[[dt.date], float], today_x: float) -> list[Label]:
    """Each label in the first free lane of its own side (upcoming above, past below), reading away from
    today where it can (upcoming labels run right, past ones left).

    Which labels fit depends on the order they are placed in (a leader must pass beside the labels
    nearer the axis), so each side is laid out in a few orders, most important first, from the left
    and from the right, and the one that labels the most events is kept.
    """
    placed: list[Label] = []
    for side_items in ([i for i in items if not is_past(i, today)], [i for i in items if is_past(i, today)]):
        orders = (
            sorted(side_items, key=lambda i: _priority(i, today)),
            sorted(side_items, key=lambda i: (-x(i.first), _priority(i, today))),
            sorted(side_items, key=lambda i: (x(i.first), _priority(i, today))),
        )
        candidates = [_place_side(order, today, x, today_x) for order in orders]
        best: list[Label] = max(candidates, key=len)
        placed += best
    return placed


def _place_side(items: Sequence[Item], today: dt.date, x: Callable[[dt.date], float], today_x: float) -> list[Label]:
    placed: list[Label] = []
    for item in items:
        past = is_past(item, today)
        x0 = x(item.first)
        others = [x(other.first) for other in items if other is not item]
        full = label_text(item, today)
        for text in dict.fromkeys((full, shorten(full, SHORT_LABEL_CHARS))):  # cut short where the whole won't fit
            width = text_width(text, LABEL_SIZE, bold=not past)
            spot = _free_spot(placed, x0, width, today_x, prefer_end=past, others=others)
            if spot is not None:
                lane, anchor_end, left = spot
                placed.append(Label(item, text, x0, 1 if past else -1, lane, anchor_end, left, left + width))
                break
    return placed


def _free_spot(
    placed: Sequence[Label], x0: float, width: float, today_x: float, prefer_end: bool, others: Sequence[float]
) -> tuple[int, bool, float] | None:
    """The nearest lane (and anchor) of this side where a label fits: inside the chart, clear of other
    labels, of leader lines further out and of the today line, with its own leader crossing no text.

    Of the two anchors, the one whose text covers fewer other events is taken (their leaders must
    still pass), then the one reading away from today.
    """
    for lane in range(MAX_LANES):
        fits: list[tuple[int, int, bool, float]] = []
        for anchor_end in (prefer_end, not prefer_end):
            left = x0 - 3 - width if anchor_end else x0 + 3
            right = left + width
            if left < MARGIN / 2 or right > WIDTH - MARGIN / 2:
                continue
            if left - TODAY_CLEARANCE < today_x < right + TODAY_CLEARANCE and abs(x0 - today_x) > 0.5:
                continue
            if any(lb.lane == lane and not (right + PAD < lb.left or left - PAD > lb.right) for lb in placed):
                continue
            if any(lb.lane > lane and left - 2 < lb.x < right + 2 for lb in placed):
                continue  # a leader going further out passes through this lane here
            fits.append((sum(left - 2 < o < right + 2 for o in others), len(fits), anchor_end, left))
        if fits:
            _, _, anchor_end, left = min(fits)
            return lane, anchor_end, left
        if any(lb.lane == lane and lb.left - 2 < x0 < lb.right + 2 for lb in placed):
            return None  # a leader going further out would cut through this lane's text
    return None


def is_day(value: When | None) -> bool:
    return value is not None and value.on_a_day


def _priority(item: Item, today: dt.date) -> tuple[bool, bool, int, str]:
    """Upcoming and ongoing events are labelled first, then events with a known day, nearest to today first."""
    return (
        item.entry.status == "past",
        not is_day(item.entry.start),
        abs((item.first - today).days),
        item.entry.title,
    )
