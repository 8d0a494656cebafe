"""Rules for single days: today and tomorrow, weekdays by tense, clock times.

A weekday is resolved by the tense of its sentence ("met on Thursday" is the
last Thursday up to the article date, "will meet on Thursday" the next one),
or from the day the story is at ("on that Wednesday").
"""

from __future__ import annotations

import datetime as dt
import re

from briefing.nlp.timex import lexicon
from briefing.nlp.timex import values as v
from briefing.nlp.timex.absolute import COPULA_BEFORE, clock_value, tense_cue, tense_for_date
from briefing.nlp.timex.base import Context, Found, Rule, focus_day
from briefing.nlp.timex.grammar import (
    CLOCK,
    DAY,
    MONTH,
    PART_OF_DAY,
    TIMEZONE,
    WEEKDAY,
    YEAR,
    month_number,
    norm,
    ordinal,
    point_mod,
    weekday_number,
    year_number,
)

_DAYS = dt.timedelta(days=1)

# -- today, tomorrow, this morning ------------------------------------------------------------

_DEICTIC = {"today": 0, "tonight": 0, "this": 0, "tomorrow": 1, "yesterday": -1, "last": -1,
            "the day before yesterday": -2, "the day after tomorrow": 2}  # fmt: skip


def _deictic(match: re.Match[str], ctx: Context) -> Found | None:
    word = norm(match["w"] or match["w2"])
    part = norm(match["part"] or match["part2"] or ("night" if word == "tonight" else ""))
    if word == "last" and part != "night" and part != "evening":
        return None
    date = ctx.anchor + _DEICTIC[word] * _DAYS
    mod = point_mod(match["point"])
    if match["clock"]:
        return Found("TIME", f"{date.isoformat()}T{clock_value(match['clock'])}")
    if part:
        return Found("TIME", f"{date.isoformat()}T{lexicon.PARTS_OF_DAY[part]}", mod=mod)
    return Found("DATE", date.isoformat(), mod=mod)


DEICTIC = Rule(
    "deictic",
    rf"(?:(?P<point>early|late|earlier|later)\s+)?(?:"
    rf"(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|tomorrow|yesterday|tonight)"
    rf"(?:['’]s)?(?![\w-])(?:\s+(?P<part>{PART_OF_DAY})|,?\s+(?:at\s+)?(?P<clock>{CLOCK}))?"
    rf"|(?P<w2>this|last|tomorrow|yesterday)\s+(?P<part2>{PART_OF_DAY}))",
    _deictic,
)

# -- weekdays --------------------------------------------------------------------------------


def weekday_choice(ctx: Context, match: re.Match[str], weekday: int, rel: str) -> tuple[dt.date, str]:
    """The date of a weekday near the article date, and the cue that chose its week (for analysis)."""
    anchor = ctx.anchor
    if rel in ("last", "past", "previous", "this past"):
        return anchor - ((anchor.isoweekday() - weekday) % 7 or 7) * _DAYS, "rel:last"
    if rel in ("next", "coming", "this coming"):
        return anchor + ((weekday - anchor.isoweekday()) % 7 or 7) * _DAYS, "rel:next"
    if rel == "this":
        return anchor + (weekday - anchor.isoweekday()) * _DAYS, "rel:this"
    if rel == "that":  # "on that Wednesday": the one of the week the story is at
        base = focus_day(ctx)
        if base is not None:
            return base + (weekday - base.isoweekday()) * _DAYS, "rel:that"
        rel = ""
    if weekday == anchor.isoweekday() and _same_day_cue(ctx, match):
        return anchor, "same-day"  # "talks begin later on Wednesday" in a Wednesday article: today
    groups = match.groupdict()
    if (
        weekday == anchor.isoweekday()
        and not rel
        and (norm(groups.get("part") or "") in _LATE_PARTS or groups.get("clock"))
    ):
        return anchor, "same-day"  # "will play on Wednesday night", "polls close at 8 p.m. Wednesday" on a Wednesday
    if rel in ("the following", "the next", "the previous"):
        base = focus_day(ctx) or anchor
        if rel == "the previous":
            return base - ((base.isoweekday() - weekday) % 7 or 7) * _DAYS, "rel:the-previous"
        return base + ((weekday - base.isoweekday()) % 7 or 7) * _DAYS, "rel:the-following"
    tense, cue = tense_cue(ctx, match)
    if tense == "future" and weekday == anchor.isoweekday() and _FUTURE_IN_PAST.search(ctx.sentence, 0, match.start()):
        return anchor, "was-to"  # "the plane was set to land on Monday" in a Monday article: today
    if tense == "future" and cue != "ahead-word" and _possessive(ctx, match):
        return v.weekday_date(anchor, weekday, "none"), "possessive"  # "get around Wednesday's ruling"
    if (
        cue == "tense:present"
        and weekday != anchor.isoweekday()
        and not _is_possessive(match)
        and not _compared(ctx, match)
    ):
        # "markets are closed on Monday for a holiday": a present state on another weekday is the coming one
        return v.weekday_date(anchor, weekday, "future"), "present-ahead"
    return v.weekday_date(anchor, weekday, tense), cue


