"""Optional spaCy backend: spaCy finds and types the names, our rules do the rest.

spaCy is not a dependency (``pip install 'briefing[spacy]'`` and a pipeline such as
``en_core_web_sm`` installed as a package); nothing is ever downloaded. spaCy's
entities become mentions, and the same role, affiliation and merging steps as the
rule-based extractor turn them into :class:`~briefing.model.Actor` values, so both
backends give the same shape and the same kind of roles.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from briefing.model import Actor, Sentence
from briefing.nlp.actors.gazetteer import gazetteer
from briefing.nlp.actors.mentions import Mention
from briefing.nlp.actors.merge import merge, resolve_kinds
from briefing.nlp.actors.roles import attach_roles, inherit_countries, possessive_countries
from briefing.nlp.actors.tokens import tokenize

DEFAULT_MODEL = "en_core_web_sm"
LABELS = {
    "PERSON": "person",
    "PER": "person",
    "ORG": "organization",
    "GPE": "location",
    "LOC": "location",
    "FAC": "location",
    "NORP": "country",
}
"""spaCy labels we keep, and the actor kind each becomes (GPEs that are countries become countries)."""


class SpacyActors:
    """An actor extractor over a loaded spaCy pipeline (any with a ``doc.ents`` producer)."""

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp

    def __call__(self, text: str, sentences: Sequence[Sentence]) -> list[Actor]:
        g = gazetteer()
        doc = self.nlp(text)
        tokenized = [tokenize(sentence) for sentence in sentences]
        by_sentence: list[list[Mention]] = [[] for _ in sentences]
        index = 0
        for ent in doc.ents:
            kind = LABELS.get(ent.label_)
            if kind is None:
                continue
            start, end = ent.start_char, ent.end_char
            if text[start : start + 4].lower() == "the ":
                start += 4
            while index < len(sentences) and sentences[index].end <= start:
                index += 1
            if index == len(sentences):
                break
            tokens = tokenized[index]
            first = next((i for i, t in enumerate(tokens) if t.end > start), None)
            last = next((i for i in range(len(tokens) - 1, -1, -1) if tokens[i].start < end), None)
            if first is None or last is None or last < first:
                continue
            mention = Mention(start, end, text[start:end], index, first, last, kind)
            mention.evidence.add(f"spacy {ent.label_}")
            if kind == "country":
                country = g.demonyms.get(mention.text)
                if country is None:
                    continue
                mention.shown, mention.demonym = country, True
            elif kind == "location" and mention.text in g.countries:
                mention.kind, mention.shown = "country", g.countries[mention.text]
            elif kind == "location" and mention.text in g.places:
                mention.country = g.places[mention.text] or None
            by_sentence[index].append(mention)
        for tokens, found in zip(tokenized, by_sentence, strict=True):
            attach_roles(text, tokens, found, g)
        mentions = [m for found in by_sentence for m in found]
        resolve_kinds(mentions, tokenized, g)
        for tokens, found in zip(tokenized, by_sentence, strict=True):
            possessive_countries(tokens, found)
            inherit_countries(tokens, found)
        return merge(mentions, tokenized, g)


@cache
def default_extractor(model: str = DEFAULT_MODEL) -> SpacyActors:
    """The spaCy extractor over an installed pipeline package (loaded once per process)."""
    try:
        import spacy
    except ImportError:
        raise RuntimeError("analysis.actors = 'spacy' needs spaCy: pip install 'briefing[spacy]'") from None
    try:
        nlp = spacy.load(model, disable=["lemmatizer"])
    except OSError:
        raise RuntimeError(
            f"analysis.actors = 'spacy' needs the spaCy pipeline {model!r} installed as a package "
            "(briefing never downloads one)"
        ) from None
    return SpacyActors(nlp)
