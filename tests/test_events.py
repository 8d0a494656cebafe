"""Events: dated sentences and announced plans become titled events with a status."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from briefing.contract import analysis_record, event_from_record
from briefing.ingest import read_articles
from briefing.model import Actor, Analysis, Article, Event, Span
from briefing.nlp import analyse
from briefing.nlp.events import extract_events
from briefing.nlp.sentences import split_sentences
from briefing.nlp.timex import tag_times
from tests.conftest import SEED, value

THURSDAY = dt.date(2022, 2, 17)


def events(text: str, anchor: dt.date = THURSDAY, actors: tuple[Actor, ...] = ()) -> list[Event]:
    sentences = split_sentences(text)
    found = extract_events(text, sentences, tag_times(text, sentences, anchor), actors, anchor)
    return [e for e in found if e.notable]


def every_event(text: str, anchor: dt.date = THURSDAY) -> list[Event]:
    """Notable or not: every dated clause."""
    sentences = split_sentences(text)
    return extract_events(text, sentences, tag_times(text, sentences, anchor), (), anchor)


def summary(found: list[Event]) -> list[tuple[str, str | None, str | None, str]]:
    """The events a calendar lists (the analysis also lists every other dated clause, not notable)."""
    return [(e.title, value(e.start), value(e.end), e.status) for e in found if e.notable]


def test_seed_events() -> None:
    """The meeting in Jerusalem (past), Herzog's visit (upcoming), Ushpiz's visit (past), nothing else."""
    [article] = read_articles(SEED, max_bytes=10**7)
    analysis = analyse(article)
    assert summary(list(analysis.events)) == [
        ("Meeting of Ibrahim Kalin and Sadat Onal with Israeli officials in Jerusalem", "2022-02-17", None, "past"),
        ("Visit of Israeli President Isaac Herzog to Turkey", "2022-03-09", "2022-03-10", "upcoming"),
        ("Visit of Ushpiz to Turkey", "2021-12", None, "past"),
    ]
    for event in (e for e in analysis.events if e.notable):
        assert event.evidence is not None
        assert "Jerusalem" in article.text[event.evidence.start : event.evidence.end] or event.kind == "Visit"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "President Isaac Herzog will meet Erdogan on Thursday in Ankara.",
            ("Meeting of Isaac Herzog with Erdogan in Ankara", "2022-02-24", None, "upcoming"),
        ),
        ("Herzog is expected to visit Ankara.", ("Visit of Herzog to Ankara", None, None, "upcoming")),
        ("Talks will resume in the coming weeks.", ("Talks", None, None, "upcoming")),
        ("The election will be held on May 8.", ("Election", "2022-05-08", None, "upcoming")),
        (
            "The summit, which runs from February 16 to 18, drew leaders.",
            ("Summit", "2022-02-16", "2022-02-18", "ongoing"),
        ),
        (
            "The two leaders signed a trade agreement in Rome on Monday.",
            ("Signing of a trade agreement in Rome by the two leaders", "2022-02-14", None, "past"),
        ),
        (
            "On Tuesday, rebels attacked a convoy near Kabul.",
            ("Attack on a convoy near Kabul by the rebels", "2022-02-15", None, "past"),
        ),
        (
            "Leaders meet at the NATO summit in Madrid on June 28.",
            ("NATO summit in Madrid", "2022-06-28", None, "upcoming"),
        ),
        (
            "Parliament will vote this week on the budget.",
            ("Parliament vote on the budget", "2022-W07", None, "upcoming"),
        ),
    ],
)
def test_events(text: str, expected: tuple[str, str | None, str | None, str]) -> None:
    assert summary(events(text)) == [expected]


DECEMBER = dt.date(2024, 12, 18)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Fed's next policy meeting is scheduled for Jan. 28-29.",
            ("Policy meeting of Fed", "2025-01-28", "2025-01-29", "upcoming"),
        ),
        (
            "President-elect Donald Trump, who takes office on Jan. 20, has pledged tariffs.",
            ("Inauguration of Donald Trump", "2025-01-20", None, "upcoming"),
        ),
        (
            # The decision is dated by December 19, not by the rate cut's "earlier this month".
            "The Bank of England, which cut rates earlier this month, is due to announce its next decision on"
            " December 19.",
            ("Decision of Bank of England", "2024-12-19", None, "upcoming"),
        ),
        (
            "Nvidia will report quarterly earnings on Feb. 28, analysts said.",
            ("Nvidia quarterly earnings", "2025-02-28", None, "upcoming"),
        ),
        (
            "Train drivers will strike from Monday to Wednesday next week, the RMT union said.",
            ("Strike of the train drivers", "2024-12-23", "2024-12-25", "upcoming"),
        ),
        ("Unite members would ballot for strike action in January.", None),  # no walkout yet, no strike
        ("The warning is in force on Saturday, with a danger to life from flying debris.", None),
        ("The two sides struck a new trade agreement on Monday.", None),
        ("A missile struck a hospital on Monday.", ("Strike on a hospital by the missile", "2024-12-16", None, "past")),
        (
            "The European Council summit takes place in Brussels on March 21-22.",
            ("European Council summit in Brussels", "2025-03-21", "2025-03-22", "upcoming"),
        ),
        (
            "Parliament will debate the bill in the spring.",
            ("Debate on the bill by Parliament", "2025-SP", None, "upcoming"),
        ),
        ("The deadline for bids is Friday.", ("Deadline for bids", "2024-12-20", None, "upcoming")),
        ("Voters go to the polls on Sunday.", ("Election", "2024-12-22", None, "upcoming")),
    ],
)
def test_events_of_business_and_politics_news(
    text: str, expected: tuple[str, str | None, str | None, str] | None
) -> None:
    """With the actors the analysis finds: titles name them ("Bank of England", not "Bank")."""
    article = Article(id="x", source="x.txt", title="", date=DECEMBER, text=text)
    assert summary(list(analyse(article).events)) == ([expected] if expected else [])


@pytest.mark.parametrize(
    "text",
    [
        "The minister said on Monday that prices rose.",  # a statement, not an event
        "The planned visit was cancelled.",  # a plan undone
        "Prices rose 5% last year.",  # no event word
        "He has visited Turkey many times.",  # no date, no plan
    ],
)
def test_no_event(text: str) -> None:
    assert events(text) == []


def test_actors_in_the_sentence_take_part() -> None:
    text = "Officials said the talks went well. Israeli President Isaac Herzog will visit Ankara on March 9."
    start = text.index("Isaac Herzog")
    herzog = Actor("Isaac Herzog", "person", role="President", mentions=(Span(start, start + 12),))
    elsewhere = Actor("Officials", "organization", mentions=(Span(0, 9),))
    [event] = events(text, actors=(herzog, elsewhere))
    assert event.actors == ("Isaac Herzog",)
    assert event.title == "Visit of Isaac Herzog to Ankara"
    assert (value(event.start), event.status) == ("2022-03-09", "upcoming")


def test_the_same_event_twice_in_an_article_is_one_event() -> None:
    text = "Herzog will visit Turkey on March 9. The visit on March 9 is the first in years."
    assert [value(e.start) for e in events(text)] == ["2022-03-09"]


GOLDEN = Path(__file__).parent / "golden" / "seed-times-events.json"


def test_seed_times_and_events_match_the_golden_file() -> None:
    """The seed's times and events as ``analyze --json`` prints them; a change is a reviewed diff.

    After an intended change: ``BRIEFING_UPDATE_GOLDEN=1 pytest tests/test_events.py`` and review the diff.
    """
    [article] = read_articles(SEED, max_bytes=10**7)
    record = analysis_record(analyse(article))
    found = {"times": record["times"], "events": record["events"]}
    if os.environ.get("BRIEFING_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(found, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert found == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_each_event_points_at_its_own_word() -> None:
    """The trigger span is the event word inside the evidence sentence, as TimeML marks an EVENT."""
    text = "Markets were calm. The central bank of Ruritania will meet on March 3 to set rates."
    [event] = events(text)
    assert event.trigger is not None and event.evidence is not None
    assert text[event.trigger.start : event.trigger.end] == "meet"
    assert event.evidence.start <= event.trigger.start < event.trigger.end <= event.evidence.end
    record = analysis_record(Analysis("x", events=(event,)))
    assert record["events"][0]["trigger"] == {"start": event.trigger.start, "end": event.trigger.end}
    assert event_from_record(record["events"][0]) == event


def test_a_clock_with_a_zone_keeps_it() -> None:
    """ "16:15 UTC" is a moment: the event says so, the time expression stays as TimeML writes it."""
    [event] = events("Parliament will vote at 16:15 UTC on Monday.")
    assert value(event.start) == "2022-02-21T16:15Z"
    [event] = events("The board will meet at 10 a.m. EST on Friday.")
    assert value(event.start) == "2022-02-18T10:00-05:00"
    [event] = events("The board will meet at 10 a.m. on Friday.")
    assert value(event.start) == "2022-02-18T10:00"


def test_every_dated_clause_is_listed_but_only_event_words_are_notable() -> None:
    """ "Shares of Globex fell on Monday": dated, listed with its own word; a calendar wants only the vote."""
    text = "Shares of Globex fell sharply on Monday. Parliament will vote on the rescue bill on Friday."
    found = every_event(text)
    fell = next(e for e in found if e.trigger and text[e.trigger.start : e.trigger.end] == "fell")
    assert (value(fell.start), fell.status, fell.notable, fell.kind) == ("2022-02-14", "past", False, None)
    assert "fell" in fell.title
    [vote] = [e for e in found if e.notable]
    assert (vote.kind, value(vote.start)) == ("Vote", "2022-02-18")
    assert vote.trigger is not None and text[vote.trigger.start : vote.trigger.end] == "vote"


def test_an_events_actors_are_those_its_title_names_not_the_speaker() -> None:
    """ "Anna Berg said the market would open": Anna Berg speaks; the opening is not hers."""
    text = "Finance Minister Anna Berg said on Monday that the Ruritanian stock market would open on Tuesday."
    start = text.index("Anna Berg")
    berg = Actor("Anna Berg", "person", role="Finance Minister", mentions=(Span(start, start + 9),))
    [event] = events(text, actors=(berg,))
    assert (event.kind, event.actors) == ("Opening", ())
    text = "Anna Berg will visit Ankara on March 9, officials said."
    berg = Actor("Anna Berg", "person", mentions=(Span(0, 9),))
    [event] = events(text, actors=(berg,))
    assert event.actors == ("Anna Berg",)
