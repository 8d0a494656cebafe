"""Build the scorer that picks which word a date places (``briefing/nlp/data/eventanchors.json``).

    .venv/bin/python -m bench.train_eventanchors ../shared/eval/timeml [--check ../shared/eval/meantime]

Every (date, candidate word) pair the analysis weighs in a TimeML sentence is
an example, positive when TimeML links that EVENT word to that DATE (the gold
anchors of :mod:`bench.events`). A softmax over each date's candidates and
"none of them" is fitted by stochastic gradient descent with L2. Each date's place
in an epoch comes from a hash of its own features (keyed by ``_SEED``), not from a
shuffle of all of them, so the file is rebuilt byte for byte and a change to a few
training dates leaves the order of all others, and so the weights, nearly as they were. TimeML (TimeBank + AQUAINT,
TBAQ-cleaned) has no split of its own, so the thresholds are chosen and the
figures reported by cross-validation over documents: each fold's documents are
scored by a model that never saw them. The thresholds kept reach the recall bar
(0.45) with the most precision, since recall is measured against every gold anchor
while precision only bounds ours from below (the gold links are not complete);
when no point reaches it, they come nearest to both bars (recall 0.45, precision
0.70: the largest share of its bar the weaker figure reaches). Points within
0.001 of the best share are ties, kept towards the point that dates more. Every
point of the grid is printed: the trade-off curve.
The same grid chooses how sure the model must be of another verb to take a date
from the lexicon word that claims it (``overrule``; 2 lets every claim stand).
The shipped model is then fitted on all of TimeML. ``--check`` scores other
corpora (MEANTIME) with the shipped model: a held-out figure, to be run rarely.
Only feature weights are shipped, never words of the corpus (the features name
only closed word lists of our own, see :mod:`briefing.nlp.eventpairs`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import itertools
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.events import Document, Tally, count, load_meantime, load_timeml
from briefing.model import Sentence, TimeExpression
from briefing.nlp import eventanchors, events
from briefing.nlp.eventanchors import NONE, AnchorModel
from briefing.nlp.events import dated_pairs, extract_events
from briefing.nlp.timex import tag_times
from briefing.nlp.timex.values import with_zone

_TARGET = Path(eventanchors.__file__).parent / "data" / "eventanchors.json"
_SEED = b"briefing-anchors"
_EPOCHS = 20
_RATE = 0.2
_L2 = 1e-2
_THRESHOLDS = [round(0.2 + 0.025 * i, 3) for i in range(17)]
_SECONDS = [0.3, 0.4, 0.5, 0.6, 0.7, 1.01]
_OVERRULES = [0.3, 0.4, 0.5, 0.6, 2.0]
"""Probabilities another verb needs to take a date from the lexicon word that claims it (2: never)."""
_TIE = 0.001
"""Shares of a bar closer than this (under one event in a thousand) are one figure: which of two such grid
points is kept would be noise, so the one that dates more is."""


@dataclass
class Read:
    """A document with its time expressions (tagged once) and its labelled examples."""

    doc: Document
    times: list[TimeExpression]
    groups: list[list[tuple[tuple[str, ...], int]]]
    """Each date's (candidate's features, label) pairs."""


def read(doc: Document) -> Read:
    anchor = dt.date.fromisoformat(doc.anchor_date)
    times = tag_times(doc.text, doc.sentences, anchor)
    groups: dict[tuple[int, int], list[tuple[tuple[str, ...], int]]] = {}
    for index, sentence in enumerate(doc.sentences):
        here = [t for t in times if sentence.start <= t.start < sentence.end]
        gold = [a for a in doc.anchors if a.sentence == index]
        for time, pair, span in dated_pairs(sentence, here, anchor):
            start = with_zone(time.value, time.text)
            label = any(a.value == start and span.start < a.end and a.start < span.end for a in gold)
            groups.setdefault((index, pair.order), []).append((pair.features, int(label)))
    return Read(doc, times, list(groups.values()))


def fit(reads: list[Read]) -> dict[str, float]:
    """A softmax over each date's candidates and "none", by SGD with L2, in an order fixed by each date's content.
    A date with several gold words shares the target among them; one with none puts it on "none"."""
    groups = [g for r in reads for g in r.groups]
    keys = [hashlib.blake2b(repr(g).encode(), digest_size=8, person=_SEED).digest() for g in groups]
    weights: dict[str, float] = {}
    for epoch in range(_EPOCHS):
        # Each date's place in an epoch comes from its own content, not from a shuffle of all of them:
        # a change to a few training dates leaves every other date where it was.
        order = sorted(
            range(len(groups)), key=lambda n: hashlib.blake2b(keys[n], digest_size=8, salt=bytes([epoch])).digest()
        )
        rate = _RATE / (1 + epoch)
        for n in order:
            candidates = groups[n]
            options = [features for features, _ in candidates] + [(NONE,)]
            labels = [label for _, label in candidates]
            labels.append(0 if any(labels) else 1)
            total = sum(labels)
            scores = [sum(weights.get(f, 0.0) for f in o) for o in options]
            top = max(scores)
            exps = [math.exp(max(-30.0, s - top)) for s in scores]
            norm = sum(exps)
            for features, label, e in zip(options, labels, exps, strict=True):
                step = rate * (label / total - e / norm)
                for f in features:
                    w = weights.get(f, 0.0)
                    weights[f] = w + step - rate * _L2 * w
    return {f: round(w, 4) for f, w in sorted(weights.items()) if abs(w) >= 1e-4}


def _read_once() -> None:
    """Every grid point scores the same sentences and only the choice of words depends on the model: each
    sentence is read (split into words, tagged, paired with its dates) once for the whole grid."""
    read = events._read  # a bench-only memo of a pure function

    @functools.cache
    def once(sentence: Sentence, times: tuple[TimeExpression, ...], anchor: dt.date) -> object:
        return read(sentence, list(times), anchor)

    events._read = lambda sentence, times, anchor: once(sentence, tuple(times), anchor)


def score(reads: list[Read], model: AnchorModel) -> dict[str, Tally]:
    tallies: dict[str, Tally] = {}
    for r in reads:
        doc = r.doc
        count(
            tallies,
            doc,
            extract_events(doc.text, doc.sentences, r.times, [], dt.date.fromisoformat(doc.anchor_date), model),
        )
    return tallies


def _add(into: dict[str, Tally], more: dict[str, Tally]) -> None:
    for name, t in more.items():
        mine = into.setdefault(name, Tally())
        for field in ("documents", "gold", "events", "dated", "found", "right"):
            setattr(mine, field, getattr(mine, field) + getattr(t, field))


def _table(tallies: dict[str, Tally]) -> str:
    header = (
        f"{'corpus':<17} {'docs':>5} {'anchors':>6} {'events/doc':>10} {'dated':>6} {'found':>6}"
        f" {'recall':>7} {'right':>6} {'precision':>9}"
    )
    rows = [tallies[n].row(n) for n in sorted(tallies, key=lambda n: (n == "all", n))]
    return "\n".join([header, "-" * len(header), *rows])


def _figures(t: Tally) -> tuple[float, float]:
    return (t.found / t.gold if t.gold else 0.0, t.right / t.dated if t.dated else 0.0)


def _nearest(figures: tuple[float, float], bars: tuple[float, float]) -> float:
    """The share of its bar that the weaker of recall and precision reaches."""
    return min(figures[0] / bars[0], figures[1] / bars[1])


def _choice(figures: tuple[float, float], bars: tuple[float, float]) -> tuple[int, float]:
    """How good a grid point is, compared as a tuple: whether it reaches the recall bar, then (if it does) its
    share of the precision bar, else its share of the bar its weaker figure is nearest to."""
    recall, precision = figures
    if recall >= bars[0]:
        return (1, min(round(precision / bars[1], 6), 1.0))
    return (0, min(round(_nearest(figures, bars), 6), 1.0))


def _best(grid: dict[tuple[float, float, float], dict[str, Tally]], bars: tuple[float, float]) -> tuple[float, ...]:
    """The grid point kept: the best by :func:`_choice`, where shares of a bar within :data:`_TIE` of the best
    are ties, settled by the lower threshold, then the lower second probability, then the higher overrule."""
    choices = {key: _choice(_figures(tallies["all"]), bars) for key, tallies in grid.items()}
    top = max(choices.values())
    near = [key for key, c in choices.items() if c[0] == top[0] and top[1] - c[1] <= _TIE]
    return min(near, key=lambda k: (k[0], k[1], -k[2]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.train_eventanchors", description=__doc__.split("\n\n")[0])
    parser.add_argument("timeml", type=Path, help="the TimeML folder (TimeBank and AQUAINT .tml files)")
    parser.add_argument("--check", type=Path, nargs="*", default=[], help="corpora scored with the shipped model")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--min-recall", type=float, default=0.45, help="the recall bar the thresholds aim at")
    parser.add_argument("--min-precision", type=float, default=0.70, help="the precision bar they aim at")
    parser.add_argument("--output", type=Path, default=_TARGET)
    args = parser.parse_args(argv)
    reads = [read(d) for d in load_timeml(args.timeml)]
    if not reads:
        print("no .tml files found", file=sys.stderr)
        return 2
    _read_once()
    grid: dict[tuple[float, float, float], dict[str, Tally]] = {}
    for fold in range(args.folds):
        train = [r for n, r in enumerate(reads) if n % args.folds != fold]
        test = [r for n, r in enumerate(reads) if n % args.folds == fold]
        weights = fit(train)
        for key in itertools.product(_THRESHOLDS, _SECONDS, _OVERRULES):
            _add(grid.setdefault(key, {}), score(test, AnchorModel(weights, *key)))
    # The recall bar first: recall is measured against every gold anchor, while precision only bounds ours from
    # below (TimeML's links are not complete: a date our event rightly takes may link to no word at all). Among
    # the points that reach it, the most precise; without one, the point nearest both bars (the largest share
    # of its bar that the weaker figure reaches). Near-ties go to the point that dates more.
    bars = (args.min_recall, args.min_precision)
    best = _best(grid, bars)
    for key in sorted(grid):
        recall, precision = _figures(grid[key]["all"])
        print(
            f"threshold {key[0]:.3f} second {key[1]:.2f} overrule {key[2]:.2f}:"
            f" recall {recall:.3f} precision {precision:.3f}"
        )
    print(
        f"\ncross-validated ({args.folds} folds by document), threshold {best[0]} second {best[1]} overrule {best[2]}:"
    )
    print(_table(grid[best]))
    weights = fit(reads)
    data = {"threshold": best[0], "second": best[1], "overrule": best[2], "weights": weights}
    args.output.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"\nwrote {args.output} ({len(weights)} weights)")
    if args.check:
        model = AnchorModel(weights, *best)
        checks = [read(d) for root in args.check for d in load_meantime(root) + load_timeml(root)]
        print("\nheld-out check with the shipped model:")
        print(_table(score(checks, model)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
