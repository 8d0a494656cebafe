"""Rules for expressions relative to the article date or to the date the article last talked
about: this/next/last week, "the year-ago quarter", "two weeks ago", "in three days"."""

from __future__ import annotations

import datetime as dt
import re

from briefing.nlp.timex import lexicon
from briefing.nlp.timex import values as v
from briefing.nlp.timex.absolute import week_of, weekend_of
from briefing.nlp.timex.base import Context, Found, Rule, focus_day
from briefing.nlp.timex.grammar import (
    APPROX,
    APPROX_MODS,
    COUNT,
    NUMBER,
    POINT,
    UNIT,
    half_of,
    norm,
    number,
    point_mod,
    unit_name,
)

_DAYS = dt.timedelta(days=1)


# -- this week, next month, last year, that day ---------------------------------------------

_FOCUS_RELS = {"that": 0, "the same": 0, "the very same": 0, "the following": 1, "the previous": -1,
               "the preceding": -1}  # fmt: skip
_ANCHOR_RELS = {"this": 0, "current": 0, "the current": 0, "this current": 0, "the latest": 0,
                "last": -1, "past": -1, "previous": -1, "this past": -1, "the past": -1, "the last": -1,
                "next": 1, "coming": 1, "this coming": 1, "the coming": 1, "the next": 1}  # fmt: skip
_DAYLIKE = ("day", "morning", "afternoon", "evening", "night")


def _relative(match: re.Match[str], ctx: Context) -> Found | None:
    found = _relative_period(match, ctx)
    half = half_of(match["point"])
    if found and half and found.type == "DATE" and re.fullmatch(r"\d{4}", found.value):
        return Found("DATE", f"{found.value}-H{half}", refocus=found.refocus)  # "the first half of next year"
    return found


def _relative_period(match: re.Match[str], ctx: Context) -> Found | None:
    if match["eu"]:
        return Found("DATE", v.shifted(ctx.anchor, 0, unit_name(match["eu"])), mod="END")
    rel = norm(match["rel"])
    unit = unit_name(match["unit"])
    mod = point_mod(match["point"]) or ("APPROX" if match["orso"] else None)
    if unit in _DAYLIKE:
        if rel in ("the same", "the very same") and re.match(r"\s+as\b", ctx.sentence[match.end() :]):
            return None  # "on the same day as those for MPs": the day of another event, no date said
        return _relative_day(ctx, rel, unit, mod)
    if rel == "the":
        return _the_unit(match, ctx, unit, mod)
    if rel in ("the past", "the last", "past") and unit in ("decade", "century") and not mod:
        return Found("DURATION", "P10Y" if unit == "decade" else "P100Y")
    if rel in _FOCUS_RELS:
        base = v.value_start(ctx.focus.date) if ctx.focus.date else None
        amount = _FOCUS_RELS[rel]
        if base is None or _coarser(unit, ctx.focus.date or ""):
            base = ctx.anchor
            amount = amount or 0
    else:
        base, amount = ctx.anchor, _ANCHOR_RELS[rel]
        quarter = ctx.focus.near_quarter(1)
        if unit == "year" and amount == -1 and quarter and _COMPARING.search(ctx.sentence):
            # "up from last year" in a quarterly report names the year (TimeML values what the words
            # denote); the report's quarter stays the focus
            return Found("DATE", v.shifted(base, amount, unit), mod=mod, refocus=False)
    if unit == "fortnight":
        unit, amount = "week", amount * 2
    return Found("DATE", v.shifted(base, amount, unit), mod=mod)


_COMPARING = re.compile(r"(?i)\b(?:compared|from|versus|vs\.?|against|than)\b")


def _coarser(unit: str, focus: str) -> bool:
    """True when the focus value is too coarse to place ``unit`` ("1998" cannot place "that week")."""
    order = ["century", "decade", "year", "half", "season", "quarter", "month", "week", "day", "time"]
    have = v.granularity(focus) or "century"
    want = {"weekend": "week"}.get(unit, unit)
    return want in order and order.index(have) < order.index(want)


def _relative_day(ctx: Context, rel: str, unit: str, mod: str | None) -> Found | None:
    if rel not in _FOCUS_RELS and rel not in ("the next", "the last"):
        return None
    amount = _FOCUS_RELS.get(rel, {"the next": 1, "the last": -1}.get(rel, 0))
    base = (focus_day(ctx) or ctx.anchor) + amount * _DAYS
    if unit == "day":
        return Found("DATE", base.isoformat(), mod=mod)
    return Found("TIME", f"{base.isoformat()}T{lexicon.PARTS_OF_DAY[unit]}", mod=mod)


