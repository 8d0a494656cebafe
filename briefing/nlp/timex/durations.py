"""Rules for lengths of time, repetitions and the vague references to past, present and future."""

from __future__ import annotations

import re

from briefing.nlp.timex import lexicon
from briefing.nlp.timex.base import Context, Found, Rule
from briefing.nlp.timex.grammar import (
    APPROX,
    APPROX_MODS,
    COUNT,
    MONTH_FULL,
    NUMBER,
    PART_OF_DAY,
    SEASON,
    UNIT,
    UNIT_SINGULAR,
    WEEKDAY,
    WEEKDAYS_PLURAL,
    alternation,
    month_number,
    norm,
    number,
    unit_name,
    weekday_number,
)
from briefing.nlp.timex.relative import duration_value

# A half of a unit, in the next smaller unit TIMEX3 can write.
_HALVES = {"hour": "PT30M", "day": "PT12H", "week": "P3D", "month": "P2W", "year": "P6M", "decade": "P5Y",
           "century": "P50Y", "minute": "PT30S"}  # fmt: skip
_AND_A_HALF = {"year": "P{0}Y6M", "hour": "PT{0}H30M", "day": "P{0}DT12H", "minute": "PT{0}M30S", "decade": "P{1}Y"}
_PER = re.compile(
    r"(?i)^(?:\d[\d,.]*|million|billion|trillion|thousand|hundred|percent|cents?|dollars?|euros?|pounds?)$"
)


_POINT_AFTER = re.compile(r"[\s-]+(?:of\s+a\s+)?(?:percentage[\s-]+)?points?\b", re.IGNORECASE)
"""After "a quarter": a rate move ("cut by a quarter point", "a quarter-point rise"), not three months."""


def _duration(match: re.Match[str], ctx: Context) -> Found | None:
    unit = unit_name(match["unit"])
    count_text = norm(match["n"])
    before = ctx.word_before(match.start())
    if unit == "second" and count_text in ("a", "an", "one"):
        return None  # "a second term"
    if unit == "day" and count_text == "one" and _adverbial_one_day(match, ctx, before):
        # "she hopes to one day run", "Islam will one day be": some day ahead, not a length
        return Found("DATE", "PAST_REF" if ctx.tense(match) == "past" else "FUTURE_REF")
    if norm(match["old"] or "") == "old":
        return None  # an age ("52 years old"), not a time
    if unit == "quarter" and (
        ctx.sentence[match.end() : match.end() + 4].lower() in (" of ", "s of")
        or before == "and"
        or _POINT_AFTER.match(ctx.sentence, match.end())
    ):
        return None  # a fraction ("three quarters of the vote", "one and a quarter marathons", "a quarter point")
    if unit == "quarter" and count_text == "some" and not match["det"]:
        return None  # "expectations in some quarters": among some people
    mod = APPROX_MODS.get(norm(match["approx"] or "")) or ("APPROX" if match["orso"] else None)
    span = None
    if norm(match["approx"] or "") in ("over", "under", "within") and (match["det"] or match["rel"]):
        # "spread over the next three quarters": a preposition, not "more than"
        mod, span = None, (match.start("det") if match["det"] else match.start("rel"), match.end())
    per = count_text in ("a", "an") and not (match["det"] or match["rel"] or match["approx"])
    if per and _PER.match(before):  # "$5 million a year": a rate
        return Found(
            "SET", f"P1{lexicon.UNITS[unit]}" if unit not in lexicon.TIME_UNITS else f"PT1{lexicon.UNITS[unit]}"
        )
    if count_text.startswith("half") or count_text.endswith("half"):
        return Found("DURATION", _HALVES.get(unit, duration_value(0.5, unit)), mod=mod)
    if count_text == "recent" and unit == "year":
        return Found("DATE", "PAST_REF")
    first = re.split(r"\s+(?:to|or|-|–)\s+|-", count_text)[0] if count_text[:1].isdigit() else count_text
    first = re.split(r"\s+(?:to|or|–)\s+", first)[0]
    count = number(first)
    if (match["half"] or match["half2"]) and isinstance(count, int):
        if unit in _AND_A_HALF:  # "2 1/2 years": P2Y6M
            return Found("DURATION", _AND_A_HALF[unit].format(count, count * 10 + 5), mod=mod, span=span)
        count = count + 0.5
    if " to " in count_text and norm(match["rel"] or "") in ("next", "past", "last", "coming"):
        count = None  # "the next 12 to 18 months"
    if norm(match["rel"] or "") == "last" and not match["det"] and count_text in ("a", "an"):
        span = (match.start("n"), match.end())  # "expected to last a month": the verb is not part of it
    return Found("DURATION", duration_value(count, unit), mod=mod, span=span)


_ONE_DAY_BEFORE = lexicon.words(
    """hopefully to of will would could may might can must should shall and perhaps maybe that i we you he she
    they it who"""
)
_ONE_DAY_AFTER = lexicon.words(
    """after before later earlier ago of in at on to off from per a an the pass passes trip trips ticket
    tickets event events strike strikes visit visits old long late early"""
)
_PRONOUNS = lexicon.words("i we you he she it they there this")


def _adverbial_one_day(match: re.Match[str], ctx: Context, before: str) -> bool:
    """ "one day" used as "at some time" rather than as a length ("for one day", "one day after")."""
    if match["det"] or match["rel"] or match["approx"] or match["half"] or match["orso"]:
        return False
    after = ctx.word_after(match.end()).lower()
    if after in _ONE_DAY_AFTER or "-" in ctx.sentence[match.end() : match.end() + 1]:
        return False
    if before in _ONE_DAY_BEFORE or before.endswith("'ll"):
        return True
    return not before and (after in _PRONOUNS or ctx.sentence[match.end() : match.end() + 1] == ",")


