"""Mentions that are no events, and what a date describes.

Negated ("was not open"), conditional ("if a price is not agreed") and
compared ("the biggest fall since the 2001 attacks") mentions are no events,
nor is an event noun that describes a role ("the acquisition director");
a date a comparison measures against dates nothing; a stock "rally" is a
market's move; an -ing form describing a noun is not its clause's verb; a
date before a noun describes that noun ("the third-quarter loss").
"""

from __future__ import annotations

import bisect

from briefing.nlp.actors.gazetteer import TITULAR, gazetteer
from briefing.nlp.eventsubjects import subject_phrase
from briefing.nlp.eventtokens import Token, Trigger
from briefing.nlp.eventwords import (
    COMPARISON,
    DETERMINERS,
    HYPOTHETICAL,
    MARKET_SUBJECTS,
    NEGATIONS,
    NOT_AN_EVENTS_DATE,
    NOT_EVENTS,
    SUPERLATIVES,
    words,
)

_MAX_CLAUSE_WORDS = 12
_CLAUSE_ENDS = words(", ; : -- and but then so because after before when while")
"""Where a condition ends: "If it rains, the match will be held on Sunday" holds the match."""
_PRICE_MOVES = words("up down at higher lower flat unchanged steady firmer weaker")
"""After "closed" or "opened", a price: "closed down $1.875", "opened higher"."""
VERB_MARKERS = words("to will would shall should could can may might must did does do not n't 'll")


def yardstick(tokens: list[Token], span: tuple[int, int]) -> bool:
    """ "since the 2001 attacks", "than in 1998": a date that a comparison measures against dates nothing here."""
    first = bisect.bisect_right([t.end for t in tokens], span[0])
    at = first - 1
    while at >= 0 and (tokens[at].lower in DETERMINERS or tokens[at].lower in ("in", "at", "on")):
        at -= 1
    if at < 0 or not _compares(tokens, at):
        return False
    if tokens[at].lower == "than":
        return True  # "prices are higher than in 2007": the standard of a comparison, wherever it stands
    after = bisect.bisect_left([t.start for t in tokens], span[1])
    return after < len(tokens) and tokens[after].text.isalpha() and tokens[after].text.islower()


def denied(tokens: list[Token], trigger: Trigger) -> bool:
    """Mentions that are no event: negated ("was not open"), hypothetical ("if a price is not agreed"),
    a comparison's yardstick ("the biggest fall since the 2001 attacks"), what an anniversary remembers."""
    i = trigger.index
    before = [t.lower for t in tokens[max(0, i - 3) : i]]
    if any(w in NEGATIONS for w in before) and not (trigger.verb is False and before[-1:] != ["no"]):
        return True
    if conditional(tokens, i):
        return True
    if not trigger.verb:
        if _names_a_role(tokens, i + trigger.width):
            return True
        for j in range(i - 1, max(-1, i - 6), -1):
            word = tokens[j].lower
            if _compares(tokens, j) or word in NOT_AN_EVENTS_DATE:
                return True
            if not (word in DETERMINERS or word == "of" or tokens[j].text[:1].isdigit() or tokens[j].text.isalpha()):
                break
            if word in VERB_MARKERS or word in NOT_EVENTS:
                break
    return False


def _names_a_role(tokens: list[Token], after: int) -> bool:
    """An event noun before a role's head describes the role: "the Acquisition Director", "an election
    commissioner", "the strike leader" name people, not an acquisition, an election or a strike."""
    if after >= len(tokens):
        return False
    word = tokens[after].lower
    return word in TITULAR or word in gazetteer().role_heads


def conditional(tokens: list[Token], index: int) -> bool:
    """The word at ``index`` stands in a condition: "if a price is not agreed", "unless the board approves"."""
    for j in range(index - 1, max(-1, index - _MAX_CLAUSE_WORDS), -1):
        word = tokens[j].lower
        if word in HYPOTHETICAL:
            return True
        if word in _CLAUSE_ENDS:
            return False
    return False


def _compares(tokens: list[Token], index: int) -> bool:
    """ "than", or "since" after a superlative ("the biggest fall since"), but not "since its launch"."""
    word = tokens[index].lower
    if word not in COMPARISON:
        return False
    return word != "since" or any(_superlative(t.lower) for t in tokens[max(0, index - 4) : index])


def _superlative(word: str) -> bool:
    return word in SUPERLATIVES or (word.endswith("est") and len(word) > 4)


def market_move(tokens: list[Token], trigger: Trigger) -> bool:
    """ "Stocks rallied on Wednesday", "Globex closed down 50 cents": a market's move, not a protest or a
    closure (a generic clause event instead)."""
    if trigger.verb and trigger.title in ("Closure", "Opening"):
        following = tokens[trigger.index + 1].lower if trigger.index + 1 < len(tokens) else ""
        return following in _PRICE_MOVES
    if trigger.title != "Protest" or not trigger.verb:
        return False
    subject = subject_phrase(tokens, trigger.index)
    return subject is not None and subject.split()[-1].lower() in MARKET_SUBJECTS


def modifier_participle(tokens: list[Token], classes: list[str], index: int) -> bool:
    """ "a boat carrying migrants", ", citing price cuts": an -ing form that describes a noun or adds a
    side note, not the clause's own verb (which the date dates)."""
    word = tokens[index].lower
    if not word.endswith("ing") or index == 0:
        return False
    before = tokens[index - 1]
    return word.endswith("ing") and (classes[index - 1] == "N" or before.text == ",")


def modified_noun(tokens: list[Token], classes: list[str], span: tuple[int, int], in_time: list[bool]) -> int | None:
    """The noun a date describes, when it stands before one: "the third-quarter net loss", "Friday's
    offerings", "the 1988 bombing" -> the index of "loss", "offerings", "bombing"."""
    i = bisect.bisect_left([t.start for t in tokens], span[1])
    head = None
    for j in range(i, min(i + 3, len(tokens))):
        if in_time[j] or not (tokens[j].text.isalpha() and tokens[j].text.islower() and classes[j] in "NJ"):
            break
        if classes[j] == "N":
            head = j
    return head


def in_own_phrase(tokens: list[Token], trigger: Trigger, span: tuple[int, int], head: int | None) -> bool:
    """The date stands in the event word's own phrase: before its noun ("Friday's attack", "the Monday
    talks") or right after the word ("the talks on Monday", "when it arrives on Friday"), not attached to
    a verb further off ("condemned the bombing of the embassies on Thursday")."""
    if head == trigger.index and not trigger.verb:
        return True
    after = trigger.index + trigger.width
    first = bisect.bisect_right([t.end for t in tokens], span[0])
    return after == first or (after == first - 1 and tokens[after].lower in ("on", "in", "at", "of", "this", "last"))
