"""Build the word-class lexicon the event finder uses, from the CoNLL-2003 part-of-speech column.

    .venv/bin/python -m bench.train_postags ../shared/eval/conll2003 [--min-count 2]

Counts, for every lower-cased word of ``eng.train`` (Reuters news, 203,621
tokens), how often each coarse class tags it (V verb, N common noun, P proper
noun, J adjective, R adverb, O other) and keeps the word's classes that make
at least a fifth of its uses, most frequent first, in
``briefing/nlp/data/postags.json``. Counting is deterministic (no sampling,
ties broken by class name), so the file is rebuilt byte for byte. Then scores
the tagger (lexicon plus its context rules, :mod:`briefing.nlp.postags`) on
``eng.testa``: token accuracy of the coarse class, and precision and recall of
"verb", which is what finding event words needs. The training text is never
copied: only word counts' majority classes are shipped.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from briefing.nlp import postags

_TARGET = Path(postags.__file__).parent / "data" / "postags.json"


def coarse(tag: str) -> str:
    """A Penn Treebank tag's coarse class."""
    if tag.startswith("VB") or tag == "MD":
        return "V"
    if tag in ("NN", "NNS"):
        return "N"
    if tag in ("NNP", "NNPS"):
        return "P"
    if tag.startswith("JJ"):
        return "J"
    if tag.startswith("RB"):
        return "R"
    return "O"


def sentences(path: Path) -> list[list[tuple[str, str]]]:
    """(word, coarse class) sentences of a CoNLL-2003 file."""
    found: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or parts[0] == "-DOCSTART-":
            if current:
                found.append(current)
            current = []
            continue
        current.append((parts[0], coarse(parts[1])))
    if current:
        found.append(current)
    return found


def build(train: list[list[tuple[str, str]]], min_count: int) -> dict[str, str]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for sentence in train:
        for word, tag in sentence:
            if word.isalpha() or "-" in word or "'" in word:
                counts[word.lower()][tag] += 1
    lexicon = {}
    for word in sorted(counts):
        total = sum(counts[word].values())
        if total < min_count:
            continue
        kept = sorted((tag for tag, n in counts[word].items() if n * 5 >= total), key=lambda t: (-counts[word][t], t))
        lexicon[word] = "".join(kept)
    return lexicon


def score(test: list[list[tuple[str, str]]]) -> tuple[float, float, float]:
    """Coarse-class accuracy, and verb precision and recall, of :func:`briefing.nlp.postags.tag`."""
    right = total = tp = fp = fn = 0
    for sentence in test:
        guessed = postags.tag([word for word, _ in sentence])
        for (_, gold), guess in zip(sentence, guessed, strict=True):
            total += 1
            right += gold == guess
            tp += gold == "V" and guess == "V"
            fp += gold != "V" and guess == "V"
            fn += gold == "V" and guess != "V"
    return right / total, tp / (tp + fp), tp / (tp + fn)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.train_postags", description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="the conll2003 folder (eng.train, eng.testa)")
    parser.add_argument("--min-count", type=int, default=2, help="uses a word needs to be kept")
    args = parser.parse_args(argv)
    lexicon = build(sentences(args.corpus / "eng.train"), args.min_count)
    _TARGET.write_text(json.dumps(lexicon, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    postags.lexicon.cache_clear()
    print(f"{len(lexicon)} words -> {_TARGET} ({_TARGET.stat().st_size:,} bytes)")
    accuracy, precision, recall = score(sentences(args.corpus / "eng.testa"))
    print(f"eng.testa: coarse accuracy {accuracy:.3f}; verbs: precision {precision:.3f}, recall {recall:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
