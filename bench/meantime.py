"""Actors on MEANTIME and CoNLL-2003: exact-span F1 of named mentions by type (PER, ORG, LOC), and speed.

    .venv/bin/python -m bench.meantime ../shared/eval/meantime [--conll ../shared/eval/conll2003/eng.testa]
        [--cnndm ../shared/eval/cnndm/dev.jsonl]

The tagger (the default extractor), the rules and, when installed, spaCy are scored
in one run. CoNLL files are scored by :mod:`bench.conll` (MISC left out).

Scoring follows ``../shared/eval/README.md`` to the letter:

- Only the annotated part counts: the first six sentences of each file (title, date
  line, first four body sentences, by the corpus's own sentence numbers).
- Gold mentions are ``ENTITY_MENTION`` elements with ``syntactic_type="NAM"`` whose
  entity (through ``REFERS_TO``) is PER, ORG or LOC.
- Neither right nor wrong (a prediction on exactly such a span is dropped): names used
  as modifiers (``PRE.NAM``), mentions of product and financial entities (PRO, FIN),
  and NAM mentions that refer to no entity (their type is unknown).
- A leading "the" and a trailing "'s" are trimmed from gold and predicted spans alike.
- A prediction is right when its trimmed span and type equal a gold mention's.

The CAT files hold tokens, not text; a document's text is rebuilt from them (title,
blank line, date line, blank line, body), every token's offsets kept, so gold spans
and predicted spans compare as character ranges of the same string. Each extractor
sees the whole article, is scored on the annotated part, and is timed on CPU.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefing.model import Actor, Sentence, Span
from briefing.nlp.actors.gazetteer import gazetteer
from briefing.nlp.sentences import split_sentences

TYPES = ("PER", "ORG", "LOC")
ANNOTATED_SENTENCES = 6
KIND_TO_TYPE = {"person": "PER", "organization": "ORG", "country": "LOC", "location": "LOC"}

Extractor = Callable[[str, Sequence[Sentence]], list[Actor]]
Labelled = tuple[int, int, str]

_NO_SPACE_BEFORE = {
    ",",
    ".",
    ":",
    ";",
    "!",
    "?",
    ")",
    "]",
    "}",
    "%",
    "'s",
    "'",
    "''",
    "n't",
    "'re",
    "'ve",
    "'ll",
    "'d",
    "'m",
    "...",
    "”",
    "’",
}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "US$", "#", "£", "€", "``", "“", "‘"}
_QUOTES = {"``": '"', "''": '"'}


@dataclass
class Document:
    """One MEANTIME file: rebuilt text, the annotated region, gold and ignored spans."""

    name: str
    topic: str
    text: str
    region_end: int
    gold: set[Labelled] = field(default_factory=set)
    ignored: set[tuple[int, int]] = field(default_factory=set)


def _joins_hyphen(tokens: Sequence[tuple[int, str]], i: int) -> bool:
    """A "-" token between two capitalised words is an inner hyphen ("Wal - Mart")."""
    if not 0 < i < len(tokens) - 1 or tokens[i][1] != "-":
        return False
    before, after = tokens[i - 1][1], tokens[i + 1][1]
    return before[:1].isupper() and after[:1].isupper()


def rebuild_text(tokens: Sequence[tuple[int, str]]) -> tuple[str, list[tuple[int, int]]]:
    """Text from (sentence, token) pairs, with each token's (start, end) in it.

    Sentence 0 is the title and sentence 1 the date line, each its own paragraph; the
    body sentences follow, separated by spaces. Punctuation attaches the usual way.
    """
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    length = 0
    previous: str | None = None
    previous_sentence = -1
    open_quote = False
    for i, (sentence, raw) in enumerate(tokens):
        token = _QUOTES.get(raw, raw)
        if raw == '"':
            open_quote = not open_quote
        if previous is None:
            gap = ""
        elif sentence != previous_sentence and sentence <= 2:
            gap = "\n\n"
        elif (
            raw in _NO_SPACE_BEFORE
            or (raw == '"' and not open_quote)
            or previous in _NO_SPACE_AFTER
            or (previous == '"' and open_quote and raw != '"')
            or _joins_hyphen(tokens, i)
            or _joins_hyphen(tokens, i - 1)
        ):
            gap = ""
        else:
            gap = " "
        parts.append(gap)
        length += len(gap)
        offsets.append((length, length + len(token)))
        parts.append(token)
        length += len(token)
        previous, previous_sentence = raw, sentence
    return "".join(parts), offsets


_LEADING_THE = re.compile(r"(?i)the\s+")
_TRAILING_S = re.compile(r"\s*['’]s$")


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span less a leading "the" and a trailing "'s" (the README's rule)."""
    match = _LEADING_THE.match(text, start, end)
    if match and match.end() < end:
        start = match.end()
    match = _TRAILING_S.search(text[start:end])
    if match and match.start() > 0:
        end = start + match.start()
    return start, end


