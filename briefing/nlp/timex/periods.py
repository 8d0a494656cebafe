"""Rules for named periods: decades, centuries, seasons, quarters and halves, holidays.

Quarters follow business news: "the quarter" and "a year earlier" refer to the
quarter the article is reporting (its focus) when it named one nearby.
"""

from __future__ import annotations

import datetime as dt
import re

from briefing.nlp.timex import lexicon
from briefing.nlp.timex import values as v
from briefing.nlp.timex.base import Context, Found, Rule
from briefing.nlp.timex.grammar import (
    DAY,
    MONTH,
    POINT,
    SEASON,
    SPOKEN_YEAR,
    YEAR,
    YEAR_SHORT,
    alternation,
    month_number,
    norm,
    ordinal,
    point_mod,
    year_number,
)

_SEASON_BEFORE = lexicon.words(
    """in during by until till since over into through throughout this that before after early late mid last next
    of for mid- between around"""
)

_FALL_BEFORE = lexicon.words("in during by until till since through throughout early late mid this last next")

# -- decades and centuries ------------------------------------------------------------------

_DECADE_WORDS = {
    w: i
    for i, w in enumerate(
        ["twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"], 2
    )
}


def _decade(match: re.Match[str], ctx: Context) -> Found | None:
    if match["c"]:
        value = f"{match['c']}{match['d']}"
    else:
        digit = int(match["d2"]) if match["d2"] else _DECADE_WORDS[norm(match["word"])]
        century = ctx.anchor.year // 100
        if century * 100 + digit * 10 > ctx.anchor.year:
            century -= 1
        value = f"{century:02d}{digit}"
    return Found("DATE", value, mod=point_mod(match["point"] or match["point2"]))


DECADE = Rule(
    "decade",
    rf"(?:(?P<point>{POINT})[\s-]+(?:of\s+)?)?(?:the\s+)?(?:(?P<point2>early|late|mid)[\s-]+)?"
    rf"(?:(?P<c>1[5-9]|20)(?P<d>\d)0['’]?s|['’](?P<d2>\d)0['’]?s|(?P<word>{alternation(_DECADE_WORDS)}))(?!\w)",
    _decade,
)


def _century(match: re.Match[str], ctx: Context) -> Found | None:
    rank = ordinal(match["n"])
    if not rank or rank > 21:
        return None
    return Found("DATE", f"{rank - 1:02d}", mod=point_mod(match["point"]))


CENTURY = Rule(
    "century",
    r"(?:the\s+)?(?:(?P<point>early|late|mid)[\s-]+)?(?P<n>\d{1,2}(?:st|nd|rd|th)|"
    r"(?:twenty[\s-])?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth))[\s-]+century(?!\w)",
    _century,
)

# -- seasons, holidays -----------------------------------------------------------------------

_SEASON_INDEX = {"SP": 1, "SU": 2, "FA": 3, "WI": 4}


