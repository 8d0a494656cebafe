"""The briefing's actor table and who-meets-whom relations, merged across articles.

Actors from different articles are one actor when their names match, or when one's
name is another's alias ("Herzog" in one article, "Isaac Herzog" in the next). The
table shows the latest role and affiliation reported (articles are taken oldest
first, so a later article's role wins). Two actors are related when they are named
in the same event's evidence or the same sentence; the weight counts how often.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from briefing.model import Actor, ActorEntry, ActorKind, Relation, StoredArticle
from briefing.nlp.actors.entities import base, initials
from briefing.nlp.actors.gazetteer import gazetteer
from briefing.nlp.sentences import split_sentences

RELATED_KINDS = frozenset({"person", "organization"})
"""Who meets whom is drawn between people and organisations; places and countries are context."""


@dataclass
class _Merged:
    name: str
    kind: ActorKind
    full_names: Counter[str] = field(default_factory=Counter)
    """How many articles named it by each form (their own canonical names, not aliases)."""
    kinds: Counter[ActorKind] = field(default_factory=Counter)
    """Mentions by the kind each article gave: the entity's kind is the most common."""
    role: str | None = None
    affiliation: str | None = None
    mentions: int = 0
    article_ids: list[str] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    position: int = 0


def _key(kind: str, name: str) -> tuple[str, str]:
    """People and organisations share one space of names (one article's "Globex" person is
    another's "Globex Inc." company), places another; legal forms and "the" do not count, nor how
    an organisation's name writes the country that opens it ("U.S. Air Force")."""
    group = "place" if kind in ("country", "location") else "actor"
    words = base(name).split()
    if kind == "organization":
        countries = gazetteer().countries
        for cut in range(min(len(words) - 1, 4), 0, -1):
            if (head := " ".join(words[:cut])) in countries:  # "U.S. Air Force" is "United States Air Force"
                words = [*countries[head].split(), *words[cut:]]
                break
    return group, " ".join(words).casefold()


def _generic(name: str) -> bool:
    """ "Foreign Ministry", "President's Office": a name every country's body has."""
    g = gazetteer()
    words = [w.removesuffix("'s") for w in name.replace("’", "'").split()]
    return all(w in g.organisation_words or g.is_role_word(w.lower()) or w.lower() in _GLUE for w in words)


_GLUE = frozenset({"of", "the", "for", "and", "foreign", "interior", "defence", "defense", "finance", "justice"})
_ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,6}$")


class _Registry:
    """Actors seen so far, found by name or alias."""

    def __init__(self) -> None:
        self.merged: list[_Merged] = []
        self.index: dict[tuple[str, str], _Merged] = {}
        self.by_surname: dict[str, list[int]] = {}  # a person's last name -> positions in ``merged``
        self.by_initials: dict[str, _Merged] = {}  # an organisation's initials -> it ("ACME")

    def find(self, actor: Actor) -> _Merged:
        keys = [_key(actor.kind, actor.name), *(_key(actor.kind, a) for a in actor.aliases)]
        if actor.kind == "organization" and actor.affiliation and _generic(actor.name):
            # Israel's "Foreign Ministry" is not Turkey's; Globex is Globex wherever it is said to be.
            keys = [(kind, f"{name} ({actor.affiliation.casefold()})") for kind, name in keys]
        found = next((self.index[k] for k in keys if k in self.index and self._same(actor, k, self.index[k])), None)
        if found is None and actor.kind == "organization":
            # "ACME" in one article, "American Consolidated Mining Enterprises" in another.
            names = [actor.name, *actor.aliases]
            found = next((self.by_initials[n] for n in names if _ACRONYM.match(n) and n in self.by_initials), None)
            if found is None:
                found = next((self.by_initials[i] for n in names if (i := initials(n)) in self.by_initials), None)
        if found is None and actor.kind == "person":
            # "Herzog" (one article) and "Isaac Herzog" (another): the same surname and
            # every word of the shorter name in the longer one.
            # Only people of the same last name are compared (an index, not a scan of everyone).
            words = set(keys[0][1].split())
            found = next(
                (
                    m
                    for m in (self.merged[i] for i in sorted(self.by_surname.get(keys[0][1].split()[-1], ())))
                    if words <= set(m.name.casefold().split()) or set(m.name.casefold().split()) <= words
                ),
                None,
            )
        if found is None:
            found = _Merged(actor.name, actor.kind, position=len(self.merged))
            self.merged.append(found)
            self._index_surname(found, None)
        found.full_names[actor.name] += 1
        best = max(found.full_names, key=lambda name: (found.full_names[name], len(name)))
        if best != found.name:
            # The form most articles name it by, the longest of those: one article's odd long
            # form ("Actual Airbus" at a sentence start) does not rename the entity everywhere.
            before = found.name
            found.name = best
            self._index_surname(found, before)
        for key in keys:
            self.index.setdefault(key, found)
        if actor.kind == "organization":
            for name in (actor.name, *actor.aliases):
                if _ACRONYM.match(name):
                    self.by_initials.setdefault(name, found)
                elif len(name.split()) > 2:
                    self.by_initials.setdefault(initials(name), found)
        found.names.update(k[1] for k in keys)
        return found

    @staticmethod
    def _same(actor: Actor, key: tuple[str, str], merged: _Merged) -> bool:
        """Whether an actor found by ``key`` is ``merged``. By its own name, always; by a short form it
        shares ("Globex" of "Globex Mining" and of "Globex Records"), only when no two full names of
        several words differ: two companies with one first word are two companies."""
        own = base(actor.name).split()
        if key == _key(actor.kind, actor.name) or len(own) < 2:
            return True
        return not any(
            len(words := base(name).split()) > 1 and not (set(words) <= set(own) or set(own) <= set(words))
            for name in merged.full_names
        )

    def _index_surname(self, merged: _Merged, before: str | None) -> None:
        if merged.kind != "person":
            return
        if before is not None and (old := _surname(before)) != _surname(merged.name):
            indexed = self.by_surname.get(old, [])
            if merged.position in indexed:  # absent when it was no person then (its kind is the most mentions')
                indexed.remove(merged.position)
        if merged.position not in (positions := self.by_surname.setdefault(_surname(merged.name), [])):
            positions.append(merged.position)


