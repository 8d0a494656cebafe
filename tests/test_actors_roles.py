"""Roles and affiliations bounded by grammar (invented texts, the default extractor)."""

from __future__ import annotations

from briefing.model import Actor
from briefing.nlp.actors.tagger import tag_actors
from briefing.nlp.sentences import split_sentences


def people(text: str) -> dict[str, Actor]:
    return {a.name: a for a in tag_actors(text, split_sentences(text)) if a.kind == "person"}


def test_a_role_in_apposition_stops_before_the_verb() -> None:
    actors = people("Maria Lopez, president of the union said he had been assured that the plant would stay open.")
    assert actors["Maria Lopez"].role == "president of the union"


def test_a_role_stops_before_a_relative_clause_and_its_country_is_not_the_role_s() -> None:
    actors = people("Zed Vance, a senior adviser who worked for years in Canada, said the deal was fair.")
    assert actors["Zed Vance"].role == "senior adviser"
    assert actors["Zed Vance"].affiliation is None


def test_headline_appointments_give_the_role() -> None:
    assert people("Jane Doe appointed as Globex chief")["Jane Doe"].role == "Globex chief"
    assert people("Jane Doe named Globex chief executive")["Jane Doe"].role == "Globex chief executive"
    assert people("Tom Reyes to lead Globex")["Tom Reyes"].role == "head of Globex"


def test_roles_that_were_right_stay_right() -> None:
    actors = people("Omar Siddiq, the finance minister of Jordan, arrived in Paris on Monday.")
    assert (actors["Omar Siddiq"].role, actors["Omar Siddiq"].affiliation) == ("finance minister of Jordan", "Jordan")
    actors = people("Ilse Marten, chief executive of Hollis Motors, a carmaker that sells cars in Canada, said so.")
    assert (actors["Ilse Marten"].role, actors["Ilse Marten"].affiliation) == ("chief executive of Hollis Motors", None)


def test_a_nationality_across_a_verb_is_not_the_affiliation() -> None:
    for text in (
        "Canadian officials said Hollis Motors would close its plant.",
        "Canadian regulators fined Hollis Motors on Monday.",
    ):
        actors = {a.name: a for a in tag_actors(text, split_sentences(text))}
        assert actors["Hollis Motors"].affiliation is None
    text = "Palestinian officials including President Mahmoud Abbas attended."
    assert people(text)["Mahmoud Abbas"].affiliation == "Palestine"  # no verb between: still theirs


def test_a_descriptive_role_word_alone_is_no_title_before_one_word() -> None:
    text = 'Fans queued on Monday for the new "Star Fleet"-style ships at the show in Leeds.'
    actors = {a.name: a for a in tag_actors(text, split_sentences(text))}
    assert "Fleet" not in actors
    assert not [a for a in actors.values() if a.role == "Star"]
    actors = people("Reporters asked Analyst Mills about the merger at the meeting on Monday.")
    assert not [a for a in actors.values() if a.role == "Analyst"]


def test_titles_and_modified_role_words_before_one_word_stay_titles() -> None:
    actors = people(
        "President Lee met Minister Ito and General Moss in Seoul on Monday. Senator Ray and Judge Park came."
    )
    assert {name: a.role for name, a in actors.items()} == {
        "Lee": "President",
        "Ito": "Minister",
        "Moss": "General",
        "Ray": "Senator",
        "Park": "Judge",
    }
    assert people("Deputy Spokesman Ito said on Monday that the talks would go on.")["Ito"].role == "Deputy Spokesman"
    assert people("Globex analyst Jane Doe said on Monday the deal was fair.")["Jane Doe"].role == "analyst"
    assert people("The pop star Jane Doe sang in Leeds on Monday.")["Jane Doe"].role == "pop star"


def test_a_role_in_apposition_stops_before_a_participle_that_describes_the_work() -> None:
    actors = people("Jon Vale, an Acme Inc. executive overseeing hardware design, is stepping down.")
    assert actors["Jon Vale"].role == "Acme Inc. executive"
    actors = people("Ruth Imre, head of marketing at Acme, said prices would rise.")
    assert actors["Ruth Imre"].role == "head of marketing at Acme"  # an -ing word inside the role stays


def test_formerly_before_an_apposition_makes_a_former_role() -> None:
    actors = people("Jon Vale, formerly an Acme Inc. executive, is stepping down from his post.")
    assert actors["Jon Vale"].role == "former Acme Inc. executive"
    actors = people("Ruth Imre, now a senior adviser at Acme, spoke on Monday.")
    assert actors["Ruth Imre"].role == "senior adviser at Acme"


def test_a_role_opening_the_sentence_before_a_comma_is_the_names() -> None:
    actors = people("The former Chief Operating Officer, Jon Vale will succeed her as chief executive.")
    assert actors["Jon Vale"].role == "former Chief Operating Officer"
    actors = people("Globex's chief executive, Ruth Imre, said sales fell.")
    assert actors["Ruth Imre"].role == "chief executive of Globex"


def test_a_list_after_a_role_and_a_comma_gives_no_one_the_role() -> None:
    actors = people("The chairman, Jon Vale and Ann Moss met on Monday, the company said.")
    assert all(a.role is None for a in actors.values())
