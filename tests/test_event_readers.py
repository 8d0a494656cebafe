"""Defects a reader saw in event tables (issue 15), each with invented sentences that failed before.

A Thursday article, 9 October 2008: "Friday" is the 10th, "Wednesday" the 8th, "Monday" the 13th ahead.
"""

from __future__ import annotations

import datetime as dt

import pytest

from briefing.model import Article
from briefing.nlp import analyse
from briefing.nlp.events import extract_events
from briefing.nlp.sentences import split_sentences
from briefing.nlp.timex import tag_times
from tests.conftest import value
from tests.test_event_shapes import every_event

THURSDAY = dt.date(2008, 10, 9)


def analysed_titles(text: str) -> list[str]:
    """The calendar events' titles of the whole analysis (actors found first) of an article of ``text``."""
    article = Article(id="x", source="x.txt", title="", date=THURSDAY, text=text)
    return [e.title for e in analyse(article).events if e.notable]


def notable(text: str) -> list[tuple[str, str | None, str]]:
    sentences = split_sentences(text)
    events = extract_events(text, sentences, tag_times(text, sentences, THURSDAY), (), THURSDAY)
    return [(e.title, value(e.start), e.status) for e in events if e.notable]


def test_prepared_to_open_on_friday_is_tomorrow() -> None:
    assert notable("Markets are prepared to open on Friday.") == [("Markets to open", "2008-10-10", "upcoming")]


def test_a_pronoun_after_a_reporting_verb_is_its_subject() -> None:
    assert notable("The exchange said it is ready to open on Friday.") == [
        ("Exchange to open", "2008-10-10", "upcoming")
    ]


def test_a_plural_subject_takes_a_plural_verb() -> None:
    assert [t for t, _, _ in notable("Two banks filed for bankruptcy protection on Monday.")] == [
        "Two banks file for bankruptcy protection"
    ]


def test_a_number_with_thousands_separators_stays_whole() -> None:
    titles = [t for t, _, _ in notable("Earlier this year, Globex opened a 500,000 square foot plant in Ohio.")]
    assert titles == ["Globex opens a 500,000 square foot plant in Ohio"]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("In his keynote address on Wednesday, Jane Doe announced a new phone.", "Keynote address by Jane Doe"),
        ("At a press conference on Wednesday, the ministers agreed a plan.", "Press conference of the ministers"),
        ("Five years after its launch in 2003, the service passed its rival.", "Launch of the service"),
        ("The trial is set to begin on Monday in London.", "Trial in London"),
    ],
)
def test_no_bare_titles(text: str, title: str) -> None:
    assert [t for t, _, _ in notable(text)] == [title]


def test_a_clause_after_the_opening_phrase_keeps_its_own_subject() -> None:
    # "After the board met ..." is a clause: its meeting is the board's, not the subject's after the comma
    titles = [t for t, _, _ in notable("After the meeting on Wednesday ended, Globex said little.")]
    assert titles and "Globex" not in titles[0]


def test_a_date_before_a_comma_and_ends_its_clause() -> None:
    found = notable("Globex was founded by Jane Doe in 1976, and launched its music store in 2003.")
    assert [(t, start) for t, start, _ in found] == [("Launch of its music store by Globex", "2003")]


def test_a_place_with_an_article_and_of_is_kept_whole() -> None:
    assert [t for t, _, _ in notable("The trial is set to begin on Monday in the Royal Courts of Justice.")] == [
        "Trial in the Royal Courts of Justice"
    ]


def test_a_title_does_not_end_on_a_preposition() -> None:
    titles = [
        t for t, _, _ in notable("In California, a lawsuit was filed against Globex in January over claims of fraud.")
    ]
    assert titles == ["Lawsuit filed against Globex"]