def _possessive(ctx: Context, match: re.Match[str]) -> bool:
    """ "around Wednesday's ruling": the weekday names an event of its own, not the time of the clause's verb.

    The clause's modal ("they would look for ways around Wednesday's ruling", "Wednesday's ruling
    will be appealed") does not move it ahead, unless a preposition puts the verb's event in it or
    before it ("will vote in Sunday's election", "will meet before Friday's talks").
    """
    if not _is_possessive(match):
        return False
    return _PLACED_IN.search(ctx.sentence, max(0, match.start() - 20), match.start()) is None


def _is_possessive(match: re.Match[str]) -> bool:
    return (match["wd"] or "").endswith(("'s", "’s"))


# "higher than on Monday", "as of Monday": a reference point, not a state that lies ahead
_COMPARED = re.compile(r"(?i)\b(?:than|as\s+of|compared\s+with|from)\s+(?:on\s+)?$")


# A plan seen from the past ("was set to land", "were due to meet"): on the article's weekday, that day.
_FUTURE_IN_PAST = re.compile(r"(?i)\b(?:was|were)\s+(?:\w+\s+)?to\s+\w+[^,;:]{0,60}$")


def _compared(ctx: Context, match: re.Match[str]) -> bool:
    return _COMPARED.search(ctx.sentence, max(0, match.start() - 30), match.start()) is not None


_PLACED_IN = re.compile(r"(?i)\b(?:at|in|during|for|before|ahead\s+of|until|till|by|to)\s+(?:the\s+)?$")


_DAY_NAMES_BEFORE = ("black", "cyber", "ash", "palm", "super", "bloody", "holy", "maundy", "shrove", "whit")
_PAPER_AFTER = lexicon.words("Times Telegraph Mirror Express People Post Herald Mail Star Sport Independent Tribune")
_PAPER_ON = re.compile(r"(?:Mail|Independent|Scotland)\s+on\s+$")


def _named_day(match: re.Match[str], ctx: Context) -> bool:
    """ "Black Friday", "Super Tuesday", "The Mail on Sunday", "the Sunday Times": names, not that weekday."""
    start, end = match.start("wd"), match.end("wd")
    before = ctx.sentence[max(0, start - 12) : start].split()
    if before and before[-1].lower() in _DAY_NAMES_BEFORE and before[-1][0].isupper():
        return True
    if _PAPER_ON.search(ctx.sentence, max(0, start - 20), start):
        return True
    return ctx.word_after(end) in _PAPER_AFTER


_LATE_PARTS = ("afternoon", "evening", "night")
_PREPOSITIONS = frozenset({"on", "by", "until", "till", "from", "since", "of", "for", "before", "after"})


def _same_day_cue(ctx: Context, match: re.Match[str]) -> bool:
    """ "later on Wednesday", "later Wednesday", "earlier on Wednesday": the day the article is about."""
    words = ctx.sentence[
        max(0, match.start() - 20) : match.start("wd") if "wd" in match.re.groupindex else match.start()
    ]
    if re.search(r"(?i)\b(?:later|earlier)(?:\s+on)?\s*$", words) is not None:
        return True
    # "today is Wednesday", "the vote is on Wednesday" in a Wednesday article: that day, not a week on
    return ctx.tense(match) == "present" and COPULA_BEFORE.search(words) is not None


