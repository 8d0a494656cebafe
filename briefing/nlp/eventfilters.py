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
from collections.abc import Sequence

from briefing.nlp.actors.gazetteer import TITULAR, gazetteer
from briefing.nlp.eventsubjects import subject_phrase
from briefing.nlp.eventtokens import Token, Trigger
from briefing.nlp.eventwords import (
    COMPARISON,
    DETERMINERS,
    FAILING,
    HYPOTHETICAL,
    LIGHT_VERBS,
    MARKET_SUBJECTS,
    NEGATIONS,
    NOT_AN_EVENTS_DATE,
    NOT_EVENTS,
    SUPERLATIVES,
    words,
)

_MAX_CLAUSE_WORDS = 12
_SENTENCE_ENDS = frozenset({".", "!", "?"})
_CLAUSE_ENDS = words(", ; : -- and but then so because after before when while")
"""Where a condition ends: "If it rains, the match will be held on Sunday" holds the match."""
_PRICE_MOVES = words("up down at higher lower flat unchanged steady firmer weaker")
"""After "closed" or "opened", a price: "closed down $1.875", "opened higher"."""
_MAX_MODIFIERS = 6
"""Words a date that can only describe a noun reaches over to it: "last week's deadly U.S. Embassy blasts"."""
_MAX_PHRASE = 9
"""Words from a noun to a date in its own phrase ("the sale of its Danish glass unit in August")."""
_PHRASE_WORDS = words("of for")
"""Prepositions that continue a noun's own phrase before the date: "the sale of the unit", "a loss for"."""
VERB_MARKERS = words("to will would shall should could can may might must did does do not n't 'll")
_NOT = words("not n't never")
"""After an auxiliary, what denies its clause: "Globex did not file", "the board had n't met"."""
_HALTING = words(
    """suspend suspends suspended suspending halt halts halted halting cancel cancels cancelled canceled cancelling
    scrap scraps scrapped scrapping shelve shelves shelved abandon abandons abandoned abandoning"""
)
"""Verbs that stop the event they take as object: "decided to suspend talks over Christmas" holds no talks then."""
_HOSTING = LIGHT_VERBS - words("attend")
"""Light verbs whose denial denies their object ("will not hold talks"); "did not attend the summit" still has one."""


def yardstick(tokens: list[Token], span: tuple[int, int]) -> bool:
    """ "since the 2001 attacks", "than in 1998", "the busiest day of the year": a date that a comparison
    measures against or ranks within dates nothing here."""
    first = bisect.bisect_right([t.end for t in tokens], span[0])
    at = first - 1
    while at >= 0 and (tokens[at].lower in DETERMINERS or tokens[at].lower in ("in", "at", "on")):
        at -= 1
    if at > 0 and tokens[at].lower == "of" and any(_superlative(t.lower) for t in tokens[max(0, at - 3) : at]):
        return True  # "its busiest day of the year": the range a superlative ranks within
    after = bisect.bisect_left([t.start for t in tokens], span[1])  # the first word after the date
    if at >= 0 and _baseline(tokens, at, after):
        return True  # "up 9% from September", "fell to $5m from $7m in 2003": what a change is measured from
    if at < 0 or not _compares(tokens, at):
        return False
    if tokens[at].lower == "than":
        return True  # "prices are higher than in 2007": the standard of a comparison, wherever it stands
    if after >= len(tokens) or tokens[after].text in _SENTENCE_ENDS:
        return True  # "the worst since 1981."
    # "since the 2001 attacks" (the date describes the noun after it), not "since 2001, when the boom began"
    return tokens[after].text.isalpha() and tokens[after].text.islower()


_CHANGES = words("up down higher lower rise fall gain drop increase decrease")
"""Words of a change whose "from" names its baseline: "up 9% from September"."""
_RANGE_ENDS = words("to until till through thru and")


