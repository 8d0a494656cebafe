"""TempEval-3 style scoring of time expression taggers on TimeML files.

    .venv/bin/python -m bench.timeml ../shared/eval/timeml [--systems briefing,dateparser,datefinder]
                                     [--errors FILE] [--repeat N]

Each ``.tml`` file's TEXT is the input, its DCT the anchor date, its TIMEX3 tags
the gold standard. Scores, for DATE expressions and for all types:

- strict span F1: a system expression matches a gold one with exactly the same extent;
- relaxed span F1: it overlaps one;
- value F1: it overlaps one and has exactly the gold ``value``;
- and, apart, value F1 with forms that mean the same written one way
  (:func:`equivalent_form`: "2000-W7" = "2000-W07", "1968-XX" = "1968", "199X" = "199").

Matching is one-to-one (each gold expression counts once). For "DATE", only
gold DATE expressions and system DATE expressions are compared. dateparser's
``search_dates`` and datefinder only find dates; their results are mapped to
day values (``YYYY-MM-DD``) and typed DATE. Speed is sentences per second of
CPU time (``time.process_time``) spent in the tagger alone, sentence splitting
excluded, over all files. Subfolders (TimeBank, AQUAINT) are reported apart.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from briefing.model import Sentence
from briefing.nlp.sentences import split_sentences
from briefing.nlp.timex import tag_times


@dataclass(frozen=True, slots=True)
class Timex:
    start: int
    end: int
    type: str
    value: str
    text: str = ""


@dataclass
class Document:
    name: str
    corpus: str
    anchor: dt.date
    text: str
    gold: list[Timex]
    sentences: list[Sentence] = field(default_factory=list)


def load_corpus(root: Path) -> list[Document]:
    """Every TimeML ``.tml`` and MEANTIME ``.xml`` file under ``root``, with gold TIMEX3 offsets."""
    return load_timeml(root) + load_meantime(root)


def load_timeml(root: Path) -> list[Document]:
    """TimeML files: plain TEXT, the DCT as anchor."""
    documents = []
    for path in sorted(root.rglob("*.tml")):
        tree = ElementTree.parse(path).getroot()
        dct = tree.find("DCT/TIMEX3")
        text_node = tree.find("TEXT")
        if dct is None or text_node is None:
            continue
        pieces: list[str] = []
        gold: list[Timex] = []
        _walk(text_node, pieces, gold)
        text = "".join(pieces)
        corpus = path.parent.name if path.parent != root else root.name
        anchor = dt.date.fromisoformat((dct.get("value") or "")[:10])
        documents.append(Document(path.stem, corpus, anchor, text, gold, split_sentences(text)))
    return documents


_NO_SPACE_BEFORE = {
    ",",
    ".",
    ";",
    ":",
    "!",
    "?",
    ")",
    "]",
    "%",
    "'s",
    "’s",
    "n't",
    "'",
    "''",
    "'re",
    "'ve",
    "'ll",
    "'d",
}
_NO_SPACE_AFTER = {"(", "[", "$", "``", "#"}
_MEANTIME_SENTENCES = 5


def load_meantime(root: Path) -> list[Document]:
    """NewsReader MEANTIME (CAT XML): tokens joined back into text, one line a sentence.

    The creation time is the anchor; its own mention (the dateline under the
    title) is left out of the text, as briefing's readers leave out a date header.
    MEANTIME annotates only the title, the dateline and the first four sentences
    of the body (sentences 0-5), so only those are kept.
    """
    documents = []
    for path in sorted(root.rglob("*.xml")):
        tree = ElementTree.parse(path).getroot()
        read = meantime_text(tree)
        if read is None:
            continue
        text, offsets, dct = read
        timexes = tree.findall("Markables/TIMEX3")
        gold = []
        for timex in timexes:
            spans = [offsets[a.get("t_id")] for a in timex.findall("token_anchor") if a.get("t_id") in offsets]
            if timex is dct or not spans:
                continue
            start, end = spans[0][0], spans[-1][1]
            gold.append(Timex(start, end, timex.get("type", ""), timex.get("value", ""), text[start:end]))
        anchor = dt.date.fromisoformat((dct.get("value") or "")[:10])
        corpus = f"MEANTIME/{path.parent.name.removeprefix('corpus_')}"
        documents.append(Document(path.stem, corpus, anchor, text, gold, split_sentences(text)))
    return documents


def meantime_text(
    tree: ElementTree.Element,
) -> tuple[str, dict[str | None, tuple[int, int]], ElementTree.Element] | None:
    """A MEANTIME document's annotated text (one line a sentence), each token's offsets, and its
    creation time; None when the file is no document or has no creation time."""
    if tree.tag != "Document":
        return None
    timexes = tree.findall("Markables/TIMEX3")
    dct = next((t for t in timexes if t.get("functionInDocument") == "CREATION_TIME"), None)
    if dct is None:
        return None
    dateline = {a.get("t_id") for a in dct.findall("token_anchor")}
    pieces: list[str] = []
    offsets: dict[str | None, tuple[int, int]] = {}
    previous: ElementTree.Element | None = None
    length = 0
    for token in tree.findall("token"):
        if token.get("t_id") in dateline or int(token.get("sentence") or 0) > _MEANTIME_SENTENCES:
            continue
        word = token.text or ""
        if previous is not None:
            if previous.get("sentence") != token.get("sentence"):
                pieces.append("\n")
                length += 1
            elif word not in _NO_SPACE_BEFORE and (previous.text or "") not in _NO_SPACE_AFTER:
                pieces.append(" ")
                length += 1
        pieces.append(word)
        offsets[token.get("t_id")] = (length, length + len(word))
        length += len(word)
        previous = token
    return "".join(pieces), offsets, dct


def _walk(node: ElementTree.Element, pieces: list[str], gold: list[Timex]) -> None:
    pieces.append(node.text or "")
    for child in node:
        start = sum(map(len, pieces))
        _walk(child, pieces, gold)
        if child.tag == "TIMEX3":
            end = sum(map(len, pieces))
            text = "".join(pieces)[start:end]
            gold.append(Timex(start, end, child.get("type", ""), child.get("value", ""), text))
        pieces.append(child.tail or "")


# -- systems ---------------------------------------------------------------------------------

System = Callable[[Document], list[Timex]]


def briefing_system(doc: Document) -> list[Timex]:
    return [Timex(t.start, t.end, t.type, t.value, t.text) for t in tag_times(doc.text, doc.sentences, doc.anchor)]


def dateparser_system(doc: Document) -> list[Timex]:
    from dateparser.search import search_dates

    base = dt.datetime.combine(doc.anchor, dt.time())
    found = []
    for sentence in doc.sentences:
        results = search_dates(sentence.text, languages=["en"], settings={"RELATIVE_BASE": base}) or []
        cursor = 0
        for substring, moment in results:
            index = sentence.text.find(substring, cursor)
            if index < 0:
                continue
            cursor = index + len(substring)
            start = sentence.start + index
            found.append(Timex(start, start + len(substring), "DATE", moment.date().isoformat(), substring))
    return found


def datefinder_system(doc: Document) -> list[Timex]:
    import datefinder

    base = dt.datetime.combine(doc.anchor, dt.time())
    found = []
    for sentence in doc.sentences:
        try:
            results = list(datefinder.find_dates(sentence.text, source=True, index=True, base_date=base))
        except (ValueError, OverflowError, TypeError):
            continue
        for moment, substring, (start, end) in results:
            begin = sentence.start + start
            found.append(Timex(begin, sentence.start + end, "DATE", moment.date().isoformat(), substring))
    return found


SYSTEMS: dict[str, System] = {
    "briefing": briefing_system,
    "dateparser": dateparser_system,
    "datefinder": datefinder_system,
}


# -- scoring ---------------------------------------------------------------------------------


@dataclass
class Counts:
    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0
    same_form: int = 0

    def add(self, other: Counts) -> None:
        for name in ("gold", "system", "strict", "relaxed", "value", "same_form"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def f1(self, hits: int) -> float:
        precision = hits / self.system if self.system else 0.0
        recall = hits / self.gold if self.gold else 0.0
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def pr(self, hits: int) -> tuple[float, float]:
        return (hits / self.system if self.system else 0.0, hits / self.gold if self.gold else 0.0)


def score(gold: list[Timex], system: list[Timex], only_type: str | None = None) -> Counts:
    """One-to-one matching of system to gold expressions (by overlap, exact spans first)."""
    if only_type:
        gold = [g for g in gold if g.type == only_type]
        system = [s for s in system if s.type == only_type]
    counts = Counts(gold=len(gold), system=len(system))
    used: set[int] = set()
    pairs: list[tuple[Timex, Timex]] = []
    for exact in (True, False):
        for s in system:
            if any(s is p[0] for p in pairs):
                continue
            for index, g in enumerate(gold):
                if index in used:
                    continue
                if (s.start, s.end) == (g.start, g.end) if exact else (s.start < g.end and g.start < s.end):
                    used.add(index)
                    pairs.append((s, g))
                    break
    for s, g in pairs:
        counts.relaxed += 1
        counts.strict += (s.start, s.end) == (g.start, g.end)
        counts.value += s.value == g.value
        counts.same_form += equivalent_form(s.value) == equivalent_form(g.value)
    return counts


_UNPADDED_WEEK = re.compile(r"^(\d{4})-W(\d)(?!\d)")


def equivalent_form(value: str) -> str:
    """A TIMEX3 value with forms that mean the same written one way, for the secondary value score.

    Zero-padded ISO weeks ("2000-W7" = "2000-W07"), a month left unspecified in
    a year ("1968-XX" = "1968") and a decade's unspecified year ("199X" = "199").
    Annotators of the same corpus wrote both; the headline value F1 does not
    use this.
    """
    value = _UNPADDED_WEEK.sub(r"\1-W0\2", value)
    if re.fullmatch(r"\d{4}-XX", value):
        return value[:4]
    if re.fullmatch(r"\d{3}X", value):
        return value[:3]
    return value


def errors(doc: Document, system: list[Timex]) -> Iterable[str]:
    """Gold and system expressions that disagree, one line each, for error analysis."""
    for g in doc.gold:
        overlapping = [s for s in system if s.start < g.end and g.start < s.end]
        if not overlapping:
            yield f"MISS\t{doc.corpus}/{doc.name}\t{doc.anchor}\t{g.type}\t{g.text!r}\t{g.value}\t{_context(doc, g)}"
        elif all(s.value != g.value for s in overlapping):
            s = overlapping[0]
            yield f"VALUE\t{doc.corpus}/{doc.name}\t{doc.anchor}\t{g.type}/{s.type}\t{g.text!r}/{s.text!r}\t{g.value}/{s.value}\t{_context(doc, g)}"
    for s in system:
        if not any(s.start < g.end and g.start < s.end for g in doc.gold):
            yield f"EXTRA\t{doc.corpus}/{doc.name}\t{doc.anchor}\t{s.type}\t{s.text!r}\t{s.value}\t{_context(doc, s)}"


def _context(doc: Document, t: Timex) -> str:
    for sentence in doc.sentences:
        if sentence.start <= t.start < sentence.end:
            return sentence.text.replace("\n", " ")[:300]
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.timeml", description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="folder of TimeML .tml files (searched recursively)")
    parser.add_argument("--systems", default="briefing,dateparser,datefinder", help="comma-separated systems")
    parser.add_argument("--errors", type=Path, metavar="FILE", help="write briefing's disagreements with gold here")
    parser.add_argument("--repeat", type=int, default=3, help="tagging passes for the speed figure (best counts)")
    args = parser.parse_args(argv)
    documents = load_corpus(args.corpus)
    if not documents:
        print(f"no .tml files under {args.corpus}", file=sys.stderr)
        return 2
    corpora = sorted({d.corpus for d in documents})
    sentence_total = sum(len(d.sentences) for d in documents)
    print(f"{len(documents)} documents, {sentence_total} sentences, {sum(len(d.gold) for d in documents)} gold TIMEX3")
    if len(corpora) > 1:
        print("subsets: " + ", ".join(f"{c} ({sum(1 for d in documents if d.corpus == c)})" for c in corpora))
    header = (
        f"{'system':<11} {'subset':<15} {'type':<5} {'strict F1':>9} {'relaxed F1':>10} {'value P':>8} {'value R':>8}"
        f" {'value F1':>8} {'(same form)':>11}"
    )
    rows = [header, "-" * len(header)]
    speeds = []
    for name in args.systems.split(","):
        system = SYSTEMS[name]
        try:
            outputs, seconds = _run(system, documents, args.repeat if name == "briefing" else 1)
        except ImportError as exc:
            print(f"{name}: not installed ({exc}); pip install -e '.[bench]'", file=sys.stderr)
            continue
        speeds.append(f"{name:<11} {sentence_total / seconds:>10,.0f} sentences/s  ({seconds:.2f} s CPU)")
        for subset in [*corpora, "all"]:
            docs = [d for d in documents if subset in ("all", d.corpus)]
            for only_type in ("DATE", None):
                counts = Counts()
                for doc in docs:
                    counts.add(score(doc.gold, outputs[doc.name], only_type))
                precision, recall = counts.pr(counts.value)
                rows.append(
                    f"{name:<11} {subset:<15} {only_type or 'all':<5} {counts.f1(counts.strict):>9.3f}"
                    f" {counts.f1(counts.relaxed):>10.3f} {precision:>8.3f} {recall:>8.3f} {counts.f1(counts.value):>8.3f}"
                    f" {counts.f1(counts.same_form):>11.3f}"
                )
        if name == "briefing" and args.errors:
            with args.errors.open("w", encoding="utf-8") as handle:
                for doc in documents:
                    for line in errors(doc, outputs[doc.name]):
                        handle.write(line + "\n")
    print("\n".join(rows))
    print("\nspeed (tagging only, CPU time, one process):")
    print("\n".join(speeds))
    return 0


def _run(system: System, documents: list[Document], repeat: int) -> tuple[dict[str, list[Timex]], float]:
    best = float("inf")
    outputs: dict[str, list[Timex]] = {}
    for _ in range(max(1, repeat)):
        started = time.process_time()
        outputs = {doc.name: system(doc) for doc in documents}
        best = min(best, time.process_time() - started)
    return outputs, best


if __name__ == "__main__":
    sys.exit(main())
