"""CoNLL-2003 English as articles: rebuilt text, gold name spans, and per-token labels.

The corpus is one token a line (word, POS, chunk, IOB1 tag) with ``-DOCSTART-`` between
articles and blank lines between sentences. An article's text is rebuilt from its tokens
(one line a sentence, the usual spacing around punctuation), every token's offsets kept,
so gold names become character spans of the text our own tokenizer and sentence splitter
read: training and scoring see text as briefing sees it, not the corpus's tokens.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.meantime import Document, trim

_NO_SPACE_BEFORE = frozenset(
    {",", ".", ":", ";", "!", "?", ")", "]", "%", "'s", "'S", "n't", "'re", "'ve", "'ll", "'d"}
)
_NO_SPACE_AFTER = frozenset({"(", "[", "$"})
SCORED = ("PER", "ORG", "LOC")


@dataclass
class Article:
    """One CoNLL article: its text and gold names as (start, end, type), MISC included."""

    name: str
    text: str
    names: list[tuple[int, int, str]] = field(default_factory=list)


def _sentences(path: Path) -> Iterator[list[tuple[str, str]] | None]:
    """Sentences as (word, IOB1 tag) lists; ``None`` where a new article starts."""
    sentence: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if not parts:
                if sentence:
                    yield sentence
                sentence = []
            elif parts[0] == "-DOCSTART-":
                if sentence:
                    yield sentence
                sentence = []
                yield None
            else:
                sentence.append((parts[0], parts[-1]))
    if sentence:
        yield sentence


def load(path: Path) -> list[Article]:
    """The articles of one CoNLL-2003 file, in order."""
    articles: list[Article] = []
    parts: list[str] = []
    current: Article | None = None

    def close() -> None:
        if current is not None and parts:
            current.text = "".join(parts)
            articles.append(current)

    for sentence in _sentences(path):
        if sentence is None:
            close()
            current, parts = Article(f"{path.name}#{len(articles)}", ""), []
            continue
        if current is None:
            current, parts = Article(f"{path.name}#0", ""), []
        length = sum(len(p) for p in parts)
        if parts:
            parts.append("\n")
            length += 1
        previous: str | None = None
        open_name: tuple[int, str] | None = None
        end = length
        for word, tag in sentence:
            gap = "" if previous is None or word in _NO_SPACE_BEFORE or previous in _NO_SPACE_AFTER else " "
            parts.append(gap + word)
            start = length + len(gap)
            length = start + len(word)
            kind = tag[2:] if tag != "O" else None
            if open_name is not None and (kind != open_name[1] or tag.startswith("B-")):
                current.names.append((open_name[0], end, open_name[1]))
                open_name = None
            if kind is not None and open_name is None:
                open_name = (start, kind)
            end = length
            previous = word
        if open_name is not None:
            current.names.append((open_name[0], end, open_name[1]))
    close()
    return articles


def token_labels(starts_ends: Sequence[tuple[int, int]], names: Sequence[tuple[int, int, str]]) -> list[str]:
    """BIO labels of tokens given by (start, end): B- where a name starts, I- inside it, else O."""
    labels = ["O"] * len(starts_ends)
    ordered = sorted(names)
    j = 0
    for i, (start, _end) in enumerate(starts_ends):
        while j < len(ordered) and ordered[j][1] <= start:
            j += 1
        if j < len(ordered) and ordered[j][0] <= start < ordered[j][1]:
            labels[i] = ("B-" if start == ordered[j][0] else "I-") + ordered[j][2]
    return labels


def documents(path: Path) -> list[Document]:
    """The articles of a CoNLL file as scored documents: PER, ORG and LOC names are gold;
    MISC is left out (a prediction on a MISC name counts as wrong, as in conlleval)."""
    found = []
    for article in load(path):
        document = Document(article.name, "conll", article.text, len(article.text))
        document.gold = {(*trim(article.text, s, e), k) for s, e, k in article.names if k in SCORED}
        found.append(document)
    return found