def _the_unit(match: re.Match[str], ctx: Context, unit: str, mod: str | None) -> Found | None:
    """ "the week", "the year", "the weekend": a period around now, or a length after "for"/"over"."""
    if match["unit"][0].isupper() and match.start() > 0:
        return None  # "Sports Personality of the Year": a title
    before = ctx.word_before(match.start())
    ended = re.match(r"\s+end(?:ed|ing)\b", ctx.sentence[match.end() :])
    if not mod and (before in ("throughout", "all", "a") or (unit == "year" and ended)):
        return Found("DURATION", {"week": "P1W", "month": "P1M", "year": "P1Y", "weekend": "P2D"}.get(unit, "P1Y"))
    if unit == "weekend":
        named = weekend_of(ctx, match.end())
        if named:  # "the weekend of 8/9 January": the weekend that holds those days
            return Found("DATE", named[0], span=(match.start(), named[1]))
        tense = ctx.tense(match)
        anchor = ctx.anchor
        if tense == "past" and anchor.isoweekday() < 6:
            return Found("DATE", v.weekend(anchor - 7 * _DAYS), mod=mod)
        return Found("DATE", v.weekend(anchor), mod=mod)
    held = week_of(ctx, match.end()) if unit == "week" and not mod else None
    if held:  # "a hearing the week of March 6": the week that holds that day
        return Found("DATE", held[0], span=(match.start(), held[1]))
    near = ctx.focus.near_date()
    if unit in ("year", "month") and near and _after_comma(ctx, match.start()) and _finer_or_equal(near, unit):
        # "in 1990, the year he competed": the period just named, not the current one
        return Found("DATE", near[: 4 if unit == "year" else 7], mod=mod, refocus=False)
    if unit in ("decade", "century", "year", "week", "month"):
        return Found("DATE", v.shifted(ctx.anchor, 0, unit), mod=mod, refocus=False)
    return None


def _after_comma(ctx: Context, position: int) -> bool:
    return ctx.sentence[:position].rstrip().endswith(",")


def _finer_or_equal(value: str, unit: str) -> bool:
    have = v.granularity(value)
    return have in ("day", "time", "month", "week") or (
        unit == "year" and have in ("year", "quarter", "season", "half")
    )


RELATIVE = Rule(
    "relative",
    rf"(?:(?P<point>{POINT})[\s-]+(?:of\s+)?)?(?:"
    rf"(?:the\s+)?(?P<eu>year|month|week|quarter)(?:['’]s\s+|[\s-])end(?!\w)"
    rf"|(?P<rel>this\s+past|this\s+coming|the\s+coming|the\s+past|the\s+previous|the\s+preceding|the\s+following"
    rf"|the\s+current|this\s+current|the\s+latest|the\s+last|the\s+next|the\s+very\s+same|the\s+same"
    rf"|this|last|next|that|coming|past|current|previous|the)\s+(?:(?:fiscal|calendar|full)\s+)?"
    rf"(?P<unit>weekend|week|fortnight|month|year|decade|century|day|morning|afternoon|evening|night)"
    rf"(?![\w-]|\s+\d|\s+long(?!\w))"  # "the month long strike" is a length, like "month-long"
    rf"(?:\s+(?P<orso>or\s+so))?)",
    _relative,
)

# -- two weeks ago, a year earlier, in three days ----------------------------------------------


def _ago(match: re.Match[str], ctx: Context) -> Found | None:
    count = number((match["n"] or "").split(" to ")[0].split(" or ")[0]) if match["n"] else None
    direction = norm(match["dir"])
    if match["the"]:
        if direction not in ("earlier", "later", "before", "after"):
            return None
        count = 1  # "the day before", "the year after": one unit from the date the story is at
    sign = -1 if direction in ("ago", "earlier", "before", "back", "previously") else 1
    mod = APPROX_MODS.get(norm(match["approx"] or "")) or ("APPROX" if match["orso"] else None)
    unit = unit_name(match["unit"])
    if count is None or count == 0 or isinstance(count, float):
        if match["n"] and norm(match["n"]) in ("a few", "few", "a couple") and unit == "year" and sign < 0:
            year = ctx.anchor.year - 3
            return Found("DATE", f"{year // 10:03d}X", mod=mod)
        ahead = sign > 0 and ctx.tense(match) != "past"  # "died a few hours later" is still the past
        return Found("DATE", "FUTURE_REF" if ahead else "PAST_REF", mod=mod)
    if unit in ("second", "minute", "hour"):
        return Found("DATE", (focus_day(ctx) or ctx.anchor).isoformat(), mod=mod)
    relative_to_focus = direction in ("earlier", "later", "before", "after", "previously")
    other = OTHER_PERIOD.search(ctx.sentence)
    other_period = other is not None
    quarter = None if other_period else ctx.focus.near_quarter() or ctx.focus.report
    if unit == "year" and quarter and sign < 0 and count == 1:  # "up from $5 million a year earlier"
        return Found("DATE", v.shift_value(quarter, sign * count) or "", mod=mod, refocus=False)
    near = ctx.focus.near_date() if relative_to_focus else None
    if other and near and unit == "year" and near[:4].isdigit() and not _ENDED.match(ctx.sentence, other.end()):
        # "said Friday that it lost $5 million in the nine months, against a profit a year earlier": the
        # nine months' year before, not the day the company spoke a year before ("the six months ended
        # Aug. 12 ... a year earlier" keeps the day that ends them)
        near = near[:4]
    past_story = relative_to_focus and sign > 0 and ctx.tense(match) == "past"
    if relative_to_focus and not near and (match["the"] or past_story):
        near = ctx.focus.date  # "three years later" in a story told in the past: after the story's date
    if past_story and not near:
        return Found("DATE", "PAST_REF", mod=mod)  # later than an unnamed past date, not after today
    if near and v.value_start(near):
        if unit == "month" and count % 12 == 0 and v.granularity(near) == "year":
            unit, count = "year", count // 12  # "won in 2002 and again 12 months later": 2003
        if unit == "year" and v.granularity(near) in ("day", "month", "quarter", "year"):
            return Found("DATE", v.shift_value(near[:10], sign * count) or "", mod=mod, refocus=False)
        base = v.value_start(near) or ctx.anchor
    else:
        base = ctx.anchor
    amount = sign * count
    if unit in ("decade", "century"):
        amount, unit = amount * (10 if unit == "decade" else 100), "year"
    if unit == "fortnight":
        amount, unit = amount * 2, "week"
    return Found("DATE", v.shifted(base, amount, unit), mod=mod)