def test_a_possessive_after_the_opening_phrase_is_not_the_owner() -> None:
    titles = [t for t, _, _ in notable("Five years after its launch in 2003, Globex's music service passed its rival.")]
    assert titles and titles[0] != "Launch of Globex"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("The car bomb attack on Monday killed six people.", "Car bomb attack"),
        ("The murder trial is set to begin on Monday in London.", "Murder trial in London"),
    ],
)
def test_a_noun_that_says_the_kind_stays_in_the_title(text: str, title: str) -> None:
    assert [t for t, _, _ in notable(text)] == [title]


def test_a_person_gives_a_press_conference() -> None:
    """With the actors the analysis finds: Jane Doe is a person, so the conference is hers to give."""
    text = "At a press conference on June 3, Jane Doe said the plant would close."
    article = Article(id="x", source="x.txt", title="", date=THURSDAY, text=text)
    assert [e.title for e in analyse(article).events if e.notable] == ["Press conference by Jane Doe"]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # an event noun written as part of a name is titled by the name, its owner inside it
        ("The phone was shown at the 2010 Global Builder's Conference on Friday.", "Global Builder's Conference"),
        # a participle set off after a noun says what was done to that noun
        ("Globex's new lawsuit, filed in May 2004, seeks damages.", "Globex's new lawsuit filed"),
    ],
)
def test_titles_of_names_and_set_off_participles(text: str, title: str) -> None:
    assert title in [t for t, _, _ in notable(text)]


def test_a_relative_clause_before_the_verb_is_no_set_off_participle() -> None:
    titles = [
        t for t, _, _ in notable("The airline, which is the third largest in Ruritania, signed the deal on Monday.")
    ]
    assert titles == ["Signing of the deal"]


def test_an_abbreviation_keeps_its_full_stop() -> None:
    assert [t for t, _, _ in notable("The minister will travel to the U.S. on Friday.")] == [
        "Trip of the minister to the U.S."
    ]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Senator Jane Doe praised the plan during a speech on Monday.", "Speech by Jane Doe"),
        ("Protesters gathered outside during a speech on Monday.", "Speech"),  # no known speaker
    ],
)
def test_the_occasion_of_a_clause_is_its_subjects(text: str, title: str) -> None:
    article = Article(id="x", source="x.txt", title="", date=THURSDAY, text=text)
    assert [e.title for e in analyse(article).events if e.notable] == [title]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Farmers in Ruritania filed a complaint on Monday.", "Farmers in Ruritania file a complaint"),  # the head
        ("The envoy has offered to travel alone to Ankara on Friday.", "Trip to Ankara"),  # no "to alone"
        (
            "Thousands of women will protest along the boulevard on Friday.",
            "Protest of thousands of women along the boulevard",
        ),
        (
            "Officials welcomed Wednesday's meeting between the union and the owners.",
            "Meeting between the union and the owners",
        ),
        ("Police sought witnesses to the Oct. 3 shooting of Dr. Jane Doe, a surgeon.", "Attack of Dr. Jane Doe"),
        ("Wednesday's decision made it clear that the board must act.", "Decision"),  # the noun is a subject
        ("The firm will wait for the judge's ruling, which is expected next week.", "Ruling of the judge"),
    ],
)
def test_titles_read_as_written(text: str, title: str) -> None:
    assert [t for t, _, _ in notable(text)] == [title]


def test_a_plan_offered_is_ahead() -> None:
    assert notable("The minister has offered to travel to Ankara on Friday.") == [
        ("Trip to Ankara", "2008-10-10", "upcoming")
    ]


@pytest.mark.parametrize(
    ("text", "titles"),
    [
        ("Congress returns from its recess on Monday.", []),  # the body, not a congress
        ("The party congress opens on Monday.", ["Party congress to open"]),
        ("The Ruritanian leader spoke of the drought during a speech on Monday.", ["Speech"]),  # no person named
    ],
)
def test_names_are_no_events_and_no_speakers(text: str, titles: list[str]) -> None:
    article = Article(id="x", source="x.txt", title="", date=THURSDAY, text=text)
    assert [e.title for e in analyse(article).events if e.notable] == titles


