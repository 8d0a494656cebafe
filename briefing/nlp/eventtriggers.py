"""Event words: the lexicon's (notable) in any sentence, and every other verb of a dated one.

A lexicon word counts where it reads as the event ("the final", "will vote"),
not as a modifier ("final figures", "strike threat") or an idiom ("strike a
deal"); two-word verbs ("step down") take both words. In a dated sentence every
other verb is a candidate too ("shares fell on Monday"), listed but not notable.
"""

from __future__ import annotations

from collections.abc import Callable

from briefing.nlp.eventfilters import VERB_MARKERS, market_move, modifier_participle
from briefing.nlp.eventtokens import Token, Trigger
from briefing.nlp.eventwords import (
    AMBIGUOUS_NOUNS,
    COMPOUND_HEADS,
    DETERMINERS,
    EVENT_NOUNS,
    EVENT_VERBS,
    NOT_EVENTS,
    OCCURRING,
    PHRASES,
    PLANNED,
    PLANNING,
    PREPOSITIONS,
    WHEN_ADVERBS,
    words,
)
from briefing.nlp.postags import common_class

_FOLLOWERS = words("and or but with against between is was will would has had could may might must took began")
_TAKE = words("take takes took taking taken")
_BE = words("be been being is are was were")
_NOUN_AFTER = (PREPOSITIONS - {"to"}) | words("amid amidst among despite without into onto against about")
"""A preposition before an event word makes it a noun ("ballot for strike action"), unless it ends in -ing."""
_ADJECTIVE_AFTER = words("from of with at in on over under about among")
"""After these, an -ing event word describes the noun that follows: "from flying debris", "with striking workers"."""
_STRIKE = words("strike strikes striking struck")
_ATTACK = words("attack attacks attacked attacking")
_CRITICISED = words(
    """words remarks comments comment plan plans policy policies proposal proposals decision decisions record
    claims claim statement statements speech idea ideas stance approach handling budget report reforms strategy
    views"""
)
"""What one attacks without violence: "attack Mr Blair's words", "attacked the government's plans"."""
_STRUCK_IDIOMS = words(
    "deal deals agreement accord bargain compromise balance chord tone note pose blow match down back out up home gold oil"
)
"""What one strikes without a walkout or an attack: "strike a deal", "struck the right balance", "struck gold"."""
_CURRENCIES = frozenset("$£€¥")
_HITTING = words(
    """tsunami earthquake quake storm hurricane typhoon cyclone tornado flood floods lightning wave waves disaster
    fire blaze avalanche landslide drought epidemic"""
)
"""What strikes a place without a walkout: "the tsunami which struck south Asia on Boxing Day"."""
_OPEN = words("open opens opened opening")
_OPENED_IDIOMS = words("scoring account fire floodgates")
"""What one opens without an opening: "opened the scoring", "opened fire" ("opens its doors" is one)."""
_MEET = words("meet meets met")
_MET_OBJECTS = words(
    """expectations expectation target targets forecast forecasts estimate estimates demand needs requirements
    criteria standards standard obligations costs deadline deadlines goal goals challenge challenges"""
)
"""What one meets without a meeting: "meet expectations", "met the deadline", "meet demand"."""
_SHOWINGS = words("demonstration demonstrations")
_TALLIES = words("vote votes ballots")
NOT_CLAUSE_EVENTS = NOT_EVENTS | PLANNING | PLANNED | OCCURRING | frozenset({"compared"})
"""Auxiliaries, the words of a plan ("set for", "is due") and of happening ("occurred"), which point at an event
rather than name one, and "compared", which sets one figure beside another."""
_PHRASE_STARTS = frozenset(first for first, _ in PHRASES)
"""The first words of the two-word event verbs: only these look at the word after them."""
_CLOSE_TO = words("to ally allies friend friends aide aides ties associate associates call race contest")