def _weekday(match: re.Match[str], ctx: Context) -> Found | None:
    rel = norm(match["rel"] or "")
    weekday = weekday_number(match["wd"])
    if not rel and _named_day(match, ctx):
        return None
    if rel == "that" and ctx.word_before(match.start()) not in _PREPOSITIONS:
        return None  # "he said that Monday would...": a conjunction; the weekday is tried on its own
    if match["wk"]:
        shift = {"this": 0, "last": -1, "next": 1}[norm(match["wk"])]
        date, cue = ctx.anchor + (7 * shift + weekday - ctx.anchor.isoweekday()) * _DAYS, "week"
    else:
        date, cue = weekday_choice(ctx, match, weekday, rel)
    mod = point_mod(match["point"])
    if match["wd2"]:
        sep = norm(match["sep"])
        if sep == "and" and norm(match["pre"] or "") != "between":
            return Found("DATE", date.isoformat(), span=match.span("wd"), cue=cue)
        end = date + ((weekday_number(match["wd2"]) - weekday) % 7 or 7) * _DAYS
        return Found("DATE", date.isoformat(), end.isoformat(), span=match.span("x"), cue=cue)
    if match["clock"]:
        return Found("TIME", f"{date.isoformat()}T{clock_value(match['clock'])}", span=match.span("x"), cue=cue)
    return Found("DATE", date.isoformat(), mod=mod, span=match.span("x"), cue=cue)


WEEKDAY_RULE = Rule(
    "weekday",
    rf"(?:(?P<pre>from|between)\s+)?(?P<x>"
    rf"(?:(?P<rel>this\s+coming|this\s+past|the\s+following|the\s+previous|the\s+next|last|next|this|that|coming|past"
    rf"|previous)\s+)?"
    rf"(?:(?P<point>early|late|earlier|later)\s+)?(?P<wd>{WEEKDAY})"
    rf"(?:\s*(?P<sep>-|–|to|through|thru|until|till|and)\s*(?P<wd2>{WEEKDAY}))?"
    rf"(?:\s+(?P<part>{PART_OF_DAY})|,?\s+(?:at\s+)?(?P<clock>{CLOCK})(?:\s+(?:{TIMEZONE}))?)?"
    rf"(?:,?\s+(?P<wk>this|last|next)\s+week)?)",
    _weekday,
)

# -- clock times -----------------------------------------------------------------------------


def _clock(match: re.Match[str], ctx: Context) -> Found | None:
    cue = ""
    if match["wd"]:
        date, cue = weekday_choice(ctx, match, weekday_number(match["wd"]), "")
    elif match["dw"]:
        date = ctx.anchor + _DEICTIC[norm(match["dw"])] * _DAYS
    elif match["m"]:
        day_n = ordinal(match["d"]) or 0
        month_n = month_number(match["m"])
        year = (
            year_number(match["y"], ctx.anchor.year)
            if match["y"]
            else v.year_for(month_n, ctx.anchor.month, ctx.anchor.year, tense_for_date(ctx, match))
        )
        found = v.safe_date(year, month_n, day_n)
        if found is None:
            return None
        date = found
    else:
        date = focus_day(ctx) or ctx.anchor
    mod = "APPROX" if match["approx"] else None
    return Found("TIME", f"{date.isoformat()}T{clock_value(match['clock'])}", mod=mod, cue=cue)


CLOCK_RULE = Rule(
    "clock",
    rf"(?:(?P<approx>about|around|approximately|roughly)\s+)?(?P<clock>{CLOCK})(?:\s+(?:{TIMEZONE}))?"
    rf"(?:,?\s+(?:on\s+)?(?:(?P<wd>{WEEKDAY})|(?P<dw>today|tomorrow|yesterday|tonight)(?!\w)"
    rf"|(?P<m>{MONTH})\s+(?P<d>{DAY})(?:,?\s+(?P<y>{YEAR}))?))?",
    _clock,
)
