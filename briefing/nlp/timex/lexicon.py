"""The words of English time expressions and what they mean.

Our own tables, written for news English. Each maps a lower-cased word to the
value the resolver needs (a month number, a TIMEX3 unit letter, ...). Regex
alternations are built from them in :mod:`briefing.nlp.timex.patterns`.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string (long lists stay readable)."""
    return frozenset(text.split())


MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

WEEKDAYS: dict[str, int] = {
    "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7,
    "mon": 1, "tue": 2, "tues": 2, "wed": 3, "thu": 4, "thur": 4, "thurs": 4, "fri": 5, "sat": 6, "sun": 7,
}  # fmt: skip

SEASONS: dict[str, str] = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}

# Parts of the day, as TIMEX3 writes them after the date (``1998-02-06TMO``).
PARTS_OF_DAY: dict[str, str] = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI",
    "overnight": "NI", "tonight": "NI",
}  # fmt: skip

UNITS: dict[str, str] = {
    "second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "fortnight": "F",
    "month": "M", "quarter": "Q", "year": "Y", "decade": "DE", "century": "CE", "weekend": "WE",
}  # fmt: skip
"""Calendar units; ``S``, ``M`` (minute) and ``H`` are time units (written after ``T``)."""

TIME_UNITS = frozenset({"second", "minute", "hour"})

UNIT_PLURALS: dict[str, str] = {
    "seconds": "second", "minutes": "minute", "hours": "hour", "days": "day", "weeks": "week",
    "fortnights": "fortnight", "months": "month", "quarters": "quarter", "years": "year",
    "decades": "decade", "centuries": "century", "weekends": "weekend",
}  # fmt: skip

NUMBERS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "a hundred": 100, "a dozen": 12, "dozen": 12, "a couple of": 2, "a couple": 2,
    "couple of": 2, "a pair of": 2, "half a": 0, "a half": 0,
}  # fmt: skip
"""Cardinal words; "half a" is 0 here and handled by the duration rule (PT30M, P6M, ...)."""

ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "last": -1, "final": -1,
    "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
}  # fmt: skip

# Fixed-date holidays (month, day); movable ones are computed in the resolver.
FIXED_HOLIDAYS: dict[str, tuple[int, int]] = {
    "new year's day": (1, 1), "new year's eve": (12, 31), "valentine's day": (2, 14),
    "independence day": (7, 4), "bastille day": (7, 14), "halloween": (10, 31),
    "veterans day": (11, 11), "armistice day": (11, 11), "remembrance day": (11, 11),
    "christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25),
    "boxing day": (12, 26), "st. patrick's day": (3, 17), "st patrick's day": (3, 17),
    "may day": (5, 1), "labour day": (5, 1), "international women's day": (3, 8),
}  # fmt: skip
MOVABLE_HOLIDAYS = ("easter sunday", "easter monday", "good friday", "easter", "thanksgiving day", "thanksgiving",
                    "election day", "memorial day", "labor day", "mother's day", "father's day")  # fmt: skip

# Words that place an expression at a point of its unit: TIMEX3 ``mod`` values.
POINT_MODIFIERS: dict[str, str] = {
    "early": "START", "the beginning of": "START", "the start of": "START", "beginning of": "START",
    "start of": "START", "the dawn of": "START", "late": "END", "the end of": "END", "end of": "END",
    "the close of": "END", "the latter part of": "END", "mid": "MID", "the middle of": "MID",
    "middle of": "MID", "the first half of": "START", "the second half of": "END",
}  # fmt: skip

PRESENT_WORDS = ("now", "currently", "at present", "presently", "nowadays", "these days", "right now",
                 "at the moment", "the present", "current")  # fmt: skip
PAST_WORDS = ("recently", "formerly", "in the past", "the past", "lately", "more recently",
              "in recent years", "recent years", "in years past", "years past", "long ago",
              "a long time ago", "a generation ago")  # fmt: skip
FUTURE_WORDS = ("the future", "in future", "a later date", "someday", "the years ahead",
                "the near term", "the short term", "the long term")  # fmt: skip

SETS: dict[str, str] = {
    "daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M",
    "annually": "P1Y", "yearly": "P1Y", "hourly": "PT1H", "biweekly": "P2W", "biannually": "P6M",
}  # fmt: skip
