"""Who a pronoun before an event word stands for, and whether an event verb's subject is a person.

"Jane Doe unveiled the phone. During his speech he said ..." is Jane Doe's
speech: a personal pronoun (he, she, his, her) stands for the one person the
sentence before it, or its own sentence before it, names among the article's
actors; "they" and "their" for the one organisation. When two candidates
compete, no name is guessed. "The X100 flew" is an aircraft's flight, "John
Smith flew" a person's trip: :func:`thing_subject` tells them apart.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from briefing.model import Actor, ActorKind, Sentence
from briefing.nlp.eventowners import AUXILIARIES
from briefing.nlp.eventsubjects import subject_end
from briefing.nlp.eventtokens import Token
from briefing.nlp.eventwords import DETERMINERS, ROLE_WORDS, VEHICLES, words
from briefing.nlp.postags import lexicon, tag

_STANDS_FOR: dict[str, tuple[ActorKind, ...]] = {
    "he": ("person",), "she": ("person",), "his": ("person",), "her": ("person",),
    "they": ("organization",), "their": ("organization",), "it": ("organization",), "its": ("organization",),
}  # fmt: skip
"""Which kinds of actor a pronoun can stand for."""
_THING_PRONOUNS = words("it its")
"""Pronouns that name things as often as bodies: "Globex unveiled a phone. Its launch" is the phone's."""
_MAX_NOUN_AFTER = 3
"""Words a determiner's noun may stand after it ("a new folding phone")."""


@dataclasses.dataclass(frozen=True, slots=True)
class Before:
    """The sentence before an event's and the actors it mentions: whom a pronoun may stand for."""

    sentence: Sentence
    actors: Sequence[Actor]


PRONOUNS = frozenset(_STANDS_FOR)
"""The pronouns :func:`antecedent` resolves: a sentence without one needs no look at the sentence before."""
_PEOPLE_PRONOUNS = words("he she i we you who")
_CLAUSE_OPENERS = words("that , ; and but")
"""Words after which a clause's subject may start ("It is expected that the Zephyr 9 will ...")."""


def antecedent(
    tokens: list[Token], at: int, actors: Sequence[Actor], before: Before | None, sentence: Sentence
) -> str | None:
    """The actor the pronoun ``tokens[at]`` stands for: the one actor of its kinds mentioned earlier in its
    sentence (``actors``), or else in the sentence before; None when none or several are."""
    kinds = _STANDS_FOR.get(tokens[at].lower)
    if kinds is None:
        return None
    alone = tokens[at].lower in _THING_PRONOUNS
    offset = sentence.start + tokens[at].start
    here = {a.name for a in actors if a.kind in kinds and any(m.start < offset for m in a.mentions)}
    if kinds == ("organization",):
        subjects = opening_subjects(sentence, actors, alone, tokens[at].start)
        here = {name for name in here if name in {a.name for a in subjects}}
    if here:
        return next(iter(here)) if len(here) == 1 else None
    thing = named_thing(tokens, at, actors, sentence) if alone else None
    if before is None or (kinds == ("organization",) and any(a.kind != "organization" for a in before.actors)):
        return thing  # "their" among people and bodies: the people may be who "they" are
    earlier = {a.name for a in opening_subjects(before.sentence, before.actors, alone) if a.kind in kinds}
    if earlier:
        return next(iter(earlier)) if len(earlier) == 1 else None
    return thing


def named_thing(tokens: list[Token], at: int, actors: Sequence[Actor], sentence: Sentence) -> str | None:
    """The thing "it" or "its" at ``at`` stands for when no organisation does: the subject of an earlier
    clause of its sentence written as "the" and capitalised words or a model number ("the Zephyr 9 will wear
    the new livery when it arrives" -> "the Zephyr 9"); None when that subject is an actor or there is none."""
    for i in range(at - 2):
        if tokens[i].lower != "the" or not (i == 0 or tokens[i - 1].lower in _CLAUSE_OPENERS):
            continue
        end = i + 1
        while end < at and (tokens[end].text[:1].isupper() or tokens[end].text[:1].isdigit()):
            end += 1
        if end == i + 1 or end >= at or tokens[end].lower not in AUXILIARIES:
            continue
        first, last = sentence.start + tokens[i + 1].start, sentence.start + tokens[end - 1].end
        if any(m.start < last and first < m.end for a in actors for m in a.mentions):
            return None
        return " ".join(["the", *(t.text for t in tokens[i + 1 : end])])
    return None


