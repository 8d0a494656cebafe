"""Time expressions: TIMEX3 types and values resolved against the article date and tense."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest

from briefing.ingest import read_articles
from briefing.nlp.sentences import split_sentences
from briefing.nlp.timex import tag_times
from tests.conftest import SEED

THURSDAY = dt.date(2022, 2, 17)  # the seed's date


def tag(text: str, anchor: dt.date = THURSDAY) -> list[tuple[str, str, str, str | None]]:
    found = tag_times(text, split_sentences(text), anchor)
    for expression in found:
        assert text[expression.start : expression.end] == expression.text
    return [(t.text, t.type, t.value, t.end_value) for t in found]


def test_seed_times() -> None:
    [article] = read_articles(SEED, max_bytes=10**7)
    found = {t.text: t for t in tag_times(article.text, split_sentences(article.text), article.date)}
    assert found["Thursday"].value == "2022-02-17"  # "met on Thursday", article of Thursday 2022-02-17
    assert (found["March 9-10"].value, found["March 9-10"].end_value) == ("2022-03-09", "2022-03-10")
    assert found["December 2021"].value == "2021-12"
    assert found["Earlier this month"].value == "2022-02"
    assert found["two-day"].type == "DURATION"
    assert not article.text.startswith("date")  # the header line is not part of the text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("They met on Thursday in Jerusalem.", ("Thursday", "DATE", "2022-02-17", None)),
        ("They will meet on Thursday in Ankara.", ("Thursday", "DATE", "2022-02-24", None)),
        ("He is expected to arrive on Monday.", ("Monday", "DATE", "2022-02-21", None)),
        ("Officials said on Monday that talks failed.", ("Monday", "DATE", "2022-02-14", None)),
        ("The visit is set for March 9-10.", ("March 9-10", "DATE", "2022-03-09", "2022-03-10")),
        ("The summit runs 9 to 10 March.", ("9 to 10 March", "DATE", "2022-03-09", "2022-03-10")),
        ("Talks will be held between March 9 and 12.", ("March 9 and 12", "DATE", "2022-03-09", "2022-03-12")),
        ("Strikes will last from Monday to Wednesday.", ("Monday to Wednesday", "DATE", "2022-02-21", "2022-02-23")),
        ("Ushpiz visited Turkey in December 2021.", ("December 2021", "DATE", "2021-12", None)),
        ("The vote was held on 9 March 2020.", ("9 March 2020", "DATE", "2020-03-09", None)),
        ("It was signed on March 9, 2019.", ("March 9, 2019", "DATE", "2019-03-09", None)),
        ("The law took effect on 2021-06-30.", ("2021-06-30", "DATE", "2021-06-30", None)),
        ("Prices rose in December.", ("December", "DATE", "2021-12", None)),
        ("Elections will be held in May.", ("May", "DATE", "2022-05", None)),
        ("He will travel next week.", ("next week", "DATE", "2022-W08", None)),
        ("She resigned last year.", ("last year", "DATE", "2021", None)),
        ("He arrived two weeks ago.", ("two weeks ago", "DATE", "2022-W05", None)),
        ("They will decide in three days.", ("three days", "DATE", "2022-02-20", None)),
        ("A decision is due later this year.", ("later this year", "DATE", "2022", None)),
        ("Prices may fall in the coming weeks.", ("the coming weeks", "DATE", "FUTURE_REF", None)),
        ("Sales fell in the third quarter.", ("the third quarter", "DATE", "2021-Q3", None)),
        ("The plant will open this summer.", ("this summer", "DATE", "2022-SU", None)),
        ("It was popular in the 1990s.", ("the 1990s", "DATE", "199", None)),
        ("The ceasefire holds now.", ("now", "DATE", "PRESENT_REF", None)),
        ("He recently moved to Paris.", ("recently", "DATE", "PAST_REF", None)),
        ("The talks lasted two days.", ("two days", "DURATION", "P2D", None)),
        ("Rescuers searched for 24 hours.", ("24 hours", "DURATION", "PT24H", None)),
        ("The war lasted a decade.", ("a decade", "DURATION", "P10Y", None)),
        ("The market opens every Monday.", ("every Monday", "SET", "XXXX-WXX-1", None)),
        ("The paper is published daily.", ("daily", "SET", "P1D", None)),
        ("The meeting started at 2 p.m. on Thursday.", ("2 p.m. on Thursday", "TIME", "2022-02-17T14:00", None)),
        ("Markets were calm yesterday.", ("yesterday", "DATE", "2022-02-16", None)),
        ("She will speak tomorrow morning.", ("tomorrow morning", "TIME", "2022-02-18TMO", None)),
    ],
)
def test_expressions(text: str, expected: tuple[str, str, str, str | None]) -> None:
    assert expected in tag(text)


def test_year_is_chosen_by_tense_and_distance() -> None:
    january = dt.date(2022, 1, 10)
    assert tag("The accord was signed in December.", january) == [("December", "DATE", "2021-12", None)]
    assert tag("The accord will be signed in December.", january) == [("December", "DATE", "2022-12", None)]
    assert tag("Talks are planned for March 3.", january) == [("March 3", "DATE", "2022-03-03", None)]


def test_a_day_right_after_a_written_year_takes_that_year() -> None:
    text = "Losses were worst in 1998 when the 4 August floods hit, and the river rose again on 4 August."
    assert [value for _, _, value, _ in tag(text)] == ["1998", "1998-08-04", "2021-08-04"]
    assert tag("In 2009, the 2 May vote was close.")[1][2] == "2009-05-02"


def test_the_weekend_of_named_days_is_their_weekend() -> None:
    assert tag("Teams will play away on the weekend of 8/9 January.") == [
        ("the weekend of 8/9 January", "DATE", "2023-W01-WE", None)  # 2023-01-08 is a Sunday of week 1
    ]
    assert tag("The fair is on the weekend of March 5-6.")[0][2] == "2022-W09-WE"


def test_names_do_not_push_the_verb_out_of_the_tense_window() -> None:
    text = (
        "Despite the rest, he returns to Premier League action with the visit of Stoke City to Stamford Bridge"
        " on Saturday."
    )
    assert tag(text) == [("Saturday", "DATE", "2022-02-19", None)]


def test_a_time_word_inside_a_web_address_is_no_time() -> None:
    assert tag("He told the news website today.kz that it was odd.") == []
    assert tag("Details are on www.now.com, she said today.") == [("today", "DATE", "2022-02-17", None)]
    assert tag("It opens on Friday.the end") == [("Friday", "DATE", "2022-02-18", None)]  # a missing space


def test_a_weekday_after_is_lies_ahead_or_is_today() -> None:
    wednesday = dt.date(2024, 11, 20)
    assert tag("The deadline for bids is Friday.", wednesday) == [("Friday", "DATE", "2024-11-22", None)]
    assert tag("The vote is on Monday.", wednesday) == [("Monday", "DATE", "2024-11-25", None)]
    assert tag("The vote is on Wednesday.", wednesday) == [("Wednesday", "DATE", "2024-11-20", None)]


def test_the_news_present_of_coming_events_looks_ahead() -> None:
    december = dt.date(2024, 12, 18)
    text = "President-elect Donald Trump, who takes office on Jan. 20, has pledged tariffs."
    assert tag(text, december) == [("Jan. 20", "DATE", "2025-01-20", None)]
    assert tag("The Fed's next meeting is scheduled for Jan. 28-29.", december) == [
        ("Jan. 28-29", "DATE", "2025-01-28", "2025-01-29")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Theresa May said we should act.",
        "Prices will fall sharply.",
        "About 2000 troops were sent.",
        "She won a second term.",
        "We met them.",
        "They march on the capital.",
        "Three quarters of the vote went to him.",
        "The Fed cut rates by a quarter point.",
        "It was a quarter-point cut.",
        "He is 52 years old.",
        "Aid groups condemned the month long blockade of the port.",  # a length, like "month-long"
        "Holding both votes on the same day as the referendum would help.",  # another event's day, not a date
    ],
)
def test_not_time_expressions(text: str) -> None:
    assert tag(text) == []


def test_expressions_do_not_overlap_and_are_in_order() -> None:
    text = (
        "On Monday, March 7, 2022, the minister said that from 2010 to 2015 prices rose every year, "
        "and that the next two weeks will tell. He left at 9 a.m. EST yesterday."
    )
    found = tag_times(text, split_sentences(text), THURSDAY)
    assert [t.start for t in found] == sorted(t.start for t in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


def test_hostile_text_never_breaks_the_tagger() -> None:
    pieces = ["March", "9", "-", "10", "2022", "Monday", "the", "last", "next", "week", "ago", "'", "’s", "12:30",
              "p.m.", "Q3", "1990s", "early", "mid-", "of", ",", ".", "between", "and", "\n", "31", "February", "30"]  # fmt: skip
    rng = random.Random(5)
    for _ in range(300):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        for anchor in (THURSDAY, dt.date(1, 1, 1), dt.date(9999, 12, 31)):
            for expression in tag_times(text, split_sentences(text), anchor):
                assert text[expression.start : expression.end] == expression.text
                assert expression.value
