"""The words of a sentence as the event finder sees them, and an event word: the types every event module shares."""

from __future__ import annotations

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
