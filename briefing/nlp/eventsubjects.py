"""Who an event word's clause is about, from word classes rather than capital letters.

"the stock market would open on Tuesday" is about the stock market, not the
minister named earlier in the sentence; "The takeover should be completed" is
about the takeover; "the G7 will hold an emergency meeting" is the G7's
meeting. The word classes come from :mod:`briefing.nlp.postags`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from briefing.nlp.eventwords import DETERMINERS, LIGHT_VERBS, PLANNING, REPORTING, ROLE_WORDS, words
from briefing.nlp.postags import lexicon, tag

_SKIPPED_BEFORE_VERB = words(
    """is are was were be been being has have had will would shall should can could may might must to not n't
    also still now then just already soon expected due set scheduled intended aimed meant likely first again once
    never recently later today yesterday tomorrow prepared ready yet"""
    + " "
    + " ".join(PLANNING)
)
"""Words between a subject and its event verb: auxiliaries, "to", plan words, a few adverbs."""
_JOINING = words("of with for at in between on from against about")
"""Words that join a noun to the rest of its phrase: "workers at three plants", "shares in Tokyo"."""
_AFTER_COMMON_NOUNS = words("on from against about")
"""Joining words that stay in a phrase only after a common noun: "a decree on the port", not "arrested
Salim on a complaint"."""
_ARTICLES = DETERMINERS | words("some any each every another")
"""Words that open a noun phrase after a joining word: "a decree of some kind"."""
_COORDINATING = frozenset({"and", "&"})
_PRONOUNS = words("he she it they we i you who which that this these those there")
_MAX_SUBJECT = 5
_MORE_PER_JOIN = 3
_MAX_JOINED = 12
"""Each joining word lets a subject phrase reach further, up to this: "the joint venture between the Duchy
of Cornwall and brewery Hall & Woodhouse"."""
_REPORTED_PRONOUNS = words("it they")
"""Pronouns that, right after a reporting verb, stand for its subject: "Globex said it will file"."""
_OBJECT_CONTROL = words(
    """ask asks asked urge urges urged tell tells told allow allows allowed force forces forced persuade
    persuaded order orders ordered invite invites invited encourage encourages encouraged want wants wanted
    expect expects expected need needs needed require requires required help helps helped enable enables
    enabled permit permits permitted advise advises advised instruct instructs instructed give gives gave given"""
)
"""Verbs whose object is the subject of the "to" clause after it: "urged the workers to strike"."""
_NUMBERS = words("two three four five six seven eight nine ten dozens hundreds thousands both")


def _last_person(phrase: str) -> str | None:
    """The noun phrase "who" stands for in a phrase that ends before it: the phrase itself, or of its parts
    (between joining words) the last one headed by a name or a role ("faith in the 27-year-old Spaniard": the
    Spaniard); ``None`` when no part says a person ("the driver of the car" leaves it unsaid)."""
    parts: list[list[str]] = [[]]
    for word in phrase.split():
        if word.lower() in _JOINING:
            parts.append([])
        else:
            parts[-1].append(word)
    if len(parts) == 1:
        return phrase
    for part in reversed(parts):
        while part and part[0].lower() in _ARTICLES:
            part.pop(0)
        if part and (part[-1][:1].isupper() or part[-1].lower() in ROLE_WORDS):
            return " ".join(part)
    return None


class _Word(Protocol):
    @property
    def text(self) -> str: ...

    @property
    def lower(self) -> str: ...


