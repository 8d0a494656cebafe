"""Cost of the whole analysis per article beside sumy's LexRank with a pysbd sentence splitter.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python -m bench.analysis_cost ../shared/eval/cnndm/dev.jsonl [--limit 200]

The reference is what a plain extractive summariser costs: pysbd splits the text into
sentences and sumy's LexRank picks three. Beside it, CPU ms per article (one core, the best
of ``--repeat`` passes) of briefing's whole analysis (key points, actors, times, events) with
each built-in actor extractor, and of the actor stage alone on sentences already split.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

import pysbd

from bench.corpora import read_corpus
from briefing.model import Article, Sentence
from briefing.nlp import AnalysisOptions, analyse
from briefing.nlp.actors import actor_extractor
from briefing.nlp.keypoints import key_points
from briefing.nlp.sentences import split_sentences


def pysbd_sentences(segmenter: pysbd.Segmenter, text: str) -> list[Sentence]:
    """pysbd's sentences as ours (offsets kept), so sumy's LexRank reads the same kind of input."""
    sentences = []
    for span in segmenter.segment(text):
        chunk = span.sent.rstrip()
        if chunk.strip():
            sentences.append(Sentence(chunk, span.start, span.start + len(chunk)))
    return sentences


def cpu_ms(action: Callable[[], object], count: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        began = time.process_time()
        action()
        best = min(best, time.process_time() - began)
    return 1000 * best / count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.analysis_cost", description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="cnndm/*.jsonl or the bbc-summary folder")
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    items = list(read_corpus(args.corpus, args.limit))
    articles = [
        Article(f"a{i}", f"a{i}.txt", item.title, dt.date(2020, 1, 1), item.text) for i, item in enumerate(items)
    ]
    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    split = [split_sentences(a.text) for a in articles]
    for article in articles[:5]:  # models and word lists load before timing
        for name in ("tagger", "rules"):
            analyse(article, AnalysisOptions(actors=name))
    n = len(articles)
    lexrank = cpu_ms(
        lambda: [key_points(pysbd_sentences(segmenter, a.text), 3, "lexrank") for a in articles], n, args.repeat
    )
    print(f"{n} articles; CPU ms per article, one core")
    print()
    print("| what | ms/article | x LexRank (pysbd) |")
    print("|---|---:|---:|")
    print(f"| sumy LexRank, pysbd sentences | {lexrank:.2f} | 1.00 |")
    for name in ("tagger", "rules"):
        options = AnalysisOptions(actors=name)
        whole = cpu_ms(lambda options=options: [analyse(a, options) for a in articles], n, args.repeat)
        extractor = actor_extractor(name)
        stage = cpu_ms(
            lambda extractor=extractor: [extractor(a.text, s) for a, s in zip(articles, split, strict=True)],
            n,
            args.repeat,
        )
        print(f"| whole analysis, actors = {name} | {whole:.2f} | {whole / lexrank:.2f} |")
        print(f"| actor stage alone, {name} | {stage:.2f} | {stage / lexrank:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
