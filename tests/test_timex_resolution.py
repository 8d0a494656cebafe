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
    ],
)
def test_resolution(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert tag(text) == expected
