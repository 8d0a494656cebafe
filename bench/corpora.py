"""Readers for the evaluation corpora (the path is always an argument; nothing is copied).

- CNN/DailyMail JSON Lines (``cnndm/dev.jsonl``, ``cnndm/train-lowercased.jsonl``): an
  article with one or more references (lists of sentences); N = 3.
- BBC News Summary (``bbc-summary/``): ``articles/<category>/NNN.txt`` whose first line is the
  title, and ``summaries/<category>/NNN.txt``, extractive, whose sentences run together
  without a space after the full stop; N = the reference's sentence count.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Item:
    """One article to summarise and the references it is scored against."""

    id: str
    title: str
    text: str
    references: tuple[tuple[str, ...], ...]
    n: int


# Where a sentence may end inside a BBC summary: a terminator, maybe a closing quote.
_END = re.compile(r"""[.!?](['"’”]?)""")


def split_summary(summary: str, article: str) -> list[str]:
    """The sentences of an extractive BBC summary, whose sentences run together.

    The summary is cut only where a terminator is followed by text, and each piece is
    the longest that occurs in the article as it is (the article keeps the space that
    the summary lost), so "U.S." or "$1.13bn." do not end a sentence by themselves.
    """
    summary = summary.strip()
    cuts = sorted({end for m in _END.finditer(summary) for end in (m.start(1), m.end(1))} | {len(summary)})
    sentences: list[str] = []
    begin = 0
    while begin < len(summary):
        ahead = [c for c in cuts if c > begin]
        found = next((c for c in reversed(ahead) if summary[begin:c].strip() in article), ahead[0])
        piece = summary[begin:found].strip()
        if piece:
            sentences.append(piece)
        begin = found
    return sentences


def read_cnndm(path: Path, limit: int | None = None) -> Iterator[Item]:
    with path.open(encoding="utf-8") as lines:
        for count, line in enumerate(lines):
            if limit is not None and count >= limit:
                return
            record = json.loads(line)
            references = tuple(tuple(s.strip() for s in ref if s.strip()) for ref in record["references"])
            yield Item(record["id"], "", record["article"], references, 3)


def read_bbc(path: Path, limit: int | None = None) -> Iterator[Item]:
    articles = sorted((path / "articles").glob("*/*.txt"))
    for count, article in enumerate(articles):
        if limit is not None and count >= limit:
            return
        summary = path / "summaries" / article.parent.name / article.name
        raw = article.read_bytes().decode("utf-8", errors="replace")
        title, _, body = raw.partition("\n")
        reference = tuple(split_summary(summary.read_bytes().decode("utf-8", "replace"), body))
        yield Item(f"{article.parent.name}/{article.stem}", title.strip(), body.strip(), (reference,), len(reference))


def read_corpus(path: Path, limit: int | None = None) -> Iterator[Item]:
    """Items of either corpus, recognised by its shape."""
    if path.is_dir() and (path / "articles").is_dir():
        return read_bbc(path, limit)
    if path.suffix == ".jsonl":
        return read_cnndm(path, limit)
    raise SystemExit(f"{path}: neither a bbc-summary folder nor a CNN/DailyMail .jsonl file")
