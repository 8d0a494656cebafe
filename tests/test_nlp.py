"""Sentence splitting and key points: verbatim spans, every algorithm, offline."""

from __future__ import annotations

import pytest

from briefing.ingest import read_articles
from briefing.nlp import AnalysisOptions, analyse
from briefing.nlp.keypoints import RANKERS, key_points
from briefing.nlp.sentences import split_sentences
from tests.conftest import SEED


def test_abbreviations_do_not_end_sentences() -> None:
    text = 'Mr. Smith met the U.S. envoy on Dec. 12 at No. 10 Downing Street. "It went well," he said... Talks resume today.'
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Mr. Smith met the U.S. envoy on Dec. 12 at No. 10 Downing Street.",
        '"It went well," he said...',
        "Talks resume today.",
    ]


def test_sentences_are_verbatim_slices() -> None:
    text = "First one here.  Second\none, split over a line!\n\nA new paragraph? Yes.  "
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()


@pytest.mark.parametrize("algorithm", sorted(RANKERS))
def test_every_summarizer_picks_verbatim_sentences(algorithm: str) -> None:
    [article] = read_articles(SEED, max_bytes=10**7)
    sentences = split_sentences(article.text)
    points = key_points(sentences, 3, algorithm)
    assert len(points) == 3
    assert [p.start for p in points] == sorted(p.start for p in points)
    for point in points:
        assert article.text[point.start : point.end] == point.text


def test_fewer_sentences_than_asked() -> None:
    sentences = split_sentences("Only one sentence here.")
    assert [p.text for p in key_points(sentences, 3)] == ["Only one sentence here."]
    assert key_points([], 3) == []


def test_analysis_is_deterministic() -> None:
    [article] = read_articles(SEED, max_bytes=10**7)
    options = AnalysisOptions(key_points=4, summarizer="textrank")
    assert analyse(article, options) == analyse(article, options)
