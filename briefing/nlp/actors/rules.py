"""The hand rules' actors: capitalised runs split into mentions, given roles and kinds, merged.

The tagger (:mod:`briefing.nlp.actors.tagger`) reads the rules' mentions as features, so they
live here, apart from the package's registry of extractors.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefing.model import Actor, Sentence
from briefing.nlp.actors.gazetteer import Gazetteer, gazetteer
from briefing.nlp.actors.mentions import Mention, runs, split_run
from briefing.nlp.actors.merge import merge, resolve_kinds
from briefing.nlp.actors.roles import attach_roles, inherit_countries, possessive_countries
from briefing.nlp.actors.tokens import Token, Vocabulary, tokenize, vocabulary


def rule_mentions(
    text: str,
    tokenized: Sequence[Sequence[Token]],
    words: Vocabulary,
    g: Gazetteer,
    rejected: list[list[tuple[int, int]]] | None = None,
) -> list[list[Mention]]:
    """The rules' mentions of each sentence, with roles and kinds (the tagger reads them as features);
    ``rejected`` collects the capitalised runs the rules judged no actor (products, events, groups)."""
    by_sentence: list[list[Mention]] = []
    for index, tokens in enumerate(tokenized):
        found: list[Mention] = []
        no_actor: list[tuple[int, int]] = []
        for first, last in runs(tokens, words, g):
            split = split_run(text, tokens, first, last, index, g)
            found.extend(split)
            if not split:
                no_actor.append((first, last))
        if rejected is not None:
            rejected.append(no_actor)
        attach_roles(text, tokens, found, g)
        by_sentence.append(found)
    resolve_kinds([m for found in by_sentence for m in found], tokenized, g)
    return by_sentence


def extract_actors(text: str, sentences: Sequence[Sentence]) -> list[Actor]:
    """The actors of an article by the hand rules alone, every mention located by offsets into ``text``."""
    g = gazetteer()
    tokenized = [tokenize(sentence) for sentence in sentences]
    by_sentence = rule_mentions(text, tokenized, vocabulary(tokenized), g)
    for tokens, found in zip(tokenized, by_sentence, strict=True):
        possessive_countries(tokens, found)
        inherit_countries(tokens, found)
    return merge([m for found in by_sentence for m in found], tokenized, g)