def test_a_counted_event_noun_is_a_noun() -> None:
    """ "condemned two bomb attacks in Freedonia": the attacks are not the government's."""
    text = "The Ruritanian cabinet on Saturday condemned two bomb attacks in Freedonia on Friday."
    assert ("Bomb attacks in Freedonia", "2008-10-03", "past") in notable(text)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # a place after an opening preposition sets the scene; it does not rally
        (
            "In Ruritania, meanwhile, hundreds of farmers rallied in the main square on Friday.",
            "Protest of hundreds of farmers in the main square",
        ),
        # a participle after the event noun describes it; it is no verb the noun is the subject of
        (
            "Crowds gathered in a rally on Saturday demanding the release of the prisoners.",
            "Protest demanding the release of the prisoners",
        ),
    ],
)
def test_scene_and_participle(text: str, title: str) -> None:
    assert [t for t, _, _ in notable(text)] == [title]


def test_a_noun_right_before_the_verb_is_its_subject_not_the_opening_name() -> None:
    text = "Jane Doe backed the sale, only to have the family withdraw the offer on Monday."
    assert [t for t, _, _ in notable(text)] == ["Withdrawal of the offer by the family"]


def test_a_clause_ahead_reads_as_a_plan_and_a_cut_participle_is_dropped() -> None:
    titles = [e.title for e in every_event("The company will begin trading on Friday.")]
    assert titles[0] == "Company to begin trading"  # then the trading it begins, dated too
    text = "The council has given the tenants until Friday to sign a form agreeing to move."
    assert [t for t, _, _ in notable(text)] == ["Signing of a form by the tenants"]  # given time to sign


def test_a_noun_dated_by_a_clause_has_no_subject() -> None:
    titles = [e.title for e in every_event("About 300 fans attended a Sunday night vigil for the victims.")]
    assert titles == ["Vigil for the victims"]


@pytest.mark.parametrize(
    "text",
    [
        "Jan Novak opened the scoring on Saturday.",  # a goal, not an opening
        "At a demonstration of the new robot on Friday, engineers answered questions.",  # a showing, not a protest
        "She held the seat by just 95 votes in 2005.",  # a tally, not a vote
    ],
)
def test_idioms_and_tallies_are_no_calendar_events(text: str) -> None:
    assert notable(text) == []


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Jane Doe is looking to complete the course this week.", "Jane Doe to complete the course"),
        ("Acme completed the sale of the mill on Monday.", "Acme completes the sale of the mill"),
        (
            "Police questioned the guard over a complaint filed by a neighbour on Saturday.",
            "Complaint filed by a neighbour",
        ),
        ("The union objects to the pact signed two months ago.", "Pact signed"),
        ("The two teams met up twice between January and March 2007.", "Meeting of the two teams"),
    ],
)
def test_who_did_what_to_what(text: str, title: str) -> None:
    assert title in [t for t, _, _ in notable(text)]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "The contracts for the new stadium next month have yet to be signed.",
            "Signing of the contracts for the new stadium",
        ),
        (
            "The college will host a debate between the mayoral hopefuls next month.",
            "College debate between the mayoral hopefuls",
        ),
    ],
)
def test_a_subject_phrase_skips_its_dates_and_keeps_its_articles(text: str, title: str) -> None:
    assert [t for t, _, _ in notable(text)] == [title]


def test_a_common_nouns_phrase_naming_a_place_is_the_subject() -> None:
    """The ship's name opens the sentence, but the port is what was closed."""
    text = "Acme Star cannot leave Ruritania today as the port of Ruritania has been closed by the storm."
    article = Article(id="x", source="x.txt", title="", date=THURSDAY, text=text)
    assert "Port of Ruritania closed by the storm" in [e.title for e in analyse(article).events]


