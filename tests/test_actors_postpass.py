"""The tagger's names read with the whole article in view (briefing.nlp.actors.postpass): invented texts."""

from __future__ import annotations

from briefing.model import Actor
from briefing.nlp.actors.tagger import tag_actors
from briefing.nlp.sentences import split_sentences


def tagged(text: str) -> tuple[str, dict[str, Actor]]:
    return text, {a.name: a for a in tag_actors(text, split_sentences(text))}


def spans_of(text: str, actor: Actor) -> list[str]:
    return [text[m.start : m.end] for m in actor.mentions]


def test_a_name_the_tagger_passed_over_is_named_as_elsewhere_in_the_article() -> None:
    _, actors = tagged(
        "Sukhoi said on Monday that it had lost the tender. The ministry unexpectedly defeated Sukhoi"
        " for a second time. Regulators upheld Sukhoi's protest."
    )
    assert actors["Sukhoi"].kind == "organization"
    assert len(actors["Sukhoi"].mentions) == 3


def test_a_maker_before_a_model_is_the_model_not_the_company() -> None:
    text, actors = tagged(
        "Skyward Air ordered five Zentek 320s and two Zentek A7 jets on Monday. The final Zentek 310 jet"
        " was delivered last year. Zentek said it would build more."
    )
    assert spans_of(text, actors["Zentek"]) == ["Zentek"]  # only where the company itself acts
    assert not [name for name in actors if "A7" in name]  # a model is no actor


def test_a_score_after_a_team_is_no_model() -> None:
    _, actors = tagged("Kent 108 for 3 against Surrey at the close, and Surrey's bowlers were tired on Friday.")
    assert "Kent" in actors


def test_a_noun_for_a_kind_of_organisation_makes_the_name_an_organisation() -> None:
    text, actors = tagged(
        "Irish national airline Aer Foyle have bought twelve new jets. Aer Foyle also holds options on six more."
    )
    assert actors["Aer Foyle"].kind == "organization"
    assert actors["Aer Foyle"].name == "Aer Foyle"  # the description widens the span, not the name
    assert spans_of(text, actors["Aer Foyle"])[0] == "Irish national airline Aer Foyle"


def test_a_description_before_an_organisation_is_part_of_its_mention() -> None:
    text, actors = tagged("The emails about the deal with aircraft maker Zentek were released on Tuesday.")
    assert spans_of(text, actors["Zentek"]) == ["aircraft maker Zentek"]


def test_a_place_with_its_country_or_state_is_one_mention_and_the_region_another() -> None:
    text, actors = tagged(
        "The first jet was flown to Lyon, France for the ceremony. Officials in Springfield, Illinois"
        " welcomed the news."
    )
    assert spans_of(text, actors["Lyon"]) == ["Lyon, France"]
    assert actors["Lyon"].affiliation == "France"
    assert spans_of(text, actors["France"]) == ["France"]
    assert spans_of(text, actors["Springfield"]) == ["Springfield, Illinois"]
    assert spans_of(text, actors["Illinois"]) == ["Illinois"]


def test_a_dateline_and_a_list_of_places_stay_apart() -> None:
    text, actors = tagged("LYON, France (Newswire) - Talks moved from Lyon, Paris, Rome and Madrid this week.")
    assert all(", " not in span for actor in actors.values() for span in spans_of(text, actor))


def test_a_name_after_a_model_designation_is_the_model() -> None:
    _, actors = tagged("Hundreds watched as the new Zentek 380 Skyrider took off from the airfield on Tuesday.")
    assert "Skyrider" not in actors


def test_a_description_may_open_the_sentence() -> None:
    text, actors = tagged("Engine maker Zentek said on Monday that deliveries would resume in March.")
    assert spans_of(text, actors["Zentek"]) == ["Engine maker Zentek"]


def test_an_abbreviation_of_an_event_is_no_actor_anywhere_in_the_article() -> None:
    _, actors = tagged(
        "Nadia Brook opened the Open Source Summit (OSS) in Leeds on Monday. OSS 2019 sold out in a day,"
        " Brook said. The Pan-African Students Organisation (PASO) sent delegates."
    )
    assert "OSS" not in actors
    assert "Nadia Brook" in actors


def test_a_name_before_a_noun_for_a_product_is_no_mention_of_the_maker() -> None:
    text, actors = tagged(
        "Aer Foyle bought twelve long-haul Zentek jets on Monday. The Pinewood Glide laptops ship in May."
        " Zentek said more orders would follow."
    )
    assert spans_of(text, actors["Zentek"]) == ["Zentek"]
    assert "Pinewood Glide" not in actors


def test_an_organisation_s_name_stops_before_a_title_after_it() -> None:
    _, actors = tagged("Jane Roe, the Zentek Chief Executive Officer, announced the results on Monday.")
    assert "Zentek" in actors
    assert not [name for name in actors if "Officer" in name]


def test_a_name_ending_in_a_role_word_keeps_it() -> None:
    _, actors = tagged("Fans of Red Star cheered on Sunday as the Board of Trade met in the city.")
    assert not [name for name in actors if name in ("Red", "Board of")]


def test_a_person_s_surname_after_a_noun_for_an_organisation_stays_the_person() -> None:
    text, actors = tagged("Carlos Bravo quit the club on Monday. His agent told the newspaper Bravo would not return.")
    assert spans_of(text, actors["Carlos Bravo"]) == ["Carlos Bravo", "Bravo"]
    assert "Bravo" not in actors


def test_a_first_name_alone_is_the_person_named_in_full_earlier() -> None:
    _, actors = tagged(
        "In a new tutorial video star Promise Kestrel turns herself into a witch. To get the sharp cheekbones,"
        " Promise's bone structure is shaded. Promise has made videos of other characters. Promise said it took hours."
    )
    assert "Promise" not in actors
    assert len(actors["Promise Kestrel"].mentions) == 4


def test_a_company_named_like_a_person_is_a_company_where_the_article_treats_it_as_one() -> None:
    _, actors = tagged(
        "The contract was split between Globex and Halvorsen Martin on Monday. Halvorsen Martin's Falcon 9"
        " rocket will fly in May. Halvorsen Martin said the launch would go ahead."
    )
    assert actors["Halvorsen Martin"].kind == "organization"
    assert len(actors["Halvorsen Martin"].mentions) == 3
    for text in (
        "The launch contract went to Halvorsen Martin and Globex on Monday, officials said.",
        "Halvorsen Martin's Falcon 9 rocket will fly from the new base in May, officials said on Monday.",
        "Officials said on Monday that Halvorsen Martin, a defence contractor, would build the base.",
        "Globex said on Monday that its rival Halvorsen Martin would build the base.",
    ):
        assert tagged(text)[1]["Halvorsen Martin"].kind == "organization", text


def test_a_name_with_any_person_evidence_stays_a_person() -> None:
    for text in (
        "The contract was split between Globex and Halvorsen Martin on Monday. Halvorsen Martin said he would appeal.",
        "The contract was split between Globex and Halvorsen Martin on Monday. Martin said the launch would go ahead.",
        "Talks between Globex and Halvorsen Martin, who founded Acme, ended on Monday.",
        "The contract was split between Globex and Halvorsen Martin, the Acme chief executive, on Monday.",
    ):
        assert tagged(text)[1]["Halvorsen Martin"].kind == "person", text
    assert tagged("Talks between Globex and Peter Halvorsen ended on Monday.")[1]["Peter Halvorsen"].kind == "person"
    assert tagged("Jamaican rival Merla Otway was second in 10.94 seconds.")[1]["Merla Otway"].kind == "person"
