"""Actors from the rule-based extractor: the seed's people, roles, countries, and the traps."""

from __future__ import annotations

import pytest

from briefing.ingest import read_articles
from briefing.model import Actor
from briefing.nlp import AnalysisOptions, analyse
from briefing.nlp.actors import actor_extractor, extract_actors
from briefing.nlp.sentences import split_sentences
from tests.conftest import SEED


def actors_of(text: str) -> dict[str, Actor]:
    return {a.name: a for a in extract_actors(text, split_sentences(text))}


@pytest.fixture(scope="module")
def seed() -> tuple[str, dict[str, Actor]]:
    [article] = read_articles(SEED, max_bytes=10**7)
    return article.text, actors_of(article.text)


SEED_PEOPLE = {
    "Tayyip Erdogan": ("President", "Turkey"),
    "Ibrahim Kalin": ("top foreign policy adviser to President Erdogan", "Turkey"),
    "Sadat Onal": ("Deputy Foreign Minister", "Turkey"),
    "Alon Ushpiz": ("Foreign Ministry Director-General", "Israel"),
    "Eyal Shviki": ("CEO of the President's Office", "Israel"),
    "Isaac Herzog": ("President", "Israel"),
    "Mahmoud Abbas": ("President", "Palestine"),
    "Mevlut Cavusoglu": ("Foreign Minister", "Turkey"),
}


def test_seed_people_once_each_with_role_and_affiliation(seed: tuple[str, dict[str, Actor]]) -> None:
    _, actors = seed
    people = {name: (a.role, a.affiliation) for name, a in actors.items() if a.kind == "person"}
    assert people == SEED_PEOPLE


def test_seed_countries_and_organisations(seed: tuple[str, dict[str, Actor]]) -> None:
    _, actors = seed
    assert {n for n, a in actors.items() if a.kind == "country"} == {"Turkey", "Israel", "Palestine"}
    assert actors["Foreign Ministry"].kind == "organization"
    assert actors["Foreign Ministry"].affiliation == "Israel"
    assert actors["President's Office"].kind == "organization"
    assert actors["President's Office"].affiliation == "Israel"
    assert actors["Jerusalem"].kind == "location"
    assert actors["Ankara"].affiliation == "Turkey"


def test_no_actors_from_sentence_starts_or_quotes(seed: tuple[str, dict[str, Actor]]) -> None:
    text, actors = seed
    surfaces = {text[m.start : m.end] for a in actors.values() for m in a.mentions}
    for word in ("Any", "During", "Earlier", "We", "The", "President"):
        assert word not in actors
        assert word not in surfaces


def test_every_mention_is_located_and_short_forms_merge(seed: tuple[str, dict[str, Actor]]) -> None:
    text, actors = seed
    herzog = actors["Isaac Herzog"]
    assert herzog.aliases == ("Herzog",)
    assert [text[m.start : m.end] for m in herzog.mentions] == ["Isaac Herzog", "Herzog", "Herzog", "Herzog"]
    assert [text[m.start : m.end] for m in actors["Mahmoud Abbas"].mentions] == ["President Mahmoud Abbas", "Abbas"]
    for actor in actors.values():
        assert list(actor.mentions) == sorted(actor.mentions, key=lambda m: m.start)
        for mention in actor.mentions:
            assert 0 <= mention.start < mention.end <= len(text)


def test_appositions_possessives_and_organisation_words() -> None:
    text = (
        "Anna Berg, the city council's chief planner, presented the plan on Monday. "
        "Germany's Finance Minister Karl Weber met officials of the Bank of England in London. "
        "Berg said the European Central Bank would not comment."
    )
    actors = actors_of(text)
    assert actors["Anna Berg"].role == "city council's chief planner"
    assert [text[m.start : m.end] for m in actors["Anna Berg"].mentions] == ["Anna Berg", "Berg"]
    assert (actors["Karl Weber"].role, actors["Karl Weber"].affiliation) == ("Finance Minister", "Germany")
    assert actors["Bank of England"].kind == "organization"
    assert actors["European Central Bank"].kind == "organization"
    assert actors["London"].affiliation == "United Kingdom"
    assert "Monday" not in actors


