"""Rules for expressions that name the calendar: dates, ranges, clock times, months and years.
A missing year comes from the tense of the sentence."""

from __future__ import annotations

import datetime as dt
import re

from briefing.model import TimexType
from briefing.nlp.timex import lexicon
from briefing.nlp.timex import values as v
from briefing.nlp.timex.base import Context, Found, Rule
from briefing.nlp.timex.grammar import (
    CLOCK,
    DAY,
    MONTH,
    MONTH_FULL,
    POINT,
    SPOKEN_YEAR,
    TIMEZONE,
    WEEKDAY,
    YEAR,
    YEAR_SHORT,
    half_of,
    month_number,
    norm,
    ordinal,
    point_mod,
    weekday_number,
    year_number,
)

_RANGE_SEP = r"(?:-|–|—|to|through|thru|until|till|and)"
_ANY_YEAR = rf"(?:{YEAR}|{YEAR_SHORT})"
_TIME_PREPOSITIONS = frozenset(
    [
        "in",
        "since",
        "until",
        "till",
        "by",
        "from",
        "through",
        "during",
        "of",
        "before",
        "after",
        "early",
        "late",
        "mid",
        "last",
        "next",
        "this",
        "around",
        "between",
        "to",
        "and",
        "or",
        "until",
        "circa",
        "throughout",
        "mid-",
    ]
)


_MONTH_BEFORE = _TIME_PREPOSITIONS | {"the", "a", "an", "each", "every", "its", "their", "whose"}


def _year(ctx: Context, match: re.Match[str], month_index: int, text: str | None) -> int:
    if text:
        return year_number(text, ctx.anchor.year)
    years = list(_WRITTEN_YEAR.finditer(ctx.sentence, 0, match.start()))
    between = ctx.sentence[years[-1].end() : match.start()] if years else None
    if between is not None and len(between) <= _NEAR_YEAR and not any(c.isdigit() for c in between):
        return int(years[-1][1])  # "in 2001 when the 11 September attacks", "In 2001, on 11 September"
    chosen = v.year_for(month_index, ctx.anchor.month, ctx.anchor.year, tense_for_date(ctx, match))
    written = {int(y[1]) for y in years}
    if len(written) == 1 and abs(next(iter(written)) - chosen) == 1:
        return written.pop()  # "the 2005 Grand Prix in Birmingham on 18 February": the year written before it
    return chosen


_WRITTEN_YEAR = re.compile(r"(?<![\d$€£.,])((?:19|20)\d\d)(?![\d%]|,\d)")
_NEAR_YEAR = 12
"""Characters between a written year and a day-month after it within which the day takes that year."""


_AHEAD = lexicon.words("until till by payable effective record expiring starting")
"""Words before a date that put it ahead: "until Tuesday", "payable Dec. 7", "effective Feb. 1"."""


# "until" looks back with the past perfect ("until Tuesday they had denied it": a state that ended then)
# and in "not until": "it was not until Tuesday that he spoke" (it happened then).
_UNTIL_BEHIND = re.compile(r"(?i)\b(?:had|hadn't|not\s+until|not\s+till)\b")


def tense_for_date(ctx: Context, match: re.Match[str]) -> v.Tense:
    """The sentence's tense, except that a deadline or a start ("by February", "effective Feb. 1") lies ahead."""
    return tense_cue(ctx, match)[0]


def tense_cue(ctx: Context, match: re.Match[str]) -> tuple[v.Tense, str]:
    """:func:`tense_for_date` with the cue that decided it (for analysis)."""
    before = ctx.word_before(match.start())
    tense = ctx.tense(match)
    if before in _AHEAD and not (tense == "past" and (before == "by" or _UNTIL_BEHIND.search(ctx.sentence))):
        # but "had filed reports by Wednesday", "until Tuesday they had denied it" are past
        return "future", "ahead-word"
    if before == "since":
        return "past", "since"  # "on hold since September": whatever the verb, it lies behind
    if before in ("to", "until", "till") and _MOVED.search(ctx.sentence, max(0, match.start() - 80), match.start()):
        return "future", "moved-to"  # "postponed the summit to Friday": where it was moved, ahead
    if _ahead_of_now(ctx, match, before):
        return "future", "ahead-of"  # "named in the squad ahead of Saturday's match": ahead of now
    if tense == "present" and COPULA_BEFORE.search(ctx.sentence, 0, match.start()):
        return "future", "copula"  # "the deadline for bids is Friday", "the vote is on Sunday": a date ahead
    return tense, f"tense:{tense}"


