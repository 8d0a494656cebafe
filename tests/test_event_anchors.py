"""Which word a date places: the learned scorer (briefing.nlp.eventanchors), with invented sentences.

A Thursday article, 9 October 2008: "Friday" is the 10th, "Monday" the 6th.
"""

from __future__ import annotations

import datetime as dt

import pytest

from briefing.model import Event
from briefing.nlp.eventanchors import NONE, AnchorModel, shipped_model
from briefing.nlp.events import dated_pairs, extract_events
from briefing.nlp.sentences import split_sentences
from briefing.nlp.timex import tag_times

THURSDAY = dt.date(2008, 10, 9)


def dated(text: str, model: AnchorModel | None = None) -> list[tuple[str, str | None]]:
    sentences = split_sentences(text)
    events: list[Event] = extract_events(text, sentences, tag_times(text, sentences, THURSDAY), (), THURSDAY, model)
    return [(text[e.trigger.start : e.trigger.end], e.start.value) for e in events if e.trigger and e.start]


def test_the_shipped_model_is_a_probability_with_thresholds() -> None:
    model = shipped_model()
    assert 0.0 < model.threshold < 1.0 and model.second > 0.0  # a further word shares its date's probability
    assert len(model.weights) > 100 and NONE in model.weights
    text = "Globex filed for bankruptcy protection on Monday."
    sentence = split_sentences(text)[0]
    pairs = dated_pairs(sentence, tag_times(text, [sentence], THURSDAY), THURSDAY)
    chances = model.probabilities([p.features for _, p, _ in pairs])
    assert len(chances) == len(pairs) + 1  # each candidate, then "none of them"
    assert all(0.0 < c < 1.0 for c in chances) and sum(chances) == pytest.approx(1.0)
    assert {text[span.start : span.end] for _, _, span in pairs} >= {"filed", "protection"}


def test_a_date_may_place_no_word() -> None:
    # A model that finds "none of them" far likelier dates only the words the lexicon claims.
    text = "Shares of Globex rose 5% on Tuesday. Acme filed for bankruptcy protection on Monday."
    loose = shipped_model()
    doubtful = AnchorModel({**loose.weights, NONE: 30.0}, loose.threshold, loose.second)
    assert ("rose", "2008-10-07") in dated(text, loose)
    assert dated(text, doubtful) == [("filed", "2008-10-06")]


def test_a_date_may_place_two_words_of_its_clause() -> None:
    # A further word of the date's clause is dated when the scorer gives it ``second`` or more. The shipped
    # ``second`` is chosen by cross-validation (bench.train_eventanchors), so here it is set: what is tested
    # is that a sure second word gets the date, and that a model asking for certainty dates one word. The
    # second word is sure when it stands far above every other word of the sentence.
    text = "Globex shares jumped and closed higher on Tuesday."
    shipped = shipped_model()
    assert dated(text, AnchorModel(shipped.weights, shipped.threshold, 0.25)) == [
        ("jumped", "2008-10-07"),
        ("closed", "2008-10-07"),
    ]
    assert len(dated(text, AnchorModel(shipped.weights, shipped.threshold, 1.01))) == 1
    # far above: even a low bar dates no third word ("shares", "Globex")
    assert len(dated(text, AnchorModel(shipped.weights, shipped.threshold, 0.05))) == 2


def test_a_date_the_lexicon_claims_places_that_word_alone() -> None:
    # the talks are what a reader's calendar holds; "ended" would date the same happening twice
    assert dated("The talks on Monday ended without a deal.") == [("talks", "2008-10-06")]


def test_a_modifier_is_not_what_a_date_places() -> None:
    # "remaining" describes the board; no word of this clause was found to happen in June
    assert ("remaining", "2008-06") not in dated("In June last year, the remaining board had a falling out.")


def test_a_date_places_one_word_of_its_clause() -> None:
    found = dated("The talks began early Friday morning, as thousands marched through the streets.")
    assert len(found) == 1 and found[0][1] == "2008-10-03"  # "began": the Friday before


@pytest.mark.parametrize(
    ("text", "word", "start"),
    [
        ("Globex posted a loss in the third quarter, its first in years.", "posted", "2008-Q3"),
        ("Acme agreed to acquire Globex on Friday.", "acquire", "2008-10-10"),
        ("Anna Berg, who joined the board in 2004, resigned on Monday.", "resigned", "2008-10-06"),
    ],
)
def test_the_word_a_date_places(text: str, word: str, start: str) -> None:
    assert (word, start) in dated(text)


def test_a_word_pointing_at_an_event_is_not_it() -> None:
    found = dated("Globex planned to open its new plant today, according to a statement.")
    assert found == [("open", "2008-10-09")]