def opening_subjects(
    sentence: Sentence, actors: Sequence[Actor], alone: bool = False, until: int | None = None
) -> list[Actor]:
    """The actors a later pronoun may stand for: every person of ``sentence``, and an organisation only where
    it opens the sentence as its subject ("Globex sold its bank", not "Investors dumped Globex shares", where
    "they" are the investors, nor "Globex shares fell", where they are the shares). ``alone`` (for "it")
    also wants no single thing named after it up to ``until`` in the sentence ("Globex unveiled a phone")."""
    found = []
    for actor in actors:
        if actor.kind != "organization":
            found.append(actor)
            continue
        for mention in actor.mentions:
            head = sentence.text[: mention.start - sentence.start].split()
            after = sentence.text[mention.end - sentence.start :].split()[:1]
            opens = not head or (len(head) == 1 and head[0].lower() in DETERMINERS)
            classes = lexicon().get(after[0], "") if after and after[0].islower() else ""
            noun = classes[:1] == "N" and "V" not in classes  # "Globex shares", not "Globex plans"
            if opens and not noun and not (alone and _names_a_thing(_after_text(sentence, mention.end, until))):
                found.append(actor)
                break
    return found


def _after_text(sentence: Sentence, end: int, until: int | None) -> list[str]:
    """The words of ``sentence`` from article offset ``end`` up to sentence offset ``until``."""
    return sentence.text[end - sentence.start : until].split()


def _names_a_thing(text: list[str]) -> bool:
    """Whether the words hold a determiner with a singular common noun: "unveiled a new phone"."""
    plain = [w.strip(".,;:!?\"'") or w for w in text]
    classes = tag(plain) if any(w.lower() in DETERMINERS for w in plain) else []
    for i, word in enumerate(plain):
        if word.lower() in DETERMINERS:
            for j in range(i + 1, min(len(plain), i + 1 + _MAX_NOUN_AFTER)):
                if classes[j] == "N" and plain[j].islower() and not plain[j].endswith("s"):
                    return True
    return False


def subject_pronoun(tokens: list[Token], index: int) -> int | None:
    """The index of the pronoun that is the subject of the event verb at ``index`` ("she will visit")."""
    at = subject_end(tokens, index)
    return at if at >= 0 and tokens[at].lower in _STANDS_FOR else None


def thing_subject(tokens: list[Token], index: int, actors: Sequence[Actor], sentence: Sentence) -> bool:
    """Whether the subject of the verb at ``index`` is a thing, not a person: "it", a vehicle ("the new
    plane"), a name written with "the" or a digit ("the X100"), or an actor that is no person."""
    at = subject_end(tokens, index)
    if at > 0 and tokens[at + 1].lower == "to" and tokens[at].text.islower() and tokens[at].lower not in VEHICLES:
        at = subject_end(tokens, at)  # "Globex will begin to fly": the subject of "begin"
    if at < 0:
        return False
    word = tokens[at]
    if word.lower == "it":
        return True
    if word.lower in _PEOPLE_PRONOUNS or word.lower in _STANDS_FOR:
        return False
    offset = sentence.start + word.start
    kinds = {a.kind for a in actors for m in a.mentions if m.start <= offset < m.end}
    if kinds:
        return "person" not in kinds
    if word.lower in VEHICLES:
        return True
    named = word.text[:1].isupper() and at > 0 and tokens[at - 1].lower in DETERMINERS
    return named or (word.text[:1].isupper() and any(c.isdigit() for c in word.text))


def is_doer(agent: str, actors: Sequence[Actor]) -> bool:
    """Whether a subject named in a title acts rather than undergoes: an actor that is a person, a body or a
    country, or a phrase ending in a role ("the minister"); "the service" in "the service will launch" is what
    launches."""
    if any(a.name == agent and a.kind != "location" for a in actors):
        return True
    return agent.rsplit(" ", 1)[-1].lower() in ROLE_WORDS


def is_person(owner: str, actors: Sequence[Actor]) -> bool:
    """Whether an owner named in a title is a person: "Jane Doe", "Doe" or "Ms. Doe" for Jane Doe."""
    *honorifics, surname = owner.split()
    plain = all(w.lower().rstrip(".") in ROLE_WORDS for w in honorifics)
    return any(
        a.kind == "person"
        and (a.name.endswith(f" {owner}") or a.name == owner or (plain and a.name.split()[-1] == surname))
        for a in actors
    )


def leading_the(tokens: list[Token], index: int) -> bool:
    """Whether the subject of the verb at ``index`` is a name written after "the" ("The X100 flew")."""
    at = subject_end(tokens, index)
    while at > 0 and tokens[at - 1].text[:1].isupper() and tokens[at - 1].lower not in DETERMINERS:
        at -= 1  # "The Globex X100 flew": the name starts at "Globex"
    return at > 0 and tokens[at].text[:1].isupper() and tokens[at - 1].lower == "the"
