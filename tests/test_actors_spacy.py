"""The optional spaCy backend, on a blank pipeline with an entity ruler (no model, no download)."""

from __future__ import annotations

import pytest

from briefing.nlp.sentences import split_sentences

spacy = pytest.importorskip("spacy")


def test_spacy_entities_become_actors_with_our_roles_and_merging() -> None:
    from briefing.nlp.actors.spacy_backend import SpacyActors

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PERSON", "pattern": "Isaac Herzog"},
            {"label": "PERSON", "pattern": "Herzog"},
            {"label": "GPE", "pattern": "Turkey"},
            {"label": "GPE", "pattern": "Ankara"},
            {"label": "NORP", "pattern": "Israeli"},
            {"label": "ORG", "pattern": [{"LOWER": "the"}, {"TEXT": "Foreign"}, {"TEXT": "Ministry"}]},
            {"label": "DATE", "pattern": "March"},
        ]
    )
    text = "Israeli President Isaac Herzog will visit Turkey in March. The Foreign Ministry in Ankara said Herzog would stay."
    actors = {a.name: a for a in SpacyActors(nlp)(text, split_sentences(text))}
    assert set(actors) == {"Israel", "Isaac Herzog", "Turkey", "Foreign Ministry", "Ankara"}
    herzog = actors["Isaac Herzog"]
    assert (herzog.kind, herzog.role, herzog.affiliation) == ("person", "President", "Israel")
    assert [text[m.start : m.end] for m in herzog.mentions] == ["Isaac Herzog", "Herzog"]
    assert actors["Turkey"].kind == "country"
    assert actors["Ankara"].kind == "location" and actors["Ankara"].affiliation == "Turkey"
    assert [text[m.start : m.end] for m in actors["Foreign Ministry"].mentions] == ["Foreign Ministry"]


def test_a_missing_pipeline_is_a_clear_error() -> None:
    from briefing.nlp.actors.spacy_backend import default_extractor

    with pytest.raises(RuntimeError, match="never downloads"):
        default_extractor("no_such_pipeline_xyz")
