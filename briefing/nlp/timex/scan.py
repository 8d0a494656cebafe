"""Where the rules are tried: next to the words that every time expression contains.

Trying the whole grammar at every word of a sentence costs tens of
microseconds a word. Instead one fast pass finds the *anchors* (month and
weekday names, units such as "week", "today", years, clock times ...); an
expression that holds an anchor starts at most a few words before it, at a
word that can open an expression ("the", "last", "early", a number ...). Only
those positions are tried, leftmost first. A sentence without an anchor costs
one regex scan and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from briefing.nlp.timex import lexicon
from briefing.nlp.timex.grammar import MONTH, WEEKDAY, WEEKDAYS_PLURAL, alternation

_ANCHOR_WORDS = [
    *lexicon.UNITS,
    *lexicon.UNIT_PLURALS,
    *lexicon.SEASONS,
    *lexicon.PARTS_OF_DAY,
    *lexicon.SETS,
    *"""half halves period periods today tomorrow yesterday noon midnight midday now currently present presently
    nowadays moment current recently formerly past lately future someday ago term date twenties thirties forties
    fifties sixties seventies eighties nineties nineteen thousand christmas easter thanksgiving halloween
    valentine's""".split(),  # noqa: SIM905
]
ANCHOR = re.compile(
    rf"(?<![\w'’])(?:{MONTH}|{WEEKDAY}|{WEEKDAYS_PLURAL}|(?i:{alternation(_ANCHOR_WORDS)})(?:['’]s)?(?!\w)"
    r"|(?:1[6-9]|20)\d\d(?!\d)|\d0['’]?s(?!\w)|['’]\d0s(?!\w)|\d{1,2}(?:[:.]\d\d)?\s*[ap]\.?m|\d{1,2}:\d\d"
    r"|\d{1,2}/\d{1,2}/\d|(?-i:Q[1-4])(?!\w))"
)
"""A word or number that every time expression contains."""

START_WORDS = lexicon.words(
    """the a an its their his her our this that these those last next coming upcoming past previous following
    preceding current latest same very early late mid earlier later end beginning start middle close turn dawn
    latter first second third fourth final about around approximately roughly some nearly almost just more less
    over under at up within each every all another between from in for after take takes took taking lasted spent
    spend spending fiscal calendar fy model comparable corresponding once twice thrice half several few many
    numerous recent near foreseeable not distant right one two three four five six seven eight nine ten eleven
    twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy
    eighty ninety hundred dozen couple fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth
    fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth thirtieth whole entire full
    remaining further additional prior initial other new independence bastille veterans armistice remembrance
    boxing st labour international good election memorial labor mother's father's women's valentine's
    year-ago year-earlier year-before most recently"""
)
"""Words that can open an expression ("the past two weeks", "early next year", "about 7 p.m.")."""

_WORD = re.compile(r"[\w'’]+")
_BACK_WORDS = 6
_BACK_CHARS = 80


def starts(text: str, anchor: int, floor: int) -> Iterator[int]:
    """Where to try an expression holding the anchor at ``anchor``: start words among the
    few words before it (not before ``floor``), leftmost first, then the anchor itself."""
    before = list(_WORD.finditer(text, max(floor, anchor - _BACK_CHARS), anchor))[-_BACK_WORDS:]
    for word in before:
        token = word.group().lower()
        if token in START_WORDS or token[0].isdigit() or token[0] in "'’" or token.rstrip("s") in START_WORDS:
            yield word.start()
    yield anchor
