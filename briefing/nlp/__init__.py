"""Analysis of one article: pure text in, :class:`~briefing.model.Analysis` out.

No files, no store, no markup: that is what lets the analysis run in worker
processes or on a cluster, and be benchmarked on its own.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass

from briefing.model import Analysis, Article, Span
from briefing.nlp.actors import actor_extractor
from briefing.nlp.events import extract_events
from briefing.nlp.keypoints import key_points
from briefing.nlp.sentences import split_sentences
from briefing.nlp.timex import tag_times

ANALYSER_VERSION = "9"
"""Bumped whenever the analysis of the same text changes; stored analyses of an
older version are redone."""


@dataclass(frozen=True, slots=True)
class AnalysisOptions:
    """What the analysis needs from the settings (kept small so it pickles cheaply)."""

    key_points: int = 3
    summarizer: str = "news"
    actors: str = "tagger"


def analysis_key(options: AnalysisOptions) -> str:
    """What a stored analysis was made with: the analyser version and every option that shapes it.

    The store keeps this beside each analysis; one made with another key (a new
    analyser, or ``analysis.key_points`` changed) is stale and redone by ``briefing ingest``.
    """
    return ":".join([ANALYSER_VERSION, *(str(value) for value in astuple(options))])


def _headline(article: Article) -> str:
    """The title the key points should state: none when it was only cut from the first sentence."""
    return "" if article.meta.get("title_source") == "derived" else article.title


def analyse(article: Article, options: AnalysisOptions = AnalysisOptions()) -> Analysis:
    """Key points, actors, time expressions and events of one article."""
    sentences = split_sentences(article.text)
    actors = tuple(actor_extractor(options.actors)(article.text, sentences))
    times = tag_times(article.text, sentences, article.date)
    events = extract_events(article.text, sentences, times, actors, article.date)
    return Analysis(
        article_id=article.id,
        key_points=tuple(key_points(sentences, options.key_points, options.summarizer, _headline(article))),
        actors=actors,
        times=tuple(times),
        events=tuple(events),
        sentences=tuple(Span(s.start, s.end) for s in sentences),
    )
