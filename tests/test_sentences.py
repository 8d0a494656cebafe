"""The news sentence splitter: abbreviations, quotes, ellipses, lines, hostile input."""

from __future__ import annotations

import pytest

from briefing.nlp.sentences import MAX_SENTENCE, split_sentences


def texts(text: str) -> list[str]:
    sentences = split_sentences(text)
    for s in sentences:
        assert text[s.start : s.end] == s.text
    return [s.text for s in sentences]


def test_abbreviations_dates_and_numbers_do_not_end_sentences() -> None:
    assert texts("Mr. Brown and Dr. Ames flew to the U.S. on Dec. 12. They met at No. 10 at 9 a.m. on Monday.") == [
        "Mr. Brown and Dr. Ames flew to the U.S. on Dec. 12.",
        "They met at No. 10 at 9 a.m. on Monday.",
    ]


def test_a_month_or_title_abbreviation_does_not_end_a_sentence() -> None:
    assert texts("The Fed meets on Jan. 28-29. Markets wait.") == ["The Fed meets on Jan. 28-29.", "Markets wait."]
    assert texts("Talks are set for Sept. 9–10 in Paris.") == ["Talks are set for Sept. 9–10 in Paris."]
    assert texts("Gov. Kathy Hochul spoke. Sen. Chuck Schumer agreed.") == [
        "Gov. Kathy Hochul spoke.",
        "Sen. Chuck Schumer agreed.",
    ]


def test_a_dateline_does_not_open_the_first_sentence() -> None:
    text = "LONDON (Reuters) - Britain's finance minister will speak on Wednesday, the Treasury said. She left."
    assert texts(text) == ["Britain's finance minister will speak on Wednesday, the Treasury said.", "She left."]
    assert texts("WASHINGTON — The Fed cut rates.") == ["The Fed cut rates."]
    assert texts("(CNN) -- The storm hit Florida.") == ["The storm hit Florida."]
    assert texts("EU - China summit opens in Brussels.") == ["EU - China summit opens in Brussels."]  # no place
    assert texts("LONDON (Reuters) -\nBritain's finance minister will speak on Wednesday.") == [
        "Britain's finance minister will speak on Wednesday."
    ]


def test_quotes_stay_with_their_sentence() -> None:
    text = '"We will not back down," the minister said. "Never." Talks resume on Friday.'
    assert texts(text) == ['"We will not back down," the minister said.', '"Never."', "Talks resume on Friday."]


def test_curly_quotes_and_ellipses() -> None:
    text = "“It is over… for now,” she said. He left... Nobody followed."
    assert texts(text) == ["“It is over… for now,” she said.", "He left...", "Nobody followed."]


def test_a_line_of_its_own_is_not_glued_to_the_next_sentence() -> None:
    text = (
        "Storm closes the harbour for a second day\n"
        "The harbour master said on Tuesday that no ship would leave before the wind dropped, "
        "and that the ferries to the islands were cancelled until further notice."
    )
    assert texts(text)[0] == "Storm closes the harbour for a second day"


def test_hard_wrapped_text_is_joined_across_lines() -> None:
    text = (
        "The harbour master said on Tuesday that no\n"
        "ship would leave before the wind dropped, and\n"
        "that the ferries were cancelled. Crews waited.\n"
    )
    assert texts(text) == [
        "The harbour master said on Tuesday that no\nship would leave before the wind dropped, and\n"
        "that the ferries were cancelled.",
        "Crews waited.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        '<div><p>Breaking <a href="http://x.example/' + '<span class="a">text ' * 2000,
        ("word " * 20_000)[:100_000],
        '"' * 10_000,
        "." * 20_000,
    ],
    ids=["unclosed-html", "no-punctuation", "quote-marks", "full-stops"],
)
def test_hostile_input_yields_bounded_verbatim_sentences(text: str) -> None:
    sentences = split_sentences(text)
    assert sentences
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert max(len(s.text) for s in sentences) <= MAX_SENTENCE


def test_empty_and_blank_text() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n\t ") == []
