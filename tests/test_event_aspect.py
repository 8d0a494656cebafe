"""An aspectual verb's date is its complement's too: "resumed work on Friday" dates the work (invented sentences).

A Thursday article, 9 October 2008: "Friday" is the 3rd when past, "yesterday" the 8th.
"""

from __future__ import annotations

import pytest

from tests.conftest import value
from tests.test_event_shapes import every_event


def dated_words(text: str) -> list[tuple[str, str | None, bool]]:
    """(event word, start, notable) of each dated event, in the sentence's order."""
    found = []
    for event in every_event(text):
        if event.trigger is not None and event.start is not None:
            found.append((text[event.trigger.start : event.trigger.end], value(event.start), event.notable))
    return sorted(found, key=lambda f: text.index(f[0]))


@pytest.mark.parametrize(
    ("text", "word", "start"),
    [
        ("The unions resumed talks with the ministry on Friday.", "talks", "2008-10-03"),
        ("Acme completed the acquisition of the mill yesterday.", "acquisition", "2008-10-08"),
        ("Globex finished drafting the contract on Friday.", "drafting", "2008-10-03"),
        ("The board will begin a formal investigation of the bids in June 2009.", "investigation", "2009-06"),
        ("Delegates began to arrive on Friday.", "arrive", "2008-10-03"),
    ],
)
def test_the_governed_event_takes_the_date(text: str, word: str, start: str) -> None:
    found = dated_words(text)
    assert (word, start) in [(w, s) for w, s, _ in found], found


def test_the_governed_event_is_no_second_calendar_entry() -> None:
    # "completed" is the calendar's entry (a completion); the evacuation is the same happening.
    found = dated_words("The ministry completed the evacuation of the town yesterday.")
    assert [w for w, _, notable in found if notable] == ["completed"]


@pytest.mark.parametrize(
    "text",
    [
        "The talks began on Monday.",  # nothing governed follows
        "Prices will continue to be high in the fourth quarter.",  # a copula is no event
        "The quarter ended on Friday with a loss.",  # "with" opens no object
        "Coastguards stopped a boat carrying migrants on Monday.",  # a boat is no happening
    ],
)
def test_nothing_governed_adds_nothing(text: str) -> None:
    words = [w for w, _, _ in dated_words(text)]
    assert len(words) == len(set(words)) <= 1, words
