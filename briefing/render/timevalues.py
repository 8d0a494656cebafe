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

from briefing.model import When


def as_when(value: When | str | None) -> When | None:
    """A time as the labels take it: a TIMEX3 string read straight from stored JSON is parsed here
    (the web view's queries and ``analyze`` output hold strings); an empty one is no date."""
    if isinstance(value, str):
        return When(value) if value else None
    return value


def span_range(start: When | None, end: When | None) -> tuple[dt.date, dt.date] | None:
    """The days from ``start`` to ``end`` (``end`` optional, never before ``start``)."""
    first = start.days if start else None
    if first is None:
        return None
    last = end.days if end else None
    return first[0], max(first[1], last[1]) if last else first[1]


def timex_label(value: When | None, short: bool = False) -> str:
    """A value for a table: ``Wed 9 Mar 2022`` (``9 Mar`` short), ``Wed 9 Mar 2022, 16:00 UTC``,
    ``March 2022``, ``week of 9 Mar 2009``, ``weekend of 11–12 Oct 2008``, ``Q1 2022``, ``autumn 2007``.

    Never the raw TIMEX3 value: a reader should not have to decode "2008-W41-WE".
    """
    if not value:
        return "date not known"
    bounds = value.days
    if bounds is None:
        words = describe(value)
        return words if words != value.value else "date not clear"
    first, last = bounds
    if value.moment is not None:  # the day of the moment in UTC, as the clock is shown in UTC
        first = value.moment.date()
    if value.on_a_day:
        day = f"{first.day} {first:%b}" if short else f"{first:%a} {first.day} {first:%b %Y}"
        clock = clock_label(value)
        return f"{day}, {clock}" if clock else day
    if value.grain == "month":
        return f"{first:%b %Y}" if short else f"{first:%B %Y}"
    if value.grain == "weekend":
        return "weekend of " + _days(first, last, short)
    if value.grain == "week":
        return "week of " + (f"{first.day} {first:%b}" if short else f"{first.day} {first:%b %Y}")
    if value.grain == "quarter":
        return f"Q{value.value[-1]} {value.value[:4]}"
    if value.grain == "half":
        return ("first" if value.value[-1] == "1" else "second") + f" half of {value.value[:4]}"
    return describe(value)


def _days(first: dt.date, last: dt.date, short: bool) -> str:
    """ "11–12 Oct 2008", "31 Jan – 1 Feb 2009" (without the year when short)."""
    year = "" if short else f" {last.year}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%b}{year}"
    return f"{first.day} {first:%b} – {last.day} {last:%b}{year}"


def clock_label(value: When) -> str | None:
    """ "16:00 UTC" for a zoned time, "16:00" for a time whose zone the article did not say."""
    if value.clock is None:
        text = value.value
        tail = text[11:] if len(text) > 11 and text[10] == "T" else ""
        return _PARTS.get(tail)
    return f"{value.moment:%H:%M} UTC" if value.moment else ":".join(value.clock)


def sort_key(value: When | None) -> tuple[int, dt.date, str]:
    """Entries by the day they start (undated last), then the value: never alphabetically by raw value."""
    return value.sort_key if value else (1, dt.date.max, "")


def span_label(start: When | None, end: When | None, short: bool = False) -> str:
    """A label for ``start``..``end``: ``9–10 Mar 2022`` when both are days in one month, else both labels."""
    if not end or end == start:
        return timex_label(start, short)
    first, last = start.days if start else None, end.days
    if first and last and start and start.grain == end.grain == "day":
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


def describe(value: When | None, year: bool = True) -> str:
    """A value in words; ``year=False`` leaves the year out of days and months ("March 9")."""
    if not value:
        return "date not yet known"
    text = value.value
    if text in _REFS:
        return _REFS[text]
    start = value.first
    if value.grain == "other" or start is None:
        return _decade(text) or "date not clear"
    if value.on_a_day:
        words = f"{calendar.month_name[start.month]} {start.day}" + (f", {start.year}" if year else "")
        tail = text[10:]
        if tail.startswith("T") and tail[1:] in _PARTS:
            return f"{words} ({_PARTS[tail[1:]]})"
        clock = clock_label(value) if tail.startswith("T") else None
        return f"{words}, {clock}" if clock else words
    if value.grain == "month":
        return calendar.month_name[start.month] + (f" {start.year}" if year else "")
    if value.grain == "weekend":
        last = value.last or start
        return f"the weekend of {describe_span(When(start.isoformat()), When(last.isoformat()))}"
    if value.grain == "week":
        return "the week of " + describe(When(start.isoformat()))
    if value.grain == "quarter":
        return f"Q{text[-1]} {text[:4]}"
    if value.grain == "half":
        return ("the first" if text[-1] == "1" else "the second") + f" half of {text[:4]}"
    if value.grain == "season":
        return f"{_SEASONS[text[5:7]]} {text[:4]}"
    return text[:4]


def _decade(value: str) -> str | None:
    if re.fullmatch(r"\d{3}", value):
        return f"the {value}0s"
    if re.fullmatch(r"\d{2}", value):
        return f"the {int(value) + 1}th century"
    return None


def describe_span(start: When | None, end: When | None) -> str:
    """ "March 9–10, 2022", "March 30 – April 2, 2022", or one value in words."""
    if not start or not end or end == start:
        return describe(start)
    first, last = start.value, end.value
    if start.grain == end.grain == "day" and first[:4] == last[:4]:
        if first[:7] == last[:7]:
            return f"{describe(start, year=False)}–{int(last[8:10])}, {first[:4]}"
        return f"{describe(start, year=False)} – {describe(end)}"
    return f"{describe(start)} – {describe(end)}"


def moved(old: When, new: When) -> str:
    """ "moved from March 9 to March 12" (years only where they differ)."""
    same_year = old.value[:4] == new.value[:4]
    return f"moved from {describe(old, year=not same_year)} to {describe(new, year=not same_year)}"
