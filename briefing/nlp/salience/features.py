"""Sentence features for news salience: position, centrality, overlap with the lead,
specificity (names, numbers, dates), attribution and quotes, length, and shape.

Everything is computed from lower-cased tokens, so the same features hold on the
lower-cased training corpus and on cased articles. One article costs one pass over its
tokens plus a few small matrix products (sentences x article vocabulary).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from sumy.utils import get_stop_words


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)*|[$£€%]")
_POSSESSIVE = re.compile(r"['’]s$")
_ATTRIBUTION = _word_set(
    "said says say told tells according announced added explained claimed insisted warned "
    "confirmed revealed stated wrote reported admitted argued denied"
)
_DATE_WORDS = _word_set(
    "january february march april may june july august september october november december jan "
    "feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday "
    "saturday sunday yesterday today tomorrow tonight week month year weekend"
)
_FIRST_PERSON = _word_set("i me my mine we us our ours you your yours")
_ANAPHORIC_START = _word_set("he she it they this that these those his her its their but and so also")
_QUOTES = "\"“”‘’'"
_TERMINAL = tuple(".!?") + tuple(f"{p}{q}" for p in ".!?" for q in _QUOTES + ")")

FEATURES: tuple[str, ...] = (
    "pos0",
    "pos1",
    "pos2",
    "pos3",
    "pos4_5",
    "pos6_9",
    "pos10_19",
    "log_sentences",
    "log_words",
    "centrality",
    "centrality_rank",
    "degree",
    "lead_similarity",
    "mean_idf",
    "rare_share",
    "tf_mean",
    "numbers",
    "dates",
    "attribution",
    "quote_start",
    "quoted",
    "first_person",
    "anaphoric_start",
    "question",
    "no_terminal",
    "position",
    "relative_position",
    "lead3_similarity",
    "length_ratio",
)
"""Every feature computed, in column order; a model uses these or a subset of them (its ``features``)."""


@cache
def stop_words() -> frozenset[str]:
    return frozenset(get_stop_words("english"))


def light_stem(token: str) -> str:
    """Fold possessives and plain plurals together ("minister's", "ministers" -> "minister")."""
    token = _POSSESSIVE.sub("", token)
    if len(token) > 4 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-3] + "y" if token.endswith("ies") else token[:-1]
    return token


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits, inner apostrophes) and currency/percent signs."""
    return _TOKEN.findall(text.lower())


def content_terms(words: Sequence[str]) -> list[str]:
    """Stemmed content words: no stop words, no one-letter tokens, no bare symbols."""
    stops = stop_words()
    return [light_stem(w) for w in words if len(w) > 1 and w not in stops]


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """The feature matrix of one article's sentences and their pairwise similarity."""

    matrix: np.ndarray  # sentences x len(FEATURES)
    similarity: np.ndarray  # sentences x sentences, cosine of tf-idf vectors


def _is_number(token: str) -> bool:
    return token[0].isdigit() or token in "$£€%"


def article_features(
    texts: Sequence[str],
    idf: Mapping[str, float],
    unknown_idf: float,
) -> ArticleFeatures:
    """Features of each sentence of one article (``texts`` in article order)."""
    n = len(texts)
    words = [tokens(t) for t in texts]
    terms = [content_terms(w) for w in words]
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for i, sentence_terms in enumerate(terms):
        for term in sentence_terms:
            rows.append(i)
            cols.append(vocab.setdefault(term, len(vocab)))
    counts = np.zeros((n, max(len(vocab), 1)))
    np.add.at(counts, (rows, cols), 1.0)
    weights = np.array([idf.get(t, unknown_idf) for t in vocab] or [0.0])
    tfidf = counts * weights
    norms = np.linalg.norm(tfidf, axis=1)
    unit = tfidf / np.where(norms > 0, norms, 1.0)[:, None]
    similarity = unit @ unit.T
    np.fill_diagonal(similarity, 0.0)

    # Centrality: each sentence against the rest of the article (itself left out).
    document = tfidf.sum(axis=0)
    rest = document[None, :] - tfidf
    rest_norm = np.linalg.norm(rest, axis=1)
    centrality = (tfidf * rest).sum(axis=1) / np.where(norms * rest_norm > 0, norms * rest_norm, 1.0)
    degree = similarity.sum(axis=1) / max(n - 1, 1)
    centrality_rank = np.argsort(np.argsort(-centrality, kind="stable"), kind="stable")

    # Similarity to the lead (the first sentence); the lead itself gets its similarity to the next.
    lead = similarity[0].copy() if n else np.zeros(0)
    if n > 1:
        lead[0] = similarity[0, 1]

    # Closeness to the opening three sentences (a point either is the lead or says what it says).
    lead3 = similarity[:, :3].max(axis=1) if n else np.zeros(0)

    mean_words = max(sum(len(w) for w in words) / max(n, 1), 1.0)

    doc_tf = counts.sum(axis=0)
    doc_tf = doc_tf / max(doc_tf.sum(), 1.0)
    rare_cut = unknown_idf * 0.75

    matrix = np.zeros((n, len(FEATURES)))
    for i, (sentence_words, sentence_terms, text) in enumerate(zip(words, terms, texts, strict=True)):
        count = len(sentence_words)
        term_idf = [idf.get(t, unknown_idf) for t in sentence_terms]
        stripped = text.rstrip()
        matrix[i] = (
            i == 0,
            i == 1,
            i == 2,
            i == 3,
            4 <= i <= 5,
            6 <= i <= 9,
            10 <= i <= 19,
            math.log(n),
            math.log1p(count),
            centrality[i],
            centrality_rank[i],
            degree[i],
            lead[i],
            sum(term_idf) / len(term_idf) if term_idf else 0.0,
            sum(v >= rare_cut for v in term_idf) / max(count, 1),
            sum(doc_tf[vocab[t]] for t in sentence_terms) / len(sentence_terms) * 100 if sentence_terms else 0.0,
            min(sum(_is_number(w) for w in sentence_words), 4) / 4,
            any(w in _DATE_WORDS for w in sentence_words),
            any(w in _ATTRIBUTION for w in sentence_words),
            stripped[:1] in _QUOTES,
            sum(text.count(q) for q in _QUOTES if q not in "'’") > 0,
            sum(w in _FIRST_PERSON for w in sentence_words) / max(count, 1),
            bool(sentence_words) and sentence_words[0] in _ANAPHORIC_START,
            stripped.endswith(("?", '?"', "?”")),
            not stripped.endswith(_TERMINAL),
            min(i, 50),
            i / max(n - 1, 1),
            lead3[i],
            count / mean_words,
        )
    return ArticleFeatures(matrix, similarity)


def shared_trigrams(texts: Sequence[str]) -> np.ndarray:
    """Which pairs of sentences share two runs of three content words (a repeat, whatever else differs).

    Content words only: "river on Monday" or "said in a statement" is phrasing that
    sentences of one article share without repeating each other; and two runs, since one
    is often a name ("Karachi Stock Exchange") that many sentences of an article repeat.
    """
    grams = []
    for text in texts:
        words = content_terms(tokens(text))
        grams.append({(a, b, c) for a, b, c in zip(words, words[1:], words[2:], strict=False)})
    n = len(texts)
    shared = np.zeros((n, n), dtype=bool)
    for i in range(n):
        for j in range(i + 1, n):
            if len(grams[i] & grams[j]) >= 2:
                shared[i, j] = shared[j, i] = True
    return shared
