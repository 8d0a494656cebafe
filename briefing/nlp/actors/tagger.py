"""The default actor extractor: a learned name tagger decides, the rules describe.

A linear-chain CRF (python-crfsuite), trained on the open CoNLL-2003 English training
data by ``bench/train_tagger.py`` and shipped as ``data/tagger.crfsuite``, labels every
token B-/I- PER, ORG, LOC or MISC (nationalities, events, products: no actors) or O.
The hand rules still run first: their guess is one of the tagger's features, and where
the tagger finds the very name the rules found, the rules' reading of its surroundings
(the title before it, the organisation or country it belongs to) is kept. Roles,
affiliations and merging then work as for the rules.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from briefing.model import Actor, Sentence
from briefing.nlp.actors.companies import companies_read_as_people, people_read_as_companies
from briefing.nlp.actors.entities import INDEX_WORDS
from briefing.nlp.actors.features import sentence_features
from briefing.nlp.actors.gazetteer import Gazetteer, gazetteer
from briefing.nlp.actors.mentions import Mention
from briefing.nlp.actors.merge import merge
from briefing.nlp.actors.postpass import (
    abbreviated_things,
    consistent,
    describe,
    organisation_by_noun,
    person_words,
    with_region,
    without_model_makers,
    without_trailing_title,
)
from briefing.nlp.actors.products import without_products
from briefing.nlp.actors.roles import attach_roles, inherit_countries, possessive_countries
from briefing.nlp.actors.rules import rule_mentions
from briefing.nlp.actors.spans import index_number, label_indexes, sane_extent, spans, stock_indexes
from briefing.nlp.actors.tokens import Token, Vocabulary, is_headline, tokenize, vocabulary

MODEL = "data/tagger.crfsuite"
_RULE_TAGS = {"person": "PER", "organization": "ORG", "country": "LOC", "location": "LOC"}
_OVERRIDE = frozenset({"organization", "person"})
TRUST = 0.9
"""Where the tagger's confidence in its own labels of a rules' name falls below this, the rules decide."""
OVERRULING = frozenset({"person", "organization", "country"})
"""The rules' kinds that may overrule an unsure tagger: not a city, which sports news names its team by."""
_GUESSES = frozenset({"default", "guess"})
"""Evidence of a kind the rules chose for want of any other: such a kind overrules nothing."""
ALONE = 0.0
"""The confidence a name needs when the rules found nothing there (0: the tagger alone decides; only
tokens of the rules' names have their marginals computed, the others count as sure)."""
WINDOW_REACH = 2
"""Tokens either side of a capitalised word that the tagger sees (its context features reach two)."""
MAX_NAME_TOKENS = 10
MAX_NAME_CHARS = 100
"""Longer "names" are runs of capitalised words (a headline in capitals, a list), not names."""
MAX_ACTORS = 200
MAX_TOKENS = 400
"""A "sentence" longer than this (a table, a list run together) is tagged in pieces of this size,
so the tagger's cost stays linear in the text."""


@cache
def _tagger() -> Any:  # a pycrfsuite.Tagger: pycrfsuite ships no types
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    with resources.as_file(resources.files(__package__).joinpath(MODEL)) as path:
        tagger.open(str(path))
    return tagger


def rule_tags(tokens: Sequence[Token], found: Sequence[Mention], rejected: Sequence[tuple[int, int]]) -> list[str]:
    """The rules' guess per token as BIO tags; a title before a name is "T", a demonym "DEM",
    a capitalised run the rules judged no actor (a product, an event) "X"."""
    tags = ["O"] * len(tokens)
    for first, last in rejected:
        for i in range(first, last + 1):
            tags[i] = "X"
    for mention in found:
        kind = "DEM" if mention.demonym else _RULE_TAGS.get(mention.kind or "", "UNK")
        tags[mention.first] = "B-" + kind
        for i in range(mention.first + 1, mention.last + 1):
            tags[i] = "I-" + kind
        if mention.title_first is not None:
            for i in range(mention.title_first, mention.first):
                tags[i] = "T"
    return tags