def _season_year(anchor: dt.date, index: int, rel: str, tense: v.Tense) -> int:
    """The year of a season, counting seasons in order (winter starts in December)."""
    # spring 2022 is 2022*4+0, summer 2022*4+1, ..., winter 2022/23 (from December) 2022*4+3
    current = anchor.year * 4 + (3 if anchor.month == 12 else anchor.month // 3 - 1)
    candidates = [year * 4 + index - 1 for year in range(anchor.year - 2, anchor.year + 3)]
    if rel in ("last", "past", "this past", "the past"):
        chosen = max(c for c in candidates if c < current)
    elif rel in ("next", "coming", "the coming", "this coming"):
        chosen = min(c for c in candidates if c > current)
    elif tense == "future":
        chosen = min(c for c in candidates if c >= current)
    elif tense == "present":
        chosen = min(candidates, key=lambda c: abs(c - current))
    else:
        chosen = max(c for c in candidates if c <= current + 1)
    return chosen // 4


def _season(match: re.Match[str], ctx: Context) -> Found | None:
    code = lexicon.SEASONS[norm(match["s"])]
    rel = norm(match["rel"] or "")
    before = ctx.word_before(match.start())
    if not (rel or match["y"] or match["ry"] or match["point"]) and before not in _SEASON_BEFORE:
        return None
    if rel == "the" and not (match["y"] or match["ry"]) and before not in _SEASON_BEFORE:
        return None
    if code == "FA" and not (match["y"] or match["ry"] or rel not in ("", "the")) and before not in _FALL_BEFORE:
        return None  # "after the fall", "the fall of Rome": a fall, not autumn
    anchor = ctx.anchor
    index = _SEASON_INDEX[code]
    if match["y"]:
        year = year_number(match["y"], anchor.year)
    elif match["ry"]:
        year = anchor.year + {"this": 0, "last": -1, "next": 1}[norm(match["ry"])]
    elif rel == "this":
        year = anchor.year - 1 if code == "WI" and anchor.month <= 2 else anchor.year
    else:
        year = _season_year(anchor, index, rel, ctx.tense(match))
    return Found("DATE", f"{year:04d}-{code}", mod=point_mod(match["point"]))


SEASON_RULE = Rule(
    "season",
    rf"(?:(?P<point>{POINT})[\s-]+(?:of\s+)?)?"
    rf"(?:(?P<rel>this\s+past|this\s+coming|the\s+coming|the\s+past|this|last|next|past|coming|the)\s+)?(?P<s>{SEASON})"
    rf"(?:(?:\s+of|,)?\s+(?P<y>{YEAR}|{SPOKEN_YEAR})|\s+(?P<ry>this|last|next)\s+year(?!['’]))?",
    _season,
)

_HOLIDAY_NAMES = list(lexicon.FIXED_HOLIDAYS) + list(lexicon.MOVABLE_HOLIDAYS)


def _title(name: str) -> str:
    return " ".join(word[:1].upper() + word[1:] for word in name.split())


def _holiday(match: re.Match[str], ctx: Context) -> Found | None:
    name = norm(match["h"])
    rel = norm(match["rel"] or "")
    year = year_number(match["y"], ctx.anchor.year) if match["y"] else ctx.anchor.year
    date = _holiday_date(name, year)
    if date is None:
        return None
    if not match["y"]:
        if rel == "last" or (rel != "next" and ctx.tense(match) == "past" and date > ctx.anchor):
            date = _holiday_date(name, year - 1)
        elif rel == "next" or (ctx.tense(match) == "future" and date < ctx.anchor):
            date = _holiday_date(name, year + 1)
    return Found("DATE", date.isoformat()) if date else None


def _holiday_date(name: str, year: int) -> dt.date | None:
    if name in lexicon.FIXED_HOLIDAYS:
        return dt.date(year, *lexicon.FIXED_HOLIDAYS[name])
    return v.movable_holiday(name, year)


HOLIDAY = Rule(
    "holiday",
    rf"(?:(?P<rel>this|last|next)\s+)?(?P<h>{alternation([_title(n) for n in _HOLIDAY_NAMES], case_sensitive=True)})"
    rf"(?![\w-])(?:,?\s+(?P<y>{YEAR}))?",
    _holiday,
)


# -- quarters and halves ---------------------------------------------------------------------

_YEAR_AGO = ("year-ago", "year-earlier", "year ago", "year earlier", "comparable", "year-before")
_LATEST = ("latest", "last", "previous", "past", "recent", "most recent", "prior", "recently completed")


def _quarter(match: re.Match[str], ctx: Context) -> Found | None:
    if match["ya"]:  # "compared with year-earlier profit"
        quarter = ctx.focus.near_quarter(1)
        shifted = v.shift_value(quarter, -1) if quarter else None  # a quarter's value always shifts
        return Found("DATE", shifted or str(ctx.anchor.year - 1), refocus=False)
    if match["q"] or match["q2"]:
        year_text = match["y2"] or match["y3"]
        if not year_text and not _BUSINESS.search(ctx.sentence):
            return None  # "his first run in Q3": a qualifying session
        number_ = int(match["q"] or match["q2"])
        if year_text:
            in_year = year_number(year_text, ctx.anchor.year)
        else:  # like "the third quarter": by tense
            in_year = v.year_for(number_, v.quarter_of(ctx.anchor), ctx.anchor.year, ctx.tense(match), per_year=4)
        return Found("DATE", f"{in_year:04d}-Q{number_}")
    rel = norm(match["rel"] or "")
    unit = norm(match["unit"])
    rank: int | None = ordinal(match["ord"]) if match["ord"] else None
    year = _quarter_year(match, ctx)
    if rank == -1:
        rank = (4 if unit == "quarter" else 2) if year is not None else None
        rel = rel or "last"
    if not (match["det"] or rel or rank or year is not None):
        return None
    if unit == "half":
        if rank not in (1, 2) or (year is None and not _BUSINESS.search(ctx.sentence)):
            return None  # "five minutes into the second half" is a match's half, not the year's
        if year is None:
            current = 1 if ctx.anchor.month <= 6 else 2
            year = v.year_for(rank, current, ctx.anchor.year, ctx.tense(match), per_year=2)
        return Found("DATE", f"{year:04d}-H{rank}")
    if rel in _YEAR_AGO or match["ago"] or match["ly"]:
        if rank:
            base = year if year is not None else int((ctx.focus.report or str(ctx.anchor.year))[:4])
            return Found("DATE", f"{base - 1:04d}-Q{rank}", refocus=False)
        if unit == "period" and not ctx.focus.report:
            return Found("DATE", str(ctx.anchor.year - 1), refocus=False)  # no quarter named: which period?
        reference = ctx.focus.report or v.shifted(ctx.anchor, -1, "quarter")
        return Found("DATE", v.shift_value(reference, -1) or reference, refocus=False)
    if unit == "period" and year is None:
        if rel in ("latest", "same", "comparable") and ctx.focus.report:
            return Found("DATE", ctx.focus.report)
        return None
    ended = _QUARTER_ENDED.match(ctx.sentence, match.end())
    if ended and unit == "quarter":
        month_n = month_number(ended["m"])
        end_year = year_number(ended["y"], ctx.anchor.year) if ended["y"] else None
        if end_year is None:
            end_year = v.year_for(month_n, ctx.anchor.month, ctx.anchor.year, "past")
        return Found("DATE", f"{end_year:04d}-Q{rank if rank and rank > 0 else (month_n - 1) // 3 + 1}")
    if rank and rank > 0:
        if year is None:
            current = v.quarter_of(ctx.anchor)
            tense = ctx.tense(match)
            if tense == "future" and rank == current - 1:
                tense = "past"  # "will report third-quarter results" in October
            year = v.year_for(rank, current, ctx.anchor.year, tense, per_year=4)
        return Found("DATE", f"{year:04d}-Q{rank}")
    if year is not None:
        number_ = int((ctx.focus.report or v.shifted(ctx.anchor, -1, "quarter"))[-1])
        return Found("DATE", f"{year:04d}-Q{number_}", refocus=year == ctx.anchor.year)
    if rel in ("current", "this"):
        return Found("DATE", v.shifted(ctx.anchor, 0, "quarter"))
    if rel in ("next", "coming"):
        return Found("DATE", v.shifted(ctx.anchor, 1, "quarter"))
    if rel in ("same", "that") and ctx.focus.quarter:
        return Found("DATE", ctx.focus.quarter)
    if rel in _LATEST or rel == "same":
        return Found("DATE", v.shifted(ctx.anchor, -1, "quarter"))
    return Found("DATE", ctx.focus.near_quarter(2) or ctx.focus.report or v.shifted(ctx.anchor, -1, "quarter"))


_BUSINESS = re.compile(
    r"(?i)[$£€¥%]|\b(?:per\s?cent|percent|profits?|earnings|revenues?|sales|income|loss(?:es)?|results|growth"
    r"|gdp|econom(?:y|ic|ists?)|output|inflation|prices?|dividends?|shares?|fiscal|forecasts?|budget|deficit"
    r"|exports?|imports?|spending|investment|rates?|markets?|billion|million)\b"
)
"""Words of business and economic news: where "the first half" and "Q3" are parts of a year."""

_QUARTER_ENDED = re.compile(
    rf"\s+(?:that\s+|which\s+)?end(?:ed|ing|s)\s+(?:on\s+)?(?P<m>{MONTH})\s+{DAY}(?:,?\s+(?P<y>{YEAR}))?"
)


def _quarter_year(match: re.Match[str], ctx: Context) -> int | None:
    if match["ly"]:
        return None
    text = norm(match["y"] or match["yd"] or match["yd2"] or match["ryd"] or "")
    if not text:
        return None
    if text.startswith(("this", "last", "next")):
        return ctx.anchor.year + {"this": 0, "last": -1, "next": 1}[text.split()[0]]
    if text.startswith("the"):
        return int(ctx.focus.date[:4]) if ctx.focus.date and ctx.focus.date[:4].isdigit() else ctx.anchor.year
    return year_number(text.split("'")[0], ctx.anchor.year)


QUARTER = Rule(
    "quarter",
    rf"(?:(?:(?P<det>the|its|their|his|her|our)|(?P<ryd>this|last|next)\s+year['’]s|(?P<yd>{YEAR})['’]s)\s+)?"
    rf"(?:(?P<yd2>{YEAR})\s+)?(?:(?:comparable|corresponding|same)\s+(?=year))?(?:(?P<rel>year-ago|year-earlier|year-before|year\s+ago|year\s+earlier|comparable|same|latest|current"
    rf"|previous|past|next|coming|this|that|most\s+recent|recently\s+completed|recent|prior|corresponding)[\s-]+)?"
    rf"(?:(?:fiscal|calendar)[\s-]+)?(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|final|last)[\s-]+)?"
    rf"(?:(?:fiscal|calendar)[\s-]+)?(?P<unit>quarter|half|period)(?!\w|-(?!end)\w)"
    rf"(?!\s+(?:of\s+(?:a|an|the|all|its|their|his|her|this|that|these|those|one|our|my|your|it|them)\b"
    rf"|century|mile|point|hour|inch|pound|note|final|back|-?mile))"
    rf"(?:\s+(?:of|in|for)\s+(?:(?:fiscal|calendar)\s+)?(?P<y>{YEAR}|this\s+year|last\s+year|next\s+year"
    rf"|the\s+(?:fiscal\s+|calendar\s+)?year))?(?:\s+(?P<ago>a\s+year\s+(?:ago|earlier))|\s+(?P<ly>last\s+year))?"
    rf"|(?-i:Q(?P<q>[1-4]))(?:\s*(?P<y2>{YEAR}|{YEAR_SHORT}))?(?!\w)|(?P<y3>{YEAR})\s+(?-i:Q(?P<q2>[1-4]))(?!\w)"
    rf"|(?P<ya>year-(?:earlier|ago|before))(?!\w)",
    _quarter,
)