def _baseline(tokens: list[Token], at: int, after: int) -> bool:
    """The date ends a "from" phrase a change is measured from (the word before it at ``at``), or the figure a
    comparison sets beside another: "up 9% from September", "down 4.5% from the previous Friday", "to $5m from
    $7m in 2003", "compared with 40% a year earlier"; not a range's start ("rose from June to August").
    ``after``: the first word after the date."""
    if after < len(tokens) and tokens[after].lower in _RANGE_ENDS:
        return False
    j = at
    if _amount(tokens[j]) or tokens[j].lower in _AMOUNT_WORDS:  # "from $7m in 2003", "from $186.4 million a year ago"
        stop = max(0, j - _MAX_AMOUNT)
        while j > stop and (_amount(tokens[j]) or tokens[j].lower in _AMOUNT_WORDS or tokens[j].text in _CURRENCY):
            j -= 1
    if j >= 1 and tokens[j].lower in ("with", "to") and tokens[j - 1].lower == "compared" and j < at:
        return True  # "compared with $361.8 million a year ago": a figure then, nothing that happened
    if j < 1 or tokens[j].lower != "from":
        return False
    before = tokens[max(0, j - 3) : j]
    return any(t.text == "%" or t.lower in _CHANGES or _amount(t) for t in before)


_CURRENCY = frozenset("$£€¥")
_AMOUNT_WORDS = words("million billion trillion bn mn cents cent pence percent % a share per , or")
"""The words of a figure ("$1.92 a share", "$186.4 million, or 18 cents a share") read back to its "from"."""
_MAX_AMOUNT = 9


def _amount(token: Token) -> bool:
    """A figure: "9", "55.5bn", "$7m" (its digits)."""
    return token.text[:1].isdigit()


def denied(tokens: list[Token], trigger: Trigger) -> bool:
    """Mentions that are no event: negated ("was not open"), hypothetical ("if a price is not agreed"),
    a comparison's yardstick ("the biggest fall since the 2001 attacks"), what an anniversary remembers."""
    i = trigger.index
    before = [t.lower for t in tokens[max(0, i - 3) : i]]
    negated = any(w in NEGATIONS for w in before) and not (trigger.verb is False and before[-1:] != ["no"])
    if negated and not _not_until(tokens, i):
        return True
    if trigger.verb and before[-2:-1] and before[-2] in FAILING and before[-1] == "to":
        return True  # "failed to win", "refused to sign"
    if trigger.verb and i + 1 < len(tokens) and tokens[i + 1].lower in _NOT and not _not_until(tokens, i):
        return True  # an auxiliary or a verb denied after it: "Globex did n't file", "had not paid"
    if not trigger.verb and _object_denied(tokens, i):
        return True  # "the company wo n't hold talks on Monday"
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


_UNTIL = words("until till")


def _not_until(tokens: list[Token], index: int) -> bool:
    """ "will not reopen until Friday": a denial up to a time says the event happens then."""
    return any(t.lower in _UNTIL for t in tokens[index + 1 : index + 7])


def _object_denied(tokens: list[Token], index: int) -> bool:
    """The event noun at ``index`` is the object of a denied light verb ("will not hold talks", "never called a
    meeting") or of a verb that stops it ("decided to suspend talks over Christmas", "cancelled the summit")."""
    j = _governing_verb(tokens, index, _HOSTING | _HALTING)
    if j is None:
        return False
    return tokens[j].lower in _HALTING or any(t.lower in _NOT for t in tokens[max(0, j - 2) : j])


