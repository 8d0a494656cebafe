"""Key-point quality: ROUGE-1/2/L F1 of our key points against the references, side by side.

    .venv/bin/python -m bench.rouge ../shared/eval/cnndm/dev.jsonl
    .venv/bin/python -m bench.rouge ../shared/eval/bbc-summary

One table per corpus: our ranker ("news"), LEAD-N, sumy's LexRank, TextRank, Luhn and LSA,
and a greedy oracle (the best N sentences chosen one at a time by ROUGE-1 + ROUGE-2 against
the references: close to the best any extractive choice of N sentences can do). Every system
sees the same articles split by the same splitter, in the same run. Scores are Google's
``rouge-score`` with the stemmer on; ROUGE-L is the summary-level ``rougeLsum`` over
newline-separated sentences; with several references, the best score of each measure counts.
N is 3 on CNN/DailyMail and the reference's sentence count on BBC.
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from rouge_score import rouge_scorer, tokenize

from bench.corpora import Item, read_corpus
from briefing.model import Sentence
from briefing.nlp.keypoints import key_points
from briefing.nlp.sentences import split_sentences

MEASURES = ("rouge1", "rouge2", "rougeLsum")

Chooser = Callable[[Sequence[Sentence], Item], list[int]]


def lead(sentences: Sequence[Sentence], item: Item) -> list[int]:
    return list(range(min(item.n, len(sentences))))


def ranked_by(algorithm: str) -> Chooser:
    def choose(sentences: Sequence[Sentence], item: Item) -> list[int]:
        chosen = key_points(sentences, item.n, algorithm, title=item.title)
        starts = {s.start: i for i, s in enumerate(sentences)}
        return [starts[p.start] for p in chosen]

    return choose


class Oracle:
    """Greedy extractive oracle: add the sentence that most raises mean(R-1 F, R-2 F), N times."""

    def __init__(self, scorer: rouge_scorer.RougeScorer) -> None:
        self._tokens = lambda text: tokenize.tokenize(text, scorer._tokenizer._stemmer)

    def __call__(self, sentences: Sequence[Sentence], item: Item) -> list[int]:
        grams = [self._grams(self._tokens(s.text)) for s in sentences]
        refs = [self._grams(self._tokens(" ".join(ref))) for ref in item.references]
        chosen: list[int] = []
        totals: tuple[Counter[str], Counter[tuple[str, str]]] = (Counter(), Counter())
        while len(chosen) < min(item.n, len(sentences)):
            best, best_score = -1, -1.0
            for i, (uni, bi) in enumerate(grams):
                if i in chosen:
                    continue
                score = max(self._f(totals[0] + uni, r[0]) + self._f(totals[1] + bi, r[1]) for r in refs)
                if score > best_score:
                    best, best_score = i, score
            chosen.append(best)
            totals = (totals[0] + grams[best][0], totals[1] + grams[best][1])
        return sorted(chosen)

    @staticmethod
    def _grams(tokens: list[str]) -> tuple[Counter[str], Counter[tuple[str, str]]]:
        return Counter(tokens), Counter(itertools.pairwise(tokens))

    @staticmethod
    def _f(candidate: Counter, reference: Counter) -> float:
        overlap = sum((candidate & reference).values())
        if not overlap:
            return 0.0
        precision = overlap / sum(candidate.values())
        recall = overlap / sum(reference.values())
        return 2 * precision * recall / (precision + recall)


def systems(scorer: rouge_scorer.RougeScorer) -> dict[str, Chooser]:
    return {
        "ours (news)": ranked_by("news"),
        "LEAD-N": lead,
        "sumy LexRank": ranked_by("lexrank"),
        "sumy TextRank": ranked_by("textrank"),
        "sumy Luhn": ranked_by("luhn"),
        "sumy LSA": ranked_by("lsa"),
        "greedy oracle": Oracle(scorer),
    }


def best_scores(scorer: rouge_scorer.RougeScorer, item: Item, summary: str) -> dict[str, float]:
    """Each measure's F1 against the reference that scores best on it."""
    best = dict.fromkeys(MEASURES, 0.0)
    for reference in item.references:
        scores = scorer.score("\n".join(reference), summary)
        for measure in MEASURES:
            best[measure] = max(best[measure], scores[measure].fmeasure)
    return best


def run(path: Path, limit: int | None, only: Sequence[str] = ()) -> str:
    scorer = rouge_scorer.RougeScorer(list(MEASURES), use_stemmer=True)
    choosers = systems(scorer)
    if only:
        keep = {"ours (news)", "LEAD-N", "greedy oracle", *only}
        choosers = {name: chooser for name, chooser in choosers.items() if name in keep}
    totals = {name: dict.fromkeys(MEASURES, 0.0) for name in choosers}
    seconds = dict.fromkeys(choosers, 0.0)
    count = 0
    for item in read_corpus(path, limit):
        sentences = split_sentences(item.text)
        if not sentences or not item.references:
            continue
        count += 1
        for name, choose in choosers.items():
            began = time.process_time()
            chosen = choose(sentences, item)
            seconds[name] += time.process_time() - began
            summary = "\n".join(sentences[i].text for i in sorted(chosen))
            for measure, value in best_scores(scorer, item, summary).items():
                totals[name][measure] += value
    lines = [
        f"{path} — {count} articles, N = {'3' if path.suffix == '.jsonl' else 'reference sentence count'}",
        "",
        "| system | ROUGE-1 F1 | ROUGE-2 F1 | ROUGE-L F1 | ms/article (CPU) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in choosers:
        r1, r2, rl = (100 * totals[name][m] / max(count, 1) for m in MEASURES)
        lines.append(f"| {name} | {r1:.2f} | {r2:.2f} | {rl:.2f} | {1000 * seconds[name] / max(count, 1):.1f} |")
    ours = {m: totals["ours (news)"][m] / max(count, 1) for m in MEASURES}
    lead_n = {m: totals["LEAD-N"][m] / max(count, 1) for m in MEASURES}
    oracle = {m: totals["greedy oracle"][m] / max(count, 1) for m in MEASURES}
    lines += [
        "",
        "ours / LEAD-N: " + ", ".join(f"{m} x{ours[m] / lead_n[m]:.3f}" for m in MEASURES if lead_n[m]),
        "oracle - ours (points): " + ", ".join(f"{m} {100 * (oracle[m] - ours[m]):+.2f}" for m in MEASURES),
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.rouge", description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path, help="cnndm/*.jsonl or the bbc-summary folder")
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--quick", action="store_true", help="only ours, LEAD-N and the oracle (no sumy)")
    args = parser.parse_args(argv)
    print(run(args.corpus, args.limit, ("quick",) if args.quick else ()))


if __name__ == "__main__":
    main()