_AHEAD_OF = re.compile(r"(?i)\bahead\s+of\s+$")
_ANOTHER_DAY = re.compile(
    r"(?i)\b(?:mon|tues|wednes|thurs|fri|satur|sun)day|\b(?:yesterday|today|tonight|last|earlier|this)\b|\d"
)
"""A date before "ahead of" that it counts from instead of now: "fell on Monday ahead of Tuesday's vote"."""


_MOVED = re.compile(
    r"(?i)\b(?:postpone[sd]?|postponing|delay(?:ed|s|ing)?|reschedul(?:e|es|ed|ing)|push(?:ed|es|ing)?\s+back|"
    r"put\s+off|moved?|moving|brought\s+forward|defer(?:red|s|ring)?|adjourn(?:ed|s|ing)?)\b[^.;:]*$"
)
"""A verb that moves an event, before the date it is moved to: "postponed the summit to Friday"."""


def _ahead_of_now(ctx: Context, match: re.Match[str], before: str) -> bool:
    """ "ahead of" before the date, and no other day before it to count from."""
    start = match.start()
    return (
        before == "of"
        and bool(_AHEAD_OF.search(ctx.sentence, 0, start))
        and not _ANOTHER_DAY.search(ctx.sentence, 0, start)
    )


COPULA_BEFORE = re.compile(r"\b(?:is|are)(?:\s+(?:on|set\s+for|for))?\s+$")


def clock_suffix(value: str, clock: str | None) -> tuple[str, TimexType]:
    """A day value with the clock time appended ("2022-03-09T14:00"), and the TIMEX3 type."""
    if not clock:
        return value, "DATE"
    return value + "T" + clock_value(clock), "TIME"


def clock_value(text: str) -> str:
    """``HH:MM`` from "2 p.m.", "14:30", "noon", "midnight"."""
    word = norm(text)
    if word in ("noon", "midday"):
        return "12:00"
    if word == "midnight":
        return "24:00"
    digits = re.match(r"(\d{1,2})(?:[:.](\d\d))?", word)
    assert digits is not None
    hour, minute = int(digits[1]), int(digits[2] or 0)
    if "p" in word[digits.end() :] and hour < 12:
        hour += 12
    elif "a" in word[digits.end() :] and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}"


# -- numeric dates ---------------------------------------------------------------------------


def _iso(match: re.Match[str], ctx: Context) -> Found | None:
    date = v.safe_date(int(match["y"]), int(match["m"]), int(match["d"]))
    if date is None:
        return None
    if match["hh"]:
        return Found("TIME", f"{date.isoformat()}T{match['hh']}:{match['mi']}")
    return Found("DATE", date.isoformat())


ISO_DATE = Rule(
    "iso_date",
    r"(?<![\d-])(?P<y>\d{4})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])"
    r"(?:T(?P<hh>[01]\d|2[0-3]):(?P<mi>[0-5]\d)(?::[0-5]\d)?)?(?![\d-])",
    _iso,
)


def _slash(match: re.Match[str], ctx: Context) -> Found | None:
    first, second = int(match["a"]), int(match["b"])
    month_n, day_n = (first, second) if first <= 12 else (second, first)
    year = year_number("'" + match["y"] if len(match["y"]) == 2 else match["y"], ctx.anchor.year)
    date = v.safe_date(year, month_n, day_n) if month_n <= 12 else None
    return Found("DATE", date.isoformat()) if date else None


SLASH_DATE = Rule("slash_date", r"(?<![\d/.])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<y>\d{4}|\d{2})(?![\d/])", _slash)