OTHER_PERIOD = re.compile(
    r"(?i)\b(?:(?:nine|six|three|twelve|9|6|3|12)[\s-]+months?|(?:full|fiscal|calendar)\s+year|(?:first|second)\s+half"
    r"|year\s+to\s+date|year-to-date)\b"
)
"""A period other than the report's quarter, named in the sentence: "For the nine months, ... a year earlier"."""
_ENDED = re.compile(r"\s+(?:that\s+|which\s+)?end(?:ed|ing|s)\b")

AGO = Rule(
    "ago",
    rf"(?:(?P<approx>{APPROX})\s+)?(?:(?P<the>the)\s+|(?P<n>{COUNT})[\s-]+)?(?P<unit>{UNIT})(?:\s+(?P<orso>or\s+so))?"
    rf"\s+(?P<dir>ago|earlier|later|previously|from\s+now|hence|back|before(?=\s*(?:[,.;)]|$))|after(?=\s*(?:[,.;)]|$)))(?!\w)",
    _ago,
)


def _in_units(match: re.Match[str], ctx: Context) -> Found | None:
    count = number(match["n"])
    unit = unit_name(match["unit"])
    if not isinstance(count, int) or count == 0:
        return None
    if norm(match["n"]) in ("a", "an") and ctx.word_after(match.end()).lower() in ("that", "which", "when", "where"):
        return None  # "in a quarter that produced such a loss"
    mod = APPROX_MODS.get(norm(match["approx"] or "")) or ("APPROX" if match["more"] == "so" else None)
    if match["more"] and match["more"] != "so":  # "in a year or two": some time ahead, no more precise
        if ctx.tense(match) == "future":
            return Found("DATE", "FUTURE_REF", span=match.span("x"))
        return Found("DURATION", duration_value(None, unit), span=match.span("x"))
    if ctx.tense(match) == "future" and unit not in ("second", "minute", "hour"):
        amount, name = count, unit
        if unit in ("decade", "century"):
            amount, name = count * (10 if unit == "decade" else 100), "year"
        if unit == "fortnight":
            amount, name = count * 2, "week"
        return Found("DATE", v.shifted(ctx.anchor, amount, name), mod=mod, span=match.span("x"))
    return Found("DURATION", duration_value(count, unit), mod=mod, span=match.span("x"))


def duration_value(count: int | float | None, unit: str) -> str:
    """``P3D``, ``PT5H``, ``P20Y`` for "two decades", ``PXY`` when the count is vague."""
    amount: int | float | str = "X" if count is None else count
    letter = lexicon.UNITS[unit]
    if unit == "decade":
        letter, amount = "Y", amount if amount == "X" else amount * 10
    elif unit == "century":
        letter, amount = "Y", amount if amount == "X" else amount * 100
    elif unit == "fortnight":
        letter, amount = "W", amount if amount == "X" else amount * 2
    elif unit == "quarter" and amount != "X":
        letter, amount = "M", amount * 3  # ISO 8601 has no quarters: P3Q is P9M
    elif unit == "weekend":
        letter, amount = "D", amount if amount == "X" else amount * 2
    if isinstance(amount, float) and amount.is_integer():
        amount = int(amount)
    prefix = "PT" if unit in lexicon.TIME_UNITS else "P"
    return f"{prefix}{amount}{letter}"


IN_UNITS = Rule(
    "in_units",
    rf"in\s+(?P<x>(?:(?P<approx>about|around|roughly|approximately|less\s+than|under|just)\s+)?"
    rf"(?P<n>{NUMBER})\s+(?P<unit>{UNIT})(?:['’]s?\s+time)?(?:\s+or\s+(?P<more>two|three|so)(?!\w))?)"
    rf"(?!\s+(?:ago|earlier|later))",
    _in_units,
)