def _surname(name: str) -> str:
    words = name.casefold().split()
    return words[-1] if words else ""


def merge_actors(stored: Iterable[StoredArticle]) -> tuple[list[ActorEntry], dict[tuple[str, str], str]]:
    """The actor table (most mentioned first) and each article's actor names mapped to table names."""
    registry = _Registry()
    names: dict[tuple[str, str], str] = {}
    members: dict[tuple[str, str], _Merged] = {}
    for item in sorted(stored, key=lambda s: (s.article.date, s.first_seen)):
        article_id = item.article.id
        for actor in item.analysis.actors:
            merged = registry.find(actor)
            merged.mentions += len(actor.mentions)
            merged.kinds[actor.kind] += len(actor.mentions)
            merged.kind = merged.kinds.most_common(1)[0][0]
            merged.role = actor.role or merged.role
            merged.affiliation = actor.affiliation or merged.affiliation
            if article_id not in merged.article_ids:
                merged.article_ids.append(article_id)
            members[(article_id, actor.name)] = merged
    for key, merged in members.items():
        names[key] = merged.name
    entries = [
        ActorEntry(m.name, m.kind, m.role, m.affiliation, m.mentions, tuple(m.article_ids)) for m in registry.merged
    ]
    entries.sort(key=lambda e: (-len(e.article_ids), -e.mentions, e.name))
    return entries, names


def relations(stored: Sequence[StoredArticle], names: dict[tuple[str, str], str]) -> list[Relation]:
    """Pairs of people or organisations named together in an event's evidence or a sentence."""
    weights: Counter[tuple[str, str]] = Counter()
    sources: dict[tuple[str, str], list[str]] = defaultdict(list)
    for item in stored:
        article_id = item.article.id
        groups = _together(item, names)
        for group in groups:
            for a, b in combinations(sorted(group), 2):
                weights[(a, b)] += 1
                if article_id not in sources[(a, b)]:
                    sources[(a, b)].append(article_id)
    found = [Relation(a, b, weight, tuple(sources[(a, b)])) for (a, b), weight in weights.items()]
    found.sort(key=lambda r: (-r.weight, r.a, r.b))
    return found


def _together(item: StoredArticle, names: dict[tuple[str, str], str]) -> list[set[str]]:
    """Sets of (table) names that occur together: in each event, and in each sentence outside events."""
    article_id = item.article.id
    actors = [a for a in item.analysis.actors if a.kind in RELATED_KINDS]
    groups: list[set[str]] = []
    for event in (e for e in item.analysis.events if e.notable):
        group = {names.get((article_id, n), n) for n in event.actors}
        group |= {
            names[(article_id, a.name)]
            for a in actors
            if event.evidence and any(event.evidence.start <= m.start < event.evidence.end for m in a.mentions)
        }
        if len(group) > 1:
            groups.append(group)
    covered = [(e.evidence.start, e.evidence.end) for e in item.analysis.events if e.evidence and e.notable]
    spans = _sentence_spans(item)
    starts = [start for start, _ in spans]
    in_sentence: dict[int, set[str]] = defaultdict(set)  # each mention placed by bisection, not by a scan
    for actor in actors:
        for mention in actor.mentions:
            index = bisect_right(starts, mention.start) - 1
            if index >= 0 and mention.start < spans[index][1]:
                in_sentence[index].add(names[(article_id, actor.name)])
    for index in sorted(in_sentence):
        start, end = spans[index]
        group = in_sentence[index]
        if len(group) > 1 and not any(a <= start and end <= b for a, b in covered):
            groups.append(group)
    return groups


def _sentence_spans(item: StoredArticle) -> list[tuple[int, int]]:
    """The sentences the analysis found (splitting again only for analyses stored before they were kept)."""
    if item.analysis.sentences:
        return [(s.start, s.end) for s in item.analysis.sentences]
    return [(s.start, s.end) for s in split_sentences(item.article.text)]


def story_actors(item: StoredArticle, names: dict[tuple[str, str], str], limit: int = 8) -> tuple[str, ...]:
    """The article's actors by table name, most mentioned first (people and organisations first)."""
    ranked = sorted(item.analysis.actors, key=lambda a: (a.kind not in RELATED_KINDS, -len(a.mentions)))
    return tuple(dict.fromkeys(names.get((item.article.id, a.name), a.name) for a in ranked))[:limit]
