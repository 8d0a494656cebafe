"""The briefing's analysis as a JSON file, embedded in its PDF for the archive.

A PDF/A-3 briefing carries the data it was made from: the ``briefing analyze
--json`` object of each of its articles (:mod:`briefing.contract`, see
docs/analysis-contract.md) and the composed briefing itself, so a reader of the
archive years on can check every quoted point against its article.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from briefing.model import Briefing, When
from briefing.render.pdf_types import PdfAttachment

ATTACHMENT_NAME = "briefing-analysis.json"
FORMAT = "briefing-analysis/1"
"""The attachment's ``format``: bumped when its shape changes."""


def briefing_record(briefing: Briefing) -> dict[str, Any]:
    """The composed briefing as plain JSON values (dates and times in ISO 8601, event times as their TIMEX3 values)."""
    record: dict[str, Any] = _plain(briefing)
    return record


def analysis_attachment(
    briefing: Briefing, articles: Sequence[Mapping[str, Any]], marking: str | None = None
) -> PdfAttachment:
    """``briefing-analysis.json``: the format, the marking, the composed briefing and its articles' analyses."""
    document = {
        "format": FORMAT,
        "marking": marking,
        "briefing": briefing_record(briefing),
        "articles": [_plain(dict(article)) for article in articles],
    }
    data = json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    return PdfAttachment(
        ATTACHMENT_NAME,
        data,
        "The analysis this briefing was made from: its articles (analyze --json) and the briefing",
    )


def _plain(value: Any) -> Any:
    """``value`` with dataclasses, dates, times and tuples turned into JSON's own types; non-finite floats as null.

    A :class:`When` is its TIMEX3 value, as the contract writes it (what it was parsed into is not data).
    """
    if isinstance(value, When):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if (isinstance(value, float) and value != value) or value in (float("inf"), float("-inf")):
        return None
    return value
