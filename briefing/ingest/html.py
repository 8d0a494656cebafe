"""HTML pages: main text and metadata with trafilatura; nothing is fetched or run."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import trafilatura

from briefing.ingest.base import Document, ReadError, clean_value, decode_text, parse_date
from briefing.ingest.htmltext import visible_text


class HtmlReader:
    """``.html`` / ``.htm`` files: the article body without navigation, ads or comments.

    trafilatura parses the markup with lxml and never follows links, loads
    resources or runs scripts, so a hostile page is only text to it.
    """

    name: ClassVar[str] = "html"
    extensions: ClassVar[tuple[str, ...]] = (".html", ".htm", ".xhtml")

    def read(self, data: bytes, path: Path) -> list[Document]:
        html, encoding = decode_text(data)
        return [html_document(html, {"encoding": encoding})]


def html_document(html: str, meta: dict[str, str] | None = None) -> Document:
    """A document from an HTML string (also used for the HTML part of e-mails)."""
    result = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_recall=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    # trafilatura types its result as a Document or, with its old as_dict option (not used here), a dict
    fields: dict[str, Any] = {} if result is None else result if isinstance(result, dict) else result.as_dict()
    text = fields.get("text") or ""
    if not text.strip():
        # Very short pages (a paragraph or two) are below trafilatura's thresholds:
        # fall back to the visible text of the document body.
        text = trafilatura.html2txt(html) or ""
    title = fields.get("title")
    if not text.strip():
        # lxml builds no tree deeper than about 255 elements: a page nested deeper gives nothing above.
        title, text = visible_text(html)
        title = title or fields.get("title")
    if not text.strip():
        raise ReadError("no article text found in the HTML")
    date = None
    if raw_date := fields.get("date"):
        try:
            date = parse_date(raw_date, "page date")
        except ReadError:
            date = None
    return Document(
        text=text,
        title=clean_value(title),
        date=date,
        url=clean_value(fields.get("url")),
        publisher=clean_value(fields.get("sitename")),
        meta=dict(meta or {}),
    )
