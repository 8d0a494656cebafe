"""The tense of the verb that governs a time expression, from the words around it.

No part-of-speech tagger: news verbs announce their tense through a small set of
words (auxiliaries, "will", "is expected to", "set for"), the "-ed" ending and
a list of irregular past forms. The nearest verb group to the left of the
expression decides; when there is none (an expression that opens the
sentence), the nearest one to the right.
"""

from __future__ import annotations

import re

from briefing.nlp.postags import lexicon
from briefing.nlp.timex.lexicon import words
from briefing.nlp.timex.values import Tense

_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?|[;:]|(?P<quote>``|''|[\"“”])|(?P<comma>,)")
_BARRIERS = frozenset({";", ":", "``", "''", '"', "“", "”"})
"""A verb across these does not govern the expression: another clause, or a quotation's edge."""
_LEFT_WINDOW = 14
_RIGHT_WINDOW = 16
_WINDOW_CHARS = 200  # enough for the left window's words; bounds the work in a run-on "sentence"

_FUTURE_AUX = frozenset({"will", "shall", "won't", "wo", "would", "may", "might", "should", "must", "can", "could"})
_PAST_AUX = frozenset({"was", "were", "had", "did", "didn't", "wasn't", "weren't", "hadn't", "been"})
_PRESENT_AUX = frozenset({"is", "are", "am", "isn't", "aren't", "does", "do", "doesn't", "don't"})
_PERFECT_AUX = frozenset({"has", "have", "hasn't", "haven't"})


# Words that, followed by "to" + verb, point to the future: "is expected to visit", "is to resume".
_PLAN_BEFORE_TO = words(
    """expected set due scheduled slated poised planned plans plan planning going intends intend intended aims aim
    hopes hope hoped wants want wanted likely unlikely ready preparing prepares prepare prepared agreed agree agrees
    promised promises vowed pledged decided threatened offered looking seeking bound about is are am
    was were"""
)
# Words followed by a preposition that announce a date ahead: "set for March 9".
_PLAN_BEFORE_PREP = words("set due scheduled slated planned expected penciled pencilled")
_PLAN_PREPS = words("for on in to by from between")
_FUTURE_WORDS = words("upcoming forthcoming slated tomorrow")
# "the planned visit" looks ahead; "they planned to pay" is a past verb.
_PLAN_ADJECTIVES = words("planned scheduled proposed expected anticipated intended")
_DETERMINERS = words("the a an its his her their our this that next")
# News writes coming events in the present simple: "Arafat meets Albright on Monday".
_EVENT_PRESENT = words(
    """meet meets visit visits travel travels arrive arrives hold holds begin begins start starts open opens leave
    leaves head heads vote votes resume resumes return returns host hosts fly flies sign signs launch launches
    take takes face faces expire expires go goes"""
)
# "is meeting on Thursday" is ahead; "is continuing under a June agreement" is not.
_EVENT_STEMS = frozenset(w for w in _EVENT_PRESENT if not w.endswith("s")) | words(
    "visit travell arriv hold meet leav head vot resum return host fly sign launch open start beginn clos tak fac expir"
)
# A plan made, for a day ahead: "planned a rally on Saturday" (the verb to the left of the date only:
# "on Monday the judge scheduled a hearing" says when the plan was made).
_PLAN_VERBS = words("planned plans planning scheduled schedules scheduling")
# Words that open a subordinate clause: a verb after them does not govern what came before.
_CLAUSE_OPENERS = words("that which who whom because although though while if unless whether how why what where")
_IRREGULAR_PAST = words(
    """met went came took gave made held told said saw sent spent left led lost won began fell rose got found
    brought bought sold paid kept thought felt heard knew stood struck spoke broke chose drove flew wrote ran
    sat wore grew threw drew forgot hid ate fought caught taught sought built meant shot slept swore tore
    understood withdrew overtook undertook became rang sang swam sank shook woke arose fled bore dealt drank
    forbade forgave froze hung lay lent lit mistook rode slid sprang stole stuck stung strove swept swung trod
    wept wound died tied lied owed eyed"""
)
_ED_NOT_PAST = words(
    """need needs feed speed seed bed red shed bleed breed exceed succeed proceed hundred kindred sacred naked
    wicked wretched ragged rugged beloved aged united limited based related detailed advanced indeed embed
    weed greed tweed steed heed deed bred wed led fled shred sled"""
)


def tense_near(sentence: str, start: int, end: int) -> Tense:
    """The tense governing the expression at ``sentence[start:end]``."""
    words = [m.group() for m in _TOKEN.finditer(sentence, max(0, start - _WINDOW_CHARS), start) if not m["comma"]]
    words = _names_as_one(words)[-_LEFT_WINDOW:]
    found = _scan_left(words)
    if found != "none":
        return found
    if sentence[end : end + 2] in ("'s", "’s"):
        return "none"  # "Wednesday's ruling": a noun's modifier, no verb governs it
    right: list[str] = []
    after_comma: set[int] = set()
    for m in _TOKEN.finditer(sentence, end):
        if m["comma"]:
            after_comma.add(len(right))
        elif len(right) < _RIGHT_WINDOW:
            right.append(m.group())
        else:
            break
    return _scan_right(right, after_comma)


def _names_as_one(words: list[str]) -> list[str]:
    """Runs of capitalised words count as one word of the window ("Premier League", "Stoke City", "Stamford
    Bridge"): names do not push the governing verb out of reach. The run keeps its last word."""
    out: list[str] = []
    for word in words:
        if out and word[:1].isupper() and out[-1][:1].isupper() and len(out) > 1:
            out[-1] = word
        else:
            out.append(word)
    return out


def _scan_left(words: list[str]) -> Tense:
    lowered = [w.lower().replace("’", "'") for w in words]
    for i in range(len(words) - 1, -1, -1):
        word = lowered[i]
        if word in _BARRIERS:
            return "none"
        if word in _PLAN_VERBS and _plans_a_thing(lowered, i):
            return "future"  # "protesters planned a rally on Saturday", "has scheduled a news conference Thursday"
        verdict = _verb_tense(words, lowered, i)
        if verdict != "none":
            return verdict
    return "none"


def _plans_a_thing(lowered: list[str], i: int) -> bool:
    """ "planned a rally", "has scheduled talks": a plan verb with its object or its auxiliary.

    Not "a service planned at the university" (a participle after its noun) nor "as planned".
    """
    before = lowered[i - 1] if i > 0 else ""
    after = lowered[i + 1] if i + 1 < len(lowered) else ""
    if before in _DETERMINERS or before == "as" or (before.endswith("ly") and lowered[i - 2 : i - 1] == ["as"]):
        return False
    return after in _OBJECT_OPENERS or before in _PERFECT_AUX or before in ("had", "is", "are", "was", "were")


_HAPPENING = words("happening occurring taking")
"""Participles that put the event noun before them in the present ("taking" with "place"): "elections
happening in May" are ahead."""
_EXPECTING = words("expect expects expecting anticipate anticipates anticipating await awaits awaiting")
"""Verbs whose object lies ahead, whatever their own tense: "have been expecting an election on 5 May"."""
_MAX_DESCRIBING = 3
"""Adjectives and nouns between a determiner and the noun they describe: "a campaign poster launch"."""
_OBJECT_OPENERS = words("a an the its his her their our another new more further talks")


def _scan_right(words: list[str], after_comma: set[int]) -> Tense:
    lowered = [w.lower().replace("’", "'") for w in words]
    for i in range(len(words)):
        if lowered[i] in _BARRIERS or lowered[i] in _CLAUSE_OPENERS:
            return "none"
        if lowered[i] in _EVENT_PRESENT and i in after_comma:
            continue  # "On Monday, Jane Doe, head of the bank, said": a noun in apposition, not a verb
        verdict = _verb_tense(words, lowered, i)
        if verdict != "none":
            return verdict
    return "none"


def _verb_tense(words: list[str], lowered: list[str], i: int) -> Tense:
    """The tense announced by the word at ``i`` with its neighbours, or "none" if it is not a verb sign."""
    word = lowered[i]
    before = lowered[i - 1] if i > 0 else ""
    after = lowered[i + 1] if i + 1 < len(lowered) else ""
    if word in _FUTURE_AUX or word.endswith("'ll"):
        return "past" if after == "have" and word != "will" else "future"  # "could have emerged"
    if word == "to":
        if before not in _PLAN_BEFORE_TO or after in _DETERMINERS or after[:1].isdigit():
            return "none"  # "due to its loss", "set to 5%"
        if before == "due" and not _copula_before(lowered, i - 1):
            return "none"  # "closed due to mechanical problems" (because of); "is due to arrive" looks ahead
        earlier = lowered[i - 2] if i > 1 else ""
        return "past" if earlier in ("had", "been") else "future"  # "had been scheduled to expire"
    if word in _PLAN_BEFORE_PREP and before in ("than", "as"):
        return "none"  # "fewer jobs than expected in January": a comparison, not a plan
    if word in _PLAN_BEFORE_PREP and after in _PLAN_PREPS and (word != "set" or after == "for") and after != "to":
        return "future"  # "set for March 9"; but "a record set on Aug. 6" is past
    if word in _FUTURE_WORDS or (word in _PLAN_ADJECTIVES and before in _DETERMINERS):
        return "future"
    if word in _EXPECTING:
        return "past" if "had" in lowered[max(0, i - 2) : i] else "future"  # "are expecting an election on 5 May"
    if word in _EVENT_PRESENT and i > 0 and not words[i][0].isupper():
        if before in ("to", "will", "would", "did", "didn't") or _determined_noun(lowered, i):
            return "none"  # "to vote", "the vote", "faced the public vote", "at a campaign poster launch"
        return "future"
    if word in _HAPPENING and (word != "taking" or after == "place") and lexicon().get(before, "-")[0] == "N":
        return "future"  # an event's "happening" after its noun: "with elections happening in early May"
    if word in _PAST_AUX or (word in _PERFECT_AUX and _is_participle(after)):
        return "past"
    if word in _PRESENT_AUX:
        return "future" if after.endswith("ing") and after[:-3] in _EVENT_STEMS else "present"
    if words[i][0].isupper() and i > 0:
        return "none"  # a name, not a verb ("Ahmed", "Ted")
    if word in _IRREGULAR_PAST or (word.endswith("ed") and len(word) > 4 and word not in _ED_NOT_PAST):
        if (before in _DETERMINERS and not _relative_that(lowered, i)) or (
            (before in ("still", "yet", "as") or before.endswith("ly")) and (i > 1 and lowered[i - 2] in _DETERMINERS)
        ):
            return "none"  # an adjective: "a still unspecified date", "the troubled unit"
        return _aux_before(lowered, i)
    return "none"


def _determined_noun(lowered: list[str], i: int) -> bool:
    """The word at ``i`` ends a noun phrase that a determiner or a possessive opens, across the adjectives
    and nouns that describe it: "the public vote", "a campaign poster launch". Not after a subject it agrees
    with: "the party congress opens", "the unions vote"."""
    known = lexicon()
    before = lowered[i - 1]
    if before in _DETERMINERS or before.endswith("'s"):
        return True
    kind = known.get(before, "N").replace("P", "")[:1]
    if kind != "J" and (kind != "N" or lowered[i].endswith("s") or before.endswith("s")):
        return False
    for j in range(i - 2, max(-1, i - 1 - _MAX_DESCRIBING), -1):
        word = lowered[j]
        if word in _DETERMINERS or word.endswith("'s"):
            return True
        if known.get(word, "N").replace("P", "")[:1] not in ("J", "N"):
            return False
    return False


def _aux_before(lowered: list[str], i: int) -> Tense:
    """A past form's tense comes from its auxiliaries: "will be held", "is expected", "was held"."""
    for j in range(i - 1, max(i - 5, -1), -1):
        word = lowered[j]
        if word in _FUTURE_AUX or word.endswith("'ll"):
            return "future"
        if word == "to":
            return "future"  # "to be completed by Dec. 15"
        if word in _PRESENT_AUX:
            return "present"
        if word in _PAST_AUX or word in _PERFECT_AUX:
            return "past"
        if word not in _BETWEEN_AUX_AND_VERB and not word.endswith("ly"):
            break
    return "past"


def _copula_before(lowered: list[str], i: int) -> bool:
    """A form of "be" just before ``lowered[i]``, perhaps across one adverb ("is now due")."""
    for j in (i - 1, i - 2):
        if j < 0:
            return False
        if lowered[j] in _COPULA:
            return True
        if not (lowered[j] in _BETWEEN_AUX_AND_VERB or lowered[j].endswith("ly")):
            return False
    return False


_COPULA = frozenset({"is", "are", "was", "were", "be", "been", "being", "'s", "am"})
_BETWEEN_AUX_AND_VERB = words("be being been not also already just never still then soon now yet even only ever")


def _is_participle(word: str) -> bool:
    return word.endswith(("ed", "en", "ne", "wn")) or word in _IRREGULAR_PAST or word in ("been", "had", "met")


def _relative_that(lowered: list[str], i: int) -> bool:
    """ "shootings that injured two doctors": "that" after a noun opens a relative clause, whose verb it is
    (not "in that troubled region", where it is a determiner)."""
    if i < 2 or lowered[i - 1] != "that":
        return False
    word = lowered[i - 2]
    classes = lexicon().get(word)
    if classes is None:
        return word.endswith("s") and not word.endswith("ss")  # an unknown plural ("shootings")
    return classes.replace("P", "")[:1] == "N"