def _governing_verb(tokens: list[Token], index: int, verbs: frozenset[str]) -> int | None:
    """The index of one of ``verbs`` whose object is the noun at ``index``: right before it, or over a
    determiner and a describing word."""
    j = index - 1
    while j >= 0 and index - j <= 3 and tokens[j].lower not in verbs:
        if not tokens[j].text.isalpha():
            return None
        j -= 1
    return j if j >= 0 and index - j <= 3 and tokens[j].lower in verbs else None


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
    offerings", "the 1988 bombing" -> the index of "loss", "offerings", "bombing". A date that can only
    describe what follows it (possessive, after a determiner, or a hyphenated compound: "last year's",
    "his May 2", "year-ago") reaches further: over names and abbreviations before the noun ("last week's
    deadly U.S. Embassy blasts"), to an -ing noun ("the May 2 killing") and over more modifiers."""
    i = bisect.bisect_left([t.start for t in tokens], span[1])
    attributive = _describes(tokens, i, bisect.bisect_right([t.end for t in tokens], span[0]) - 1)
    head = None
    taken = 0
    for j in range(i, len(tokens)):
        if in_time[j] or taken == (_MAX_MODIFIERS if attributive else 3):
            break
        text = tokens[j].text
        if _lower_word(text) and (classes[j] in "NJ" or (attributive and classes[j] == "V" and text.endswith("ing"))):
            head = j if classes[j] != "J" else head
        elif attributive and head is None and text[:1].isupper() and text.replace(".", "").replace("&", "").isalnum():
            pass  # a name or abbreviation before the noun: "U.S.", "Olympic", "Acme Corp."
        elif (
            attributive
            and text == "."
            and j > i
            and tokens[j - 1].text[:1].isupper()
            and tokens[j - 1].end == tokens[j].start
        ):
            continue  # the full stop of an abbreviation: "U.S.", "Corp."
        else:
            break
        taken += 1
    return head


def _describes(tokens: list[Token], i: int, before: int) -> bool:
    """The date (ending before word ``i``, after word ``before``) can only describe a noun after it: possessive
    ("last year's"), after a determiner or a possessive ("the May 2", "his May 2"), or a hyphenated compound
    ("third-quarter", "year-ago")."""
    return i > 0 and (
        tokens[i - 1].lower.endswith(("'s", "s'"))
        or "-" in tokens[i - 1].text
        or (before >= 0 and (tokens[before].lower in DETERMINERS or tokens[before].lower.endswith("'s")))
    )


def _lower_word(text: str) -> bool:
    """A lower-case word, hyphenated or not: "loss", "profit-taking", "cease-fire"."""
    return text.islower() and text.replace("-", "").isalpha() and text[0] != "-" and text[-1] != "-"


def phrase_holding(
    tokens: Sequence[Token], classes: Sequence[str], in_time: Sequence[bool], index: int, first: int
) -> str | None:
    """How a date after the noun at ``index`` (``first``: the date's first word) stands in that noun's
    phrase: "next" ("the talks on Monday", "a request last week"), "of" with only the noun's own
    of-phrase and modifiers between ("the sale of the unit in August", "a loss for the third
    quarter"), or ``None`` (a verb, a comma or a clause word between: "the bombing, condemned on Friday")."""
    if classes[index] != "N" or index >= first or first - index > _MAX_PHRASE:
        return None
    between = range(index + 1, first)
    if all(in_time[j] for j in between):
        return "next"
    for j in between:
        word = tokens[j]
        if not (
            in_time[j]
            or word.lower in _PHRASE_WORDS
            or (word.lower in DETERMINERS and word.lower != "that")  # "the report that on Monday ..." starts a clause
            or (classes[j] in "NJP" and word.text[:1].isalnum())
            or word.text[:1].isdigit()
            or word.text in ("$", "%", "&")
        ):
            return None
    return "of"


def in_own_phrase(tokens: list[Token], trigger: Trigger, span: tuple[int, int], head: int | None) -> bool:
    """The date stands in the event word's own phrase: before its noun ("Friday's attack", "the Monday
    talks") or right after the word ("the talks on Monday", "when it arrives on Friday"), not attached to
    a verb further off ("condemned the bombing of the embassies on Thursday")."""
    if head == trigger.index and not trigger.verb:
        return True
    after = trigger.index + trigger.width
    first = bisect.bisect_right([t.end for t in tokens], span[0])
    return after == first or (after == first - 1 and tokens[after].lower in ("on", "in", "at", "of", "this", "last"))
