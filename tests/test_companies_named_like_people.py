"""Companies the tagger reads as people, and organisation names kept whole (issue 14): invented texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing.model import Actor
from briefing.nlp.actors.gazetteer import gazetteer
from briefing.nlp.actors.tagger import tag_actors
from briefing.nlp.sentences import split_sentences

ROOT = Path(__file__).resolve().parent.parent


def actors_of(text: str) -> dict[str, Actor]:
    return {a.name: a for a in tag_actors(text, split_sentences(text))}


def spans_of(text: str, actor: Actor) -> list[str]:
    return [text[m.start : m.end] for m in actor.mentions]


@pytest.mark.parametrize(
    "text",
    [
        "The contract was split between Globex and Halvorsen Martin on Monday. Halvorsen said the launch"
        " would go ahead.",
        "Halvorsen Martin's Falcon 9 rocket will fly in May. Halvorsen said the launch was on schedule.",
    ],
)
def test_a_company_s_first_word_alone_is_its_short_name_not_a_surname(text: str) -> None:
    actors = actors_of(text)
    company = actors["Halvorsen Martin"]
    assert company.kind == "organization"
    assert spans_of(text, company) == ["Halvorsen Martin", "Halvorsen"]  # one entity, no person "Halvorsen"
    assert "Halvorsen" not in actors


def test_a_company_named_like_a_person_whose_first_word_alone_makes_the_order() -> None:
    text = (
        "The air force picked Brandt Douglas and Globex to build the tankers on Monday. Brandt said the"
        " first tanker would fly in 2012."
    )
    assert actors_of(text)["Brandt Douglas"].kind == "organization"


@pytest.mark.parametrize(
    "text",
    [
        "The air force picked Brandt Douglas and Globex to build the tankers. Brandt said he would retire in 2012.",
        "The air force picked Brandt Douglas and Globex to build the tankers. Brandt, who founded the firm,"
        " said the first tanker would fly in 2012.",
        "The air force picked Brandt Douglas and Globex to build the tankers. Douglas said the first tanker"
        " would fly in 2012.",
        "The air force picked Brandt Douglas and Globex to build the tankers. Brandt and Kevin have flown"
        " the first tanker.",
    ],
)
def test_a_first_word_alone_with_person_evidence_of_its_own_keeps_the_person(text: str) -> None:
    assert actors_of(text)["Brandt Douglas"].kind == "person", text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Brandt Aircraft said on Monday it would cut 500 jobs at its plant.", "Brandt Aircraft"),
        ("Kessler Energy said profits rose on Tuesday.", "Kessler Energy"),
    ],
)
def test_a_name_ending_in_a_company_s_trade_is_an_organisation(text: str, name: str) -> None:
    assert actors_of(text)[name].kind == "organization"


@pytest.mark.parametrize(
    "text",
    [
        "Halvorsen Systems' shares rose on Monday after the army picked Halvorsen Systems.",
        "Halvorsen Systems’ shares rose on Monday. Analysts like Halvorsen Systems’s new radar.",
        "Analysts said Halvorsen Systems would bid. Halvorsen Systems Inc. declined to comment.",
    ],
)
def test_a_plural_head_is_never_cut_to_a_singular(text: str) -> None:
    names = {a.name for a in tag_actors(text, split_sentences(text))}
    assert any(name.startswith("Halvorsen Systems") for name in names), names
    assert not any("Halvorsen System " in name + " " for name in names), names


def test_the_given_names_come_from_a_general_source_and_leave_places_and_words_out() -> None:
    g = gazetteer()
    assert g.given_names < g.common_given_names  # the SSA's common names as well as our own list
    assert len(g.common_given_names) > 700
    assert {"Douglas", "Martin", "Maria", "Kevin"} <= g.common_given_names
    # A place, a country or a word news mostly writes in lower case is no given name here.
    assert not {"Virginia", "Austin", "Jordan", "Israel", "Will", "Hope", "May"} & g.common_given_names
    assert {"Austin", "Jordan"} <= set(g.places) | set(g.countries)
    about = json.loads((ROOT / "briefing/nlp/actors/data/gazetteer.json").read_text(encoding="utf-8"))["about"]
    assert "Social Security" in about


def test_a_name_that_opens_with_a_common_given_name_stays_a_person() -> None:
    # "Travis" is in the SSA's statistics, not in our own list: listed with a company, still a person.
    text = "The contract was split between Globex and Travis Halvorsen on Monday."
    assert actors_of(text)["Travis Halvorsen"].kind == "person"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Shares of Douglas & Kessler rose on Monday. Douglas & Kessler said sales grew.", "Douglas & Kessler"),
        ("Martin & Brandt said on Monday it would buy Globex.", "Martin & Brandt"),
    ],
)
def test_a_name_with_an_ampersand_is_a_firm_not_a_person(text: str, name: str) -> None:
    assert actors_of(text)[name].kind == "organization"


def test_a_common_given_name_after_a_noun_for_an_organisation_stays_a_person() -> None:
    text = "A spokesman told the newspaper Travis Halvorsen had resigned on Monday."
    assert actors_of(text)["Travis Halvorsen"].kind == "person"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Veteran sprinter Okonkwo returns to the track on Sunday. Okonkwo, 38, will race in the 200 metres"
            " at Oslo.",
            "Okonkwo",
        ),
        (
            "Halvorsen climbed the stage on Friday. Halvorsen, 61, won the race twice. Halvorsen told reporters"
            " the course was hard.",
            "Halvorsen",
        ),
    ],
)
def test_a_name_given_an_age_is_a_person_however_the_tagger_read_it(text: str, name: str) -> None:
    assert actors_of(text)[name].kind == "person"


def test_a_full_name_whose_word_is_given_an_age_is_that_person() -> None:
    text = "Brandt Douglas said on Monday he would step down. Brandt, 64, has led the firm since 1990."
    actors = actors_of(text)
    assert actors["Brandt Douglas"].kind == "person"
    assert spans_of(text, actors["Brandt Douglas"]) == ["Brandt Douglas", "Brandt"]
