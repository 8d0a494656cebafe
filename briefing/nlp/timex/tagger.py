"""The tagger: find the sentences that can hold a time expression, match the rules, resolve.

All rules are joined into one compiled alternation (in priority order: the more
specific first), so each candidate sentence is scanned once. A cheap pre-filter
skips sentences with no digit and no time word at all, which in news is most
of them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from briefing.model import Sentence, TimeExpression
from briefing.nlp.timex import absolute, durations, relative
from briefing.nlp.timex.base import Context, Focus, Found, Rule
from briefing.nlp.timex.values import granularity

RULES: tuple[Rule, ...] = (
    absolute.ISO_DATE,
    absolute.SLASH_DATE,
    absolute.DAY_RANGE,
    relative.CLOCK_RULE,
    absolute.FULL_DATE,
    absolute.MONTH_YEAR,
    absolute.HOLIDAY,
    relative.QUARTER,
    relative.AGO,
    relative.DEICTIC,
    relative.WEEKDAY_RULE,
    relative.RELATIVE,
    absolute.DECADE,
    absolute.CENTURY,
    absolute.SEASON_RULE,
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
_PREFILTER = re.compile(
    r"\d|(?i:day|week|month|year|quarter|hour|minute|decade|centur|now|current|recent|previous|past|future|soon"
    r"|shortly|later|earlier|ago|tonight|overnight|noon|midnight|midday|morning|evening|night|spring|summer"
    r"|autumn|fall|winter|annual|every|each|daily|nightly|half|period|lately|formerly|eventually|term|present"
    r"|nineties|eighties|seventies|sixties|fifties|forties|thirties|twenties|tomorrow|nineteen|thousand)"
    r"|(?-i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun|JAN|FEB|MAR|APR|MAY|JUN"
    r"|JUL|AUG|SEP|OCT|NOV|DEC|MON|TUE|WED|THU|FRI|SAT|SUN|Christmas|Easter|Thanksgiving|Hallowe|Valentine|Q[1-4]"
    r"|New Year|Independence|Election|Memorial|Labor|Labour|Boxing|Bastille|Veterans|Armistice|Remembrance"
    r"|Good Friday|Mother|Father|Patrick|Women)"
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
        if _PREFILTER.search(sentence.text) is None:
            continue
        focus.sentence = index
        found.extend(tag_sentence(sentence, anchor, focus))
    return found


def tag_sentence(sentence: Sentence, anchor: dt.date, focus: Focus) -> list[TimeExpression]:
    """The expressions of one sentence; ``focus`` carries what the article has dated so far."""
    context = Context(anchor, sentence.text, focus)
    out: list[TimeExpression] = []
    position = 0
    while (hit := _COMBINED.search(sentence.text, position)) is not None:
        rule = RULES[int(hit.lastgroup[1:])]  # type: ignore[index]
        match = rule.regex.match(sentence.text, hit.start())
        result = rule.resolve(match, context) if match else None
        if result is None or not result.value:
            position = hit.end()
            continue
        start, end = result.span or hit.span()
        position = max(end, hit.start() + 1)
        out.append(_expression(sentence, start, end, result))
        _remember(focus, result)
    return out


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
