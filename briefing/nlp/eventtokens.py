"""The words of a sentence as the event finder sees them (how it splits them, which are names), and an event word:
the types every event module shares."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple


class Token(NamedTuple):
    """A word or punctuation mark of a sentence, with its offsets in the sentence.

    A named tuple, not a frozen dataclass: as immutable and made several times faster, which counts
    for the words of every sentence that holds a date or an event word."""

    text: str
    start: int
    end: int
    lower: str
    """The word in lower case, with a typographic apostrophe made plain (computed once: read very often)."""

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Token:
        # tuple.__new__ is what the named tuple's own constructor calls: one call less for every word
        return tuple.__new__(cls, (text, start, end, text.lower().replace("’", "'")))


@dataclass(frozen=True, slots=True)
class Trigger:
    """An event word: its token index, the noun its title starts with, whether it is a verb, and whether
    it names an event worth a calendar entry (a lexicon word) or only dates a clause ("said", "rose")."""

    index: int
    title: str
    verb: bool
    notable: bool = True
    width: int = 1
    """Words the event word takes: 2 for "step down"."""


_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\w[\w'’.&-]*\w|\w|[^\w\s]")
"""Words, numbers with thousands separators ("500,000" is one word: a title keeps it whole), punctuation."""
_CONTRACTED = re.compile(r"(?i)(\w+)(n['’]t)$|(he|she|it|that|there|what|who|here)(['’]s)$")
"""A contraction is two words, as the tagger's training text (CoNLL-2003) writes it: "weren't" is "were" and
"n't", so that "n't" denies the event after it like "not" and "were" is the auxiliary it is; so is a pronoun's
"'s" ("He's expected to meet": "He", whom it stands for, and "'s"), while a name's possessive stays one word.
Split after the words are found: few words hold an apostrophe."""


def words_of(text: str) -> list[Token]:
    """The words of a sentence, with their offsets in it (see :data:`_TOKEN` and :data:`_CONTRACTED`)."""
    tokens = []
    for m in _TOKEN.finditer(text):
        word, start = m.group(), m.start()
        split = _CONTRACTED.match(word) if ("'" in word or "’" in word) else None
        if split is None:
            tokens.append(Token.of(word, start, m.end()))
            continue
        head = split[1] or split[3]
        tokens.append(Token.of(head, start, start + len(head)))
        tokens.append(Token.of(word[len(head) :], start + len(head), m.end()))
    return tokens


def names_as_names(tokens: list[Token], classes: list[str]) -> list[str]:
    """A capitalised word inside a run of them is part of a name, whatever the lexicon knows it as: "the visit
    of Stoke City" holds no verb "stoke" (which would take the date and bar the visit from it)."""
    for i in range(1, len(tokens)):
        if (
            classes[i] == "V"
            and tokens[i].text[:1].isupper()
            and (_capitalised(tokens, i - 1) or _capitalised(tokens, i + 1))
        ):
            classes[i] = "P"
    return classes


def _capitalised(tokens: list[Token], i: int) -> bool:
    return 0 < i < len(tokens) and tokens[i].text[:1].isupper() and tokens[i].text[:1].isalpha()
