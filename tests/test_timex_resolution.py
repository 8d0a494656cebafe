"""Time expressions found and resolved in news contexts that the first grammar got wrong."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import timex_triples

THURSDAY = dt.date(2022, 2, 17)


def tag(text: str, anchor: dt.date = THURSDAY) -> list[tuple[str, str, str]]:
    return timex_triples(text, anchor)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a counted period after "the past" is that period, not the vague past
        ("The company was investigated in the past year.", [("the past year", "DATE", "2021")]),
        ("In the past, the company lost money.", [("the past", "DATE", "PAST_REF")]),
        # "the year-ago results": a comparison with a year before, not "the year"
        ("The year-ago results were restated.", [("year-ago", "DATE", "2021")]),
        ("The year-earlier figures included a gain.", [("year-earlier", "DATE", "2021")]),
        # numbers and words that look like times but are not
        ("Hamilton set the fastest lap in 1:35.782 on the circuit.", []),
        ("Nadal lost in the quarter-finals.", []),
        ("Unemployment is near a quarter-century low.", []),
        ("He ran one and a quarter marathons.", []),
        # a length before "ago" is the point rule's, whatever opens it
        ("They beat Bradford in the cup final two years ago.", [("two years ago", "DATE", "2020")]),
        # "to last a month": the verb is not part of the length
        ("The hearing is expected to last a month.", [("a month", "DURATION", "P1M")]),
        # names that hold time words
        ("He told the New York Daily News on Tuesday.", [("Tuesday", "DATE", "2022-02-15")]),
        ("He told The Mail on Sunday that he would stay.", []),
        ("The Sunday Times reported the deal.", []),
        ("Shoppers flocked to the stores on Black Friday.", []),
        # a match's half or qualifying session is not a part of the year
        ("He scored five minutes into the second half.", [("five minutes", "DURATION", "PT5M")]),
        ("His first run in Q3 was enough for pole.", []),
        ("Profit rose 5% in Q3.", [("Q3", "DATE", "2021-Q3")]),
        ("Profit rose 5% in the second half.", [("the second half", "DATE", "2021-H2")]),
        # a fall is autumn only where a season can be meant
        ("Speaking after the fall, he smiled.", []),
        ("The plant will open this fall.", [("this fall", "DATE", "2022-FA")]),
        # "one day" as "at some time", not as a length
        ("Islam will one day be the second largest religion.", [("one day", "DATE", "FUTURE_REF")]),
        ("She hopes to one day run a company.", [("one day", "DATE", "FUTURE_REF")]),
        ("He had been in the job only one day.", [("one day", "DURATION", "P1D")]),
        ("It comes just one day after the attack.", [("one day", "DURATION", "P1D")]),
        ("It happened a long time ago.", [("a long time ago", "DATE", "PAST_REF")]),
        # "the future of Gibraltar" is its prospects, not a time
        ("Talks on the future of Gibraltar began.", []),
        ("She was named Sports Personality of the Year.", []),
        ("The Forum for the Future published the report.", []),
        ("We will see what happens in the future.", [("the future", "DATE", "FUTURE_REF")]),
        # relative to the date the story is at
        (
            "He met her on March 3. He had left the day before.",
            [("March 3", "DATE", "2022-03-03"), ("the day before", "DATE", "2022-03-02")],
        ),
        ("He was diagnosed in 1990, the year he won.", [("1990", "DATE", "1990"), ("the year", "DATE", "1990")]),
        ("The club sold him to Monaco three years later.", [("three years later", "DATE", "PAST_REF")]),
        ("He died a few hours later.", [("a few hours later", "DATE", "PAST_REF")]),
        ("The film came out nine years previously.", [("nine years previously", "DATE", "2013")]),
        ("You may, in a year or two, save more lives.", [("a year or two", "DATE", "FUTURE_REF")]),
        # lengths: halves, working days, quarters in ISO 8601 months, "over" as a preposition
        ("They lived in camps for 2 1/2 years.", [("2 1/2 years", "DURATION", "P2Y6M")]),
        ("The talks took two and a half hours.", [("two and a half hours", "DURATION", "PT2H30M")]),
        ("It took a minute and a half.", [("a minute and a half", "DURATION", "PT1M30S")]),
        ("Payment is due within five business days.", [("within five business days", "DURATION", "P5D")]),
        ("The charge is spread over the next three quarters.", [("the next three quarters", "DURATION", "P9M")]),
        # a year's half is a period of its own (TIMEX3 H1/H2), not the year with a mod
        ("Growth was 8% in the first half of this year.", [("the first half of this year", "DATE", "2022-H1")]),
        ("Prices fell in the second half of 2019.", [("the second half of 2019", "DATE", "2019-H2")]),
        # no quarter named: the same period of last year is only known to be in last year
        ("Exports rose 5% over the same period last year.", [("the same period last year", "DATE", "2021")]),
    ],
)
def test_resolution(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert tag(text) == expected


def test_last_year_in_a_quarterly_comparison_is_the_year() -> None:
    october = dt.date(1989, 10, 26)
    text = "Third-quarter profit rose to $5 million, up from $4 million last year. The quarter was strong."
    assert tag(text, october) == [
        ("Third-quarter", "DATE", "1989-Q3"),
        ("last year", "DATE", "1988"),
        ("The quarter", "DATE", "1989-Q3"),
    ]


def test_the_reported_quarter_stays_the_reference_after_a_comparison() -> None:
    october = dt.date(1989, 11, 1)
    text = (
        "Kimberly-Clark posted a 20% gain in third-quarter net income. "
        "After a flat second quarter, the company attributed the gain to its consumer businesses. "
        "The comparison was also helped by charges taken in the year-earlier period. "
        "In the 1989 period, interest expense was lower."
    )
    assert tag(text, october) == [
        ("third-quarter", "DATE", "1989-Q3"),
        ("second quarter", "DATE", "1989-Q2"),
        ("the year-earlier period", "DATE", "1988-Q3"),
        ("the 1989 period", "DATE", "1989-Q3"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # comparisons and causes are not plans: the past verb decides
        ("The US created fewer jobs than expected in January.", ("January", "DATE", "2005-01")),
        ("The refinery was closed due to mechanical problems on Tuesday.", ("Tuesday", "DATE", "2005-03-15")),
        ("The minister is due to arrive on Friday.", ("Friday", "DATE", "2005-03-18")),
        # "since" looks back whatever the verb
        ("Rates have been on hold since September.", ("September", "DATE", "2004-09")),
        # without a tense, a month more than four months ahead is last year's
        ("Exports hit record levels in September.", ("September", "DATE", "2004-09")),
        ("Elections will be held in September.", ("September", "DATE", "2005-09")),
        # only a one-year comparison in an earnings report is the quarter a year before
        ("Profit rose in the fourth quarter. It was fined five years ago.", ("five years ago", "DATE", "2000")),
        # the article's own weekday with "later": today; "that Wednesday": the one of the story's week
        ("Talks on Gibraltar begin later on Wednesday.", ("Wednesday", "DATE", "2005-03-16")),
        ("Talks will begin on Wednesday.", ("Wednesday", "DATE", "2005-03-23")),
        ("The Budget is on 10 March. It will start at noon on that Thursday.", ("that Thursday", "DATE", "2005-03-10")),
        ("He said that Monday was a holiday.", ("Monday", "DATE", "2005-03-14")),
        # the year written in the same sentence decides between neighbouring years
        ("He will run in the 2005 Grand Prix in Birmingham on 18 February.", ("18 February", "DATE", "2005-02-18")),
        ("She won in 2002 and defended her title 12 months later.", ("12 months later", "DATE", "2003")),
        ("The due date is April 25, he said, pictured in 2004.", ("April 25", "DATE", "2005-04-25")),
        # the article's own weekday with an evening or a clock time: today, even when ahead
        ("He will face his old club on Wednesday night.", ("Wednesday night", "DATE", "2005-03-16")),
        ("Polls will close at 9 p.m. Wednesday.", ("9 p.m. Wednesday", "TIME", "2005-03-16T21:00")),
    ],
)
def test_tense_and_year(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in tag(text, dt.date(2005, 3, 16))


def test_a_year_earlier_in_a_report_is_the_reported_quarter_a_year_before() -> None:
    november = dt.date(1989, 11, 2)
    text = (
        "Savin reported a third-quarter net loss of $35.2 million. "
        "The charges were partly offset by a gain, he said. "
        "Revenue declined 8% to $85.7 million, from $93.3 million a year earlier. "
        "For the nine months, revenue was $250 million, against $260 million a year earlier."
    )
    assert [(t, v) for t, _, v in tag(text, november)] == [
        ("third-quarter", "1989-Q3"),
        ("a year earlier", "1988-Q3"),
        ("the nine months", "P9M"),
        ("a year earlier", "1988"),
    ]
