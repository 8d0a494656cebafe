"""Key-point speed: CPU time of the key-point stage per article, on one core.

    .venv/bin/python -m bench.keypoints ../shared/eval/cnndm/dev.jsonl [--repeat 3]

The stage is ``key_points(sentences, 3, "news", title)`` on sentences already split (the
analysis splits once and hands the sentences to every stage); sentence splitting and
sumy's LexRank on the same sentences are timed alongside for scale. The model is loaded
before timing starts (once per process at run time). Figures are CPU time
(``time.process_time``), which other processes on the machine disturb less than wall time.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from bench.corpora import read_corpus
from briefing.nlp.keypoints import key_points
from briefing.nlp.salience import model
from briefing.nlp.sentences import split_sentences


def cpu(action: Callable[[], object], repeat: int) -> float:
    began = time.process_time()
    for _ in range(repeat):
        action()
    return (time.process_time() - began) / repeat


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.keypoints", description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path, help="cnndm/*.jsonl or the bbc-summary folder")
    parser.add_argument("--repeat", type=int, default=3, help="runs over the corpus (the best is kept)")
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()

    items = list(read_corpus(args.corpus, args.limit))
    model()
    documents = [(split_sentences(item.text), item.title) for item in items]
    chars = sum(len(item.text) for item in items)
    sentences = sum(len(s) for s, _ in documents)

    def stage(algorithm: str) -> Callable[[], object]:
        return lambda: [key_points(s, 3, algorithm, title=t) for s, t in documents]

    split = min(cpu(lambda: [split_sentences(i.text) for i in items], 1) for _ in range(args.repeat))
    ours = min(cpu(stage("news"), 1) for _ in range(args.repeat))
    lexrank = cpu(stage("lexrank"), 1)
    n = len(items)
    print(f"{args.corpus}: {n} articles, {chars / n:,.0f} characters and {sentences / n:.1f} sentences on average")
    print()
    print("| stage | ms/article (CPU) | articles/s (one core) |")
    print("|---|---:|---:|")
    for name, seconds in (
        ("key points (ours, news)", ours),
        ("sentence splitting (syntok)", split),
        ("sumy LexRank alone, for scale", lexrank),
    ):
        print(f"| {name} | {1000 * seconds / n:.2f} | {n / seconds:,.0f} |")


if __name__ == "__main__":
    main()