def load_document(path: Path) -> Document:
    """Text, gold mentions and ignored spans of one CAT file."""
    root = ET.parse(path).getroot()
    tokens = [(int(t.get("sentence", "0")), t.text or "") for t in root.iter("token")]
    ids = [t.get("t_id") for t in root.iter("token")]
    text, offsets = rebuild_text(tokens)
    index = {t_id: i for i, t_id in enumerate(ids)}
    in_region = [i for i, (sentence, _) in enumerate(tokens) if sentence < ANNOTATED_SENTENCES]
    region_end = offsets[in_region[-1]][1] if in_region else 0

    markables = root.find("Markables")
    mentions: dict[str, tuple[str, tuple[int, int]]] = {}
    entity_types: dict[str, str] = {}
    for element in markables if markables is not None else ():
        if element.tag == "ENTITY_MENTION":
            anchors = [index[a.get("t_id")] for a in element.findall("token_anchor") if a.get("t_id") in index]
            if anchors:
                span = trim(text, offsets[min(anchors)][0], offsets[max(anchors)][1])
                mentions[element.get("m_id", "")] = (element.get("syntactic_type") or "", span)
        elif element.tag == "ENTITY":
            entity_types[element.get("m_id", "")] = element.get("ent_type") or ""

    mention_type: dict[str, str] = {}
    relations = root.find("Relations")
    for relation in relations.iter("REFERS_TO") if relations is not None else ():
        target = relation.find("target")
        kind = entity_types.get(target.get("m_id", "")) if target is not None else None
        for source in relation.findall("source"):
            if kind:
                mention_type[source.get("m_id", "")] = kind

    document = Document(path.stem, path.parent.name.removeprefix("corpus_"), text, region_end)
    for m_id, (syntactic, (start, end)) in mentions.items():
        kind = mention_type.get(m_id)
        if end > region_end:
            continue
        if syntactic == "NAM" and kind in TYPES:
            document.gold.add((start, end, kind))
        elif syntactic == "PRE.NAM" or kind in ("PRO", "FIN") or (syntactic == "NAM" and kind is None):
            document.ignored.add((start, end))
    return document


def load_corpus(root: Path) -> list[Document]:
    """Every CAT file under ``root`` (the intra-document annotation, one folder per topic)."""
    paths = sorted(root.glob("intra-doc_annotation/*/*.xml")) or sorted(root.rglob("*.xml"))
    return [load_document(path) for path in paths]


def predicted_spans(document: Document, actors: Iterable[Actor]) -> set[Labelled]:
    """An extractor's mentions as trimmed, typed spans inside the annotated region.

    A country's mentions by its demonym ("Turkish officials") are not names of it: they
    are our counterpart of spaCy's NORP, which is not scored either.
    """
    demonyms = gazetteer().demonyms
    spans: set[Labelled] = set()
    for actor in actors:
        kind = KIND_TO_TYPE.get(actor.kind)
        for mention in actor.mentions if kind else ():
            if actor.kind == "country" and document.text[mention.start : mention.end] in demonyms:
                continue
            if mention.end <= document.region_end:
                start, end = trim(document.text, mention.start, mention.end)
                spans.add((start, end, kind))
    return spans


