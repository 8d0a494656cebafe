"""The event finder's shortcuts (kept for speed) answer exactly as the plain computation they replace."""

from __future__ import annotations

import datetime as dt
import re

from briefing.nlp.events import _PLAN_HINT, extract_events
from briefing.nlp.eventwords import PLANNED, PLANNING
from briefing.nlp.postags import tag
from briefing.nlp.sentences import split_sentences
from briefing.nlp.timex import tag_times

_PLAIN = re.compile(r"(?i)\b(?:" + "|".join(sorted(PLANNING | PLANNED)) + r")\b")
"""The plan-word search written plainly: every word as one alternative."""


def test_the_plan_word_search_finds_what_the_plain_alternation_finds() -> None:
    sentences = [f"The board {form} the merger." for w in PLANNING | PLANNED for form in (w, w.title(), w.upper())]
    sentences += [
        "Planetary scientists reset the sunset clock.",  # plan words only inside longer words
        "Duets and settlers went unplanned.",
        "The council met on a quiet evening.",
        "",
        "-set- (plans)",
    ]
    for sentence in sentences:
        assert (_PLAN_HINT.search(sentence) is None) == (_PLAIN.search(sentence) is None), sentence


def test_word_classes_from_lowered_words_match_those_from_the_words() -> None:
    words = ["Globex", "’s", "board", "will", "vote", "on", "the", "merger", "it", "planned", "in", "2021", "."]
    lowers = [w.lower().replace("’", "'") for w in words]
    assert tag(words, lowers) == tag(words)


def test_a_sentence_dated_only_by_a_duration_still_announces_its_plan() -> None:
    text = "Globex is expected to hold talks with its lenders for two weeks."
    anchor = dt.date(2022, 2, 17)
    sentences = split_sentences(text)
    times = tag_times(text, sentences, anchor)
    assert [t.type for t in times] == ["DURATION"]
    found = extract_events(text, sentences, times, [], anchor)
    assert [(e.kind, e.start, e.status) for e in found] == [("Talks", None, "upcoming")]