def test_a_stricter_model_keeps_fewer_events() -> None:
    text = "Shares of Globex rose 5% in trading on Tuesday. Acme said on Monday that it hopes to grow in 2009."
    loose = shipped_model()
    strict = AnchorModel(loose.weights, 0.99, 0.99)
    assert len(dated(text, strict)) < len(dated(text, loose))


def test_earnings_a_period_measures_are_no_release_in_it() -> None:
    text = "Globex had earnings of $5 million in 2007. Acme will report its earnings on Friday."
    sentences = split_sentences(text)
    events = extract_events(text, sentences, tag_times(text, sentences, THURSDAY), (), THURSDAY)
    kinds = {(e.kind, e.start.value if e.start else None) for e in events}
    assert ("Earnings", "2007") not in kinds
    assert ("Earnings", "2008-10-10") in kinds  # a day still dates the release


def test_a_verb_the_date_attaches_to_takes_it_from_an_event_noun() -> None:
    # The date follows the noun's own phrase and belongs to the clause's verb: the council condemned on
    # Thursday; the bombing was earlier. A model that lets every claim stand dates the bombing.
    text = "The council condemned the bombing of the two embassies on Thursday and called for calm."
    assert dated(text) == [("condemned", "2008-10-09")]
    shipped = shipped_model()
    assert 0.0 < shipped.overrule <= 1.0
    every_claim_stands = AnchorModel(shipped.weights, shipped.threshold, shipped.second)
    assert dated(text, every_claim_stands) == [("bombing", "2008-10-09")]


@pytest.mark.parametrize(
    ("text", "word", "start"),
    [
        ("The talks on Monday ended without a deal.", "talks", "2008-10-06"),
        ("Friday's attack killed three people.", "attack", "2008-10-03"),
        ("The Monday vote was delayed by a storm.", "vote", "2008-10-06"),
    ],
)
def test_a_date_in_the_event_nouns_own_phrase_stays_with_it(text: str, word: str, start: str) -> None:
    # Even a model that lets any likelier verb take a claimed date leaves these: the date is the noun's.
    shipped = shipped_model()
    eager = AnchorModel(shipped.weights, shipped.threshold, shipped.second, 0.0)
    assert dated(text, eager) == [(word, start)]


def test_a_date_right_after_a_claiming_verb_stays_with_it() -> None:
    # "arrives on Friday": the date is the arrival's even where the model prefers another verb.
    text = "Globex expects that the new ship will carry its colours when it arrives on Friday."
    shipped = shipped_model()
    eager = AnchorModel(shipped.weights, shipped.threshold, shipped.second, 0.0)
    assert ("arrives", "2008-10-10") in dated(text, eager)


def test_now_and_recently_date_a_clause_that_no_calendar_lists() -> None:
    # "now" and "recently" name no period: the clause they date is listed with the reference as its start, for
    # the analysis, and is no calendar event (it has no day to show, nor to drop once past). A plan stays a plan.
    def events(text: str) -> list[tuple[str, str | None, str, bool]]:
        sentences = split_sentences(text)
        found = extract_events(text, sentences, tag_times(text, sentences, THURSDAY), (), THURSDAY)
        return [(e.title, e.start.value if e.start else None, e.status, e.notable) for e in found]

    assert events("Globex now owns 72% of Acme.") == [("Globex owns 72% of Acme", "PRESENT_REF", "ongoing", False)]
    assert events("Acme recently opened a plant in Lyon.") == [
        ("Acme opened a plant in Lyon", "PAST_REF", "past", False)
    ]
    assert events("Globex is now expected to file for bankruptcy.") == [
        ("Globex to file for bankruptcy", None, "upcoming", True)
    ]


def test_the_trainer_settles_a_near_tie_towards_the_point_that_dates_more() -> None:
    """Grid points whose precision differs by less than one event in a thousand are one figure."""
    from bench.events import Tally
    from bench.train_eventanchors import _best

    def point(found: int, right: int, dated: int) -> dict[str, Tally]:
        return {"all": Tally(gold=1000, found=found, right=right, dated=dated)}

    grid = {
        (0.4, 0.5, 0.4): point(460, 6390, 10000),  # the most precise by 0.0005
        (0.4, 0.4, 0.4): point(460, 6385, 10000),  # the same figure: this one dates more further words
        (0.35, 0.4, 0.4): point(470, 6300, 10000),  # less precise by more than the tie
        (0.5, 0.4, 0.4): point(440, 7000, 10000),  # under the recall bar
    }
    assert _best(grid, (0.45, 0.70)) == (0.4, 0.4, 0.4)