@dataclass
class Tally:
    """True and false positives and false negatives per type."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, document: Document, predicted: set[Labelled]) -> None:
        for start, end, kind in predicted:
            if (start, end, kind) in document.gold:
                self.tp[kind] += 1
            elif (start, end) in document.ignored and not any((start, end, t) in document.gold for t in TYPES):
                continue
            else:
                self.fp[kind] += 1
                self.errors.append((document.name, "FP " + kind, document.text[start:end]))
        for start, end, kind in document.gold - predicted:
            self.fn[kind] += 1
            self.errors.append((document.name, "FN " + kind, document.text[start:end]))

    def scores(self, kinds: Sequence[str]) -> tuple[float, float, float, int]:
        tp = sum(self.tp[k] for k in kinds)
        fp = sum(self.fp[k] for k in kinds)
        fn = sum(self.fn[k] for k in kinds)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1, tp + fn


RAW_LABELS = {"PERSON": "person", "ORG": "organization", "GPE": "location", "LOC": "location"}


class RawSpacy:
    """spaCy's entities as they come (PERSON, ORG, GPE and LOC), one actor each: the
    reference the eval README quotes, without our roles, merging or trimming."""

    def __init__(self, nlp: object) -> None:
        self.nlp = nlp

    def __call__(self, text: str, sentences: Sequence[Sentence]) -> list[Actor]:
        doc = self.nlp(text)  # type: ignore[operator]
        return [
            Actor(ent.text, RAW_LABELS[ent.label_], mentions=(Span(ent.start_char, ent.end_char),))
            for ent in doc.ents
            if ent.label_ in RAW_LABELS
        ]


def available_extractors(spacy_model: str) -> dict[str, Extractor]:
    """Our rules always; spaCy with ``spacy_model`` when both are installed."""
    from briefing.nlp.actors import extract_actors
    from briefing.nlp.actors.tagger import tag_actors

    extractors: dict[str, Extractor] = {"tagger": tag_actors, "rules": extract_actors}
    try:
        import spacy

        from briefing.nlp.actors.spacy_backend import SpacyActors

        nlp = spacy.load(spacy_model)
        extractors[f"spacy:{spacy_model} (raw entities)"] = RawSpacy(nlp)
        extractors[f"spacy:{spacy_model} (our backend)"] = SpacyActors(nlp)
    except (ImportError, OSError) as exc:
        print(f"(spaCy not scored: {exc.__class__.__name__}: {str(exc).splitlines()[0]})", file=sys.stderr)
    return extractors


def cpu_seconds(extractor: Extractor, texts: Sequence[tuple[str, list[Sentence]]], repeat: int) -> float:
    """CPU time of one pass of ``extractor`` over ``texts`` (the best of ``repeat`` passes)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        for text, sentences in texts:
            extractor(text, sentences)
        best = min(best, time.process_time() - started)
    return best


def cnndm_texts(path: Path, limit: int) -> list[tuple[str, list[Sentence]]]:
    """Articles of a CNN/DailyMail JSON Lines file (one sentence per line), split once."""
    texts = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)["article"]
            texts.append((article, split_sentences(article)))
            if len(texts) >= limit:
                break
    return texts


