"""A bare weekday's week, chosen by the cues of its clause (invented sentences; the article is a Thursday)."""

from __future__ import annotations

import datetime as dt

import pytest

from briefing.nlp.sentences import split_sentences
from briefing.nlp.timex import tag_times

THURSDAY = dt.date(2022, 2, 17)
# the weekdays around it: the last one up to the article date, and the next one after it
LAST = {"Mon": "2022-02-14", "Tue": "2022-02-15", "Wed": "2022-02-16", "Fri": "2022-02-11", "Sat": "2022-02-12",
        "Sun": "2022-02-13"}  # fmt: skip
NEXT = {"Mon": "2022-02-21", "Tue": "2022-02-22", "Wed": "2022-02-23", "Fri": "2022-02-18", "Sat": "2022-02-19",
        "Sun": "2022-02-20"}  # fmt: skip


def tag(text: str, anchor: dt.date = THURSDAY) -> list[tuple[str, str]]:
    found = tag_times(text, split_sentences(text), anchor)
    for expression in found:
        assert text[expression.start : expression.end] == expression.text
    return [(t.text, t.value) for t in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a future auxiliary, a plan or an expectation looks ahead
        ("The board will vote on Tuesday.", ("Tuesday", NEXT["Tue"])),
        ("She said the bank would reopen on Monday.", ("Monday", NEXT["Mon"])),
        ("The minister plans to visit Paris on Saturday.", ("Saturday", NEXT["Sat"])),
        ("The deal is expected to close on Monday.", ("Monday", NEXT["Mon"])),
        # an expectation looks ahead whatever its own tense, unless it was had
        ("Most analysts have been expecting a rate cut on Tuesday.", ("Tuesday", NEXT["Tue"])),
        ("Investors await the ruling on Monday.", ("Monday", NEXT["Mon"])),
        ("Analysts had expected a loss on Monday.", ("Monday", LAST["Mon"])),
        # a coming event's verb read as a noun after its determiner is no present tense of that event
        ("The candidates faced the public vote on Friday.", ("Friday", LAST["Fri"])),
        ("At a campaign poster launch on Tuesday, the minister was joined by his deputy.", ("Tuesday", LAST["Tue"])),
        ("The unions vote on Tuesday.", ("Tuesday", NEXT["Tue"])),  # a verb after the subject it agrees with
        # an event "happening" or "taking place" after its noun is ahead; taking something else is not
        ("Leaflets about the vote happening on Tuesday were sent out.", ("Tuesday", NEXT["Tue"])),
        ("With investors taking profits on Friday, the index fell.", ("Friday", LAST["Fri"])),
        # the present progressive of a coming event looks ahead
        ("The union is holding a strike on Monday.", ("Monday", NEXT["Mon"])),
        # the past tense looks back, "said on Tuesday" too, whatever the reported clause says
        ("The board voted on Tuesday.", ("Tuesday", LAST["Tue"])),
        ("The company said on Tuesday that sales rose.", ("Tuesday", LAST["Tue"])),
        ("The company said on Tuesday that it will close the plant.", ("Tuesday", LAST["Tue"])),
        # "next", "last"
        ("The talks resume next Tuesday.", ("next Tuesday", NEXT["Tue"])),
        ("The talks failed last Tuesday.", ("last Tuesday", LAST["Tue"])),
        # a present state on another weekday is the coming one; a comparison's reference is not
        ("Markets are closed on Monday for a holiday.", ("Monday", NEXT["Mon"])),
        ("The museum is open on Sunday.", ("Sunday", NEXT["Sun"])),
        ("Prices are higher than on Monday.", ("Monday", LAST["Mon"])),
        # a plan made with its object: ahead; "as planned", a participle after its noun: not a plan ahead
        ("Farmers planned a march on Saturday.", ("Saturday", NEXT["Sat"])),
        ("The court has scheduled a hearing Monday.", ("Monday", NEXT["Mon"])),
        ("The march went ahead as planned on Saturday.", ("Saturday", LAST["Sat"])),
        ("A concert planned at the park for Saturday was cancelled.", ("Saturday", LAST["Sat"])),
        # "until" looks ahead, except with the past perfect and in "not until"
        ("The offer is open until Monday.", ("Monday", NEXT["Mon"])),
        ("The regulator extended the deadline until Monday.", ("Monday", NEXT["Mon"])),
        ("Until Monday, the bank had denied the loss.", ("Monday", LAST["Mon"])),
        ("It was not until Tuesday that the firm admitted it.", ("Tuesday", LAST["Tue"])),
        # a possessive names an event of its own: the clause's modal does not move it ahead,
        # unless a preposition puts the verb's event in it
        ("The family will appeal against Wednesday's ruling.", ("Wednesday's", LAST["Wed"])),
        ("Tuesday's verdict will be appealed.", ("Tuesday's", LAST["Tue"])),
        ("Leaders will meet at Sunday's summit.", ("Sunday's", NEXT["Sun"])),
        ("Monday's meeting ended without a deal.", ("Monday's", LAST["Mon"])),
        # a quotation's verb does not govern a date outside it
        ('"We are going to win," Jane Doe on Friday told reporters.', ("Friday", LAST["Fri"])),
        # "head of" in apposition is a noun, not the news present of a coming event
        ("On Monday, Jane Doe, head of the central bank, said rates would rise.", ("Monday", LAST["Mon"])),
        # a verb of opening in a "when" clause looks ahead
        ("Traders expect a rally when markets open on Friday.", ("Friday", NEXT["Fri"])),
    ],
)
def test_a_weekday_takes_the_week_its_clause_points_to(text: str, expected: tuple[str, str]) -> None:
    assert tag(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the article's own weekday: the tense decides between that day and a week away
        ("Shares fell on Thursday.", "2022-02-17"),
        ("The vote is on Thursday.", "2022-02-17"),
        ("The court will rule on Thursday.", "2022-02-24"),
        # a plan seen from the past, on the article's own weekday, is that day
        ("The jet was set to land in Boston on Thursday.", "2022-02-17"),
        ("The jet is set to land in Boston on Thursday.", "2022-02-24"),
        # the possessive of the article's own weekday is that day, whatever the modal
        ("The family could appeal against Thursday's ruling.", "2022-02-17"),
    ],
)
def test_the_articles_own_weekday(text: str, expected: str) -> None:
    assert [value for _, value in tag(text)] == [expected]
