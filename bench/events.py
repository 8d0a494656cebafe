"""Dated events scored against TimeML and MEANTIME event-to-date links.

    .venv/bin/python -m bench.events ../shared/eval/timeml ../shared/eval/meantime [--errors FILE]

A gold *anchor* is a TLINK between an EVENT and a DATE TIMEX3 of the same
sentence (as our splitter cuts the text) that places the event at that date:
IS_INCLUDED, DURING, SIMULTANEOUS, BEGINS, ENDS, BEGUN_BY or ENDED_BY read from
the event to the date. A link written the other way round (the date INCLUDES
the event, ...) is read through its inverse, so that it counts the same.

- dated-event recall: the share of gold anchors for which the analysis has an
  event whose evidence is that sentence, whose trigger overlaps the EVENT's word
  and whose start equals the TIMEX3's value;
- anchor precision: the share of our dated events (those with a start) whose
  trigger and start match a gold anchor. The corpora link only some of the
  event-date pairs they hold, so this is a lower bound.

The analysis is the pipeline's own: sentences, time expressions, events (no
actors: they only change titles). MEANTIME files are read as bench.timeml reads
them (title, dateline and the first four body sentences, the annotated part).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from bench.timeml import meantime_text
from briefing.model import Event, Sentence
from briefing.nlp.events import extract_events
from briefing.nlp.sentences import split_sentences
from briefing.nlp.timex import tag_times

_FORWARD = frozenset({"IS_INCLUDED", "DURING", "SIMULTANEOUS", "BEGINS", "ENDS", "BEGUN_BY", "ENDED_BY"})
_INVERSE = {
    "INCLUDES": "IS_INCLUDED",
    "DURING_INV": "DURING",
    "SIMULTANEOUS": "SIMULTANEOUS",
    "BEGUN_BY": "BEGINS",
    "ENDED_BY": "ENDS",
    "BEGINS": "BEGUN_BY",
    "ENDS": "ENDED_BY",
}


@dataclass(frozen=True, slots=True)
class Anchor:
    """A gold event word placed at a date: the word's span, the date's value, their sentence."""

    start: int
    end: int
    value: str
    sentence: int


@dataclass
class Document:
    name: str
    corpus: str
    anchor_date: str
    text: str
    sentences: list[Sentence]
    anchors: list[Anchor]


def _sentence_of(sentences: list[Sentence], offset: int) -> int:
    for index, sentence in enumerate(sentences):
        if sentence.start <= offset < sentence.end:
            return index
    return -1


def _anchors(
    sentences: list[Sentence],
    events: dict[str, tuple[int, int]],
    dates: dict[str, tuple[int, int, str]],
    links: Iterable[tuple[str, str, str]],
) -> list[Anchor]:
    """Gold anchors from (source, relation, target) links over events and DATE expressions."""
    found: set[Anchor] = set()
    for source, relation, target in links:
        if source in events and target in dates and relation in _FORWARD:
            event, date = events[source], dates[target]
        elif source in dates and target in events and relation in _INVERSE:
            event, date = events[target], dates[source]
        else:
            continue
        here = _sentence_of(sentences, event[0])
        if here >= 0 and here == _sentence_of(sentences, date[0]):
            found.add(Anchor(event[0], event[1], date[2], here))
    return sorted(found, key=lambda a: (a.start, a.value))


def load_timeml(root: Path) -> list[Document]:
    """TimeML ``.tml`` files: EVENT words, DATE TIMEX3s and TLINKs through MAKEINSTANCE."""
    documents = []
    for path in sorted(root.rglob("*.tml")):
        tree = ElementTree.parse(path).getroot()
        dct, body = tree.find("DCT/TIMEX3"), tree.find("TEXT")
        if dct is None or body is None:
            continue
        pieces: list[str] = []
        marks: list[tuple[ElementTree.Element, int, int]] = []
        _walk(body, pieces, marks)
        text = "".join(pieces)
        sentences = split_sentences(text)
        words = {node.get("eid"): (start, end) for node, start, end in marks if node.tag == "EVENT"}
        events = {
            i.get("eiid", ""): words[i.get("eventID")] for i in tree.iter("MAKEINSTANCE") if i.get("eventID") in words
        }
        dates = {
            node.get("tid", ""): (start, end, node.get("value", ""))
            for node, start, end in marks
            if node.tag == "TIMEX3" and node.get("type") == "DATE"
        }
        links = []
        for link in tree.iter("TLINK"):
            source = link.get("eventInstanceID") or link.get("timeID") or ""
            target = link.get("relatedToEventInstance") or link.get("relatedToTime") or ""
            links.append((source, link.get("relType", ""), target))
        corpus = path.parent.name if path.parent != root else root.name
        anchors = _anchors(sentences, events, dates, links)
        documents.append(Document(path.stem, corpus, (dct.get("value") or "")[:10], text, sentences, anchors))
    return documents


def _walk(node: ElementTree.Element, pieces: list[str], marks: list[tuple[ElementTree.Element, int, int]]) -> None:
    pieces.append(node.text or "")
    for child in node:
        start = sum(map(len, pieces))
        _walk(child, pieces, marks)
        marks.append((child, start, sum(map(len, pieces))))
        pieces.append(child.tail or "")


def load_meantime(root: Path) -> list[Document]:
    """MEANTIME CAT XML: EVENT_MENTIONs, DATE TIMEX3s and TLINKs by markable id."""
    documents = []
    for path in sorted(root.rglob("*.xml")):
        tree = ElementTree.parse(path).getroot()
        read = meantime_text(tree)
        if read is None:
            continue
        text, offsets, dct = read
        sentences = split_sentences(text)
        events = {n.get("m_id", ""): s for n in tree.findall("Markables/EVENT_MENTION") if (s := _span(n, offsets))}
        dates = {
            n.get("m_id", ""): (s[0], s[1], n.get("value", ""))
            for n in tree.findall("Markables/TIMEX3")
            if n.get("type") == "DATE" and n is not dct and (s := _span(n, offsets))
        }
        links = []
        for link in tree.iter("TLINK"):
            source, target = link.find("source"), link.find("target")
            if source is not None and target is not None:
                links.append((source.get("m_id", ""), link.get("reltype", ""), target.get("m_id", "")))
        corpus = f"MEANTIME/{path.parent.name.removeprefix('corpus_')}"
        anchors = _anchors(sentences, events, dates, links)
        documents.append(Document(path.stem, corpus, (dct.get("value") or "")[:10], text, sentences, anchors))
    return documents


def _span(node: ElementTree.Element, offsets: dict[str | None, tuple[int, int]]) -> tuple[int, int] | None:
    spans = [offsets[a.get("t_id")] for a in node.findall("token_anchor") if a.get("t_id") in offsets]
    return (spans[0][0], spans[-1][1]) if spans else None


def analyse(doc: Document) -> list[Event]:
    """Our events for one document, as the pipeline finds them (times, then events)."""
    import datetime as dt

    anchor = dt.date.fromisoformat(doc.anchor_date)
    times = tag_times(doc.text, doc.sentences, anchor)
    return extract_events(doc.text, doc.sentences, times, [], anchor)


def matches(event: Event, anchor: Anchor, doc: Document) -> bool:
    """Our event is the gold anchor: same sentence, overlapping trigger, same start value."""
    if event.trigger is None or event.evidence is None or event.start is None or event.start.value != anchor.value:
        return False
    sentence = doc.sentences[anchor.sentence]
    same_sentence = event.evidence.start <= sentence.start < event.evidence.end
    return same_sentence and event.trigger.start < anchor.end and anchor.start < event.trigger.end


@dataclass
class Tally:
    documents: int = 0
    gold: int = 0
    events: int = 0
    dated: int = 0
    found: int = 0
    right: int = 0

    def row(self, name: str) -> str:
        recall = self.found / self.gold if self.gold else 0.0
        precision = self.right / self.dated if self.dated else 0.0
        per_doc = self.events / self.documents if self.documents else 0.0
        return (
            f"{name:<17} {self.documents:>5} {self.gold:>6} {per_doc:>10.2f} {self.dated:>6} {self.found:>6}"
            f" {recall:>7.3f} {self.right:>6} {precision:>9.3f}"
        )


def count(tallies: dict[str, Tally], doc: Document, events: list[Event]) -> list[Event]:
    """Add one document's events to its corpus's tally and to "all"; its dated events, for the error list."""
    dated = [e for e in events if e.start is not None]
    found = sum(1 for a in doc.anchors if any(matches(e, a, doc) for e in dated))
    right = sum(1 for e in dated if any(matches(e, a, doc) for a in doc.anchors))
    for name in (doc.corpus, "all"):
        tally = tallies.setdefault(name, Tally())
        tally.documents += 1
        tally.gold += len(doc.anchors)
        tally.events += len(events)
        tally.dated += len(dated)
        tally.found += found
        tally.right += right
    return dated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.events", description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", type=Path, nargs="+", help="folders of TimeML .tml or MEANTIME .xml files")
    parser.add_argument("--errors", type=Path, metavar="FILE", help="write missed anchors and unmatched events")
    args = parser.parse_args(argv)
    documents = [d for root in args.corpora for d in load_timeml(root) + load_meantime(root)]
    if not documents:
        print("no .tml or MEANTIME .xml files found", file=sys.stderr)
        return 2
    tallies: dict[str, Tally] = {}
    lines: list[str] = []
    for doc in documents:
        dated = count(tallies, doc, analyse(doc))
        if args.errors:
            lines.extend(_errors(doc, dated))
    header = (
        f"{'corpus':<17} {'docs':>5} {'anchors':>6} {'events/doc':>10} {'dated':>6} {'found':>6}"
        f" {'recall':>7} {'right':>6} {'precision':>9}"
    )
    print(header)
    print("-" * len(header))
    for name in sorted(tallies, key=lambda n: (n == "all", n)):
        print(tallies[name].row(name))
    if args.errors:
        args.errors.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


def _errors(doc: Document, dated: list[Event]) -> Iterable[str]:
    for anchor in doc.anchors:
        if not any(matches(e, anchor, doc) for e in dated):
            sentence = doc.sentences[anchor.sentence].text.replace("\n", " ")
            word = doc.text[anchor.start : anchor.end]
            yield f"MISS\t{doc.corpus}/{doc.name}\t{doc.anchor_date}\t{word}\t{anchor.value}\t{sentence[:300]}"
    for event in dated:
        if not any(matches(event, a, doc) for a in doc.anchors):
            word = doc.text[event.trigger.start : event.trigger.end] if event.trigger else ""
            yield f"EXTRA\t{doc.corpus}/{doc.name}\t{doc.anchor_date}\t{word}\t{event.start.value if event.start else None}\t{event.title}"


if __name__ == "__main__":
    sys.exit(main())
