"""Key points: the sentences that matter, verbatim, with their offsets.

The default ranker, "news", is ours (:mod:`briefing.nlp.salience`): a salience
model over news features, page furniture left out, redundancy removed. sumy's
extractive summarizers stay selectable by name (``analysis.summarizer``).

sumy's own tokenizer needs NLTK data that cannot be downloaded at run time, so
documents are built here from our offline sentence splitter; sumy's stemmer
(Snowball, pure Python) and its bundled stop-word lists need no downloads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from sumy.models.dom import ObjectDocumentModel, Paragraph
from sumy.models.dom import Sentence as SumySentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.kl import KLSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.reduction import ReductionSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from briefing.model import KeyPoint, Sentence
from briefing.nlp import salience
from briefing.nlp.sentences import words

SUMMARIZERS: dict[str, type] = {
    "lexrank": LexRankSummarizer,
    "textrank": TextRankSummarizer,
    "lsa": LsaSummarizer,
    "luhn": LuhnSummarizer,
    "kl": KLSummarizer,
    "sumbasic": SumBasicSummarizer,
    "reduction": ReductionSummarizer,
}
"""Sumy algorithms by the name used in the settings (``analysis.summarizer``)."""


class _WordTokenizer:
    """The tokenizer interface sumy's ``Sentence`` needs: words only, no NLTK."""

    language = "english"

    def to_words(self, text: str) -> list[str]:
        return words(text)


_TOKENIZER = _WordTokenizer()


@cache
def summarizer(name: str, language: str = "english") -> Any:
    """A ready sumy summarizer (built once per process: stop words are read from disk)."""
    try:
        cls = SUMMARIZERS[name]
    except KeyError:
        raise ValueError(f"unknown summarizer {name!r} (known: {', '.join(SUMMARIZERS)})") from None
    instance = cls(Stemmer(language))
    instance.stop_words = get_stop_words(language)
    return instance


def rate_sentences(sentences: Sequence[Sentence], algorithm: str = "lexrank") -> list[float]:
    """One score per sentence from a sumy algorithm (higher is more central).

    sumy exposes ratings only through the item-count callback it applies to the
    rated sentences, so the callback records them.
    """
    if not sentences:
        return []
    sumy_sentences = [SumySentence(s.text, _TOKENIZER) for s in sentences]
    document = ObjectDocumentModel([Paragraph(sumy_sentences)])
    index = {id(s): i for i, s in enumerate(sumy_sentences)}
    scores = [0.0] * len(sentences)

    def record(infos: list[Any]) -> list[Any]:
        for info in infos:
            scores[index[id(info.sentence)]] = float(info.rating)
        return infos

    summarizer(algorithm)(document, _Recorder(record))
    return scores


class _Recorder:
    """An item-count callable for sumy that sees every rated sentence."""

    def __init__(self, callback: Callable[[list[Any]], list[Any]]) -> None:
        self._callback = callback

    def __call__(self, infos: list[Any]) -> list[Any]:
        return self._callback(list(infos))


MAX_RANKED_SENTENCES = 300
MAX_RANKED_CHARACTERS = 50_000
"""Key points are chosen among an article's first 300 sentences and 50,000 characters.

A news article puts what matters first, and the longest CNN/DailyMail article has
229 sentences (11,600 characters), so a news article is ranked whole. A very long
text (a 2 MB transcript, 17,000 sentences) is ranked on its opening: rankers compare
every sentence with every other and with the text's vocabulary, which on the whole
text would take gigabytes of memory.
"""


def ranked_window(sentences: Sequence[Sentence]) -> Sequence[Sentence]:
    """The sentences a ranker sees: all of a news article, the opening of a very long text."""
    total = 0
    for index, sentence in enumerate(sentences[:MAX_RANKED_SENTENCES]):
        total += len(sentence.text)
        if total > MAX_RANKED_CHARACTERS and index > 0:
            return sentences[:index]
    return sentences[:MAX_RANKED_SENTENCES]


Ranker = Callable[[Sequence[Sentence], int, str], list[tuple[int, float]]]
"""A ranker's signature: (sentences, count, title) -> up to ``count`` (index, score) pairs."""


def rank_news(sentences: Sequence[Sentence], count: int, title: str = "") -> list[tuple[int, float]]:
    """Our news ranker: salience model, no page furniture, no two points alike."""
    return salience.rank([s.text for s in sentences], count, title)


def _sumy_ranker(algorithm: str) -> Ranker:
    def rank(sentences: Sequence[Sentence], count: int, title: str = "") -> list[tuple[int, float]]:
        scores = rate_sentences(sentences, algorithm)
        return [(i, scores[i]) for i in sorted(range(len(sentences)), key=lambda i: (-scores[i], i))[:count]]

    return rank


RANKERS: dict[str, Ranker] = {"news": rank_news} | {name: _sumy_ranker(name) for name in SUMMARIZERS}
"""Every sentence ranker by its settings name (``analysis.summarizer``): ours, then sumy's."""


def key_points(sentences: Sequence[Sentence], count: int, algorithm: str = "news", title: str = "") -> list[KeyPoint]:
    """The ``count`` best sentences in text order, each with its score."""
    try:
        ranker = RANKERS[algorithm]
    except KeyError:
        raise ValueError(f"unknown summarizer {algorithm!r} (known: {', '.join(RANKERS)})") from None
    window = ranked_window(sentences)
    best = sorted(ranker(window, count, title)) if window and count > 0 else []
    return [KeyPoint(sentences[i].text, sentences[i].start, sentences[i].end, round(score, 6)) for i, score in best]