def score_rows(
    extractors: dict[str, Extractor], documents: Sequence[Document], prepared: Sequence[tuple[str, list[Sentence]]]
) -> dict[str, Tally]:
    """Print one table row per extractor and scope (all, then each topic); the tallies of "all"."""
    topics = sorted({d.topic for d in documents})
    scopes = ("all", *topics) if len(topics) > 1 else ("all",)
    print("| extractor | scope | PER P/R/F1 | ORG P/R/F1 | LOC P/R/F1 | micro P/R/F1 |")
    print("|---|---|---|---|---|---|")
    overall = {}
    for name, extractor in extractors.items():
        tallies = {scope: Tally() for scope in scopes}
        for document, (text, sentences) in zip(documents, prepared, strict=True):
            predicted = predicted_spans(document, extractor(text, sentences))
            tallies["all"].add(document, predicted)
            if len(scopes) > 1:
                tallies[document.topic].add(document, predicted)
        for scope, tally in tallies.items():
            cells = []
            for kinds in ((k,) for k in TYPES):
                p, r, f, n = tally.scores(kinds)
                cells.append(f"{p:.2f} / {r:.2f} / **{f:.2f}** ({n})")
            p, r, f, n = tally.scores(TYPES)
            cells.append(f"{p:.2f} / {r:.2f} / **{f:.3f}** ({n})")
            print(f"| {name} | {scope} | {' | '.join(cells)} |")
        overall[name] = tallies["all"]
    print()
    return overall


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.meantime", description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="the MEANTIME folder (../shared/eval/meantime)")
    parser.add_argument("--conll", type=Path, help="also score a CoNLL-2003 file (eng.testa: development)")
    parser.add_argument("--cnndm", type=Path, help="also time the extractors on CNN/DailyMail articles (a .jsonl)")
    parser.add_argument("--cnndm-limit", type=int, default=200, help="CNN/DailyMail articles timed (default 200)")
    parser.add_argument("--spacy-model", default="en_core_web_sm", help="spaCy pipeline scored alongside ours")
    parser.add_argument("--repeat", type=int, default=3, help="timing passes; the fastest counts (default 3)")
    parser.add_argument(
        "--errors",
        default=None,
        metavar="EXTRACTOR",
        nargs="?",
        const="tagger",
        help="list every false positive and negative of one extractor (default: tagger)",
    )
    args = parser.parse_args(argv)

    documents = load_corpus(args.corpus)
    if not documents:
        parser.error(f"no MEANTIME CAT files under {args.corpus}")
    prepared = [(d.text, split_sentences(d.text)) for d in documents]
    topics = sorted({d.topic for d in documents})
    long_texts = cnndm_texts(args.cnndm, args.cnndm_limit) if args.cnndm else []
    extractors = available_extractors(args.spacy_model)

    print(
        f"MEANTIME: {len(documents)} documents ({', '.join(topics)}), {sum(len(d.gold) for d in documents)} gold mentions"
    )
    print()
    tallies = score_rows(extractors, documents, prepared)
    errors = tallies[args.errors].errors if args.errors in tallies else []
    if args.conll:
        from bench.conll import documents as conll_documents

        conll = conll_documents(args.conll)
        print(
            f"CoNLL-2003 {args.conll.name}: {len(conll)} articles, {sum(len(d.gold) for d in conll)} gold PER/ORG/LOC"
        )
        print()
        conll_tallies = score_rows(extractors, conll, [(d.text, split_sentences(d.text)) for d in conll])
        errors += conll_tallies[args.errors].errors if args.errors in conll_tallies else []
    speed_rows = []
    for name, extractor in extractors.items():
        seconds = cpu_seconds(extractor, prepared, args.repeat)
        row = [name, f"{len(documents) / seconds:,.0f}", f"{1000 * seconds / len(documents):.2f}"]
        if long_texts:
            seconds = cpu_seconds(extractor, long_texts, args.repeat)
            row += [f"{len(long_texts) / seconds:,.0f}", f"{1000 * seconds / len(long_texts):.2f}"]
        speed_rows.append(row)
    header = "| extractor | MEANTIME articles/s (CPU) | ms/article |"
    if long_texts:
        header += f" CNN/DM articles/s (CPU, {len(long_texts)} articles) | ms/article |"
    print(header)
    print("|" + "---|" * header.count(" |"))
    for row in speed_rows:
        print("| " + " | ".join(row) + " |")
    if errors:
        print()
        for document_name, what, surface in sorted(errors, key=lambda e: (e[1], e[2])):
            print(f"{what}\t{surface!r}\t{document_name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
