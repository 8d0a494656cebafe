"""TIMEX3 values read as calendar periods: pure functions, no stage imported.

A value names a period at some granularity: ``2022`` (year), ``2022-Q1``,
``2022-H1``, ``2022-SU`` (season), ``2022-03`` (month), ``2022-W10`` (ISO week),
``2022-W10-WE`` (weekend), ``2022-03-09`` (day), ``2022-03-09TMO`` (part of day),
``2022-03-09T14:00`` (clock time, ``2022-03-09T14:00Z`` with its zone). Other values
(``PRESENT_REF``, durations, decades ``199``) name no calendar period.

A leaf: the model's :class:`~briefing.model.When` parses an event's times once with
these, and the time tagger (:mod:`briefing.nlp.timex.values`) does its arithmetic
with them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

TIMEX_VALUE = re.compile(
    r"^(?P<y>\d{4})(?:-(?:(?P<q>Q[1-4])|(?P<h>H[12])|(?P<s>SP|SU|FA|WI)|W(?P<w>\d\d)(?P<we>-WE)?"
    r"|(?P<m>\d\d)(?:-(?P<d>\d\d)(?P<t>T.*)?)?))?$"
)
_CLOCK = re.compile(r"^\d{4}-\d{2}-\d{2}T(\d{2}):(\d{2})(?::\d{2})?(Z|[+-]\d{2}:?\d{2})?$")
_KEPT = 4096
"""Values whose reading is kept: reading one is pure, and an article reads its few values many times over
(the time tagger, the event finder, the model)."""


def add_months(date: dt.date, months: int) -> dt.date:
    """``date`` moved by whole months, the day clamped to the target month's length."""
    index = date.year * 12 + date.month - 1 + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(date.day, last))


def safe_date(year: int, month_number: int, day_number: int) -> dt.date | None:
    """The date, or None when it does not exist (30 February)."""
    try:
        return dt.date(year, month_number, day_number)
    except ValueError:
        return None


@functools.lru_cache(maxsize=_KEPT)
def granularity(value: str) -> str | None:
    """``year``, ``quarter``, ``half``, ``season``, ``month``, ``week``, ``day`` or ``time``; None if not datable."""
    match = TIMEX_VALUE.match(value)
    if match is None:
        return None
    for name, unit in (("t", "time"), ("d", "day"), ("m", "month"), ("w", "week"), ("q", "quarter"), ("h", "half")):
        if match[name]:
            return unit
    return "season" if match["s"] else "year"


@functools.lru_cache(maxsize=_KEPT)
def value_start(value: str) -> dt.date | None:
    """The first day of the period a value names (None for references, durations, sets and year 0)."""
    try:
        return _value_start(value)
    except ValueError:
        return None


def _value_start(value: str) -> dt.date | None:
    match = TIMEX_VALUE.match(value)
    if match is None:
        return None
    year = int(match["y"])
    if match["d"]:
        return safe_date(year, int(match["m"]), int(match["d"]))
    if match["m"]:
        return dt.date(year, int(match["m"]), 1) if 1 <= int(match["m"]) <= 12 else None
    if match["w"]:
        try:
            return dt.date.fromisocalendar(year, int(match["w"]), 6 if match["we"] else 1)
        except ValueError:
            return None
    if match["q"]:
        return dt.date(year, 3 * int(match["q"][1]) - 2, 1)
    if match["h"]:
        return dt.date(year, 1 if match["h"] == "H1" else 7, 1)
    if match["s"]:
        return dt.date(year, {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[match["s"]], 1)
    return dt.date(year, 1, 1)


@functools.lru_cache(maxsize=_KEPT)
def value_end(value: str) -> dt.date | None:
    """The last day of the period a value names."""
    start = value_start(value)
    unit = granularity(value)
    if start is None or unit is None:
        return None
    if unit in ("day", "time"):
        return start
    try:
        if unit == "week":
            return start + dt.timedelta(days=1 if value.endswith("-WE") else 6)
        months = {"month": 1, "quarter": 3, "half": 6, "season": 3, "year": 12}[unit]
        return add_months(start, months) - dt.timedelta(days=1)
    except (ValueError, OverflowError):
        return None  # the end of time


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


def clock_time(value: str) -> tuple[str, str] | None:
    """The hour and minute of a clock value as written ("2022-06-01T16:00" -> ("16", "00")), else None."""
    match = _CLOCK.match(value)
    return (match[1], match[2]) if match else None
