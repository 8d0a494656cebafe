"""Roles and affiliations from a name's surroundings.

News states who someone is in a few fixed ways, all handled here:

- a possessive before a role: "Erdogan's top foreign policy adviser Ibrahim Kalin"
  (the role becomes "top foreign policy adviser to President Erdogan"), "Turkey's
  Foreign Minister Mevlut Cavusoglu" (a country: the affiliation);
- a lower-case role right before the name: "JSA Research defence analyst Paul Nesbit";
- "ROLE of [the] ORGANISATION Name": "CEO of the President's Office Eyal Shviki";
- an apposition after the name: "Alon Ushpiz, the Foreign Ministry's director-general".

Titles inside a capitalised run ("Deputy Foreign Minister Sadat Onal") are split off
earlier, in :mod:`briefing.nlp.actors.mentions`.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefing.nlp.actors.gazetteer import Gazetteer
from briefing.nlp.actors.mentions import Mention, bare_title
from briefing.nlp.actors.tokens import POSSESSIVE, Token

DETERMINERS = frozenset({"the", "a", "an"})
APPOSITION_END = frozenset({",", ".", ";", ")", "(", "—", "–", ":", '"', "“", "”"})
MAX_ROLE_WORDS = 4
_ROLE_GLUE = frozenset({"of", "for", "and", "at", "to", "in"})
_VERBS = frozenset(
    {"said", "says", "told", "tells", "is", "was", "will", "has", "had", "met", "made", "went", "left", "won"}
)
MAX_APPOSITION = 12


def attach_roles(text: str, tokens: Sequence[Token], mentions: Sequence[Mention], g: Gazetteer) -> None:
    """Fill in roles, possessors, organisations and stated countries of one sentence's mentions."""
    by_last = {m.last: m for m in mentions}
    for mention in mentions:
        if mention.kind not in (None, "person"):
            continue
        start = mention.first
        if mention.title_first is not None:
            start = mention.title_first
            _possessor(tokens, start, mention, by_last)
        else:
            _lower_case_role(text, tokens, mention, by_last, g)
        if mention.role is None:
            _role_before_comma(text, tokens, mention, by_last, g)
        if mention.role is None:
            _apposition(text, tokens, mention, mentions, g)
        if mention.role is None:
            _appointed(text, tokens, mention, mentions, g)


def _possessor(tokens: Sequence[Token], start: int, mention: Mention, by_last: dict[int, Mention]) -> None:
    """ "Turkey's Foreign Minister X": the owner before a title."""
    if start >= 2 and tokens[start - 1].text in POSSESSIVE:
        owner = by_last.get(start - 2)
        if owner is not None:
            _own(mention, owner)


def _own(mention: Mention, owner: Mention) -> None:
    if owner.kind == "country":
        mention.country = owner.shown
    elif owner.kind == "location" and owner.country:
        mention.country = owner.country
    else:
        mention.possessor = owner


def _lower_case_role(
    text: str, tokens: Sequence[Token], mention: Mention, by_last: dict[int, Mention], g: Gazetteer
) -> None:
    """A role in lower case right before the name, with what precedes it."""
    head = mention.first - 1
    if head < 0:
        return
    if tokens[head].lower not in g.role_heads:
        _of_organisation(text, tokens, mention, by_last, g)
        return
    if tokens[head].cap and mention.first == mention.last and not bare_title(tokens, max(0, head - 1), head, g):
        return  # '"Star Fleet"' with the tagger's "Fleet": a capitalised descriptive head is no title alone
    start = head
    while start > 0 and head - start < MAX_ROLE_WORDS - 1 and tokens[start - 1].word:
        previous = tokens[start - 1]
        if (previous.cap and not g.is_role_word(previous.lower)) or previous.lower in g.not_names:
            break
        start -= 1
    adjective = start - 1
    if (
        adjective >= 0
        and tokens[adjective].cap
        and adjective not in by_last
        and (
            tokens[adjective].text in g.groups or tokens[adjective].text in g.demonyms
            if adjective == 0  # a capital opening the sentence may be any word: "Then president Donald Trump"
            else tokens[adjective - 1].lower in DETERMINERS
        )
    ):
        if tokens[adjective].text in g.demonyms:  # "the French president Emmanuel Macron"
            mention.country = mention.country or g.demonyms[tokens[adjective].text]
        else:  # "the Conservative leader Kemi Badenoch": a party or body named as an adjective
            start = adjective
    mention.kind = mention.kind or "person"
    mention.evidence.add("role before")
    mention.role = text[tokens[start].start : tokens[head].end]
    before = start - 1
    if before >= 1 and tokens[before].text in POSSESSIVE and (owner := by_last.get(before - 1)) is not None:
        _own(mention, owner)
    elif before >= 0 and (owner := by_last.get(before)) is not None:
        if owner.kind in ("country", "location"):
            mention.country = owner.shown if owner.kind == "country" else owner.country
        else:
            owner.kind = owner.kind or "organization"
            mention.organisation = owner
            mention.role = text[owner.start : tokens[head].end]


_OPENING_OWNERS = frozenset({"the", "its", "his", "her", "their"})


