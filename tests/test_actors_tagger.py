"""Actors from the learned name tagger (the CRF shipped in the package): invented texts only."""

from __future__ import annotations

from briefing.ingest import read_articles
from briefing.model import Actor
from briefing.nlp.actors import actor_extractor
from briefing.nlp.actors.spans import spans
from briefing.nlp.actors.tagger import tag_actors
from briefing.nlp.sentences import split_sentences
from tests.conftest import SEED
from tests.test_actors import SEED_PEOPLE


def tagged(text: str) -> dict[str, Actor]:
    return {a.name: a for a in tag_actors(text, split_sentences(text))}


def test_seed_people_keep_roles_and_affiliations() -> None:
    [article] = read_articles(SEED, max_bytes=10**7)
    people = {a.name: (a.role, a.affiliation) for a in tagged(article.text).values() if a.kind == "person"}
    assert people == SEED_PEOPLE


def test_a_person_the_rules_cannot_tell_from_a_company() -> None:
    # No title, no given name the gazetteer knows: the rules call the first name an organisation.
    actors = tagged("Nadia Okonkwo-Reyes scored twice as Fenwick Rovers beat their neighbours on Saturday.")
    assert actors["Nadia Okonkwo-Reyes"].kind == "person"
    assert actors["Fenwick Rovers"].kind == "organization"


def test_bio_labels_become_token_ranges() -> None:
    assert spans(["B-PER", "I-PER", "O", "B-ORG", "I-LOC", "B-LOC", "I-LOC"]) == [
        (0, 1, "PER"),
        (3, 3, "ORG"),
        (4, 4, "LOC"),
        (5, 6, "LOC"),
    ]


def test_registered() -> None:
    text = "Lena Park met officials in Oslo."
    assert [a.name for a in actor_extractor("tagger")(text, split_sentences(text))] == ["Lena Park", "Oslo"]


def test_an_opening_the_is_no_part_of_the_name() -> None:
    actors = tagged("The Bank of Norland, which cut rates last month, meets again on Thursday.")
    assert "Bank of Norland" in actors
    assert not any(name.startswith("The") for name in actors)


def test_the_default_extractor_is_the_tagger() -> None:
    from briefing.config.sections import AnalysisSettings
    from briefing.nlp import AnalysisOptions

    assert AnalysisOptions().actors == "tagger"
    assert AnalysisSettings().actors == "tagger"


def test_a_tagged_name_ends_before_a_lower_case_word_and_events_are_no_actors() -> None:
    actors = tagged("Globex unveils Rover robot\n\nGlobex said on Monday that its robot would ship in May.")
    assert "Globex" in actors
    assert not any("unveils" in name for name in actors)
    actors = tagged("The Zentra Developers Conference opens in Oslo on Monday, Zentra said.")
    assert not any(name.endswith("Conference") for name in actors)
    assert "Zentra" in actors


def test_roles_belong_to_people_only() -> None:
    for actor in tag_actors(text := "Globex named Rover chief designer.", split_sentences(text)):
        assert actor.kind == "person" or actor.role is None


def test_a_single_letter_is_no_actor() -> None:
    actors = tagged("Shares of Globex rose on Monday after X agreed to sell its stake to Globex. X shares rose 3%.")
    assert "X" not in actors
    assert "Globex" in actors


def test_a_name_starts_with_a_capital_not_with_the_common_words_before_it() -> None:
    # The tagger may open a name on a lower-case word before it; a name is what follows.
    actors = tagged("It is expected that the new jet will wear the livery of Marrow Airways when it arrives on Monday.")
    assert "Marrow Airways" in actors
    assert not [name for name in actors if name[0].islower()]


def test_a_verb_opening_a_sentence_is_not_part_of_the_name() -> None:
    text = "Making Tom Berg chairman surprised the board. Berg said nothing."
    assert "Tom Berg" in tagged(text) and "Making Tom Berg" not in tagged(text)