DURATION = Rule(
    "duration",
    rf"(?:(?P<approx>{APPROX})\s+)?"
    rf"(?:(?P<det>the|these|those|its|their|each\s+of\s+the|all|another|an\s+additional)\s+)?"
    rf"(?:(?P<rel>past|last|next|coming|first|previous|following|final|remaining|latest|further|additional"
    rf"|entire|whole|full|other|same|prior|initial|early|few)\s+)?"
    rf"(?P<n>{COUNT}|half\s+an?|an?\s+half)(?P<half>\s+and\s+a\s+half|\s+1/2|\s*½)?[\s-]+"
    rf"(?:(?:more|additional|straight|consecutive|full|long|extra|odd|trading|business|working|school)[\s-]+)?"
    rf"(?P<unit>{UNIT})(?![\w-])(?P<half2>\s+and\s+a\s+half)?"
    rf"(?:[\s-]+(?P<old>old|long)(?!\w))?(?:\s+(?P<orso>or\s+so))?"
    r"(?!\s+(?:ago|earlier|later|previously|hence|from\s+now)(?!\w))",  # those are the point rule's
    _duration,
)


def _bare(match: re.Match[str], ctx: Context) -> Found | None:
    if match["cu"] or match["cu2"]:
        return Found("DATE", "FUTURE_REF", span=match.span("cx"))
    unit = unit_name(match["bu"])
    return Found("DURATION", duration_value(None, unit), span=match.span("x"))


BARE_DURATION = Rule(
    "bare_duration",
    r"(?P<cx>(?:the\s+)?(?:coming|upcoming|weeks\s+and)\s+(?P<cu>days|weeks|months|years|quarters)(?!\w)"
    r"|(?:the\s+)?(?:near|foreseeable|not\s+too\s+distant|distant)\s+(?P<cu2>future))"
    r"|(?:for|over|in|within|after|takes?|took|taking|lasted|spent|spend|spending)\s+"
    r"(?P<x>(?P<bu>years|months|weeks|days|decades|hours|minutes)(?!\w)(?!\s+(?:of|ago|earlier|later|before|after)\b))",
    _bare,
)


def _set(match: re.Match[str], ctx: Context) -> Found | None:
    if match["adv"]:
        if match["adv"][0].isupper() and ctx.sentence[: match.start()].strip(" \"'‘“(") != "":
            return None  # "the New York Daily News", "the Daily Mail": a name
        return Found("SET", lexicon.SETS[norm(match["adv"])])
    if match["wds"]:
        return Found("SET", f"XXXX-WXX-{weekday_number(match['wds'][:-1])}")
    if match["freq"]:
        unit = unit_name(match["unit2"])
        return Found("SET", duration_value(1, unit))
    if match["wd"]:
        return Found("SET", f"XXXX-WXX-{weekday_number(match['wd'])}")
    if match["m"]:
        return Found("SET", f"XXXX-{month_number(match['m']):02d}")
    if match["part"]:
        return Found("SET", f"XXXX-XX-XXT{lexicon.PARTS_OF_DAY[norm(match['part'])]}")
    if match["season"]:
        return Found("SET", f"XXXX-{lexicon.SEASONS[norm(match['season'])]}")
    unit = unit_name(match["unit"])
    count = number(match["n"]) if match["n"] else (2 if match["other"] else 1)
    if not isinstance(count, int):
        return None
    return Found("SET", duration_value(count, unit))


SET_RULE = Rule(
    "set",
    rf"(?:every|each)\s+(?:(?P<other>other)\s+)?(?:(?P<n>{NUMBER})\s+)?(?:(?P<unit>{UNIT})|(?P<wd>{WEEKDAY})"
    rf"|(?P<m>{MONTH_FULL})|(?P<part>{PART_OF_DAY})|(?P<season>{SEASON}))"
    rf"|(?P<freq>once|twice|thrice|{NUMBER}\s+times)\s+(?:a|an|per|each|every)\s+(?P<unit2>{UNIT_SINGULAR})"
    rf"|(?P<adv>{alternation(lexicon.SETS)})(?![\w-])"
    rf"|(?P<wds>{WEEKDAYS_PLURAL})",
    _set,
)

_REFS = {
    **{w: "PRESENT_REF" for w in lexicon.PRESENT_WORDS},
    **{w: "PAST_REF" for w in lexicon.PAST_WORDS},
    **{w: "FUTURE_REF" for w in lexicon.FUTURE_WORDS},
}


_COUNTED_PERIOD = re.compile(
    rf"\s+(?:(?:{COUNT})[\s-]+)?(?:{UNIT}|(?:spring|summer|autumn|fall|winter)s?(?!\w))", re.IGNORECASE
)


def _ref(match: re.Match[str], ctx: Context) -> Found | None:
    word = norm(match["w"])
    if word.endswith("past") and _COUNTED_PERIOD.match(ctx.sentence, match.end()):
        return None  # "in the past year", "the past three summers": a period, not the vague past
    if match["w"].split()[-1][0].isupper() and match.start() > 0 and len(match["w"].split()) > 1:
        return None  # "the Forum for the Future": a name
    if word.endswith("future") and re.match(
        r"\s+of\s+(?:the|a|an|its|their|his|her|our|this|[A-Z])", ctx.sentence[match.end() :]
    ):
        return None  # "talks on the future of Gibraltar": its prospects, not a time
    if word.startswith("in ") and word not in ("in future",):
        return Found("DATE", _REFS[word], span=(match.start() + 3, match.end()))
    return Found("DATE", _REFS[word])


REFS = Rule("refs", rf"(?P<w>{alternation(_REFS)})(?![\w-])", _ref)
