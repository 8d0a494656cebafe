"""Near-duplicate articles: word shingles, MinHash signatures, LSH banding.

Two articles are near-duplicates when the sets of their word 3-grams ("shingles")
overlap a lot (Jaccard similarity): a wire story republished by several outlets, an
updated version of the same report, a copy with a different headline or footer.
Comparing every pair is quadratic; instead each article gets a MinHash signature (the
minimum of ``PERMUTATIONS`` hash functions over its shingles, whose agreement rate
estimates the Jaccard similarity), the signature is cut into bands, and only articles
that share a whole band in a hash bucket are compared. The cost grows linearly with
the number of articles (plus the candidate pairs, few when duplicates are few).

Written with numpy rather than datasketch: the same algorithm, vectorised per article,
was measured twice as fast here (10,500 articles: 4.0 s against 8.0 s of CPU time,
``bench/dedup.py --datasketch``), and it spares a SciPy dependency.
Hashes are CRC-32 and fixed multipliers, so results do not change between runs.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np

SHINGLE = 3
"""Words per shingle."""

PERMUTATIONS = 128
"""Hash functions per MinHash signature."""

BANDS = 32
"""LSH bands (rows per band = PERMUTATIONS // BANDS); with 32 x 4, pairs at Jaccard 0.5
become candidates 87% of the time per article pair, at 0.7 99.9%, at 0.2 5%."""

THRESHOLD = 0.5
"""Estimated Jaccard similarity of shingles at or above which two articles are near-duplicates."""

_WORD = re.compile(r"\w+")
_MASK32 = np.uint64(0xFFFFFFFF)
_rng = np.random.default_rng(20240611)
_A = _rng.integers(1, 2**63, size=PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
_B = _rng.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64)
_P1, _P2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F)


class WordIds:
    """Stable 32-bit ids for words (CRC-32), cached: news reuses its vocabulary."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}

    def __call__(self, words: Iterable[str]) -> np.ndarray:
        ids = self._ids
        out = []
        for word in words:
            value = ids.get(word)
            if value is None:
                value = ids[word] = zlib.crc32(word.encode("utf-8"))
            out.append(value)
        return np.array(out, dtype=np.uint64)


def shingle_hashes(text: str, word_ids: WordIds | None = None) -> np.ndarray:
    """The distinct 32-bit hashes of the word 3-grams of ``text`` (lower-cased)."""
    ids = (word_ids or WordIds())(_WORD.findall(text.lower()))
    if len(ids) < SHINGLE:
        return np.unique(ids)
    with np.errstate(over="ignore"):
        mixed = ids[:-2] * _P1 + ids[1:-1] * _P2 + ids[2:]
    return np.unique((mixed ^ (mixed >> np.uint64(29))) & _MASK32)


def signature(hashes: np.ndarray) -> np.ndarray:
    """The MinHash signature of a shingle set (all-ones for an empty set)."""
    if not len(hashes):
        return np.full(PERMUTATIONS, 0xFFFFFFFF, dtype=np.uint64)
    with np.errstate(over="ignore"):
        permuted = (hashes[:, None] * _A[None, :] + _B[None, :]) >> np.uint64(32)
    minimums: np.ndarray = permuted.min(axis=0)
    return minimums


def candidate_pairs(signatures: Sequence[np.ndarray]) -> set[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, that share at least one band of their signatures."""
    rows = PERMUTATIONS // BANDS
    pairs: set[tuple[int, int]] = set()
    for band in range(BANDS):
        buckets: dict[bytes, list[int]] = defaultdict(list)
        for index, sig in enumerate(signatures):
            buckets[sig[band * rows : (band + 1) * rows].tobytes()].append(index)
        for members in buckets.values():
            for a, i in enumerate(members):
                for j in members[a + 1 :]:
                    pairs.add((i, j))
    return pairs


def near_duplicates(texts: Sequence[str], threshold: float = THRESHOLD) -> list[tuple[int, int, float]]:
    """Pairs of near-duplicate texts with their estimated Jaccard similarity."""
    word_ids = WordIds()
    sigs = [signature(shingle_hashes(t, word_ids)) for t in texts]
    found = []
    for i, j in sorted(candidate_pairs(sigs)):
        similarity = float(np.mean(sigs[i] == sigs[j]))
        if similarity >= threshold:
            found.append((i, j, similarity))
    return found