def article_kinds(by_sentence: Sequence[Sequence[Mention]]) -> dict[str, tuple[str, ...]]:
    """What the whole article says about each word of a name: the kind the rules give it most
    often ("Boeing" opening a sentence is what "Boeing" is in the middle of one), and whether
    it stands alone as a name somewhere ("Lockheed" alone: "Lockheed Martin" is no person's
    first and last name; "Herzog" alone: the surname of "Isaac Herzog")."""
    votes: dict[str, Counter[str]] = {}
    alone: set[str] = set()
    for found in by_sentence:
        for mention in found:
            kind = "DEM" if mention.demonym else _RULE_TAGS.get(mention.kind or "", "UNK")
            words = mention.text.split()
            if len(words) == 1:
                alone.add(words[0])
            for word in words:
                votes.setdefault(word, Counter())[kind] += 1
    return {
        word: ("a=" + counts.most_common(1)[0][0], *(("alone",) if word in alone else ()))
        for word, counts in votes.items()
    }


@dataclass(frozen=True, slots=True)
class Prepared:
    """What the tagger reads of an article: tokens, what the rules found, what the article says about words."""

    tokenized: list[list[Token]]
    by_sentence: list[list[Mention]]
    rejected: list[list[tuple[int, int]]]
    words: Vocabulary
    known: dict[str, tuple[str, ...]]

    def features(self, index: int, windows: Sequence[range] | None = None) -> list[list[list[str]]]:
        """The tagger's features of sentence ``index``: of each of ``windows``, or of the whole sentence."""
        tokens = self.tokenized[index]
        tags = rule_tags(tokens, self.by_sentence[index], self.rejected[index])
        headline = is_headline(tokens)
        words = [t for t in tokens if t.word]
        caps = sum(1 for t in words if t.text.isupper()) > 0.6 * max(1, len(words))
        return [
            sentence_features(tokens, self.words, headline, caps, tags, self.known, window)
            for window in (windows if windows is not None else [None])
        ]


def prepare(text: str, sentences: Sequence[Sentence]) -> Prepared:
    """Tokens and the rules' mentions of every sentence, as the tagger and its training read them."""
    g = gazetteer()
    tokenized: list[list[Token]] = []
    for sentence in sentences:
        tokens = tokenize(sentence)
        for start in range(0, max(len(tokens), 1), MAX_TOKENS):
            tokenized.append(tokens[start : start + MAX_TOKENS])
    words = vocabulary(tokenized)
    rejected: list[list[tuple[int, int]]] = []
    by_sentence = rule_mentions(text, tokenized, words, g, rejected)
    return Prepared(tokenized, by_sentence, rejected, words, article_kinds(by_sentence))


def windows(tokens: Sequence[Token], reach: int = WINDOW_REACH) -> list[range]:
    """Stretches of a sentence around its capitalised words, ``reach`` tokens either side: names are
    capitalised, so only these are tagged and a long run of lower-case words costs nothing."""
    not_names = gazetteer().not_names
    found: list[range] = []
    start = end = -1
    for i, token in enumerate(tokens):
        if not token.cap or (token.lower in not_names and not token.text.isupper()):
            continue  # "The", "He", "But" opening a sentence need no tagging of their own
        a, b = max(0, i - reach), min(len(tokens), i + reach + 1)
        if a <= end:
            end = b
        else:
            if end > start:
                found.append(range(start, end))
            start, end = a, b
    if end > start:
        found.append(range(start, end))
    return found


def _typed(mention: Mention, kind: str, g: Gazetteer) -> Mention:
    """Give a mention the tagger's kind; a LOC the gazetteer knows as a country becomes one."""
    if kind != "PER":
        mention.role = None  # roles are people's; the rules may have read one before the tagger spoke
    if kind == "PER":
        mention.kind = "person"
    elif kind == "ORG":
        mention.kind = "organization"
    elif mention.text in g.countries:
        mention.kind, mention.shown = "country", g.countries[mention.text]
    else:
        mention.kind = "location"
        mention.country = mention.country or g.places.get(mention.text) or None
    mention.evidence.add("tagger " + kind)
    return mention


