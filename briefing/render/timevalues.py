"""TIMEX3 values in words, for readers: "2022-03-09" -> "March 9, 2022", "2022-W10" -> "the week of March 7, 2022"."""

from __future__ import annotations

import calendar
import re

from briefing.nlp.timex import granularity, value_start

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
        return _decade(value) or value
    if unit in ("day", "time"):
        text = f"{calendar.month_name[start.month]} {start.day}" + (f", {start.year}" if year else "")
        tail = value[10:]
        if tail.startswith("T") and tail[1:] in _PARTS:
            return f"{text} ({_PARTS[tail[1:]]})"
        return f"{text}, {tail[1:]}" if tail.startswith("T") else text
    if unit == "month":
        return calendar.month_name[start.month] + (f" {start.year}" if year else "")
    if unit == "week":
        return ("the weekend of " if value.endswith("-WE") else "the week of ") + describe(start.isoformat())
    if unit == "quarter":
        return f"Q{value[-1]} {value[:4]}"
    if unit == "half":
        return f"H{value[-1]} {value[:4]}"
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