def _role_before_comma(
    text: str, tokens: Sequence[Token], mention: Mention, by_last: dict[int, Mention], g: Gazetteer
) -> None:
    """ "The former chief operating officer, Jon Vale, will ...", "Acme's chief executive, Jon Vale, said":
    a role that opens the sentence, set off from the name by a comma (not a list: "the chair, Jon and Ann")."""
    comma, head = mention.first - 1, mention.first - 2
    if head < 1 or tokens[comma].text != "," or tokens[head].lower not in g.role_heads:
        return
    after = mention.last + 1
    if after < len(tokens) and tokens[after].lower in ("and", "or"):
        return
    start = head
    while start > 0 and head - start < MAX_ROLE_WORDS - 1 and g.is_role_word(tokens[start - 1].lower):
        start -= 1
    before = start - 1
    owner = by_last.get(before - 1) if before >= 1 and tokens[before].text in POSSESSIVE else None
    if owner is not None:
        opening = owner.first  # "Acme's chief executive, ..."
    elif before >= 0 and tokens[before].lower in _OPENING_OWNERS:
        opening = before  # "The former chief operating officer, ..."
    else:
        return
    if opening != 0:
        return
    mention.kind = mention.kind or "person"
    mention.evidence.add("role before a comma")
    mention.role = text[tokens[start].start : tokens[head].end]
    if owner is not None:
        _own(mention, owner)


def _of_organisation(
    text: str, tokens: Sequence[Token], mention: Mention, by_last: dict[int, Mention], g: Gazetteer
) -> None:
    """ "CEO of the President's Office Eyal Shviki": a role, "of", an organisation, the name."""
    owner = by_last.get(mention.first - 1)
    if owner is None or owner.kind in ("person", "country", "location"):
        return
    index = owner.first - 1
    if index >= 0 and tokens[index].lower == "the":
        index -= 1
    if index < 1 or tokens[index].lower != "of" or tokens[index - 1].lower not in g.role_heads:
        return
    head = index - 1
    start = head
    while start > 0 and head - start < MAX_ROLE_WORDS - 1 and g.is_role_word(tokens[start - 1].lower):
        start -= 1
    owner.kind = "organization"
    mention.kind = mention.kind or "person"
    mention.evidence.add("role of an organisation before")
    mention.organisation = owner
    mention.role = text[tokens[start].start : owner.end]


def _breaks_role(token: Token, g: Gazetteer) -> bool:
    """A lower-case word before any role word that says this is no role description
    ("who", "said", "added", "saying"), unlike "the city council's chief planner"."""
    lower = token.lower
    if not token.word or token.cap or lower in _ROLE_GLUE or lower in g.role_modifiers:
        return False
    return lower in g.not_names or lower.endswith(("ed", "ing")) or lower in _VERBS


def _apposition(
    text: str, tokens: Sequence[Token], mention: Mention, mentions: Sequence[Mention], g: Gazetteer
) -> None:
    """ "Name, the Foreign Ministry's director-general,": a role after the name."""
    comma = mention.last + 1
    if comma >= len(tokens) or tokens[comma].text != ",":
        return
    start = comma + 1
    former = start < len(tokens) and tokens[start].lower in _FORMERLY
    if start < len(tokens) and (former or tokens[start].lower in _NOW):
        start += 1  # "Name, formerly an Acme executive,": a past role
    if start < len(tokens) and tokens[start].lower in DETERMINERS:
        start += 1
    end = start
    head = None
    while end < len(tokens) and end - start < MAX_APPOSITION and tokens[end].text not in APPOSITION_END:
        if tokens[end].lower in g.role_heads:
            head = end
        elif head is None and _breaks_role(tokens[end], g):
            return
        elif head is not None and _ends_role(tokens[end], g):
            break  # "president of the union said he ...": a role is a noun phrase, never past a verb
        elif head is not None and end == head + 1 and _participle(tokens[end], g):
            break  # "an Acme executive overseeing hardware": the role is the noun phrase before it
        end += 1
    while end - 1 > (head or start) and tokens[end - 1].lower in _ROLE_GLUE | DETERMINERS:
        end -= 1
    if head is None or end == start:
        return
    inside = [m for m in mentions if m.first >= start and m.last < end]
    if any(m.kind == "person" for m in inside):
        return
    mention.kind = mention.kind or "person"
    mention.evidence.add("apposition")
    mention.role = ("former " if former else "") + text[tokens[start].start : tokens[end - 1].end]
    _affiliate(mention, inside)


_FORMERLY = frozenset({"formerly", "previously", "once"})
_NOW = frozenset({"now", "currently", "still", "also"})


def _participle(token: Token, g: Gazetteer) -> bool:
    """An -ing word right after a role's head starts a phrase that describes the person's work, not the role."""
    lower = token.lower
    return token.word and not token.cap and lower.endswith("ing") and len(lower) > 5 and lower not in g.role_heads


def _affiliate(mention: Mention, inside: Sequence[Mention]) -> None:
    """The role's own country or organisation, found inside the role's words, is the person's affiliation."""
    for other in inside:
        if other.kind == "country" and mention.country is None:
            mention.country = other.shown
        elif other.kind in (None, "organization") and mention.organisation is None:
            other.kind = "organization"
            mention.organisation = other


