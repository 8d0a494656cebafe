"""Part of the article-level pass (:mod:`briefing.nlp.actors.postpass`): a company is no person
for looking like one's name.

A two-word company whose second word is a common given name ("Halvorsen Martin") looks like a
person's name to a tagger that reads one sentence at a time. The article as a whole tells them
apart: a person gets a role, a title, "he" or "she", a mention by surname; a company is listed
with other companies, owns products and has rivals. Only a name with no person evidence at all
in the article is read again, and only on a company's cue.

A person's name starts with a given name and a company's often with the founder's surname, so
the first word alone ("Halvorsen said") is the company's short name as often as a person's:
it counts for the person only where it has person evidence of its own ("Halvorsen said he",
"Halvorsen, who", "Halvorsen and Jane"), while a later word alone ("Martin said") is a surname
and always counts.

The other way round, a name the article gives an age ("Halvorsen, 45,") is a person's, however
the tagger read it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from briefing.nlp.actors.gazetteer import Gazetteer
from briefing.nlp.actors.mentions import Mention
from briefing.nlp.actors.postpass import CLOSED_WORDS, LETTERED, ORGANISATION_NOUNS, PRODUCT_NOUNS, YEAR_WORD
from briefing.nlp.actors.tokens import POSSESSIVE, Token

MARKET_NOUNS = frozenset({"contractor", "contractors", "subcontractor", "supplier", "suppliers"})
"""Nouns that name a company by its place in a market ("contractor Acme", "Acme, a defence contractor,")."""
RIVAL_NOUNS = frozenset({"rival", "rivals", "competitor", "competitors"})
"""Nouns for a company's rival, said of people too ("Jamaican rival Jo Doe"): a cue only in a sentence
that names an organisation."""
PRODUCTS = PRODUCT_NOUNS | {"rocket", "rockets", "satellite", "satellites", "drug", "drugs"}
"""Nouns for kinds of product a name may own ("Acme's new jets"): our own list of common English words."""
PERSON_EVIDENCE = frozenset({"title", "role before", "apposition", "appointed", "role of an organisation before"})
"""The rules' evidence that says a name is a person's (a title, a role next to it)."""
PRONOUNS = frozenset({"he", "she", "his", "her", "him", "himself", "herself"})
_RELATIVE = frozenset({"who", "whom"})
_COORDINATION = frozenset({"and", "or"})
PRODUCT_REACH = 4
"""Words after a possessive searched for the product it owns ("Acme's Falcon 9 rocket")."""
APPOSITION_REACH = 5
"""Words after a comma searched for the noun of an apposition ("Acme, a defence contractor,")."""
PRONOUN_REACH = 30
"""Tokens after a name searched for "he" or "she" (a bound, so a long list costs linear time)."""
_NOT_IN_APPOSITION = CLOSED_WORDS - {"a", "an", "the", "its", "rival"}
_AGE = re.compile(r"^[1-9][0-9]$")
"""A person's age in apposition after the name (", 45,")."""
_NOT_PEOPLE = frozenset({"organization", "location"})


def companies_read_as_people(
    tokenized: Sequence[Sequence[Token]], chosen: Sequence[Sequence[Mention]], given_names: Collection[str]
) -> set[str]:
    """The names of several words, read as people's everywhere in the article, that the article
    treats as companies, with their first words where these stand alone as the company's short name.

    A name qualifies only where the article has no person evidence for it at all: its first word
    is no known given name nor an initial; no later word of it is a person's name alone ("Martin
    said"), and its first word alone ("Halvorsen said") has no person evidence of its own (nor is
    coordinated with a person: "Halvorsen and Jane said"); no
    mention of it has a role, a title or a possessor; no "he", "she", "his" or "her" follows it in
    its sentence or opens the next. It then needs one cue of a company: it is coordinated with an
    organisation of the article ("between Globex and Halvorsen Martin"), owns a product or a model
    ("Halvorsen Martin's Falcon 9 rocket"), or is called a rival, competitor, contractor or supplier
    next to its name ("rival Halvorsen Martin", "Halvorsen Martin, a defence contractor,")."""
    kinds = _kinds(chosen)
    alone: dict[str, list[tuple[int, Mention]]] = {}
    for index, mentions in enumerate(chosen):
        for mention in mentions:
            if mention.kind == "person" and " " not in mention.text:
                alone.setdefault(mention.text, []).append((index, mention))
    evidenced = {
        word
        for word, found in alone.items()
        if any(
            _person_evidence(tokenized[i], m, _opening(tokenized, i + 1)) or _with_a_person(tokenized[i], m, chosen[i])
            for i, m in found
        )
    }
    doubted = {
        name
        for name, seen in kinds.items()
        if seen == {"person"} and _may_be_a_company(name.split(), given_names, alone, evidenced)
    }
    if not doubted:
        return set()
    cued: set[str] = set()
    for index, (tokens, mentions) in enumerate(zip(tokenized, chosen, strict=True)):
        for mention in mentions:
            if mention.text not in doubted:
                continue
            if _person_evidence(tokens, mention, _opening(tokenized, index + 1)):
                doubted.discard(mention.text)
            elif _company_cue(tokens, mention, mentions):
                cued.add(mention.text)
    companies = cued & doubted
    return companies | {name.split()[0] for name in companies if name.split()[0] in alone}


def _kinds(chosen: Sequence[Sequence[Mention]]) -> dict[str, set[str | None]]:
    """Every kind the tagger gave each name text anywhere in the article."""
    kinds: dict[str, set[str | None]] = {}
    for mentions in chosen:
        for mention in mentions:
            kinds.setdefault(mention.text, set()).add(mention.kind)
    return kinds