def test_names_of_organisations_are_not_people() -> None:
    text = "Lockheed Martin won the contract. Lockheed said the United States Air Force (USAF) was pleased."
    actors = actors_of(text)
    assert actors["Lockheed Martin"].kind == "organization"
    assert len(actors["Lockheed Martin"].mentions) == 2
    assert actors["United States Air Force"].kind == "organization"
    assert actors["United States Air Force"].aliases == ("USAF",)


def test_named_storms_are_no_actors() -> None:
    actors = actors_of("Storm Darragh brought 90mph winds to Wales. Hurricane Milton hit Florida on Wednesday.")
    assert "Storm Darragh" not in actors and "Hurricane Milton" not in actors
    assert actors["Florida"].kind == "location"  # the places in the same sentences are still found


def test_a_title_word_opening_a_sentence_is_a_role_not_part_of_the_name() -> None:
    actors = actors_of("Forecaster Alex Deakin said the storm would move away to the east on Sunday.")
    assert (actors["Alex Deakin"].kind, actors["Alex Deakin"].role) == ("person", "Forecaster")


def test_a_party_named_as_an_adjective_is_part_of_the_role() -> None:
    actors = actors_of("The Conservative leader Kemi Badenoch accused the government of breaking its promises.")
    assert actors["Kemi Badenoch"].role == "Conservative leader"
    actors = actors_of("Earlier, the French president Emmanuel Macron said talks would go on.")
    assert (actors["Emmanuel Macron"].role, actors["Emmanuel Macron"].affiliation) == ("president", "France")
    assert actors_of("Then president Donald Trump signed the order.")["Donald Trump"].role == "president"
    assert actors_of("Democratic senator Chris Murphy objected.")["Chris Murphy"].role == "Democratic senator"


def test_a_clipped_name_merges_and_a_workplace_does_not_speak() -> None:
    text = (
        "The Federal Reserve cut rates on Wednesday. The Fed expects two cuts next year."
        " Economists at Goldman Sachs said tariffs could push inflation higher."
    )
    actors = actors_of(text)
    assert actors["Federal Reserve"].aliases == ("Fed",)
    assert len(actors["Federal Reserve"].mentions) == 2
    assert actors["Goldman Sachs"].kind == "organization"  # the economists said it
    actors = actors_of("Students at Fordham University protested on Monday. Workers at Ford said they would join.")
    assert "Ford" in actors and actors["Fordham University"].aliases == ()


def test_products_events_and_headline_capitals_are_no_actors() -> None:
    text = (
        "Airline Orders Twelve New Jets From Boeing\n\n"
        "Qatar Airways ordered twelve Boeing 787 jets at the Paris Air Show, officials said. "
        "Analysts expect more orders."
    )
    actors = actors_of(text)
    assert "Airline Orders Twelve New Jets" not in actors
    assert "Paris Air Show" not in actors and "Air Show" not in actors
    assert "Analysts" not in actors
    assert actors["Qatar Airways"].kind == "organization"
    assert actors["Qatar Airways"].affiliation == "Qatar"
    assert actors["Boeing"].kind == "organization"


def test_bad_input_yields_no_actors_and_no_error() -> None:
    for text in ("", "   ", "lower case only, no names here.", "!!! ??? ...", "A" * 5000, "The The The"):
        assert isinstance(extract_actors(text, split_sentences(text)), list)


def test_analysis_carries_the_actors() -> None:
    [article] = read_articles(SEED, max_bytes=10**7)
    analysis = analyse(article, AnalysisOptions(key_points=2))
    assert {a.name for a in analysis.actors if a.kind == "person"} == set(SEED_PEOPLE)


def test_registry() -> None:
    assert actor_extractor("rules") is extract_actors
    with pytest.raises(ValueError, match="unknown actor extractor"):
        actor_extractor("magic")
