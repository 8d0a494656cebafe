"""Products, models, software and services are no actors (briefing.nlp.actors.products): invented texts."""

from __future__ import annotations

from briefing.model import Actor
from briefing.nlp.actors.gazetteer import gazetteer
from briefing.nlp.actors.products import product_runs
from briefing.nlp.actors.tagger import tag_actors
from briefing.nlp.actors.tokens import tokenize
from briefing.nlp.sentences import split_sentences


def actors_of(text: str) -> dict[str, Actor]:
    return {a.name: a for a in tag_actors(text, split_sentences(text))}


def named(actors: dict[str, Actor], word: str) -> list[str]:
    """The actors whose name or an alias has ``word`` in it."""
    return [name for name, actor in actors.items() if any(word in n for n in (name, *actor.aliases))]


def runs(sentence: str) -> list[str]:
    tokens = tokenize(split_sentences(sentence)[0])
    return [
        " ".join(t.text for t in tokens[a : c + 1]) for a, _, c in product_runs(tokens, gazetteer().organisation_words)
    ]


def test_a_name_with_a_model_word_and_a_number_is_a_product_and_so_is_its_short_name() -> None:
    actors = actors_of(
        "On Tuesday, Globex unveiled the Zephyr Pro 3 in San Francisco. The Zephyr Pro 3 has a larger screen"
        " than the earlier Zephyr. Analysts expect Zephyr sales to double."
    )
    assert named(actors, "Zephyr") == []
    assert "San Francisco" in actors


def test_an_operating_system_with_a_roman_numeral_and_its_short_names_are_no_actors() -> None:
    actors = actors_of(
        "Norvo OS X Puma will ship in October, Initech Corp. said on Monday. Initech's chief executive,"
        " Jane Moss, said Norvo OS X Puma was the fastest Norvo yet, and Puma would run on older machines."
    )
    assert named(actors, "Norvo") == [] and named(actors, "Puma") == []
    assert actors["Jane Moss"].kind == "person"


def test_a_word_with_a_lower_case_initial_and_a_capital_inside_is_a_product() -> None:
    actors = actors_of(
        "Millions of iGizmo users upgraded this week. The new software brings better battery life"
        " to the iGizmo, analysts at Halden Securities said."
    )
    assert named(actors, "iGizmo") == []


def test_a_company_with_a_products_shape_that_acts_as_a_company_stays() -> None:
    actors = actors_of(
        "Shares of zPad rose 4 percent after zPad Inc. said its quarterly profit doubled."
        " zPad announced a new tablet on Monday."
    )
    assert actors["zPad Inc."].kind == "organization"


def test_what_a_company_launches_and_what_users_use_is_a_product_the_company_stays() -> None:
    actors = actors_of(
        "In London, Globex launched Kestrel, its new music service, on Monday. Kestrel users pay 10 euros a month."
        " Globex said Kestrel had 5 million subscribers."
    )
    assert named(actors, "Kestrel") == []
    assert actors["Globex"].kind == "organization"
    assert len(actors["Globex"].mentions) == 2


def test_a_number_after_an_upgrade_is_a_version_and_the_new_name_its_product() -> None:
    actors = actors_of(
        "Millions of people upgraded to Lumen 5 this week. The new Lumen brings better battery life, Globex said."
    )
    assert named(actors, "Lumen") == []


def test_a_name_after_a_model_designation_is_the_model_wherever_it_stands() -> None:
    actors = actors_of(
        "Zentek said on Monday that the Z90 Skylark would fly next year. The Skylark has 800 orders,"
        " and Zentek shares rose 2 percent."
    )
    assert named(actors, "Skylark") == []
    assert actors["Zentek"].kind == "organization"


def test_a_camel_cased_name_with_a_model_word_or_a_number_is_a_product() -> None:
    actors = actors_of(
        "Halvard cut the price of the GameBox 3 in Europe on Friday. The NoteBook Air was unveiled"
        " in March, and NoteBook owners can trade in older machines."
    )
    assert named(actors, "GameBox") == [] and named(actors, "NoteBook") == []


def test_an_operator_before_a_makers_model_is_no_product() -> None:
    assert runs("The Nordavia Zentek 320 jet overshot the runway on Wednesday.") == ["Zentek 320"]
    actors = actors_of(
        "Twenty people were injured when the Nordavia Zentek 320 jet overshot the runway. The Nordavia pilot"
        " blamed the control tower, the airline's chairman said."
    )
    assert "Nordavia" in actors


def test_scores_times_counts_and_a_teams_reserve_side_are_no_versions() -> None:
    assert runs("Carlton 13.18 (96) beat Footscray 9.12 (66) at the ground on Saturday.") == []
    assert runs("Jo Bloggs (Norway) Telekom 4 hours 48 mins 2 seconds behind the winner.") == []
    assert runs("Traffic on Interstate 95 was slow, and Halden II lost to Rovers on Sunday.") == []
    assert runs("He scored in the 81st minute as Halden beat the 14 EU sides in the 1000 Lakes Rally.") == []
    assert runs("Essex 194-0 (J. Doe 105 not out) and Olympic 100 champion Jo Bloggs won.") == []


def test_a_maker_named_before_its_designations_stays_a_company_where_it_acts() -> None:
    text = (
        "The first Zentek Z90 went to Nordavia in March, and Halden Air took two Zentek Z90 jets."
        " Pilots at Nordavia praised Zentek on Friday."
    )
    actors = actors_of(text)
    assert [text[m.start : m.end] for m in actors["Zentek"].mentions] == ["Zentek"]  # the Z90s are aircraft