def _with_a_person(tokens: Sequence[Token], mention: Mention, mentions: Sequence[Mention]) -> bool:
    """Coordinated with another person ("Fraser and Kevin have come in"): a person too."""
    for other in mentions:
        if other is mention or other.kind != "person":
            continue
        if other.last == mention.first - 2 and tokens[mention.first - 1].lower in _COORDINATION:
            return True
        if other.first == mention.last + 2 and tokens[mention.last + 1].lower in _COORDINATION:
            return True
    return False


def _opening(tokenized: Sequence[Sequence[Token]], index: int) -> Sequence[Token]:
    """The first token of sentence ``index``, if there is one (where "He said" refers back)."""
    return tokenized[index][:1] if index < len(tokenized) else []


def _may_be_a_company(
    words: Sequence[str], given_names: Collection[str], alone: Collection[str], evidenced: Collection[str]
) -> bool:
    first = words[0]
    return (
        len(words) > 1
        and first not in given_names
        and first.capitalize() not in given_names  # "HALVORSEN MARTIN" in a headline
        and not (len(first) <= 2 and first.endswith("."))  # "J. Halvorsen"
        and not any(word in alone for word in words[1:])  # "Martin said" after "Halvorsen Martin"
        and first not in evidenced  # "Halvorsen said he", not "Halvorsen said the order was firm"
    )


def _person_evidence(tokens: Sequence[Token], mention: Mention, following: Sequence[Token]) -> bool:
    """A role, a title, a possessor, or a personal pronoun after the name in its sentence or opening the next."""
    if mention.role or mention.title_first is not None or mention.possessor is not None:
        return True
    if mention.evidence & PERSON_EVIDENCE:
        return True
    after = mention.last + 1
    if after < len(tokens) and tokens[after].text == ",":
        after += 1
    if after < len(tokens) and tokens[after].lower in _RELATIVE:
        return True  # "Halvorsen Martin, who"
    later = tokens[mention.last + 1 : mention.last + 1 + PRONOUN_REACH]
    return any(t.lower in PRONOUNS for t in later) or any(t.lower in PRONOUNS for t in following)


def _company_cue(tokens: Sequence[Token], mention: Mention, mentions: Sequence[Mention]) -> bool:
    """Coordinated with an organisation, owning a product or a model, or called a rival next to its name."""
    before, after = mention.first - 1, mention.last + 1
    organisations = [m for m in mentions if m.kind == "organization"]
    market = MARKET_NOUNS | RIVAL_NOUNS if organisations else MARKET_NOUNS
    if before >= 0 and tokens[before].lower in market:
        return True  # "contractor Halvorsen Martin", "Globex's rival Halvorsen Martin"
    if before >= 1 and tokens[before].lower in _COORDINATION and any(m.last == before - 1 for m in organisations):
        return True  # "between Globex and Halvorsen Martin"
    coordinated = after + 1 < len(tokens) and tokens[after].lower in _COORDINATION
    if coordinated and any(m.first == after + 1 for m in organisations):
        return True  # "Halvorsen Martin and Globex"
    if after < len(tokens) and tokens[after].text in POSSESSIVE:
        return _owns_a_product(tokens, after + 1)
    if after < len(tokens) and tokens[after].text == ",":
        for token in tokens[after + 1 : after + 1 + APPOSITION_REACH]:
            if token.lower in market or token.lower in ORGANISATION_NOUNS:
                return True  # "Halvorsen Martin, a defence contractor,"
            if not token.word or token.lower in _NOT_IN_APPOSITION:
                break
    return False


def _owns_a_product(tokens: Sequence[Token], start: int) -> bool:
    """A product or a model after a possessive: "'s Falcon 9 rocket", "'s new jets", "'s F-35"."""
    for k in range(start, min(start + PRODUCT_REACH, len(tokens))):
        token = tokens[k]
        if token.lower in PRODUCTS or LETTERED.match(token.text):
            return True
        if token.text[:1].isdigit() and k > start and tokens[k - 1].cap and not YEAR_WORD.match(token.text):
            return True  # a model number after the product's name: "Falcon 9"
        if not token.word or token.lower in CLOSED_WORDS:
            return False
    return False


def people_read_as_companies(
    tokenized: Sequence[Sequence[Token]], chosen: Sequence[Sequence[Mention]], g: Gazetteer
) -> set[str]:
    """The names never read as people in the article that it gives an age, as news gives people's
    ("Halvorsen, 45, takes on ..."): people, however the tagger read them (an organisation here, a
    place there), and so are the longer names of the article with the aged name as a word ("Brandt
    Douglas" before "Brandt, 64,"). A name that ends in an organisation word ("Globex Group, 45,",
    a list) or that the gazetteer knows as a place stays what it was."""
    kinds = _kinds(chosen)
    aged: set[str] = set()
    for tokens, mentions in zip(tokenized, chosen, strict=True):
        for mention in mentions:
            after = mention.last + 1
            if (
                kinds[mention.text] <= _NOT_PEOPLE
                and mention.text.split()[-1] not in g.organisation_words
                and mention.text not in g.places
                and mention.text not in g.countries
                and after + 2 < len(tokens)
                and tokens[after].text == ","
                and _AGE.match(tokens[after + 1].text)
                and tokens[after + 2].text == ","
            ):
                aged.add(mention.text)  # "Halvorsen, 45,"
    return aged | {  # "Brandt Douglas" before "Brandt, 64,": the same person
        name
        for name, seen in kinds.items()
        if seen <= _NOT_PEOPLE
        and " " in name
        and name.split()[-1] not in g.organisation_words
        and any(word in aged for word in name.split())
    }