def find_triggers(tokens: list[Token]) -> list[Trigger]:
    found = []
    for index, token in enumerate(tokens):
        word = token.lower
        if word in _SHOWINGS and _next(tokens, index) == "of":
            continue  # "a demonstration of the new robot": a showing, not a protest
        if word in _TALLIES and index and tokens[index - 1].text.replace(",", "").isdigit():
            continue  # "held the seat by 95 votes": a tally, not a vote
        if word in EVENT_NOUNS and _next(tokens, index) not in COMPOUND_HEADS:
            ambiguous = word in AMBIGUOUS_NOUNS or word in EVENT_VERBS
            infinitive = index > 0 and tokens[index - 1].lower in VERB_MARKERS  # "options to exercise by 2018"
            nominal = not ambiguous or _noun_context(tokens, index) or _next(tokens, index) in ("of", "by")
            nominal = nominal and not infinitive
            nominal = nominal and not (ambiguous and _modifies_next(tokens, index))
            if nominal and (word != "release" or _next(tokens, index) == "of"):
                found.append(Trigger(index, EVENT_NOUNS[word], verb=False))
                continue
        if word in _PHRASE_STARTS and (word, _next(tokens, index)) in PHRASES:  # "plans to stand down on January 15"
            found.append(Trigger(index, PHRASES[(word, _next(tokens, index))], verb=True, width=2))
            continue
        if word == "office" and index and tokens[index - 1].lower in _TAKE:
            found.append(Trigger(index, "Inauguration", verb=True))  # "takes office on Jan. 20"
            continue
        if word == "close" and _next(tokens, index) in _CLOSE_TO:
            continue  # "close to the border", "a close ally": near, not shut
        if word in _STRIKE and _strikes_an_idiom(tokens, index):
            continue  # "strike a deal", "struck the right balance": no walkout
        if word == "struck" and index and tokens[index - 1].lower in _STRUCK_IDIOMS:
            continue  # "the deal struck last week"
        if word in _STRIKE and any(t.lower in _HITTING for t in tokens[max(0, index - 3) : index]):
            continue  # "the earthquake struck", "the tsunami which struck south Asia": no walkout
        if word in _ATTACK and _criticises(tokens, index):
            continue  # "attack Mr Blair's words": criticism, no attack
        if word in _MEET and _met_object(tokens, index):
            continue  # "failed to meet expectations", "met its sales target": no meeting
        if word in _OPEN and _idiom_after(tokens, index, _OPENED_IDIOMS):
            continue  # "opened the scoring", "opened fire": no opening
        if (
            word in EVENT_VERBS
            and not token.text[0].isupper()
            and (not index or tokens[index - 1].lower not in DETERMINERS)
            and (not index or not tokens[index - 1].lower.endswith("'s"))  # "since Wednesday's close"
            and (not index or tokens[index - 1].lower not in _NOUN_AFTER or word.endswith("ing"))
            and not (word.endswith("ing") and index and tokens[index - 1].lower in _ADJECTIVE_AFTER)
            and not _described_noun(tokens, index)
        ):
            found.append(Trigger(index, EVENT_VERBS[word], verb=True))
    return [t for t in found if not market_move(tokens, t)]


def find_clause_verbs(
    tokens: list[Token], triggers: list[Trigger], classes: list[str], heads: list[int | None]
) -> list[Trigger]:
    """Every verb of a dated sentence that the lexicon does not know as an event word.

    A date places the clause it stands in ("shares fell on Monday", "said on
    Friday"), whatever the verb; such events are listed, not put in calendars.
    """
    taken = {t.index for t in triggers}
    verbs = [
        Trigger(i, token.lower, verb=True, notable=False)
        for i, (token, word_class) in enumerate(zip(tokens, classes, strict=True))
        if word_class == "V"
        and i not in taken
        and token.text.isalpha()
        and token.lower not in NOT_CLAUSE_EVENTS
        and not modifier_participle(tokens, classes, i)
        and not takes_place(tokens, i)
    ]
    nouns = [Trigger(i, tokens[i].lower, verb=False, notable=False) for i in set(heads) - taken if i is not None]
    return sorted([*verbs, *nouns], key=lambda t: t.index)


def takes_place(tokens: list[Token], index: int) -> bool:
    """The word is "took" or "place" of "took place", or a passive "played": like "occurred", it points at its
    subject, the event ("the recapitalization that took place in 1988", "the final will be played on Sunday"),
    and names none itself."""
    word = tokens[index].lower
    if word in _TAKE:
        return _next(tokens, index) == "place"
    if word == "played":
        return index > 0 and tokens[index - 1].lower in _BE
    return word == "place" and index > 0 and tokens[index - 1].lower in _TAKE


def _strikes_an_idiom(tokens: list[Token], index: int) -> bool:
    """ "strike a deal", "struck a new trade agreement", "strikes a conciliatory tone" (but "struck a hospital")."""
    return _idiom_after(tokens, index, _STRUCK_IDIOMS)


def _idiom_after(tokens: list[Token], index: int, idioms: frozenset[str]) -> bool:
    """One of ``idioms`` follows the verb in its object, past determiners, lower-case words and amounts
    ("struck a $1bn cost-cutting deal")."""
    return _object_holds(tokens, index, idioms, 5, _idiom_word)


