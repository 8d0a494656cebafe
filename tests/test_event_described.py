"""What a date describes: the noun it stands before, and the noun whose own phrase holds it.

Invented sentences; a Thursday article, 9 October 2008.
"""

from __future__ import annotations

import datetime as dt

import pytest

from briefing.nlp.eventfilters import modified_noun, phrase_holding
from briefing.nlp.events import _time_tokens
from briefing.nlp.eventtokens import Token, words_of
from briefing.nlp.postags import tag
from briefing.nlp.sentences import split_sentences
from briefing.nlp.timex import tag_times

THURSDAY = dt.date(2008, 10, 9)


def read(text: str) -> tuple[list[Token], list[str], list[tuple[int, int]], list[bool]]:
    """The sentence's tokens, word classes, date spans and which tokens belong to a date."""
    tokens = words_of(text)
    spans = [(t.start, t.end) for t in tag_times(text, split_sentences(text), THURSDAY)]
    return tokens, tag([t.text for t in tokens]), spans, _time_tokens(tokens, spans)


def described(text: str) -> str | None:
    """The word the sentence's one date stands before as its noun's modifier, if any."""
    tokens, classes, spans, in_time = read(text)
    assert len(spans) == 1, spans
    head = modified_noun(tokens, classes, spans[0], in_time)
    return None if head is None else tokens[head].text


@pytest.mark.parametrize(
    ("text", "noun"),
    [
        ("Police held a man over last month's deadly U.N. Mission bombing in the port.", "bombing"),
        ("Traders blamed Friday's profit-taking for the fall.", "profit-taking"),
        ("Detectives have searched for him since the May 4 shooting of a judge.", "shooting"),
        ("The rebels never accepted his Aug. 9 power-grab in the capital.", "power-grab"),
        ("Both sides honoured the March 2001 cease-fire in the north.", "cease-fire"),
        ("Much of the third-quarter GDP growth came from exports.", "growth"),
        ("Analysts blamed last week's Halvorsen Corp. credit squeeze for the slide.", "squeeze"),
        ("After last year's vote Anna Berg resigned.", "vote"),
        ("The June accession will let both countries sign the treaty.", "accession"),
    ],
)
def test_a_date_before_a_noun_describes_that_noun(text: str, noun: str) -> None:
    assert described(text) == noun


@pytest.mark.parametrize(
    "text",
    [
        "On Monday Globex shares fell sharply.",  # no possessive or determiner: a clause's date, not a modifier
        "The rally marked the 2003 Harbour Protection Act.",  # a name, not a noun the date dates
        "Last year, prices rose.",
    ],
)
def test_a_date_that_describes_no_noun(text: str) -> None:
    assert described(text) is None


@pytest.mark.parametrize(
    ("text", "noun", "how"),
    [
        ("Globex booked a gain from the sale of the unit in August.", "sale", "of"),
        ("Acme reported a net loss for the third quarter.", "loss", "next"),
        ("The talks on Monday ended without a deal.", "talks", "next"),
        ("The ministry is weighing a request last week from the mayor.", "request", "next"),
        ("The council condemned the bombing, which it blamed on rebels, on Thursday.", "bombing", None),
        ("The bombing was condemned on Thursday.", "bombing", None),
    ],
)
def test_a_date_in_its_nouns_own_phrase(text: str, noun: str, how: str | None) -> None:
    tokens, classes, spans, in_time = read(text)
    index = next(i for i, t in enumerate(tokens) if t.text == noun)
    first = next(i for i, t in enumerate(tokens) if t.start >= spans[0][0])
    assert phrase_holding(tokens, classes, in_time, index, first) == how
