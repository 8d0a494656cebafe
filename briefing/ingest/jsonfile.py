"""JSON files: one article object, or a list of them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

from briefing.ingest.base import Document, ReadError, clean_value, decode_text, parse_date

_TEXT_KEYS = ("text", "body", "content", "article")


class JsonReader:
    """``.json`` files: an object (or a list of objects) with title, date, text, source, url.

    An item of a list that is not an article is returned as its :class:`ReadError`, in
    its place, so that the good items are kept and each bad one is reported.
    """

    name: ClassVar[str] = "json"
    extensions: ClassVar[tuple[str, ...]] = (".json",)

    def read(self, data: bytes, path: Path) -> list[Document | ReadError]:
        text, encoding = decode_text(data)
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ReadError(f"not valid JSON ({exc})") from None
        items = loaded if isinstance(loaded, list) else [loaded]
        if not items:
            raise ReadError("the JSON list holds no articles")
        if not isinstance(loaded, list):
            return [_document(loaded, "the object", encoding)]
        documents: list[Document | ReadError] = []
        for index, item in enumerate(items):
            try:
                documents.append(_document(item, f"item {index}", encoding))
            except ReadError as exc:  # one bad item: reported on its own, the others still read
                documents.append(exc)
        return documents


def _document(item: Any, where: str, encoding: str) -> Document:
    if not isinstance(item, dict):
        raise ReadError(f"{where} is not a JSON object")
    fields = {str(k).lower(): v for k, v in item.items()}
    body = next((fields[k] for k in _TEXT_KEYS if isinstance(fields.get(k), str) and fields[k].strip()), None)
    if body is None:
        raise ReadError(f"{where} has no text (expected one of: {', '.join(_TEXT_KEYS)})")
    raw_date = fields.get("date") or fields.get("published")
    return Document(
        text=body,
        title=clean_value(fields.get("title")),
        date=parse_date(raw_date, f"date of {where}") if raw_date else None,
        url=clean_value(fields.get("url") or fields.get("link")),
        publisher=clean_value(fields.get("source")),
        meta={"encoding": encoding},
    )
