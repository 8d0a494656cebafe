"""TIMEX3 values for readers: as date ranges, as compact labels and in words.

The calendar carries dates the way the analysis resolved them, at whatever
precision the article gave (``2022-03-09``, ``2022-03``, ``2022-W10``, ``2022-Q1``).
The report needs a range to draw on the timeline and a compact label for its
tables ("Wed 9 Mar 2022"); sentences, the command line and the iCalendar export
use words ("March 9, 2022", "moved from March 9 to March 12"). Values that name
no calendar period (``PRESENT_REF``, durations) have no range and keep their raw
form as label.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from briefing.nlp.timex import granularity, value_end, value_start

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")


def timex_range(value: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day ``value`` covers, or None when it is not a calendar period."""
    if not value:
        return None
    first, last = value_start(value), value_end(value)
    return (first, last) if first is not None and last is not None else None


def span_range(start: str | None, end: str | None) -> tuple[dt.date, dt.date] | None:
    """The days from ``start`` to ``end`` (``end`` optional, never before ``start``)."""
    first = timex_range(start)
    if first is None:
        return None
    last = timex_range(end)
    return first[0], max(first[1], last[1]) if last else first[1]


def timex_label(value: str | None, short: bool = False) -> str:
    """A value for a table: ``Wed 9 Mar 2022`` (``9 Mar`` short), ``Wed 9 Mar 2022, 16:00 UTC``,
    ``March 2022``, ``week of 9 Mar 2009``, ``weekend of 11–12 Oct 2008``, ``Q1 2022``, ``autumn 2007``.

    Never the raw TIMEX3 value: a reader should not have to decode "2008-W41-WE".
    """
    if not value:
        return "date not known"
    bounds = timex_range(value)
    if bounds is None:
        words = describe(value)
        return words if words != value else "date not clear"
    first, last = bounds
    moment = utc_moment(value)
    if moment is not None:  # the day of the moment in UTC, as the clock is shown in UTC
        first = moment.date()
    if _DAY.match(value):
        day = f"{first.day} {first:%b}" if short else f"{first:%a} {first.day} {first:%b %Y}"
        clock = clock_label(value)
        return f"{day}, {clock}" if clock else day
    if _MONTH.match(value):
        return f"{first:%b %Y}" if short else f"{first:%B %Y}"
    if value.endswith("-WE"):
        return "weekend of " + _days(first, last, short)
    if _WEEK.match(value):
        return "week of " + (f"{first.day} {first:%b}" if short else f"{first.day} {first:%b %Y}")
    if m := _QUARTER.match(value):
        return f"Q{m[2]} {m[1]}"
    if m := _HALF.match(value):
        return ("first" if m[2] == "1" else "second") + f" half of {m[1]}"
    return describe(value)


def _days(first: dt.date, last: dt.date, short: bool) -> str:
    """ "11–12 Oct 2008", "31 Jan – 1 Feb 2009" (without the year when short)."""
    year = "" if short else f" {last.year}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%b}{year}"
    return f"{first.day} {first:%b} – {last.day} {last:%b}{year}"


_CLOCK = re.compile(r"^\d{4}-\d{2}-\d{2}T(\d{2}):(\d{2})(?::\d{2})?(Z|[+-]\d{2}:?\d{2})?$")


def utc_moment(value: str) -> dt.datetime | None:
    """The moment a value with a clock and a zone names, in UTC ("2022-06-01T11:00-05:00" -> 16:00 UTC).

    None without a clock or without a zone: a bare "16:00" is local somewhere unknown.
    """
    match = _CLOCK.match(value)
    if match is None or match[3] is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(dt.UTC)


def clock_label(value: str) -> str | None:
    """ "16:00 UTC" for a zoned time, "16:00" for a time whose zone the article did not say."""
    match = _CLOCK.match(value)
    if match is None:
        tail = value[11:] if len(value) > 11 and value[10] == "T" else ""
        return _PARTS.get(tail)
    moment = utc_moment(value)
    return f"{moment:%H:%M} UTC" if moment else f"{match[1]}:{match[2]}"