def is_prose(tokens: Sequence[Token]) -> bool:
    """A sentence of running text, not an all-caps headline nor a row of a results table:
    where the hand rules were written for, and where they may overrule an unsure tagger."""
    words = [t for t in tokens if t.word]
    if len(words) < 4:
        return False
    upper = sum(1 for t in words if t.text.isupper() and len(t.text) > 1)
    numbers = sum(1 for t in tokens if t.text[0].isdigit())
    return upper <= 0.5 * len(words) and numbers <= 0.25 * len(tokens)


def tagged_mentions(
    text: str,
    tokens: Sequence[Token],
    found: Sequence[Mention],
    labels: Sequence[str],
    confidence: Callable[[int], float],
    index: int,
    g: Gazetteer,
    words: Vocabulary,
) -> list[Mention]:
    """The tagger's names in one sentence, each the rules' mention of the same tokens when there is one.

    Where the tagger is unsure (its marginal probability below :data:`TRUST`) and the rules
    found a name, the rules' span and kind stand; a name only the tagger sees needs :data:`ALONE`.
    """
    by_range = {(m.first, m.last): m for m in found}
    rule_kind = {id(m): _RULE_TAGS.get(m.kind or "") for m in found}
    overrules = (
        {id(m) for m in found if m.kind in OVERRULING and not m.evidence & _GUESSES} if is_prose(tokens) else set()
    )
    chosen: list[Mention] = []
    covered: set[int] = set()
    for first, last, kind in spans(labels):
        if tokens[first].lower == "the" and first < last:
            first += 1  # "The Bank of England" opening a sentence: the article is no part of the name
        bounds = sane_extent(tokens, first, last, words, g)
        if bounds is None:
            continue
        first, last = bounds
        if (
            kind == "ORG"
            and index_number(tokens, last + 1)
            and last + 2 < len(tokens)
            and tokens[last + 2].text in INDEX_WORDS
        ):
            last += 2  # "FTSE 100 Index": the number and "Index" are part of the index's name
        mention = by_range.get((first, last))
        if mention is not None and mention.demonym:
            mention = None
        if kind == "MISC":
            if mention is None or mention.kind not in _OVERRIDE:
                continue
            kind = rule_kind[id(mention)] or kind
        if mention is None:
            if confidence(first) < ALONE and not any(m.first <= last and m.last >= first for m in found):
                continue  # a name only the tagger sees, and it is unsure of it
            start, end = tokens[first].start, tokens[last].end
            mention = Mention(start, end, text[start:end], index, first, last)
        elif (
            kind != rule_kind[id(mention)]
            and id(mention) in overrules
            and rule_kind[id(mention)]
            and confidence(first) < TRUST
        ):
            kind = rule_kind[id(mention)] or kind  # an unsure tagger: the rules' kind
        chosen.append(_typed(mention, kind, g))
        covered.update(range(first, last + 1))
    for mention in found:
        if mention.demonym:  # nationalities still give affiliations ("Turkish officials")
            if mention.first not in covered:
                chosen.append(mention)
            continue
        rules_kind = rule_kind[id(mention)]
        if rules_kind is None or id(mention) not in overrules or any(m is mention for m in chosen):
            continue
        doubt = min(confidence(i) for i in range(mention.first, mention.last + 1))
        if doubt < TRUST and sane_extent(tokens, mention.first, mention.last, words, g) == (
            mention.first,
            mention.last,
        ):  # the tagger is unsure here and the rules have a name: the rules decide
            chosen = [m for m in chosen if m.last < mention.first or m.first > mention.last]
            chosen.append(_typed(mention, rules_kind, g))
    chosen.sort(key=lambda m: m.start)
    return chosen


