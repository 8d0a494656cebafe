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
from typing import Any

import numpy as np

from briefing.nlp.salience.boilerplate import is_boilerplate
from briefing.nlp.salience.features import FEATURES, article_features, shared_trigrams
from briefing.nlp.salience.standalone import is_unattributed_quote, leans_on_previous, states_title, title_statement


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
    columns: np.ndarray  # the model's features as columns of the full feature matrix
    link: str  # "logistic": a probability; "identity": the predicted ROUGE of the sentence
    baseline: float
    depth: int
    idf: dict[str, float]
    unknown_idf: float
    mmr_lambda: float
    max_similarity: float
    block_trigrams: bool = False

    @classmethod
    def from_json(cls, model: dict[str, Any], idf: dict[str, float]) -> Model:
        unknown = [name for name in model["features"] if name not in FEATURES]
        if unknown:
            raise ValueError(f"salience model uses unknown features {unknown}; rerun bench/train_salience.py")
        trees = model["trees"]
        return cls(
            feature=np.array(trees["feature"], dtype=np.intp),
            threshold=np.array(trees["threshold"], dtype=float),
            left=np.array(trees["left"], dtype=np.intp),
            right=np.array(trees["right"], dtype=np.intp),
            value=np.array(trees["value"], dtype=float),
            columns=np.array([FEATURES.index(name) for name in model["features"]], dtype=np.intp),
            link=str(model.get("link", "logistic")),
            baseline=float(model["baseline"]),
            depth=int(model["depth"]),
            idf=idf,
            unknown_idf=float(model["unknown_idf"]),
            mmr_lambda=float(model["mmr_lambda"]),
            max_similarity=float(model["max_similarity"]),
            block_trigrams=bool(model.get("block_trigrams", False)),
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
    """Each sentence's salience from a full feature matrix (all trees at once).

    A classifier's log-odds become P(summary-worthy); a regressor's sum is its predicted
    ROUGE against the highlights, used as it is (MMR subtracts similarities on that scale).
    """
    matrix = matrix[:, m.columns]
    trees = np.arange(len(m.feature))[:, None]
    rows = np.arange(len(matrix))[None, :]
    node = np.zeros((len(m.feature), len(matrix)), dtype=np.intp)
    for _ in range(m.depth):
        goes_left = matrix[rows, m.feature[trees, node]] <= m.threshold[trees, node]
        node = np.where(goes_left, m.left[trees, node], m.right[trees, node])
    z = m.baseline + m.value[trees, node].sum(axis=0)
    scores: np.ndarray = z if m.link == "identity" else 1.0 / (1.0 + np.exp(-z))
    return scores


def choose(
    scores: np.ndarray,
    similarity: np.ndarray,
    eligible: Sequence[bool],
    count: int,
    mmr_lambda: float,
    max_similarity: float,
    blocked: np.ndarray | None = None,
    leans: Sequence[bool] = (),
    first: Sequence[int] = (),
) -> list[int]:
    """Pick up to ``count`` sentences by maximal marginal relevance.

    Each step takes the eligible sentence with the best score less ``mmr_lambda`` times
    its similarity to the closest one already taken; a sentence more similar than
    ``max_similarity`` to a taken one is never taken (it would repeat it). When too few
    sentences remain, near-repeats are still refused, so fewer points come back.
    ``blocked[i, j]`` true (the two repeat runs of three words) defers ``j`` once ``i`` is
    taken, until no other sentence is left.
    A sentence that ``leans`` on the one before it is taken only after that one; the
    sentences of ``first`` are taken first, in that order, whatever their scores.
    """
    candidates = [i for i, ok in enumerate(eligible) if ok]
    chosen: list[int] = []
    closest = np.zeros(len(scores))
    while candidates and len(chosen) < count:
        ready = [i for i in candidates if not (leans and leans[i]) or i - 1 in chosen]
        if blocked is not None:  # a repeat of three words in a row waits until nothing else is left
            ready = [i for i in ready if not blocked[chosen, i].any()] or ready
        if not ready:
            break
        if len(chosen) < len(first):
            best = first[len(chosen)]
        else:
            best = max(ready, key=lambda i: (scores[i] - mmr_lambda * closest[i], -i))
        chosen.append(best)
        closest = np.maximum(closest, similarity[best])
        candidates = [i for i in candidates if i != best and closest[i] <= max_similarity]
    return chosen


def eligible(texts: Sequence[str]) -> list[bool]:
    """Which sentences may be key points: no page furniture, no quotation without its speaker.

    When that leaves nothing, quotations come back; when even that leaves nothing (an
    article made only of short lines), every line may be a point.
    """
    story = [not is_boilerplate(t) for t in texts]
    allowed = [ok and not is_unattributed_quote(t) for ok, t in zip(story, texts, strict=True)]
    return allowed if any(allowed) else story if any(story) else [True] * len(texts)


def pick_points(
    texts: Sequence[str], scores: np.ndarray, similarity: np.ndarray, count: int, m: Model, first: Sequence[int] = ()
) -> list[int]:
    """The points :func:`rank` takes before looking at a title; the training bench scores the same."""
    blocked = shared_trigrams(texts) if m.block_trigrams else None
    leans = [leans_on_previous(t) for t in texts]
    return choose(scores, similarity, eligible(texts), count, m.mmr_lambda, m.max_similarity, blocked, leans, first)


def rank(texts: Sequence[str], count: int, title: str = "") -> list[tuple[int, float]]:
    """The ``count`` best sentences of one article as (index, score), best first.

    With a title, the sentence that best states it leads (see :mod:`.standalone`): it is
    taken first unless a point already states the title as fully, and it gets the best
    score, so that a story's first point and the bottom line carry the headline's fact.
    """
    if not texts or count <= 0:
        return []
    m = model()
    features = article_features(texts, m.idf, m.unknown_idf)
    scores = probabilities(features.matrix, m)
    chosen = pick_points(texts, scores, features.similarity, count, m)
    if not title:
        return [(i, float(scores[i])) for i in chosen]
    leans = [leans_on_previous(t) for t in texts]
    found = title_statement(title, texts, eligible(texts), term_rarity)
    if found is None or not chosen:
        return [(i, float(scores[i])) for i in chosen]
    statement, share = found
    stating = [i for i in chosen if states_title(title, texts[i], term_rarity, share)]
    if stating:
        statement = stating[0]
    else:
        # A statement that leans on the sentence before it ("It lost $400 million") comes with that sentence.
        lead_in = (statement - 1,) if leans[statement] and statement > 0 and count > 1 else ()
        chosen = pick_points(texts, scores, features.similarity, count, m, (*lead_in, statement))
    top = max(float(scores[i]) for i in chosen)
    first = statement - 1 if leans[statement] and statement - 1 in chosen else statement
    ordered = [first] + [i for i in chosen if i != first]
    return [(i, top if i == first else float(scores[i])) for i in ordered]