# -- day ranges ------------------------------------------------------------------------------


def _range(match: re.Match[str], ctx: Context) -> Found | None:
    pre = norm(match["pre"] or "")
    sep = norm(match["sep"] or match["sep2"] or match["sep3"] or "")
    listed = sep == "and" and pre != "between"  # "April 24 and 25": two days, not a range
    if match["m1"]:
        m1, d1, y1 = match["m1"], match["d1"], match["y1"]
        m2, d2, y2 = match["m2"] or match["m1"], match["d2"], match["y2"]
    elif match["m3"]:
        m1, d1, y1, m2, d2, y2 = match["m3"], match["d3"], None, match["m3"], match["d4"], match["y3"]
    else:
        m1, d1, y1, m2, d2, y2 = match["m5"], match["d5"], None, match["m6"], match["d6"], match["y6"]
    month1, month2 = month_number(m1), month_number(m2)
    day1, day2 = ordinal(d1), ordinal(d2)
    if not day1 or not day2:
        return None
    year2 = _year(ctx, match, month2, y2 or y1)
    year1 = year_number(y1, ctx.anchor.year) if y1 else (year2 - 1 if month1 > month2 else year2)
    start, end = v.safe_date(year1, month1, day1), v.safe_date(year2, month2, day2)
    if start is None or end is None or end < start:
        return None
    if listed:
        first_end = match.end("d1") if match["m1"] else match.end("m5") if match["m5"] else match.end("d3")
        return Found("DATE", start.isoformat(), span=(match.start("x"), first_end))
    return Found("DATE", start.isoformat(), end.isoformat(), span=match.span("x"))


DAY_RANGE = Rule(
    "day_range",
    rf"(?:(?P<pre>between|from)\s+)?(?P<x>"
    rf"(?:{WEEKDAY},?\s+)?(?P<m1>{MONTH})\s+(?P<d1>{DAY})(?:,?\s+(?P<y1>{YEAR}))?\s*(?P<sep>{_RANGE_SEP})\s*"
    rf"(?:{WEEKDAY},?\s+)?(?:(?P<m2>{MONTH})\s+)?(?P<d2>{DAY})(?:,?\s+(?P<y2>{YEAR}))?"
    rf"|(?P<d3>{DAY})\s*(?P<sep2>{_RANGE_SEP})\s*(?P<d4>{DAY})\s+(?:of\s+)?(?P<m3>{MONTH})(?:,?\s+(?P<y3>{YEAR}))?"
    rf"|(?P<d5>{DAY})\s+(?P<m5>{MONTH})\s*(?P<sep3>{_RANGE_SEP})\s*(?P<d6>{DAY})\s+(?P<m6>{MONTH})(?:,?\s+(?P<y6>{YEAR}))?"
    rf")",
    _range,
)

# -- full dates ------------------------------------------------------------------------------


def _full_date(match: re.Match[str], ctx: Context) -> Found | None:
    month_n = month_number(match["m1"] or match["m2"])
    day_n = ordinal(match["d1"] or match["d2"])
    if not day_n:
        return None
    if match["wd"] and not match["y"]:
        year = _weekday_year(ctx.anchor, month_n, day_n, weekday_number(match["wd"]))
    else:
        year = _year(ctx, match, month_n, match["y"])
    date = v.safe_date(year, month_n, day_n)
    if date is None:
        return None
    value, kind = clock_suffix(date.isoformat(), match["clock"])
    return Found(kind, value)


def _weekday_year(anchor: dt.date, month_n: int, day_n: int, weekday: int) -> int:
    """The year near ``anchor`` in which that month and day fall on that weekday."""
    for year in (anchor.year, anchor.year + 1, anchor.year - 1):
        date = v.safe_date(year, month_n, day_n)
        if date is not None and date.isoweekday() == weekday:
            return year
    return anchor.year


