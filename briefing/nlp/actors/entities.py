"""Entities, not strings: what makes several names one actor, and what makes a name no actor.

A company is written "Globex", "Globex Inc." and "Globex Corp." in the same news; an index
"FTSE 100" and "FTSE 100 Index". Both name forms share a *base*: the name less a legal form
or the word "Index". Mentions of one base are one entity with one kind (the kind most of
them have). A product or programme named after a company ("Acme Rover" after "Acme") is
not the company, and neither is a stray legal form ("Inc.") or suffix ("Jr.") on its own.
Used within an article (:mod:`briefing.nlp.actors.merge`) and across articles
(:mod:`briefing.compose.actors`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

from briefing.nlp.actors.gazetteer import Gazetteer
from briefing.nlp.actors.mentions import Mention

LEGAL_FORMS = frozenset(
    {
        "Inc.", "Inc", "Incorporated", "Corp.", "Corp", "Corporation", "Co.", "Co", "Ltd.", "Ltd", "Limited",
        "PLC", "Plc", "plc", "LLC", "L.L.C.", "LLP", "GmbH", "AG", "S.A.", "SA", "N.V.", "NV", "B.V.", "S.p.A.",
        "SpA", "AB", "ASA", "Oyj",
    }
)  # fmt: skip
"""Abbreviations of legal forms of companies in English-language news (common forms of the
ISO 20275 entity legal forms list for the US, UK and the larger European markets)."""
INDEX_WORDS = frozenset({"Index", "index", "Average", "Composite"})
"""Words that end the names of stock indexes ("FTSE 100 Index", "Dow Jones Industrial Average")."""
FRAGMENTS = LEGAL_FORMS | frozenset({"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV", "Motor", "Holdings", "Group"})
"""Words that are part of a name and never a whole one."""
COMPASS = frozenset({"North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central"})
_TRAILING = re.compile(r"\s*['’]s?$")


@lru_cache(maxsize=50_000)
def clean(name: str) -> str:
    """One spacing, no leading "the", no trailing possessive: "the Globex's" -> "Globex"."""
    words = name.replace("’", "'").split()
    if len(words) > 1 and words[0].lower() == "the":
        words = words[1:]
    text = " ".join(words)
    trimmed = _TRAILING.sub("", text) if text.endswith(("'s", "'")) else text
    return trimmed or text


@lru_cache(maxsize=50_000)
def base(name: str) -> str:
    """The name less trailing legal forms, an index word and a possessive: "Globex Corp." -> "Globex",
    "FTSE 100 Index" -> "FTSE 100". Never empty: "Group" alone stays "Group"."""
    words = clean(name).split()
    while len(words) > 1 and (words[-1] in LEGAL_FORMS or words[-1] in INDEX_WORDS or words[-1] == ","):
        words.pop()
    if len(words) > 1 and words[-1].endswith(","):
        words[-1] = words[-1].rstrip(",")
    return " ".join(words)


def initials(name: str) -> str:
    """ "ACME" for "American Consolidated Mining Enterprises": initials of the capitalised words of its base."""
    return "".join(w[0] for w in base(name).split() if w[:1].isupper())


def kind_of_name(name: str, kind: str, g: Gazetteer) -> str:
    """A kind the name itself contradicts is corrected: an index or an organisation word at the end
    is no person ("Zenith Composite Index"), nor is a known place ("North Atlantic")."""
    words = name.split()
    if kind == "person" and (name in g.places or (len(words) > 1 and words[0] in COMPASS and words[-1] in g.places)):
        return "location"
    if len(words) > 1 and words[0] in COMPASS and words[-1] in g.places:
        return "location"  # "North Atlantic" (a team named after a city stays a team)
    if kind == "person" and len(words) > 1:
        if words[-1] in INDEX_WORDS or words[-1] in g.organisation_words or words[-1] in LEGAL_FORMS:
            return "organization"
        if words[-1] in g.place_words:
            return "location"
    return kind


def is_fragment(mention: Mention) -> bool:
    """ "Inc.", "Jr.", "Motor" or a single letter standing alone: a piece of a name, no actor."""
    return mention.text in FRAGMENTS or len(mention.text.rstrip(".")) < 2


def renamed_companies(mentions: Sequence[Mention], g: Gazetteer) -> None:
    """ "New Globex" where the article names Globex the company: a company, not a person
    (a word before a company's name that is no given name)."""
    companies = {base(m.text) for m in mentions if m.kind == "organization"}
    for mention in mentions:
        words = base(mention.text).split()
        if (
            mention.kind == "person"
            and len(words) > 1
            and words[0] not in g.given_names
            and " ".join(words[1:]) in companies
        ):
            mention.kind = "organization"


def one_kind(mentions: Iterable[Mention]) -> None:
    """Every mention of one name gets the kind most of them have (the first mention's on a tie); a name
    written once with a legal form ("zPad Inc.") is an organisation in all its mentions."""
    votes: dict[str, Counter[str]] = {}
    named = [m for m in mentions if m.kind in ("person", "organization", "location") and not m.demonym]
    incorporated = {base(m.text) for m in named if m.text != base(m.text) and m.text.split()[-1] in LEGAL_FORMS}
    for mention in named:
        votes.setdefault(base(mention.text), Counter())[mention.kind or ""] += 1
    for mention in named:
        counts = votes[base(mention.text)]
        if base(mention.text) in incorporated:
            mention.kind = "organization"
        elif len(counts) > 1:
            mention.kind = counts.most_common(1)[0][0]


def products(mentions: Sequence[Mention], g: Gazetteer) -> tuple[set[int], set[str]]:
    """Names made of a company's name the article used before and more words ("Acme launched Acme
    Total Care"): a product, model or programme, or a division, and in any case not the company.
    Returns the ids of such mentions taken for people ("Acme Rover", a product: no actor), and
    the names of the others (their own entity, which the company's short form never joins)."""
    alone: dict[str, int] = {}
    first_seen: dict[str, int] = {}
    for mention in mentions:
        name = base(mention.text)
        first_seen[name] = min(first_seen.get(name, mention.start), mention.start)
        if mention.kind == "organization" and " " not in name:
            alone[name] = min(alone.get(name, mention.start), mention.start)
    dropped: set[int] = set()
    apart: set[str] = set()
    for mention in mentions:
        if mention.kind not in ("organization", "person"):
            continue
        name = base(mention.text)
        words = name.split()
        if len(words) < 2 or words[0] not in alone or alone[words[0]] >= first_seen[name]:
            continue
        if words[-1] in g.organisation_words or words[-1] in LEGAL_FORMS or "of" in words:
            continue  # "Acme Holdings", "Acme Bank", "House of Representatives": the body's own longer name
        if mention.kind == "person":
            dropped.add(id(mention))
        else:
            apart.add(name)
    return dropped, apart
