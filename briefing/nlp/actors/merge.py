"""From mentions to actors: kinds decided with the whole article in view, then merged.

A name's kind is often only clear from the rest of the article: "Herzog" is a
person because "Isaac Herzog" is; "Lockheed" an organisation because "Lockheed
Martin" is one and people are not called by their first names in news. Mentions
of one actor ("Herzog", "Isaac Herzog", "President Herzog") become one
:class:`~briefing.model.Actor` with every span, its role and its affiliation.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefing.model import Actor, Span
from briefing.nlp.actors.entities import (
    base,
    clean,
    is_fragment,
    kind_of_name,
    one_kind,
    products,
    renamed_companies,
)
from briefing.nlp.actors.gazetteer import Gazetteer
from briefing.nlp.actors.mentions import Mention
from briefing.nlp.actors.tokens import Token

SPEECH_VERBS = frozenset({"said", "says", "told", "tweeted", "added", "wrote", "explained", "stated", "argued"})
_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,}$|^[A-Z][A-Z0-9&]{1,6}s?$")
_LOCATION_CUES = frozenset({"in", "near", "outside"})
_PERSONAL = frozenset({"he", "she", "his", "her", "him", "himself", "herself"})
_PRONOUN_WINDOW = 6
_OWNED_BY = frozenset({"at", "of", "from", "for", "with"})
_CLIPPED = {"Fed": "Federal", "Met": "Metropolitan"}
"""Short forms news uses for an organisation's first word ("the Fed", "the Met"). A list, not a
prefix rule: "Ford" is no short form of "Fordham University", nor "Sun" of "Sunday Times"."""


def _words(name: str) -> list[str]:
    return name.replace("’", "'").split()


def resolve_kinds(mentions: Sequence[Mention], sentences: Sequence[Sequence[Token]], g: Gazetteer) -> None:
    """Give every mention a kind, using what other mentions of the article say."""
    alone = {m.text for m in mentions if len(_words(m.text)) == 1}
    # Names of several words first: they tell what the single words are.
    several = [m for m in mentions if len(_words(m.text)) > 1]
    single = [m for m in mentions if len(_words(m.text)) == 1]
    surnames: set[str] = set()
    org_heads: set[str] = set()
    speakers = {m.text for m in mentions if m.kind is None and _speaks(m, sentences[m.sentence])}
    for mention in [*several, *single]:
        if mention is (single[0] if single else None):
            surnames = {_words(m.text)[-1] for m in mentions if m.kind == "person"}
            org_heads = {_words(m.text)[0] for m in several if m.kind == "organization"}
        if mention.kind is not None:
            continue
        words = _words(mention.text)
        tokens = sentences[mention.sentence]
        before = tokens[mention.first - 1].lower if mention.first > 0 else ""
        if len(words) == 1:
            word = words[0]
            if word in surnames:
                mention.kind = "person"
            elif word in org_heads or _ACRONYM.match(word):
                mention.kind = "organization"
            elif word in g.given_names:
                mention.kind = "person"
            elif before in _LOCATION_CUES:
                mention.kind = "location"
            else:
                mention.kind = "organization"
                mention.evidence.add("guess")  # no evidence: the tagger's word counts for more
            continue
        if words[0] in g.given_names or (words[-1] in alone and words[0] not in alone):
            mention.kind = "person"
        elif words[0] in alone:
            mention.kind = "organization"
        elif mention.text in speakers or words[-1] in speakers:
            mention.kind = "person"
            mention.evidence.add("speaks or is he or she")
        elif before in _LOCATION_CUES:
            mention.kind = "location"
        else:
            mention.kind = "organization"
            mention.evidence.add("default")
    # One name, one kind: a default gives way when another mention of the name is a person.
    people = {m.text for m in mentions if m.kind == "person"}
    for mention in mentions:
        if "default" in mention.evidence and mention.text in people:
            mention.kind = "person"


def _speaks(mention: Mention, tokens: Sequence[Token]) -> bool:
    """People say things and are "he" or "she": '"...," said Bear Grylls', 'Grylls, who said he ...'."""
    before = tokens[mention.first - 1].lower if mention.first > 0 else ""
    after = tokens[mention.last + 1].lower if mention.last + 1 < len(tokens) else ""
    if before in _OWNED_BY:
        return False  # "economists at Goldman Sachs said": the economists speak, the name is where they work
    if before in SPEECH_VERBS or after in SPEECH_VERBS:
        return True
    following = tokens[mention.last + 1 : mention.last + 1 + _PRONOUN_WINDOW]
    return any(t.lower in _PERSONAL for t in following)


@dataclass
class _Cluster:
    kind: str
    name: str
    mentions: list[Mention] = field(default_factory=list)
    words: frozenset[str] = frozenset()


def merge(mentions: Sequence[Mention], sentences: Sequence[Sequence[Token]], g: Gazetteer) -> list[Actor]:
    """Mentions grouped into entities, in order of first mention: one kind each (the kind most of
    its mentions have), named by the longest full form seen; products and name fragments dropped."""
    for mention in mentions:
        if mention.kind in ("person", "organization") and not mention.shown:
            mention.kind = kind_of_name(clean(mention.text), mention.kind, g)
        if mention.kind == "person" and "&" in _words(mention.text):
            mention.kind = "organization"  # "Halvorsen & Brandt": a firm of partners, no one person
    dropped, apart = products(mentions, g)
    mentions = [m for m in mentions if id(m) not in dropped and not is_fragment(m)]
    renamed_companies(mentions, g)
    one_kind(mentions)
    clusters = _Clusters(g)
    by_key: dict[tuple[str, str], _Cluster] = {}
    owner: dict[int, _Cluster] = {}
    ordered = sorted(mentions, key=lambda m: (m.kind != "person", -len(_words(m.text)), m.start))
    for mention in ordered:
        kind = mention.kind or "organization"
        name = mention.shown or clean(mention.text)
        key = (kind, name if mention.shown else base(name))
        cluster = by_key.get(key) or clusters.attach(kind, key[1])
        if cluster is None:
            cluster = clusters.add(kind, name, short_forms=key[1] not in apart)
            by_key[key] = cluster
        cluster.mentions.append(mention)
        owner[id(mention)] = cluster
    found = clusters.all
    for cluster in found:
        cluster.mentions.sort(key=lambda m: m.start)
    found.sort(key=lambda c: c.mentions[0].start)
    return [_actor(cluster, owner, sentences) for cluster in found]


class _Clusters:
    """The actors made so far, indexed by word so that a short form finds its actor without a scan.

    A long text has thousands of actors; comparing every mention with every actor
    would cost their product. Each lookup returns the earliest made actor that
    matches, as a scan in order would.
    """

    def __init__(self, g: Gazetteer | None = None) -> None:
        self.g = g
        self.all: list[_Cluster] = []
        self._national: dict[str, list[int]] = defaultdict(list)  # "Air Force" -> "United States Air Force"
        self._people: dict[str, list[int]] = defaultdict(list)  # a word of the name -> people with it
        self._first_words: dict[str, list[int]] = defaultdict(list)  # an organisation's first word -> them
        self._initials: dict[str, list[int]] = defaultdict(list)  # an organisation's initials -> them
        self._of_tails: dict[str, list[int]] = defaultdict(list)  # "Representatives" -> "House of Representatives"

    def add(self, kind: str, name: str, short_forms: bool = True) -> _Cluster:
        """A new actor; with ``short_forms`` false, no shorter name will join it."""
        cluster = _Cluster(kind, name, words=frozenset(_words(name)))
        index = len(self.all)
        self.all.append(cluster)
        if not short_forms:
            return cluster
        if kind == "person":
            for word in cluster.words:
                self._people[word].append(index)
        elif kind == "organization":
            self._first_words[_words(name)[0]].append(index)
            self._initials[_initials(name)].append(index)
            if " of " in name:
                self._of_tails[_words(name)[-1]].append(index)
            if (rest := self._without_country(name)) is not None:
                self._national[rest].append(index)
        return cluster

    def _without_country(self, name: str) -> str | None:
        """ "Air Force" of "United States Air Force", "Navy" of "Indian Navy": an organisation's name
        less the country or nationality that opens it, when the rest is a name of several words or
        an organisation word; else None."""
        if self.g is None:
            return None
        words = _words(name)
        for cut in range(1, len(words)):
            head = " ".join(words[:cut])
            if head in self.g.countries or head in self.g.demonyms:
                rest = words[cut:]
                if len(rest) > 1 or rest[0] in self.g.organisation_words:
                    return " ".join(rest)
                return None
        return None

    def attach(self, kind: str, name: str) -> _Cluster | None:
        """An existing actor this name is a short form of, if any."""
        words = _words(name)
        if kind == "person":
            wanted = set(words)
            return next((self.all[i] for i in self._people.get(words[-1], ()) if wanted <= self.all[i].words), None)
        if kind == "organization" and name in self._national:
            return self.all[min(self._national[name])]  # "the Air Force" after "United States Air Force"
        if kind == "organization" and len(words) == 1:
            word = words[0]
            candidates = [*self._first_words.get(word, ()), *self._of_tails.get(word, ())]
            if _ACRONYM.match(word):
                candidates += self._initials.get(word.replace(".", "").rstrip("s"), ())
            elif word in _CLIPPED:  # "the Fed" for "the Federal Reserve"
                candidates += self._first_words.get(_CLIPPED[word], ())
            return self.all[min(candidates)] if candidates else None
        return None


def _initials(name: str) -> str:
    """ "USAF" for "United States Air Force": the initials of its capitalised words."""
    return "".join(w[0] for w in _words(name) if w[:1].isupper())


def _actor(cluster: _Cluster, owner: dict[int, _Cluster], sentences: Sequence[Sequence[Token]]) -> Actor:
    role = next((m for m in cluster.mentions if m.role), None)
    role_text = None
    if role is not None:
        role_text = role.role
        possessor = owner.get(id(role.possessor)) if role.possessor else None
        if possessor is not None and possessor.kind == "person":
            role_text = f"{role_text} to {_styled(possessor, owner)}"
        elif possessor is not None:
            role_text = f"{role_text} of {possessor.name}"
    aliases = sorted({clean(m.text) for m in cluster.mentions} - {cluster.name})
    return Actor(
        name=cluster.name,
        kind=cluster.kind,  # type: ignore[arg-type]  # a cluster's kind is an ActorKind, kept as str while mentions merge
        role=role_text.replace("’", "'") if role_text else None,
        affiliation=_affiliation(cluster, owner, sentences, set()),
        aliases=tuple(aliases),
        mentions=tuple(Span(_span_start(m), m.end if m.extent_end is None else m.extent_end) for m in cluster.mentions),
    )


def _span_start(mention: Mention) -> int:
    if mention.title_start is not None:
        return mention.title_start
    return mention.start if mention.extent_start is None else mention.extent_start


def _styled(person: _Cluster, owner: dict[int, _Cluster]) -> str:
    """ "President Erdogan": a short title and the surname, else the full name."""
    titled = next((m for m in person.mentions if m.role), None)
    if (
        titled
        and titled.role
        and titled.possessor is None
        and len(titled.role.split()) <= 3
        and titled.role[0].isupper()
    ):
        return f"{titled.role} {_words(person.name)[-1]}"
    return person.name


def _affiliation(
    cluster: _Cluster, owner: dict[int, _Cluster], sentences: Sequence[Sequence[Token]], seen: set[int]
) -> str | None:
    """The country an actor belongs to: stated, or through its owner or organisation."""
    if cluster.kind == "country" or id(cluster) in seen:
        return None
    seen.add(id(cluster))
    for mention in cluster.mentions:
        if mention.country:
            return mention.country
    for mention in cluster.mentions:
        for other in (mention.possessor, mention.organisation, mention.partner):
            related = owner.get(id(other)) if other is not None else None
            if related is not None and (found := _affiliation(related, owner, sentences, seen)):
                return found
    return None
