"""Word clusters learned from unlabelled news: what kind of word a word is, by the company it keeps.

``data/clusters.txt.gz`` (built by ``bench/word_clusters.py`` from lowercased news
articles, never holding their text) gives each of the most frequent words its cluster
at a few granularities: word vectors learned from the words' contexts, grouped by
k-means into a few dozen, a few hundred and about a thousand clusters. Words that
stand in the same places ("tuesday", "friday"; "minister", "spokesman"; "boeing",
"airbus") share a cluster, so the name tagger learns from the cluster what it saw for
one word and applies it to words its training data never had.

The file is read once, on first use; a missing file means no cluster features (the
tagger shipped with it was trained with them, so the two ship together).
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from importlib import resources

DATA = "data/clusters.txt.gz"
_DIGIT = re.compile(r"[0-9]")


def key(lower: str) -> str:
    """The form a word is looked up by: lower case, every digit a 0 ("1996" and "2013" are alike)."""
    return _DIGIT.sub("0", lower)


@cache
def table() -> dict[str, tuple[str, ...]]:
    """Each known word's cluster ids, coarsest first (ids of one granularity share a letter prefix)."""
    found: dict[str, tuple[str, ...]] = {}
    source = resources.files(__package__).joinpath(DATA)
    if not source.is_file():
        return found
    with gzip.open(source.open("rb"), "rt", encoding="utf-8") as lines:
        header = next(lines).split()
        for line in lines:
            word, *ids = line.rstrip("\n").split(" ")
            found[word] = tuple(p + i for p, i in zip(header, ids, strict=True))
    return found


def clusters(lower: str) -> tuple[str, ...]:
    """The cluster ids of a lower-case word, coarsest first; () for a word the table does not know."""
    return table().get(key(lower), ())
