"""Our news sentence ranker: a small salience model plus redundancy removal.

Each sentence gets the features of :mod:`.features`; a small ensemble of boosted
decision trees learned offline (``bench/train_salience.py``, from CNN/DailyMail articles and their
highlights) turns them into the probability that the sentence belongs in a summary.
Page furniture (:mod:`.boilerplate`) is never chosen, and sentences are picked by
maximal marginal relevance so that two key points never say the same thing.

The model and the word rarities it uses ship as JSON in ``data/`` and are read
once per process.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from briefing.nlp.salience.boilerplate import is_boilerplate
from briefing.nlp.salience.features import FEATURES, article_features


@dataclass(frozen=True, slots=True)
class Model:
    """Boosted decision trees over the sentence features, and how points are picked.

    Trees are stored as equal-length node arrays (one row per tree): a sentence goes
    to ``left`` when its feature is at most ``threshold``, else to ``right``; leaves
    point to themselves, so ``depth`` steps reach every leaf. The log-odds of a
    sentence are ``baseline`` plus the sum of its leaves' values.
    """

    feature: np.ndarray  # trees x nodes, int
    threshold: np.ndarray  # trees x nodes, float
    left: np.ndarray  # trees x nodes, int
    right: np.ndarray  # trees x nodes, int
    value: np.ndarray  # trees x nodes, float (used at leaves)
    baseline: float
    depth: int
    idf: dict[str, float]
    unknown_idf: float
    mmr_lambda: float
    max_similarity: float

    @classmethod
    def from_json(cls, model: dict, idf: dict[str, float]) -> Model:
        if tuple(model["features"]) != FEATURES:
            raise ValueError("salience model was trained on other features; rerun bench/train_salience.py")
        trees = model["trees"]
        return cls(
            feature=np.array(trees["feature"], dtype=np.intp),
            threshold=np.array(trees["threshold"], dtype=float),
            left=np.array(trees["left"], dtype=np.intp),
            right=np.array(trees["right"], dtype=np.intp),
            value=np.array(trees["value"], dtype=float),
            baseline=float(model["baseline"]),
            depth=int(model["depth"]),
            idf=idf,
            unknown_idf=float(model["unknown_idf"]),
            mmr_lambda=float(model["mmr_lambda"]),
            max_similarity=float(model["max_similarity"]),
        )


@cache
def model() -> Model:
    """The shipped model (read once per process)."""
    data = resources.files(__package__) / "data"
    return Model.from_json(
        json.loads((data / "model.json").read_text(encoding="utf-8")),
        json.loads((data / "idf.json").read_text(encoding="utf-8")),
    )


def term_rarity(term: str) -> float:
    """How distinctive a stemmed content word is (its idf over the training articles)."""
    m = model()
    return m.idf.get(term, m.unknown_idf)


def probabilities(matrix: np.ndarray, m: Model) -> np.ndarray:
    """P(sentence is summary-worthy) for each row of a feature matrix (all trees at once)."""
    trees = np.arange(len(m.feature))[:, None]
    rows = np.arange(len(matrix))[None, :]
    node = np.zeros((len(m.feature), len(matrix)), dtype=np.intp)
    for _ in range(m.depth):
        goes_left = matrix[rows, m.feature[trees, node]] <= m.threshold[trees, node]
        node = np.where(goes_left, m.left[trees, node], m.right[trees, node])
    z = m.baseline + m.value[trees, node].sum(axis=0)
    return 1.0 / (1.0 + np.exp(-z))


def choose(
    scores: np.ndarray,
    similarity: np.ndarray,
    eligible: Sequence[bool],
    count: int,
    mmr_lambda: float,
    max_similarity: float,
) -> list[int]:
    """Pick up to ``count`` sentences by maximal marginal relevance.

    Each step takes the eligible sentence with the best score less ``mmr_lambda`` times
    its similarity to the closest one already taken; a sentence more similar than
    ``max_similarity`` to a taken one is never taken (it would repeat it). When too few
    sentences remain, near-repeats are still refused, so fewer points come back.
    """
    candidates = [i for i, ok in enumerate(eligible) if ok]
    chosen: list[int] = []
    closest = np.zeros(len(scores))
    while candidates and len(chosen) < count:
        best = max(candidates, key=lambda i: (scores[i] - mmr_lambda * closest[i], -i))
        chosen.append(best)
        closest = np.maximum(closest, similarity[best])
        candidates = [i for i in candidates if i != best and closest[i] <= max_similarity]
    return chosen


def rank(texts: Sequence[str], count: int, title: str = "") -> list[tuple[int, float]]:
    """The ``count`` best sentences of one article as (index, score), best first.

    Boilerplate lines are left out unless nothing else is left (an article made only
    of short lines still yields its best lines). ``title`` is accepted for rankers'
    common signature but not used: the model was learned from articles without titles,
    and the report shows the title above the points anyway.
    """
    if not texts or count <= 0:
        return []
    m = model()
    features = article_features(texts, m.idf, m.unknown_idf)
    scores = probabilities(features.matrix, m)
    eligible = [not is_boilerplate(t) for t in texts]
    if not any(eligible):
        eligible = [True] * len(texts)
    chosen = choose(scores, features.similarity, eligible, count, m.mmr_lambda, m.max_similarity)
    return [(i, float(scores[i])) for i in chosen]