def test_opening_its_doors_is_an_opening() -> None:
    assert notable("The new museum will open its doors on Friday.") == [
        ("Museum to open its doors", "2008-10-10", "upcoming")
    ]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "Jane Doe backed the sale, only to have Tom Berg's family withdraw the offer on Monday.",
            "Withdrawal of the offer by Tom Berg's family",
        ),
        ("Italy will vote on Sunday.", "Italy vote"),  # a name ending in -ly is no adverb
    ],
)
def test_nouns_and_names_ending_in_ly_are_subjects(text: str, title: str) -> None:
    assert analysed_titles(text) == [title]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("The merger of Norvik and Talvo is expected to be completed next year.", "Merger of Norvik and Talvo"),
        ("Staff at Norvik & Talvo will strike on Friday.", "Strike of the staff at Norvik & Talvo"),
        (
            "The partnership between the Port of Elmsby and builder Kade & Sons is due to be completed next year.",
            "Partnership between the Port of Elmsby and builder Kade & Sons",
        ),
        (
            "Police said that two Norvik union leaders and 40 other people were arrested on Monday.",
            "Arrest of the two Norvik union leaders and 40 other people",
        ),
    ],
)
def test_names_coordinated_inside_the_subjects_phrase_only_describe_it(text: str, title: str) -> None:
    # The names after "of", "at" or "between" are not who completes or strikes: the phrase's head is.
    titles = analysed_titles(text)
    assert len(titles) == 1 and titles[0].startswith(title)


def test_a_plural_subject_after_a_quote_in_its_sentence_takes_a_plural_verb() -> None:
    text = "``We will fight on.'' Lawyers for the family filed an appeal in federal court on Monday."
    assert [t for t, _, _ in notable(text)] == ["Lawyers for the family file an appeal in federal court"]


def test_a_count_written_with_commas_makes_the_word_after_its_nouns_a_noun() -> None:
    text = "In 2007 there were 4,812 prison visits, the report said."
    assert [t for t, _, _ in notable(text)] == ["Prison visits"]


def test_a_city_and_its_state_stay_inside_the_phrase_they_describe() -> None:
    text = "Police are still looking for the man behind the May 2003 bombing of a Lakeview, Ore., grain store."
    assert analysed_titles(text) == ["Attack of a Lakeview, Ore., grain store"]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "The relatives will appeal a ruling by the Bureau of Trade and Customs Enforcement on Monday.",
            "Ruling by the Bureau of Trade and Customs Enforcement",
        ),
        (
            "Norvik has filed a lawsuit against steel and coal trader Talvo this week.",
            "Norvik files a lawsuit against steel and coal trader Talvo",
        ),
    ],
)
def test_and_inside_a_name_or_between_two_nouns_keeps_the_title_going(text: str, title: str) -> None:
    assert title in analysed_titles(text)


def test_a_date_does_not_reach_an_event_word_across_another_time_expression() -> None:
    # The launch is two days after May 3: it is not dated May 3 ("two days before" stands between).
    text = "Owners can download the update on May 3, two days before the tablet launches."
    article = Article(id="x", source="x.txt", title="", date=THURSDAY, text=text)
    assert not [e for e in analyse(article).events if e.kind == "Launch" and value(e.start) == "2009-05-03"]


def test_a_date_between_a_verb_and_its_to_clause_dates_the_verb() -> None:
    # The senator summoned him on Friday; the hearing he is summoned to is later. ("subpoenaed" may read as an
    # adjective; with an object after it, it is the verb.)
    text = "A senator subpoenaed him Friday to testify before a committee."
    article = Article(id="x", source="x.txt", title="", date=THURSDAY, text=text)
    dated = [(e.title, value(e.start)) for e in analyse(article).events if e.start is not None]
    assert dated == [("Senator subpoenaed him", "2008-10-03")]


def test_a_noun_a_date_owns_takes_no_owner_from_the_clause_after_it() -> None:
    # Tom Berg is the subject of the main clause, not the owner of the hearing that a date names.
    text = "The day before last Tuesday's court hearing, Tom Berg met his lawyers."
    article = Article(id="x", source="x.txt", title="", date=THURSDAY, text=text)
    titles = [e.title for e in analyse(article).events if e.kind == "Hearing"]
    assert titles and not any("Tom Berg" in t for t in titles)
