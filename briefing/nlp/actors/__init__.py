"""Actors: the people, organisations, countries and places an article is about.

The default extractor (``"tagger"``, :mod:`briefing.nlp.actors.tagger`) finds names with a
learned sequence tagger shipped as package data, reading the hand rules' guess as one of its
features. The rules (``"rules"``) find names by capitalisation (with care at sentence starts,
after quotes and in Title Case headlines), split off titles and roles, classify names with a
shipped gazetteer and the article's own evidence; both merge mentions into entities
(:mod:`briefing.nlp.actors.entities`) with a role and an affiliation. An optional spaCy
backend (``"spacy"``) sits behind the same interface; see
:mod:`briefing.nlp.actors.spacy_backend`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from briefing.model import Actor, Sentence
from briefing.nlp.actors.rules import extract_actors, rule_mentions

__all__ = ["ACTOR_EXTRACTORS", "ActorExtractor", "actor_extractor", "extract_actors", "rule_mentions"]

ActorExtractor = Callable[[str, Sequence[Sentence]], list[Actor]]


def _tagged_actors(text: str, sentences: Sequence[Sentence]) -> list[Actor]:
    from briefing.nlp.actors.tagger import tag_actors

    return tag_actors(text, sentences)


def _spacy_actors(text: str, sentences: Sequence[Sentence]) -> list[Actor]:
    from briefing.nlp.actors.spacy_backend import default_extractor

    return default_extractor()(text, sentences)


ACTOR_EXTRACTORS: dict[str, ActorExtractor] = {
    "tagger": _tagged_actors,
    "rules": extract_actors,
    "spacy": _spacy_actors,
}
"""Actor extractors by the name used in the settings (``analysis.actors``)."""


def actor_extractor(name: str) -> ActorExtractor:
    """The extractor registered under ``name``."""
    try:
        return ACTOR_EXTRACTORS[name]
    except KeyError:
        raise ValueError(f"unknown actor extractor {name!r} (known: {', '.join(ACTOR_EXTRACTORS)})") from None
