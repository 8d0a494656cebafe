"""The event an aspectual verb governs: "began selling its shares in May" dates the selling too.

A verb of beginning, going on or ending ("began", "resumed", "completed", "stopped") says
when another event starts or ends; the date of the one is the date of the other, and a
reader asking what happened then means that other event: the selling, the talks, the
trading. The complement is the -ing verb after the aspectual verb ("stopped paying"),
the verb after "to" ("began to sell"), or the head noun of its object when that noun names
a happening ("completed the evacuation", "resumed talks", not "stopped a boat"). It is dated as a further
event of the same date; its title is its own clause's, and it is no calendar entry of its
own (the aspectual verb's event is already that entry).
"""

from __future__ import annotations

from collections.abc import Sequence

from briefing.nlp.eventtokens import Token
from briefing.nlp.eventwords import DETERMINERS, EVENT_NOUNS, NOT_EVENTS, words

ASPECTUAL = words(
    """begin begins began begun beginning start starts started starting resume resumes resumed resuming
    complete completes completed completing finish finishes finished finishing stop stops stopped stopping
    halt halts halted continue continues continued cease ceases ceased conclude concludes concluded
    suspend suspends suspended"""
)
"""Verbs that begin, continue or end another event rather than name one of their own."""

_SKIPPED = DETERMINERS | words("my your further new first second final")
_NOMINAL_ENDINGS = ("tion", "sion", "ment", "ance", "ence", "ing")
"""Endings of nouns made from verbs, which name a happening ("the acquisition", "payments", "the bidding")."""
_OBJECT_WORDS = 4
"""Words of an object a head noun may stand after: "an auction process", "the final phase"."""


def complement(tokens: Sequence[Token], classes: Sequence[str], index: int, in_time: Sequence[bool]) -> int | None:
    """The index of the event the aspectual verb at ``index`` governs, or ``None`` (not aspectual, or
    nothing it governs follows: "the talks began on Monday")."""
    if tokens[index].lower not in ASPECTUAL or classes[index] != "V":
        return None
    j = index + 1
    if j < len(tokens) and classes[j] == "R" and not in_time[j]:  # "began quietly selling"
        j += 1
    if j >= len(tokens) or in_time[j] or not tokens[j].text.isalpha():
        return None
    word = tokens[j]
    if word.lower.endswith("ing") and classes[j] in "VN":
        return j
    if word.lower == "to":  # "began to sell", not "will continue to be a drag"
        verb = j + 1 < len(tokens) and classes[j + 1] == "V" and not in_time[j + 1]
        return j + 1 if verb and tokens[j + 1].lower not in NOT_EVENTS else None
    head = None
    for k in range(j, min(j + _OBJECT_WORDS, len(tokens))):
        lower = tokens[k].lower
        if in_time[k] or not tokens[k].text.isalpha() or not tokens[k].text.islower():
            break
        if lower in _SKIPPED or classes[k] == "J":
            continue
        if classes[k] != "N":
            break
        head = k
    return head if head is not None and _names_a_happening(tokens[head].lower) else None


def _names_a_happening(noun: str) -> bool:
    """An event noun of ours or a noun made from a verb: "stopped payments", not "stopped a boat"."""
    return noun in EVENT_NOUNS or noun.removesuffix("s").endswith(_NOMINAL_ENDINGS)