FULL_DATE = Rule(
    "full_date",
    rf"(?:(?P<wd>{WEEKDAY}),?\s+(?:the\s+)?)?"
    rf"(?:(?P<m1>{MONTH})\s+(?:the\s+)?(?P<d1>{DAY})|(?:the\s+)?(?P<d2>{DAY})\s+(?:of\s+)?(?P<m2>{MONTH}))"
    rf"(?:,?\s+(?P<y>{_ANY_YEAR}))?"
    rf"(?:,?\s+(?:at\s+)?(?P<clock>{CLOCK})(?:\s+(?:{TIMEZONE}))?)?",
    _full_date,
)

# -- the week of a date ----------------------------------------------------------------------

_WEEK_OF = re.compile(
    rf"\s+(?:of|beginning|starting|commencing|ending|ended)\s+"
    rf"(?:(?P<m1>{MONTH})\s+(?:the\s+)?(?P<d1>{DAY})|(?:the\s+)?(?P<d2>{DAY})\s+(?:of\s+)?(?P<m2>{MONTH}))"
    rf"(?:,?\s+(?P<y>{_ANY_YEAR}))?",
    re.IGNORECASE,
)


def week_of(ctx: Context, position: int) -> tuple[str, int] | None:
    """The ISO week of the date named at ``position``, right after "the week" ("the week of March 6",
    "the week ending Oct. 20"), and where its words end; None if no date follows."""
    found = _day_named(ctx, _WEEK_OF, position)
    return (v.week(found[0]), found[1]) if found else None


def _day_named(ctx: Context, pattern: re.Pattern[str], position: int) -> tuple[dt.date, int] | None:
    """The (first) day that ``pattern`` reads at ``position``, and where its words end."""
    match = pattern.match(ctx.sentence, position)
    if match is None:
        return None
    month_n = month_number(match["m1"] or match["m2"])
    day_n = ordinal(match["d1"] or match["d2"] or match.groupdict().get("d3") or "")
    date = v.safe_date(_year(ctx, match, month_n, match["y"]), month_n, day_n) if day_n else None
    return (date, match.end()) if date else None


_WEEKEND_OF = re.compile(
    rf"\s+of\s+(?:(?P<m1>{MONTH})\s+(?P<d1>{DAY})(?:\s*[-–]\s*{DAY})?"
    rf"|(?:(?P<d3>[0-3]?\d)\s*/\s*[0-3]?\d|(?P<d2>{DAY})(?:\s*[-–]\s*{DAY})?)\s+(?:of\s+)?(?P<m2>{MONTH}))"
    rf"(?:,?\s+(?P<y>{_ANY_YEAR}))?",
    re.IGNORECASE,
)


def weekend_of(ctx: Context, position: int) -> tuple[str, int] | None:
    """The weekend of the days named right after "the weekend" ("the weekend of 8/9 January", "of
    March 6-7"), and where its words end; None if no date follows."""
    found = _day_named(ctx, _WEEKEND_OF, position)
    return (v.weekend(found[0]), found[1]) if found else None


# -- months, years, decades ------------------------------------------------------------------


def _month_year(match: re.Match[str], ctx: Context) -> Found | None:
    month_n = month_number(match["m"])
    if match["y"]:
        year = year_number(match["y"], ctx.anchor.year)
    else:
        year = ctx.anchor.year + {"this": 0, "last": -1, "next": 1}[norm(match["ry"])]
    return Found("DATE", v.month(year, month_n), mod=point_mod(match["point"]))


MONTH_YEAR = Rule(
    "month_year",
    rf"(?:(?P<point>{POINT})[\s-]+(?:of\s+)?)?(?P<m>{MONTH})"
    rf"(?:(?:,|\s+of)?\s+(?P<y>{_ANY_YEAR}|{SPOKEN_YEAR})|\s+(?P<ry>this|last|next)\s+year(?!['’]))",
    _month_year,
)