def _idiom_word(token: Token) -> bool:
    text = token.text
    lower_word = text.replace("-", "").isalpha() and text.islower()
    return lower_word or text[:1].isdigit() or text in _CURRENCIES


_COUNTS = words("two three four five six seven eight nine ten several many")


def _criticises(tokens: list[Token], index: int) -> bool:
    """The verb's object is something said or planned, across determiners, describing words and an owner's
    name: "attack Mr Blair's words", "attacked the government's new plans"."""
    return _object_holds(tokens, index, _CRITICISED, 5, _owner_word)


def _owner_word(token: Token) -> bool:
    return token.text.replace("'s", "").replace("’s", "").replace(".", "").isalpha()


def _met_object(tokens: list[Token], index: int) -> bool:
    """The verb's object is a standard met, across determiners and the nouns or adjectives before it: "meet
    expectations", "met its sales targets" (not "met investors to discuss demand")."""
    return _object_holds(tokens, index, _MET_OBJECTS, 3, _describing_word)


def _describing_word(token: Token) -> bool:
    return token.text.isalpha() and token.text.islower() and common_class(token.lower) in ("N", "J")


def _object_holds(
    tokens: list[Token], index: int, heads: frozenset[str], reach: int, passes: Callable[[Token], bool]
) -> bool:
    """One of ``heads`` stands within ``reach`` words after the verb at ``index``, with only determiners and
    words that ``passes`` accepts before it: the verb's object is one of them."""
    for token in tokens[index + 1 : index + 1 + reach]:
        if token.lower in heads:
            return True
        if not (token.lower in DETERMINERS or passes(token)):
            return False
    return False


def _noun_context(tokens: list[Token], index: int) -> bool:
    """A determiner, possessive or plan word just before, or a name, or a preposition and the words that describe
    the noun: "the final", "Barcelona final", "the Fed's next policy meeting", "into mass protests"."""
    before = tokens[max(0, index - 3) : index]
    if before and before[-1].lower in VERB_MARKERS:
        return False  # "to visit", "will vote"
    if before and before[-1].text[:1].isupper() and before[-1].start > 0:
        return True
    words = [t.lower for t in before]
    # "two bomb attacks", "913,138 food bank visits"
    counted = any(w in _COUNTS or w.replace(",", "").isdigit() for w in words) and not words[-1].endswith("s")
    if counted or any(w in DETERMINERS or w.endswith("'s") or w in PLANNED or w.endswith("-day") for w in words):
        return True
    opened = next((k for k in range(len(words) - 1, -1, -1) if words[k] in _NOUN_AFTER), None)
    described = words[opened + 1 :] if opened is not None else []  # "into mass protests", not "in march 2015"
    return bool(described) and all(common_class(w) in ("J", "N") for w in described)


_ADJECTIVE_ENDINGS = ("some", "less", "ous", "ful", "ive", "able", "ible", "ish", "al", "ic")
"""Endings of a describing word the lexicon does not know: "a worrisome sign"."""


def _described_noun(tokens: list[Token], index: int) -> bool:
    """A determiner and a describing word before the word make it a noun: "a worrisome sign", "a new sign"
    (not "the newly signed deal": an adverb, nor "the board signed": a noun)."""
    if index < 2 or tokens[index - 2].lower not in DETERMINERS:
        return False
    before = tokens[index - 1]
    known = common_class(before.lower)
    describing = known == "J" or (not known and before.lower.endswith(_ADJECTIVE_ENDINGS))
    return before.text.isalpha() and before.text.islower() and describing


def _modifies_next(tokens: list[Token], index: int) -> bool:
    """ "the final album", "a strike threat": the word qualifies the noun after it."""
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    if following is None or not following.text.isalpha() or not following.text[0].islower():
        return False
    word = following.lower
    ends = word in PREPOSITIONS or word in _FOLLOWERS or word in PLANNING or word in WHEN_ADVERBS  # "meeting later"
    return not (ends or word.endswith(("ed", "s")))


def _next(tokens: list[Token], index: int) -> str:
    return tokens[index + 1].lower if index + 1 < len(tokens) else ""


def planned(tokens: list[Token], trigger: Trigger) -> bool:
    """ "is expected to visit", "plans to hold talks", "the planned visit", "the upcoming summit"."""
    i = trigger.index
    words = [t.lower for t in tokens[max(0, i - 3) : i]]
    words = [""] * (3 - len(words)) + words  # the three words before the event word
    if not trigger.verb:
        return any(w in PLANNED for w in words)
    if words[2] != "to":
        return False
    if words[0:2] == ["be", "held"]:
        return True
    return words[1] in PLANNING and words[0] not in ("was", "were", "had", "been")
