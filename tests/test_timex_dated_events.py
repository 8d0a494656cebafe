"""Time expression values behind dated events: shapes whose value was wrong or missing (issue 15).

Invented sentences, each the shape of a general cause found in the error analysis of
``bench.events`` (a missed event-to-date anchor with no date of ours of the right value).
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import timex_triples

MARCH = dt.date(2005, 3, 16)  # a Wednesday


def tag(text: str, anchor: dt.date = MARCH) -> list[tuple[str, str, str]]:
    return timex_triples(text, anchor)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a month six months away in a present-tense sentence: the past one, as news tells more of the past
        (
            "Police say he is a suspect in attacks that wounded two officers in September.",
            [("September", "DATE", "2004-09")],
        ),
        ("She says the thefts began in September.", [("September", "DATE", "2004-09")]),
        # nearer months keep the nearest one, ahead or behind
        ("He is a suspect in attacks in July.", [("July", "DATE", "2005-07")]),
        ("He is a suspect in attacks in October.", [("October", "DATE", "2004-10")]),
    ],
)
def test_month_six_months_away_in_the_present(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert tag(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the week that holds a date is one expression, valued as that week (not "the week" we are in)
        ("The case may be settled at a hearing the week of April 4.", [("the week of April 4", "DATE", "2005-W14")]),
        ("Sales rose 3% in the week ending Oct. 20, 2004.", [("the week ending Oct. 20, 2004", "DATE", "2004-W43")]),
        ("The trial opens the week of 6 June.", [("the week of 6 June", "DATE", "2005-W23")]),
        # a week's length before a month is no such week
        ("He spent a week of May in Rome.", [("a week", "DURATION", "P1W"), ("May", "DATE", "2004-05")]),
    ],
)
def test_the_week_of_a_date(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert tag(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "a year earlier" beside the nine months is their year before, not the day the company spoke
        (
            "Acme said Friday that it lost $5 million in the first nine months, against a profit a year earlier.",
            ("a year earlier", "DATE", "1988"),
        ),
        # a span that ends on a named day keeps that day a year before
        (
            "For the six months ended Aug. 12, Acme earned $6 million, against $9 million a year earlier.",
            ("a year earlier", "DATE", "1988-08-12"),
        ),
    ],
)
def test_a_year_earlier_beside_another_span(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in tag(text, dt.date(1989, 10, 30))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # one day from the day named, as one expression
        (
            "The day before last Tuesday's hearing, the two brothers met.",
            [("The day before last Tuesday's", "DATE", "2005-03-14")],
        ),
        ("Fans queued the day after March 3.", [("the day after March 3", "DATE", "2005-03-04")]),
        # an expression before it is not reached into; a day with no date named stays unplaced
        ("It took a day before Christmas.", [("a day", "DURATION", "P1D"), ("Christmas", "DATE", "2004-12-25")]),
        ("They met the day before the vote.", []),
    ],
)
def test_the_day_before_a_day(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert tag(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "that" after a noun opens a relative clause: its past verb places the month behind
        ("He is a suspect in shootings that injured two doctors in July.", ("July", "DATE", "2004-07")),
        ("She is the author of the bill that passed in May.", ("May", "DATE", "2004-05")),
        # a determiner "that" before an adjective leaves the clause's own verb to decide
        ("Aid is flowing to that troubled region in July.", ("July", "DATE", "2005-07")),
    ],
)
def test_a_relative_clause_verb_after_that(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in tag(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "They met between January and September 2001.",
            [("January", "DATE", "2001-01"), ("September 2001", "DATE", "2001-09")],
        ),
        # a first month later in the calendar is the year before
        (
            "The drought lasted from November to March 2001.",
            [("November", "DATE", "2000-11"), ("March 2001", "DATE", "2001-03")],
        ),
        # no year written after: each month is resolved on its own
        ("Sales rose between January and February.", [("January", "DATE", "2005-01"), ("February", "DATE", "2005-02")]),
    ],
)
def test_a_month_range_shares_its_written_year(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert tag(text) == expected


def test_offers_as_a_noun_point_at_no_plan() -> None:
    """ "has offered to travel on Friday" looks ahead; "extended their offers to buy ... Friday" is done."""
    assert tag("Two bidders extended their offers to buy the company Friday.") == [("Friday", "DATE", "2005-03-11")]