def _month(match: re.Match[str], ctx: Context) -> Found | None:
    month_n = month_number(match["m"])
    rel = norm(match["rel"] or "")
    before = ctx.word_before(match.start())
    if not rel and not match["point"]:
        after = ctx.word_after(match.end())
        ambiguous = month_n in (5, 6, 7, 8, 3)  # May, June, July, August, March are also names or words
        if (ambiguous or (after[:1].isupper() and after not in ("I",))) and before not in _MONTH_BEFORE:
            return None
    if rel in ("last", "past", "this past"):
        year = ctx.anchor.year - 1 if month_n >= ctx.anchor.month else ctx.anchor.year
    elif rel in ("next", "coming", "the coming", "this coming"):
        year = ctx.anchor.year + 1 if month_n <= ctx.anchor.month else ctx.anchor.year
    elif rel == "this":
        year = ctx.anchor.year
    else:
        year = _year(ctx, match, month_n, None)
    return Found("DATE", v.month(year, month_n), mod=point_mod(match["point"]))


MONTH_ALONE = Rule(
    "month",
    rf"(?:(?P<point>{POINT})[\s-]+(?:of\s+)?)?"
    rf"(?:(?P<rel>this\s+past|this\s+coming|the\s+coming|last|next|this|past|coming)\s+)?"
    rf"(?P<m>{MONTH_FULL})(?:['’]s)?(?![\w-]|\s*\d)",
    _month,
)


def _year_rule(match: re.Match[str], ctx: Context) -> Found | None:
    year = int(match["y"]) if match["y"][0].isdigit() else year_number(match["y"], ctx.anchor.year)
    prefix = match["point"] or match["fy"]
    if not prefix and not _plausible_year(match, ctx, year):
        return None
    if norm(match["y"]) == "two thousand" and ctx.word_before(match.start()) not in ("in", "since", "by", "year"):
        return None  # "two thousand people"
    end = None
    if match["y2"]:
        if norm(match["sep"]) == "and" and ctx.word_before(match.start()) != "between":
            return Found("DATE", f"{year:04d}", mod=point_mod(match["point"]), span=(match.start(), match.end("y")))
        second = int(match["y2"])
        second = second + year // 100 * 100 if second < 100 else second
        if second <= year or second - year > 50:
            return None
        end = f"{second:04d}"
    if half_of(match["point"]) and not end:
        return Found("DATE", f"{year:04d}-H{half_of(match['point'])}")  # "the first half of 1998"
    return Found("DATE", f"{year:04d}", end, mod=point_mod(match["point"]))


_NOT_YEAR_AFTER = re.compile(r"(?i)^(?:[a-z]+s|hours|hrs|gmt|utc|feet|metres|meters|km|miles|yards|tons|tonnes|ft)$")


def _plausible_year(match: re.Match[str], ctx: Context, year: int) -> bool:
    """A bare four-digit number is a year unless it counts something ("2000 troops")."""
    if abs(year - ctx.anchor.year) > 150:
        return False
    before = ctx.word_before(match.start())
    if before in _TIME_PREPOSITIONS or before in ("the", "year", "'s", "season", "since"):
        return True
    previous = ctx.sentence[max(0, match.start() - 40) : match.start()].rstrip().rsplit(" ", 1)[-1]
    if previous[:1].isupper() and previous.isalpha() and match.start() > len(previous) + 1:
        return False  # "Orion 1980", "Windows 2000": part of a name
    after = ctx.word_after(match.end())
    if after and after[0].islower() and _NOT_YEAR_AFTER.match(after) and after not in ("was", "is", "has", "as"):
        return False
    return not (ctx.sentence[match.end() : match.end() + 1].isalpha())


YEAR_RULE = Rule(
    "year",
    rf"(?:(?P<point>{POINT})[\s-]+(?:of\s+)?)?"
    rf"(?:(?P<fy>(?:the\s+)?(?:fiscal|calendar)(?:\s+year)?|FY|the\s+year|the\s+summer\s+of|model\s+year)[\s-]*)?"
    rf"(?P<y>{YEAR}|{SPOKEN_YEAR})(?:\s*(?P<sep>-|–|/|to|through|until|and)\s*(?P<y2>{YEAR}|\d\d(?![\d%])))?",
    _year_rule,
)
