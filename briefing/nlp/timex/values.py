"""Calendar arithmetic on TIMEX3 values.

A value names a period at some granularity: ``2022`` (year), ``2022-Q1``,
``2022-H1``, ``2022-SU`` (season), ``2022-03`` (month), ``2022-W10`` (ISO week),
``2022-W10-WE`` (weekend), ``2022-03-09`` (day), ``2022-03-09TMO`` (part of day),
``2022-03-09T14:00`` (clock time), ``199`` (decade), ``19`` (century). These
helpers write such values and move them by whole units, keeping the granularity;
reading a value as a period (``granularity``, ``value_start``, ``value_end``) is
:mod:`briefing.timevalue`'s, a leaf the model uses too.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.easter import easter

from briefing.nlp.timex.grammar import ZONES
from briefing.timevalue import TIMEX_VALUE, add_months
from briefing.timevalue import granularity as granularity  # the tagger's rules use these through this module
from briefing.timevalue import safe_date as safe_date
from briefing.timevalue import value_end as value_end
from briefing.timevalue import value_start as value_start

Tense = Literal["past", "present", "future", "none"]


def day(date: dt.date) -> str:
    return date.isoformat()


def month(year: int, month_number: int) -> str:
    return f"{year:04d}-{month_number:02d}"


def week(date: dt.date) -> str:
    iso = date.isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


def weekend(date: dt.date) -> str:
    return week(date) + "-WE"


def quarter_of(date: dt.date) -> int:
    return (date.month - 1) // 3 + 1


def shifted(anchor: dt.date, amount: int, unit: str) -> str:
    """The ``unit``-granular value ``amount`` units away from ``anchor`` (negative: earlier)."""
    if unit == "day":
        return day(anchor + dt.timedelta(days=amount))
    if unit == "week":
        return week(anchor + dt.timedelta(weeks=amount))
    if unit == "weekend":
        return weekend(anchor + dt.timedelta(weeks=amount))
    if unit == "fortnight":
        return week(anchor + dt.timedelta(weeks=2 * amount))
    if unit == "month":
        moved = add_months(anchor, amount)
        return month(moved.year, moved.month)
    if unit == "quarter":
        moved = add_months(anchor, 3 * amount)
        return f"{moved.year:04d}-Q{quarter_of(moved)}"
    if unit == "half":
        moved = add_months(anchor, 6 * amount)
        return f"{moved.year:04d}-H{1 if moved.month <= 6 else 2}"
    if unit == "year":
        return f"{anchor.year + amount:04d}"
    if unit == "decade":
        return f"{anchor.year // 10 + amount:03d}"
    if unit == "century":
        return f"{anchor.year // 100 + amount:02d}"
    raise ValueError(f"not a calendar unit: {unit}")


def shift_value(value: str, years: int) -> str | None:
    """A value moved by whole years, same granularity (``1989-Q3`` -> ``1988-Q3``); None if not datable."""
    match = TIMEX_VALUE.match(value)
    if match is None:
        return None
    year = int(match["y"]) + years
    if match["w"]:
        return f"{year:04d}-W{match['w']}{match['we'] or ''}"
    if match["d"]:
        moved = safe_date(year, int(match["m"]), int(match["d"])) or dt.date(year, int(match["m"]), 28)
        return day(moved) + (match["t"] or "")
    return f"{year:04d}" + value[4:]


def year_for(index: int, current: int, anchor_year: int, tense: Tense, per_year: int = 12) -> int:
    """The year of a month (or quarter, ...) given without one, from the tense of its sentence.

    Past tense looks back to the latest such period up to now (or next month:
    "the offer was extended to Nov. 16" in October), future tense forward to
    the next one from now, present tense to the nearest one (a month six months away either way is the
    past one: "is a suspect in shootings in November" in May). Without a tense, this year's unless that
    is more than four months ahead (news tells more of the past than of the future):
    "December" in a January article is last December, "June" in March is this
    June, "September" in March is last September.
    """
    if tense == "past":
        return anchor_year - 1 if index > current + per_year // 12 else anchor_year
    if tense == "future":
        return anchor_year + 1 if index < current else anchor_year
    if tense == "present":
        if index - current > per_year // 2 or (per_year == 12 and index - current == 6):
            return anchor_year - 1
        return anchor_year + 1 if current - index > per_year // 2 else anchor_year
    if index <= current or index - current <= per_year // 3:
        return anchor_year
    return anchor_year - 1


def weekday_date(anchor: dt.date, weekday: int, tense: Tense) -> dt.date:
    """The date of an ISO weekday (1 = Monday) near ``anchor``, from the tense of its sentence.

    "met on Thursday" in a Thursday article is that same day; "will meet on
    Thursday" is the next one. Without a tense (present tense included) the news
    default holds: the latest such day up to the article date, unless that is
    more than a few days back while the next one is close.
    """
    back = (anchor.isoweekday() - weekday) % 7
    if tense == "future":
        return anchor + dt.timedelta(days=(weekday - anchor.isoweekday()) % 7 or 7)
    if tense == "past":
        return anchor - dt.timedelta(days=back)
    return anchor - dt.timedelta(days=back)


def nth_weekday(year: int, month_number: int, weekday: int, nth: int) -> dt.date:
    """The ``nth`` given ISO weekday of a month (``nth=-1``: the last)."""
    if nth > 0:
        first = dt.date(year, month_number, 1)
        return first + dt.timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (nth - 1))
    last = dt.date(year, month_number, calendar.monthrange(year, month_number)[1])
    return last - dt.timedelta(days=(last.isoweekday() - weekday) % 7)


def movable_holiday(name: str, year: int) -> dt.date | None:
    """Holidays whose date moves from year to year (US conventions where they differ)."""
    if name.startswith("easter"):
        return easter(year) + dt.timedelta(days=1 if name.endswith("monday") else 0)
    if name == "good friday":
        return easter(year) - dt.timedelta(days=2)
    if name.startswith("thanksgiving"):
        return nth_weekday(year, 11, 4, 4)
    if name == "election day":
        return nth_weekday(year, 11, 1, 1) + dt.timedelta(days=1)
    if name == "memorial day":
        return nth_weekday(year, 5, 1, -1)
    if name == "labor day":
        return nth_weekday(year, 9, 1, 1)
    if name == "mother's day":
        return nth_weekday(year, 5, 7, 2)
    if name == "father's day":
        return nth_weekday(year, 6, 7, 3)
    return None


_ZONED = re.compile(r"(?<![\w])(" + "|".join(sorted(ZONES, key=len, reverse=True)) + r")(?!\w)")
_CLOCK_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")


def with_zone(value: str, text: str) -> str:
    """A clock value with the zone its text names, as ISO 8601 ("2022-06-01T16:00" + "4pm GMT" ->
    "2022-06-01T16:00Z"); unchanged without a clock or a zone we can place.

    The time expression's own value stays zone-less, as TimeML writes it; an event
    keeps the zone so that a calendar can place it (16:15 UTC is not 16:15 in London).
    """
    match = _ZONED.search(text)
    if match is None or not _CLOCK_VALUE.match(value):
        return value
    zone = ZONES[match[1]]
    if zone == "UTC":
        return value + "Z"
    if zone[0] in "+-":
        return value + zone
    try:
        local = dt.datetime.fromisoformat(value).replace(tzinfo=ZoneInfo(zone))
    except (ValueError, ZoneInfoNotFoundError):
        return value
    return local.isoformat(timespec="minutes")