def subject_phrase(tokens: Sequence[_Word], index: int, in_time: Sequence[bool] = ()) -> str | None:
    """The noun phrase before the event verb at ``index`` ("the border with Ruritania will close" ->
    "border with Ruritania"), or None when the subject is a pronoun or not a noun. Words of a time
    expression (``in_time``) are no part of it ("the contracts for the new stadium next month")."""
    at = subject_end(tokens, index)
    if at < 0:
        return None
    if tokens[at].lower in ("which", "who") and at > 1 and tokens[at - 1].text == ",":
        # "the plant, which closed": the plant ("the Spaniard, who was signed": the Spaniard); a longer phrase
        # ("funding for the new stadium in the park, which is set to open") leaves unsaid which noun it means
        antecedent = subject_phrase(tokens, at - 1, in_time)
        if antecedent is not None and tokens[at].lower == "who":
            return _last_person(antecedent)  # "faith in the 27-year-old Spaniard, who": the Spaniard
        return antecedent if antecedent is not None and not _JOINING & set(antecedent.lower().split()) else None
    if tokens[at].lower in _REPORTED_PRONOUNS and at:  # "The exchange said it is ready to open": the exchange
        before = at - 1 if tokens[at - 1].lower != "that" else at - 2
        if before >= 1 and tokens[before].lower in REPORTING:
            return subject_phrase(tokens, before)
    classes = tag([t.text for t in tokens[: at + 1]])
    if at == index - 2 and tokens[index - 1].lower == "to" and classes[at] in "NJP":
        # "held a stoppage on Monday to protest the cuts": the clause's subject protests; but "urged the
        # workers to protest": the workers do
        verb = next((i for i in range(at, -1, -1) if classes[i] == "V"), -1)
        if verb > 0 and tokens[verb].lower not in _OBJECT_CONTROL:
            return subject_phrase(tokens, verb, in_time)
    while in_time and at > 0 and in_time[at]:
        at -= 1
    end = at + 1
    start = end
    reach = _MAX_SUBJECT
    while start > 0 and end - start < reach:
        word, word_class = tokens[start - 1], classes[start - 1]
        noun = word_class in "NPJ" and word.text[:1].isalnum() and word.lower not in _PRONOUNS
        # "contracts for the new stadium": an article after a joining word stays inside the phrase
        noun = noun or (word.lower in _ARTICLES and start > 1 and tokens[start - 2].lower in _JOINING)
        noun = noun or (
            start < end and _number(word) and start > 1 and tokens[start - 2].lower in _JOINING | _COORDINATING
        )  # "workers at three plants", "two leaders and 133 other people"
        joins = word.lower in _JOINING and start < end and start >= 2 and classes[start - 2] in "NP"
        joins = joins and (word.lower not in _AFTER_COMMON_NOUNS or tokens[start - 2].text.islower())
        # "the merger of Acme and Globex", "workers at Hall & Woodhouse": nouns coordinated inside the phrase
        joins = joins or (word.lower in _COORDINATING and start < end and start >= 2 and classes[start - 2] in "NP")
        if not (noun or joins):
            break
        if joins:
            reach = min(reach + _MORE_PER_JOIN, _MAX_JOINED)  # a phrase that goes on may be longer
        start -= 1
    if start < end and tokens[start].lower in _COORDINATING:
        return None  # half of a coordination longer than we look is no subject
    while start < end and (
        tokens[start].lower in _JOINING | _ARTICLES or (classes[start] == "J" and tokens[start].text.islower())
    ):
        start += 1  # "the similar suit" -> "suit"; "Asian markets" keeps its proper adjective
    if start > 0 and _number(tokens[start - 1]):
        start -= 1  # "the two leaders"
    phrase = [t.text for t in tokens[start:end]]
    if not phrase or not any(c in "NP" for c in classes[start:end]):
        return None
    common = start == 0 and classes[0] == "N" and lexicon().get(tokens[0].lower, "")[:1] == "N"
    if common and end - start > 1:  # "Train drivers" -> "train drivers"; a lone "Parliament" may be a name
        phrase[0] = phrase[0].lower()  # "Train drivers will strike": a common noun opening the sentence
    if start > 0 and tokens[start - 1].lower.endswith("'s"):
        return None  # "Globex's shares": the owner is the subject, not a bare noun
    return " ".join(phrase)


def _number(word: _Word) -> bool:
    """A count before a noun: "two", "hundreds", "14,000"."""
    return word.lower in _NUMBERS or word.text.replace(",", "").isdigit()


def subject_end(tokens: Sequence[_Word], index: int) -> int:
    """The index of the last word of the event verb's subject, past auxiliaries, plan words and adverbs
    ("The X100 first flew" -> "X100"); -1 when the verb opens the sentence."""
    at = index - 1
    while at >= 0 and (tokens[at].lower in _SKIPPED_BEFORE_VERB or _adverb(tokens[at])):
        at -= 1
    return at


def _adverb(word: _Word) -> bool:
    """An -ly adverb ("reportedly", "quickly"), not a noun or a name that ends so ("family", "rally", "Italy")."""
    known = lexicon().get(word.lower)
    return word.text.islower() and word.lower.endswith("ly") and (known is None or known[:1] in ("R", "J"))


def light_verb_owner(tokens: Sequence[_Word], index: int) -> tuple[str, list[str]] | None:
    """ "The G7 will hold an emergency meeting" -> ("G7", ["emergency"]): the subject of a verb whose object
    is its own event, and the words that describe the event noun at ``index``."""
    at = index - 1
    modifiers: list[str] = []
    while at >= 0 and tokens[at].text[:1].islower() and tokens[at].lower not in DETERMINERS | LIGHT_VERBS:
        if not tokens[at].text.replace("-", "").isalpha() or len(modifiers) == 2:
            return None
        modifiers.insert(0, tokens[at].text)
        at -= 1
    while at >= 0 and tokens[at].lower in DETERMINERS:
        at -= 1
    if at < 0 or tokens[at].lower not in LIGHT_VERBS:
        return None
    who = subject_phrase(tokens, at)
    return (who, modifiers) if who else None


def agreeing(pattern: str, who: str, tokens: Sequence[_Word]) -> str:
    """A headline's verb agrees with a plural common-noun subject: "Markets open", "Lenders file"."""
    words_of = who.split()
    joined = next((i for i, w in enumerate(words_of) if i and w in _JOINING), len(words_of))
    last = words_of[joined - 1]  # "Relatives in Miami file": the head comes before "in"
    classes = lexicon().get(last.lower(), "")
    plural_noun = classes[:1] == "N" and "P" not in classes and last.lower().endswith("s")
    # a capital inside the phrase marks a name ("Globex Motors"); on its first word, only the phrase's start
    named = last[0].isupper() and last not in (tokens[0].text, words_of[0])
    if not plural_noun or last.lower().endswith(("ss", "us", "is")) or named:
        return pattern
    head, _, tail = pattern.partition(" ")
    verb, _, more = tail.partition(" ")
    if verb.endswith(("ches", "shes", "sses", "xes")):
        verb = verb[:-2]
    elif verb.endswith("s") and not verb.endswith("ss"):
        verb = verb[:-1]
    return " ".join(p for p in (head, verb, more) if p)
