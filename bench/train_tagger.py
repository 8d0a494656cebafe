"""Train the name tagger shipped as ``briefing/nlp/actors/data/tagger.crfsuite``.

    .venv/bin/python -m bench.train_tagger ../shared/eval/conll2003/eng.train --dev ../shared/eval/conll2003/eng.testa

Learns only from CoNLL-2003 ``eng.train``; settings are chosen on ``eng.testa`` (never
on the test part). Each article's text is rebuilt (``bench.conll``), split into
sentences and tokens by briefing's own splitter and tokenizer, and the gold names
become BIO labels of those tokens, so the model learns from what it will see at run
time. Features come from :mod:`briefing.nlp.actors.features` (the same code tags),
among them the word clusters of ``data/clusters.txt.gz``: build those first
(``bench/word_clusters.py``), as the model learns weights for the clusters it is given.
``--folds K`` only cross-validates on the training articles (K models, each scoring the
articles it did not see), for settings chosen without ``eng.testa``.

The model is a linear-chain CRF trained by crfsuite's L-BFGS with an L1 term (c1) that
drops weak features, which keeps the file small, and an L2 term (c2). The training is
deterministic for given data and settings (L-BFGS has no random start); ``SEED`` fixes
the order of the articles all the same. The training data never enters the repository:
only the learned weights do.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections import Counter
from pathlib import Path

import pycrfsuite

from bench.conll import Article, load, token_labels
from briefing.nlp.actors.spans import spans
from briefing.nlp.actors.tagger import is_prose, prepare
from briefing.nlp.sentences import split_sentences

SEED = 20261204
MODEL = Path(__file__).resolve().parent.parent / "briefing" / "nlp" / "actors" / "data" / "tagger.crfsuite"
SCORED = ("PER", "ORG", "LOC")


def sequences(
    articles: list[Article], prose: bool = False
) -> list[tuple[list[list[str]], list[str], list[tuple[int, int]]]]:
    """(features, labels, token offsets) of every sentence of the articles (only running text with ``prose``)."""
    found = []
    for article in articles:
        prepared = prepare(article.text, split_sentences(article.text))
        for index, tokens in enumerate(prepared.tokenized):
            if tokens and (not prose or is_prose(tokens)):
                offsets = [(t.start, t.end) for t in tokens]
                found.append((prepared.features(index)[0], token_labels(offsets, article.names), offsets))
    return found


Counts = tuple[Counter[str], Counter[str], Counter[str]]


def tally(model: Path, data: list[tuple[list[list[str]], list[str], list[tuple[int, int]]]]) -> Counts:
    """True positives, false positives and false negatives by type of the tagger's names against gold."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for xseq, gold, offsets in data:
        predicted = {(offsets[a][0], offsets[b][1], k) for a, b, k in spans(tagger.tag(xseq)) if k in SCORED}
        wanted = {(offsets[a][0], offsets[b][1], k) for a, b, k in spans(gold) if k in SCORED}
        for _, _, k in predicted & wanted:
            tp[k] += 1
        for _, _, k in predicted - wanted:
            fp[k] += 1
        for _, _, k in wanted - predicted:
            fn[k] += 1
    return tp, fp, fn


def f1(counts: Counts) -> dict[str, float]:
    """Exact-span F1 by type (PER, ORG, LOC) and micro."""
    result = {}
    for name, kinds in (*((k, (k,)) for k in SCORED), ("micro", SCORED)):
        t, p, n = (sum(c[k] for k in kinds) for c in counts)
        result[name] = 2 * t / (2 * t + p + n) if t else 0.0
    return result


def score(model: Path, data: list[tuple[list[list[str]], list[str], list[tuple[int, int]]]]) -> dict[str, float]:
    """Exact-span F1 by type (PER, ORG, LOC) and micro, of the tagger's labels against gold."""
    return f1(tally(model, data))


def train(
    data: list[tuple[list[list[str]], list[str], list[tuple[int, int]]]], args: argparse.Namespace, out: Path
) -> None:
    """Fit the CRF to ``data`` with the settings of ``args`` and write it to ``out``."""
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    for xseq, labels, _ in data:
        trainer.append(xseq, labels)
    trainer.set_params(
        {
            "c1": args.c1,
            "c2": args.c2,
            "max_iterations": args.iterations,
            "feature.minfreq": args.minfreq,
            "feature.possible_transitions": True,
        }
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))


def cross_validate(articles: list[Article], args: argparse.Namespace) -> dict[str, float]:
    """F1 pooled over ``args.folds`` folds of the training articles (each scored by a model of the others)."""
    pooled: Counts = (Counter(), Counter(), Counter())
    with tempfile.TemporaryDirectory() as folder:
        for fold in range(args.folds):
            held = [a for i, a in enumerate(articles) if i % args.folds == fold]
            rest = [a for i, a in enumerate(articles) if i % args.folds != fold]
            model = Path(folder) / f"fold{fold}.crfsuite"
            train(sequences(rest, args.prose), args, model)
            counts = tally(model, sequences(held))
            print(f"fold {fold}: " + "  ".join(f"{k} {v:.3f}" for k, v in f1(counts).items()))
            for total, part in zip(pooled, counts, strict=True):
                total.update(part)
    return f1(pooled)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.train_tagger", description=__doc__.splitlines()[0])
    parser.add_argument("train", type=Path, help="CoNLL-2003 eng.train")
    parser.add_argument("--dev", type=Path, help="CoNLL-2003 eng.testa, scored after training")
    parser.add_argument("--c1", type=float, default=0.05)
    parser.add_argument("--c2", type=float, default=0.2)
    parser.add_argument("--iterations", type=int, default=150)
    parser.add_argument("--minfreq", type=float, default=1)
    parser.add_argument("--prose", action="store_true", help="train on running text only (no tables, no all-caps)")
    parser.add_argument(
        "--folds", type=int, default=0, help="only cross-validate on the training data, in this many folds"
    )
    parser.add_argument("--out", type=Path, default=MODEL, help=f"where the model goes (default {MODEL})")
    args = parser.parse_args(argv)

    started = time.process_time()
    articles = load(args.train)
    random.Random(SEED).shuffle(articles)
    if args.folds > 1:
        result = cross_validate(articles, args)
        print(
            f"{args.folds}-fold cross-validation on the training data "
            + "  ".join(f"{k} {v:.3f}" for k, v in result.items())
        )
        return 0
    data = sequences(articles, args.prose)
    print(
        f"{len(articles)} articles, {len(data)} sentences, {sum(len(x) for x, _, _ in data)} tokens; "
        f"features in {time.process_time() - started:.0f} s"
    )
    started = time.process_time()
    train(data, args, args.out)
    size = args.out.stat().st_size
    print(f"trained in {time.process_time() - started:.0f} s: {args.out} ({size / 1e6:.2f} MB)")
    if args.dev:
        result = score(args.out, sequences(load(args.dev)))
        print("dev (development figures) " + "  ".join(f"{k} {v:.3f}" for k, v in result.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
