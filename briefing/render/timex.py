"""TIMEX3 values (``2022-03-09``, ``2022-03``, ``2022-W10``, ``2022-Q1``) as date ranges and labels.

The calendar carries dates the way the analysis resolved them, at whatever
precision the article gave. The report needs a range to draw on the timeline
and a label a reader understands; values it cannot place (``PRESENT_REF``,
``FUTURE_REF``, durations) have no range and keep their raw form as label.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")


def timex_range(value: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day ``value`` covers, or None when it is not a calendar date."""
    if not value:
        return None
    try:
        if m := _DAY.match(value):
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return day, day
        if m := _MONTH.match(value):
            year, month = int(m[1]), int(m[2])
            return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        if m := _YEAR.match(value):
            return dt.date(int(m[1]), 1, 1), dt.date(int(m[1]), 12, 31)
        if m := _WEEK.match(value):
            monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return monday, monday + dt.timedelta(days=6)
        if m := _QUARTER.match(value):
            return _months(int(m[1]), 3 * int(m[2]) - 2, 3)
        if m := _HALF.match(value):
            return _months(int(m[1]), 6 * int(m[2]) - 5, 6)
    except ValueError:  # 2022-02-30, week 60: not a date after all
        return None
    return None


def _months(year: int, first: int, count: int) -> tuple[dt.date, dt.date]:
    last = first + count - 1
    return dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1])


def span_range(start: str | None, end: str | None) -> tuple[dt.date, dt.date] | None:
    """The days from ``start`` to ``end`` (``end`` optional, never before ``start``)."""
    first = timex_range(start)
    if first is None:
        return None
    last = timex_range(end)
    return first[0], max(first[1], last[1]) if last else first[1]


def timex_label(value: str | None, short: bool = False) -> str:
    """``Wed 9 Mar 2022`` (``9 Mar`` short), ``March 2022``, ``week 10, 2022``, ``Q1 2022``; raw otherwise."""
    if not value:
        return "date not known"
    bounds = timex_range(value)
    if bounds is None:
        return value
    first = bounds[0]
    if _DAY.match(value):
        return f"{first.day} {first:%b}" if short else f"{first:%a} {first.day} {first:%b %Y}"
    if _MONTH.match(value):
        return f"{first:%b %Y}" if short else f"{first:%B %Y}"
    if m := _WEEK.match(value):
        return f"week {int(m[2])}, {m[1]}"
    if m := _QUARTER.match(value):
        return f"Q{m[2]} {m[1]}"
    if m := _HALF.match(value):
        return f"H{m[2]} {m[1]}"
    return value


def span_label(start: str | None, end: str | None, short: bool = False) -> str:
    """A label for ``start``..``end``: ``9 to 10 Mar 2022`` when both are days in one month, else both labels."""
    if not end or end == start:
        return timex_label(start, short)
    first, last = timex_range(start), timex_range(end)
    if first and last and _DAY.match(start or "") and _DAY.match(end):
        a, b = first[0], last[0]
        if (a.year, a.month) == (b.year, b.month):
            return f"{a.day}–{b.day} {b:%b}" if short else f"{a.day}–{b.day} {b:%b %Y}"
    return f"{timex_label(start, short)} – {timex_label(end, short)}"