_CLAUSE_WORDS = frozenset({"who", "which", "that", "whose", "where", "when", "while", "but", "as", "because"})
_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you"})


def _ends_role(token: Token, g: Gazetteer) -> bool:
    """A word after a role's head that starts a verb phrase or a clause ("said", "who", "he")."""
    lower = token.lower
    if not token.word or token.cap or lower in g.role_heads or lower in g.role_modifiers:
        return False
    return (
        lower in _VERBS
        or lower in _CLAUSE_WORDS
        or lower in _PRONOUNS
        or lower in _SPEECH
        or (lower.endswith("ed") and len(lower) > 4)
    )


_SPEECH = frozenset({"said", "says", "told", "added", "announced", "warned", "insisted", "argued", "wrote"})
_APPOINTED = frozenset(
    {"appointed", "named", "elected", "picked", "tapped", "chosen", "promoted", "hired", "confirmed"}
)
_AS = frozenset({"as", "new", "the", "to", "be"})


def _appointed(text: str, tokens: Sequence[Token], mention: Mention, mentions: Sequence[Mention], g: Gazetteer) -> None:
    """Headlines: "Jane Doe appointed as Globex chief", "Jane Doe named CEO", "Jane Doe to lead Globex"."""
    i = mention.last + 1
    if i + 1 < len(tokens) and tokens[i].lower == "to" and tokens[i + 1].lower in ("lead", "head", "run", "chair"):
        organisation = next((m for m in mentions if m.first == i + 2 and m.kind in (None, "organization")), None)
        if organisation is not None:
            mention.kind = mention.kind or "person"
            mention.role = "head of " + text[organisation.start : organisation.end]
            mention.organisation = organisation
        return
    if i >= len(tokens) or tokens[i].lower not in _APPOINTED:
        return
    start = i + 1
    while start < len(tokens) and tokens[start].lower in _AS:
        start += 1
    end, head = start, None
    while end < len(tokens) and end - start < MAX_ROLE_WORDS + 2 and tokens[end].text not in APPOSITION_END:
        if tokens[end].lower in g.role_heads:
            head = end
        elif head is not None and not tokens[end].cap and tokens[end].lower not in _ROLE_GLUE:
            break  # "named chief executive after ...": the role ends at the first other lower-case word
        end += 1
    if head is None:
        return
    while end - 1 > head and tokens[end - 1].lower in _ROLE_GLUE | DETERMINERS:
        end -= 1
    mention.kind = mention.kind or "person"
    mention.evidence.add("appointed")
    mention.role = text[tokens[start].start : tokens[end - 1].end]
    inside = [m for m in mentions if m.first >= start and m.last < end and m is not mention]
    _affiliate(mention, inside)


NEARBY = 4


def inherit_countries(tokens: Sequence[Token], mentions: Sequence[Mention]) -> None:
    """Affiliations the sentence implies rather than states, for mentions that have none.

    - Coordination: "Kalin and Deputy Foreign Minister Sadat Onal", "Israel's Foreign
      Ministry and the President's Office": the second shares the first's country.
    - A nationality just before: "Palestinian officials including President Mahmoud Abbas".
    """
    ordered = sorted(mentions, key=lambda m: m.start)
    by_last = {m.last: m for m in ordered}
    for mention in ordered:
        if mention.kind not in ("person", "organization") or mention.country:
            continue
        start = mention.first
        if mention.title_first is not None:
            start = mention.title_first
        if mention.organisation is not None:
            start = min(start, mention.organisation.first)
        index = start - 1
        if index >= 0 and tokens[index].lower == "the":
            index -= 1
        if index >= 1 and tokens[index].lower == "and":
            partner = by_last.get(index - 1)
            if partner is not None and partner.kind == mention.kind:
                mention.country = partner.country
                mention.partner = partner
                continue
        if mention.possessor is not None or mention.organisation is not None:
            continue
        for other in ordered:
            if other.demonym and 0 < start - other.last <= NEARBY and not _verb_between(tokens, other.last, start):
                mention.country = other.shown


def _verb_between(tokens: Sequence[Token], after: int, before: int) -> bool:
    """ "Canadian regulators fined Hollis Motors": the nationality is the regulators', not the company's."""
    return any(
        t.word and not t.cap and (t.lower in _VERBS or t.lower in _SPEECH or t.lower.endswith("ed"))
        for t in tokens[after + 1 : before]
    )


def possessive_countries(tokens: Sequence[Token], mentions: Sequence[Mention]) -> None:
    """ "Israel's Foreign Ministry": an organisation owned by a country belongs to it."""
    by_last = {m.last: m for m in mentions}
    for mention in mentions:
        if mention.kind in ("country", "location", "person") or mention.country:
            continue
        index = mention.first - 1
        if index >= 1 and tokens[index].text in POSSESSIVE:
            owner = by_last.get(index - 1)
            if owner is not None and owner.kind == "country":
                mention.country = owner.shown