def tag_actors(text: str, sentences: Sequence[Sentence]) -> list[Actor]:
    """The actors of an article, names found by the tagger, every mention located by offsets into ``text``."""
    g = gazetteer()
    prepared = prepare(text, sentences)
    tagger = _tagger()
    indexes = stock_indexes(prepared.tokenized)
    chosen_by_sentence: list[list[Mention]] = []
    for index, (tokens, found) in enumerate(zip(prepared.tokenized, prepared.by_sentence, strict=True)):
        labels = ["O"] * len(tokens)
        sure: dict[int, float] = {}
        stretches = windows(tokens)
        doubted = {i for m in found if not m.demonym for i in range(m.first, m.last + 1)}  # where the rules spoke
        for window, features in zip(stretches, prepared.features(index, stretches), strict=True):
            tagged = tagger.tag(features)
            for offset, label in enumerate(tagged):
                labels[window.start + offset] = label
                if window.start + offset in doubted:
                    sure[window.start + offset] = tagger.marginal(label, offset)
        if indexes:
            label_indexes(tokens, labels, indexes)

        def confidence(i: int, sure: dict[int, float] = sure) -> float:
            return sure.get(i, 1.0)

        chosen_by_sentence.append(tagged_mentions(text, tokens, found, labels, confidence, index, g, prepared.words))
    consistent(prepared.by_sentence, chosen_by_sentence, lambda m, kind: _typed(m, kind, g))
    things = abbreviated_things(prepared.tokenized, prepared.rejected, chosen_by_sentence, g.organisation_words)
    people = person_words(chosen_by_sentence)
    final: list[list[Mention]] = []
    for tokens, chosen in zip(prepared.tokenized, chosen_by_sentence, strict=True):

        def prose(tokens: Sequence[Token] = tokens) -> bool:
            return is_prose(tokens)

        chosen = without_model_makers(tokens, chosen, prose, indexes)
        chosen = [m for m in chosen if m.text not in things]
        chosen = [m for m in chosen if m.last - m.first < MAX_NAME_TOKENS and m.end - m.start <= MAX_NAME_CHARS]
        for mention in chosen:
            if mention.kind == "person" and organisation_by_noun(tokens, mention, people, g.common_given_names):
                _typed(mention, "ORG", g)
            elif mention.kind == "organization" and mention.text in people and mention.text not in g.places:
                _typed(mention, "PER", g)  # "Promise" alone after "Promise Tamang": the person, by name
            without_trailing_title(text, tokens, mention, g.role_heads, g.role_modifiers)
            describe(tokens, mention, g.demonyms)
        with_region(tokens, chosen, lambda m: m.kind == "country" or m.text in g.subdivisions)
        attach_roles(text, tokens, chosen, g)
        possessive_countries(tokens, chosen)
        inherit_countries(tokens, chosen)
        final.append(chosen)
    companies = companies_read_as_people(prepared.tokenized, final, g.common_given_names)
    aged = people_read_as_companies(prepared.tokenized, final, g)
    mentions = [m for chosen in final for m in chosen]
    for mention in mentions:
        if mention.text in companies:
            _typed(mention, "ORG", g)  # "Halvorsen Martin" listed with companies, never given a role
        elif mention.text in aged:
            _typed(mention, "PER", g)  # "Halvorsen, 45,": a person, however the tagger read the name
    mentions = without_products(text, prepared.tokenized, mentions, g)  # "Zephyr Pro 3", "iGizmo": no actors
    return bounded(merge(mentions, prepared.tokenized, g))


def bounded(actors: list[Actor]) -> list[Actor]:
    """At most :data:`MAX_ACTORS`, the most mentioned, in their order: a table of tickers or a page of
    capitalised words yields a bounded answer, not one actor per line."""
    if len(actors) <= MAX_ACTORS:
        return actors
    kept = {id(a) for a in sorted(actors, key=lambda a: -len(a.mentions))[:MAX_ACTORS]}
    return [a for a in actors if id(a) in kept]
