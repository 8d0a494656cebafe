"""The tagger: find the sentences that can hold a time expression, match the rules, resolve.

All rules are joined into one compiled alternation (in priority order: the more
specific first). It is tried only where :mod:`.scan` says an expression can
start: next to an anchor word. Most news sentences hold none and cost one scan.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator, Sequence

from briefing.model import Sentence, TimeExpression
from briefing.nlp.timex import absolute, days, durations, periods, relative
from briefing.nlp.timex.base import Context, Focus, Found, Rule
from briefing.nlp.timex.scan import ANCHOR, starts
from briefing.nlp.timex.values import granularity

RULES: tuple[Rule, ...] = (
    absolute.ISO_DATE,
    absolute.SLASH_DATE,
    absolute.DAY_RANGE,
    days.CLOCK_RULE,
    absolute.FULL_DATE,
    absolute.MONTH_YEAR,
    periods.HOLIDAY,
    periods.QUARTER,
    relative.AGO,
    days.DEICTIC,
    days.WEEKDAY_RULE,
    relative.RELATIVE,
    periods.DECADE,
    periods.CENTURY,
    periods.SEASON_RULE,
    absolute.MONTH_ALONE,
    absolute.YEAR_RULE,
    relative.IN_UNITS,
    durations.SET_RULE,
    durations.DURATION,
    durations.BARE_DURATION,
    durations.REFS,
)
"""Every rule, most specific first: at one position the first rule that matches wins."""

_NAMED_GROUP = re.compile(r"\(\?P<\w+>")
_COMBINED = re.compile(
    r"(?<![\w'’])(?:"
    + "|".join(f"(?P<r{i}>{_NAMED_GROUP.sub('(?:', rule.pattern)})" for i, rule in enumerate(RULES))
    + ")",
    re.IGNORECASE,
)


def tag_times(text: str, sentences: Sequence[Sentence], anchor: dt.date) -> list[TimeExpression]:
    """The time expressions of an article, resolved against its date ``anchor``.

    ``sentences`` are the article's sentences (offsets into ``text``); each
    expression's offsets index ``text``. Expressions come in text order and
    never overlap.
    """
    focus = Focus()
    found: list[TimeExpression] = []
    for index, sentence in enumerate(sentences):
        first = ANCHOR.search(sentence.text)
        if first is None:
            continue
        focus.sentence = index
        found.extend(_tag(sentence, ANCHOR.finditer(sentence.text, first.start()), anchor, focus))
    return found


def tag_sentence(
    sentence: Sentence, anchor: dt.date, focus: Focus, cues: list[str] | None = None
) -> list[TimeExpression]:
    """The expressions of one sentence; ``focus`` carries what the article has dated so far.

    ``cues``, when given, receives one entry per expression: what chose a weekday's week, else "".
    """
    return _tag(sentence, ANCHOR.finditer(sentence.text), anchor, focus, cues)


def _tag(
    sentence: Sentence, hits: Iterator[re.Match[str]], anchor: dt.date, focus: Focus, cues: list[str] | None = None
) -> list[TimeExpression]:
    """The expressions of one sentence from its anchors ``hits`` (:func:`tag_times` has found the first one
    already and does not scan the words before it again)."""
    text = sentence.text
    context = Context(anchor, text, focus)
    out: list[TimeExpression] = []
    position = 0
    for hit in hits:
        if hit.start() < position:
            continue
        for start in starts(text, hit.start(), position):
            found = _try(context, start, hit.start(), position)
            if found is not None:
                out.append(_expression(sentence, *found))
                if cues is not None:
                    cues.append(found[2].cue)
                position = found[1]
                break
    return _shared_years(sentence, out)


_MONTH_VALUE = re.compile(r"^(\d{4})-(\d\d)$")
_BETWEEN_MONTHS = re.compile(r"(?i)^\s*(?:-|–|—|to|through|thru|until|till|and)\s*$")
_WRITTEN_YEAR = re.compile(r"\b\d{4}\b")


def _shared_years(sentence: Sentence, found: list[TimeExpression]) -> list[TimeExpression]:
    """ "between March and June 2010": a month with no year of its own takes the next one's year (the
    year before when it comes later in the calendar: "from November to February 2011")."""
    for k in range(len(found) - 1):
        first, second = found[k], found[k + 1]
        own, given = _MONTH_VALUE.match(first.value), re.match(r"^(\d{4})-(\d\d)", second.value)
        between = sentence.text[first.end - sentence.start : second.start - sentence.start]
        if not (own and given and _BETWEEN_MONTHS.match(between)) or _WRITTEN_YEAR.search(first.text):
            continue
        if not _WRITTEN_YEAR.search(second.text):
            continue
        year = int(given[1]) - (1 if int(own[2]) > int(given[2]) else 0)
        found[k] = dataclasses.replace(first, value=f"{year:04d}-{own[2]}")
    return found


def _try(context: Context, start: int, anchor: int, floor: int = 0) -> tuple[int, int, Found] | None:
    """The expression that starts at ``start`` and holds the anchor, resolved; None if there is none.

    It may reach back to ``floor`` (the end of the expression before it) for "the day before"."""
    hit = _COMBINED.match(context.sentence, start)
    if hit is None or hit.end() <= anchor:
        return None
    rule = RULES[int(hit.lastgroup[1:])]  # type: ignore[index]  # every alternative of _COMBINED is a named group: a match names one
    if rule is not periods.HOLIDAY and _is_a_name(context.sentence, hit):
        return None
    if _in_address(context.sentence, hit):
        return None  # "the news website today.kz": part of a web address
    match = rule.regex.match(context.sentence, start)
    try:
        result = rule.resolve(match, context) if match else None
    except (ValueError, OverflowError):
        return None  # a date out of the calendar's range ("year 0"): not an expression we can place
    if result is None or not result.value:
        return None
    begin, end = result.span or hit.span()
    begin, result = _day_beside(context.sentence, begin, result, floor)
    _remember(context.focus, result)
    return begin, end, result


_DAY_BESIDE = re.compile(r"(?i)\b(?:the\s+)?day\s+(before|after)\s+$")
_DAY_VALUE = re.compile(r"\d{4}-\d\d-\d\d$")


def _day_beside(sentence: str, begin: int, result: Found, floor: int) -> tuple[int, Found]:
    """ "the day before last Tuesday's hearing", "the day after March 3": one day from the day named."""
    before = _DAY_BESIDE.search(sentence, max(floor, begin - 20), begin)
    if before is None or result.type != "DATE" or not _DAY_VALUE.match(result.value):
        return begin, result
    day = dt.date.fromisoformat(result.value) + dt.timedelta(days=1 if before[1].lower() == "after" else -1)
    return before.start(), dataclasses.replace(result, value=day.isoformat(), end_value=None)


_CAPITALISED_WORDS = re.compile(r"[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*)+")


def _is_a_name(sentence: str, hit: re.Match[str]) -> bool:
    """ "This Week", "VOA Today": a title-case phrase inside a sentence names a programme, not a time."""
    text = hit.group()
    if not text[:1].isupper() or text[:1].isdigit() or hit.start() == 0:
        return False
    previous = sentence[max(0, hit.start() - 20) : hit.start()].rstrip()[-1:]
    if _CAPITALISED_WORDS.fullmatch(text) and not _MONTH_OR_DAY.search(text):
        return True  # every word capitalised, mid-sentence
    return text.split()[0] in ("Today", "Tonight", "Now") and previous.isalnum()


def _in_address(sentence: str, hit: re.Match[str]) -> bool:
    """The words stand in a web or e-mail address: lower-case, with a full stop and a letter right after them
    ("today.kz"; not "on Friday.The", a missing space), or a full stop, slash or at sign right before them
    ("www.now.com", "bbc.co.uk/today")."""
    after = sentence[hit.end() : hit.end() + 2]
    before = sentence[hit.start() - 1 : hit.start()] if hit.start() else ""
    domain = len(after) == 2 and after[0] == "." and after[1].isalpha() and after[1].islower()
    return (domain and hit.group().islower()) or before in (".", "/", "@")


_MONTH_OR_DAY = re.compile(r"(?-i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun|Q[1-4])")


def _expression(sentence: Sentence, start: int, end: int, result: Found) -> TimeExpression:
    text = sentence.text[start:end]
    trimmed = text.rstrip(" ,;:-–")
    if trimmed.endswith(".") and not re.search(r"(?:\b[ap]\.m|\b[A-Z][a-z]{1,3})\.$", trimmed):
        trimmed = trimmed[:-1]
    return TimeExpression(
        text=trimmed,
        start=sentence.start + start,
        end=sentence.start + start + len(trimmed),
        type=result.type,
        value=result.value,
        end_value=result.end_value,
        mod=result.mod,
    )


def _remember(focus: Focus, result: Found) -> None:
    unit = granularity(result.value) if result.type in ("DATE", "TIME") else None
    if unit is None or not result.refocus:
        return
    focus.date, focus.date_at = result.value, focus.sentence
    if unit == "quarter":
        focus.quarter, focus.quarter_at = result.value, focus.sentence
        focus.report = focus.report or result.value
