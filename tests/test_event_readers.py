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

THURSDAY = dt.date(2008, 10, 9)


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
        ("In his keynote address on Wednesday, Jane Doe announced a new phone.", "Speech by Jane Doe"),
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
    text = "In a July 16 press conference, Jane Doe said buyers would get a refund."
    article = Article(id="x", source="x.txt", title="", date=THURSDAY, text=text)
    assert [e.title for e in analyse(article).events if e.notable] == ["Press conference by Jane Doe"]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # an event noun written as part of a name is titled by the name, its owner inside it
        ("The phone was shown at the 2010 Global Builder's Conference on Friday.", "Global Builder's Conference"),
        # a participle set off after a noun says what was done to that noun
        ("Acme's latest suit, filed in September 2003, claims damages.", "Acme's latest suit filed"),
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
