"""Time expressions found and resolved in news contexts that the first grammar got wrong."""

from __future__ import annotations

import datetime as dt

import pytest

from briefing.nlp.sentences import split_sentences
from briefing.nlp.timex import tag_times

THURSDAY = dt.date(2022, 2, 17)


def tag(text: str, anchor: dt.date = THURSDAY) -> list[tuple[str, str, str]]:
    found = tag_times(text, split_sentences(text), anchor)
    for expression in found:
        assert text[expression.start : expression.end] == expression.text
    return [(t.text, t.type, t.value) for t in found]


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
