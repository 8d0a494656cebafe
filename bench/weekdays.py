"""Weekday expressions against TimeML gold: which cue chose the week, and how often it was right.

    .venv/bin/python -m bench.weekdays ../shared/eval/timeml [--errors]   (or ../shared/eval/meantime)

A bare weekday ("Tuesday", "on Friday", "Monday's meeting") names a day within a
week of the article date, before or after it; the tagger picks the direction
from a cue (the governing verb's tense, "next"/"last", "until", the article's
own weekday...). Every expression of ours that holds a weekday name and
overlaps a gold TIMEX3 is listed with the cue that decided it and whether its
day equals gold's (the first ten characters of the value: a clock time does
not count here). Rows are cues; the columns also split the expressions by the
words around them ("on" before, "'s" after, opening the sentence, inside a
quotation, on the article's own weekday). ``--errors`` prints each wrong one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from bench.timeml import Document, load_corpus
from briefing.nlp.timex import tag_times
from briefing.nlp.timex.base import Focus
from briefing.nlp.timex.scan import ANCHOR
from briefing.nlp.timex.tagger import tag_sentence

_WEEKDAY = re.compile(r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Case:
    doc: str
    anchor: dt.date
    cue: str
    text: str
    ours: str
    gold: str
    sentence: str
    shapes: tuple[str, ...]

    @property
    def right(self) -> bool:
        return self.ours[:10] == self.gold[:10]


def missed(documents: list[Document]) -> int:
    """Gold TIMEX3s naming a weekday that no expression of ours overlaps."""
    count = 0
    for doc in documents:
        ours = tag_times(doc.text, doc.sentences, doc.anchor)
        for gold in doc.gold:
            if _WEEKDAY.search(gold.text) and not any(o.start < gold.end and gold.start < o.end for o in ours):
                count += 1
    return count


def cases(documents: list[Document]) -> list[Case]:
    out: list[Case] = []
    for doc in documents:
        focus = Focus()
        for index, sentence in enumerate(doc.sentences):
            if ANCHOR.search(sentence.text) is None:
                continue
            focus.sentence = index
            cues: list[str] = []
            for expression, cue in zip(tag_sentence(sentence, doc.anchor, focus, cues), cues, strict=True):
                if not _WEEKDAY.search(expression.text):
                    continue
                gold = next((g for g in doc.gold if g.start < expression.end and expression.start < g.end), None)
                if gold is None or not gold.value[:4].isdigit():
                    continue
                at = expression.start - sentence.start
                shapes = _shapes(sentence.text, at, expression.end - sentence.start, doc.anchor, expression.value)
                out.append(
                    Case(doc.name, doc.anchor, cue or "other", expression.text, expression.value, gold.value,
                         sentence.text, shapes)
                )  # fmt: skip
    return out


SHAPES = ("on", "'s", "opens", "quote", "own-day")


def _shapes(sentence: str, start: int, end: int, anchor: dt.date, value: str) -> tuple[str, ...]:
    found = []
    if re.search(r"(?i)\bon\s+$", sentence[:start]):
        found.append("on")
    if sentence[start:end].endswith(("'s", "’s")) or sentence[end : end + 2] in ("'s", "’s"):
        found.append("'s")
    if not re.search(r"\w", sentence[:start]):
        found.append("opens")
    left = sentence[:start]
    if left.count('"') % 2 == 1 or left.count("``") > left.count("''") or left.count("“") > left.count("”"):
        found.append("quote")
    try:
        if dt.date.fromisoformat(value[:10]).isoweekday() == anchor.isoweekday():
            found.append("own-day")
    except ValueError:
        pass
    return tuple(found)


def table(found: list[Case]) -> str:
    by_cue: dict[str, list[Case]] = defaultdict(list)
    for case in found:
        by_cue[case.cue].append(case)
    head = f"{'cue':<20}{'n':>5}{'wrong':>7}{'ahead':>7}{'behind':>7}" + "".join(f"{s:>9}" for s in SHAPES)
    lines = [head, "-" * len(head)]
    rows = [*sorted(by_cue.items(), key=lambda item: -len(item[1])), ("all", found)]
    for cue, group in rows:
        wrong = [c for c in group if not c.right]
        ahead = sum(1 for c in wrong if c.ours[:10] > c.gold[:10])
        per_shape = Counter(s for c in wrong for s in c.shapes)
        total_shape = Counter(s for c in group for s in c.shapes)
        cells = "".join(f"{f'{per_shape[s]}/{total_shape[s]}':>9}" for s in SHAPES)
        lines.append(f"{cue:<20}{len(group):>5}{len(wrong):>7}{ahead:>7}{len(wrong) - ahead:>7}{cells}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--errors", action="store_true", help="print every wrong weekday with its sentence")
    args = parser.parse_args(argv)
    documents = load_corpus(args.corpus)
    found = cases(documents)
    print(table(found))
    print(f"gold weekday expressions none of ours overlaps: {missed(documents)}")
    print("wrong: ours a later day than gold (ahead) or an earlier one (behind); shape cells: wrong/all")
    if args.errors:
        for case in found:
            if not case.right:
                print(f"\n{case.doc} {case.anchor} {case.anchor:%a} [{case.cue}] {','.join(case.shapes)}")
                print(f"  {case.text!r}: ours {case.ours} gold {case.gold}")
                print(f"  {case.sentence.strip()[:300]}")


if __name__ == "__main__":
    main()
