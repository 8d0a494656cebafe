"""Plain-text articles: the seed format (``date YYYY-MM-DD`` then the body) and header lines."""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar

from briefing.ingest.base import Document, clean_value, decode_text, parse_date

# The seed format: optional whitespace, the word "date", a date, then the body on
# the same line or the next. Only a token that starts with a digit counts, so
# "Date palms grow ..." is body text, while "date 2022-13-45 ..." is a bad header.
_SEED_DATE = re.compile(r"\A\s*date[ \t]+(?P<value>\d[\d./-]*)[ \t]*(?:\r?\n)?", re.IGNORECASE)
_HEADER = re.compile(r"^(?P<key>title|date|source|url)[ \t]*:[ \t]*(?P<value>.*)$", re.IGNORECASE)


class TextReader:
    """``.txt`` files: the body, after an optional date line or ``Key: value`` header lines."""

    name: ClassVar[str] = "text"
    extensions: ClassVar[tuple[str, ...]] = (".txt", ".text")

    def read(self, data: bytes, path: Path) -> list[Document]:
        text, encoding = decode_text(data)
        return [parse_text_article(text, {"encoding": encoding})]


def parse_text_article(text: str, meta: dict[str, str] | None = None) -> Document:
    """A document from text that may start with a seed date line, header lines, or both.

    A ``date`` line followed by ``Title:`` / ``Source:`` / ``URL:`` lines is a natural
    way to write a file, so header lines are read after the seed date line too, in
    any order; otherwise the title line would be body text and become a key point.
    """
    meta = dict(meta or {})
    seed_date = None
    if match := _SEED_DATE.match(text):
        seed_date = parse_date(match["value"], "date header")
        text = text[match.end() :]
        if not match[0].endswith("\n"):  # the body goes on on the date's own line: no header lines
            return Document(text=text, date=seed_date, meta=meta)

    headers: dict[str, str] = {}
    lines = text.lstrip().splitlines(keepends=True)
    consumed = 0
    for line in lines:
        header = _HEADER.match(line.strip())
        if header is None:
            break
        headers[header["key"].lower()] = header["value"].strip()
        consumed += 1
    if consumed:
        text = "".join(lines[consumed:])
    date = seed_date
    if date is None and "date" in headers:
        date = parse_date(headers["date"], "Date header")
    return Document(
        text=text,
        title=clean_value(headers.get("title")),
        date=date,
        url=clean_value(headers.get("url")),
        publisher=clean_value(headers.get("source")),
        meta=meta,
    )