def sort_key(value: str | None) -> tuple[int, dt.date, str]:
    """Entries by the day they start (undated last), then the value: never alphabetically by raw value."""
    bounds = timex_range(value)
    return (0, bounds[0], value or "") if bounds else (1, dt.date.max, value or "")


def span_label(start: str | None, end: str | None, short: bool = False) -> str:
    """A label for ``start``..``end``: ``9–10 Mar 2022`` when both are days in one month, else both labels."""
    if not end or end == start:
        return timex_label(start, short)
    first, last = timex_range(start), timex_range(end)
    if first and last and _DAY.match(start or "") and _DAY.match(end) and "T" not in (start or "") + end:
        return _days(first[0], last[0], short)
    return f"{timex_label(start, short)} – {timex_label(end, short)}"


FEW_WEEKS = 28
"""Past this many days ago, a count of days means little to a reader ("6393 days ago"): the date is shown."""


def days_label(days: int | None, day: dt.date | None = None) -> str:
    """``today``, ``tomorrow``, ``in 5 days``, ``yesterday``, ``12 days ago``; ``on 9 Mar 2008`` for ``day``
    when it lies more than a few weeks back; empty when unknown."""
    if days is None:
        return ""
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    if days < -FEW_WEEKS and day is not None:
        return f"on {day.day} {day:%b %Y}"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


_PARTS = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night"}
_SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
_REFS = {"PRESENT_REF": "now", "PAST_REF": "in the past", "FUTURE_REF": "in the future"}


def describe(value: str | None, year: bool = True) -> str:
    """A value in words; ``year=False`` leaves the year out of days and months ("March 9")."""
    if not value:
        return "date not yet known"
    if value in _REFS:
        return _REFS[value]
    unit = granularity(value)
    start = value_start(value[:10]) if unit in ("day", "time") else value_start(value)
    if unit is None or start is None:
        return _decade(value) or "date not clear"
    if unit in ("day", "time"):
        text = f"{calendar.month_name[start.month]} {start.day}" + (f", {start.year}" if year else "")
        tail = value[10:]
        if tail.startswith("T") and tail[1:] in _PARTS:
            return f"{text} ({_PARTS[tail[1:]]})"
        clock = clock_label(value) if tail.startswith("T") else None
        return f"{text}, {clock}" if clock else text
    if unit == "month":
        return calendar.month_name[start.month] + (f" {start.year}" if year else "")
    if unit == "week":
        if value.endswith("-WE"):
            last = value_end(value) or start
            return f"the weekend of {describe_span(start.isoformat(), last.isoformat())}"
        return "the week of " + describe(start.isoformat())
    if unit == "quarter":
        return f"Q{value[-1]} {value[:4]}"
    if unit == "half":
        return ("the first" if value[-1] == "1" else "the second") + f" half of {value[:4]}"
    if unit == "season":
        return f"{_SEASONS[value[5:7]]} {value[:4]}"
    return value[:4]


def _decade(value: str) -> str | None:
    if re.fullmatch(r"\d{3}", value):
        return f"the {value}0s"
    if re.fullmatch(r"\d{2}", value):
        return f"the {int(value) + 1}th century"
    return None


def describe_span(start: str | None, end: str | None) -> str:
    """ "March 9–10, 2022", "March 30 – April 2, 2022", or one value in words."""
    if not start or not end or end == start:
        return describe(start)
    if granularity(start) == granularity(end) == "day" and start[:4] == end[:4]:
        if start[:7] == end[:7]:
            return f"{describe(start, year=False)}–{int(end[8:10])}, {start[:4]}"
        return f"{describe(start, year=False)} – {describe(end)}"
    return f"{describe(start)} – {describe(end)}"


def moved(old: str, new: str) -> str:
    """ "moved from March 9 to March 12" (years only where they differ)."""
    same_year = old[:4] == new[:4]
    return f"moved from {describe(old, year=not same_year)} to {describe(new, year=not same_year)}"
