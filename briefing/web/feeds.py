"""The Atom feed of briefings (RFC 4287): one entry per briefing, newest first.

Ids are ``urn:uuid:`` names derived from what identifies a briefing for good (the
reports folder, and the briefing's row and file), so a reader never sees an entry twice;
each entry links its page (``alternate``, HTML) and its PDF (``related``), and its summary
is the bottom line. The XML is written by :mod:`xml.etree.ElementTree`, which escapes text.
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from briefing import __version__

ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    key: str
    """What identifies the briefing for good (its row and file)."""
    title: str
    updated: dt.datetime
    page: str
    """Absolute URL of its web page."""
    pdf: str | None
    html: str | None
    summary: str
    published: dt.datetime | None = None
    """When it first appeared, if not ``updated`` (an article's own date)."""


def atom_feed(title: str, feed_key: str, self_url: str, home_url: str, entries: Sequence[FeedEntry]) -> bytes:
    """The feed document, UTF-8."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", title)
    _text(feed, "id", _urn(feed_key))
    newest = max((e.updated for e in entries), default=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    _text(feed, "updated", _stamp(newest))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "briefing")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=self_url)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=home_url)
    generator = _text(feed, "generator", "briefing")
    generator.set("version", __version__)
    for entry in entries:
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(item, "title", entry.title)
        _text(item, "id", _urn(f"{feed_key}/{entry.key}"))
        _text(item, "updated", _stamp(entry.updated))
        _text(item, "published", _stamp(entry.published or entry.updated))
        ET.SubElement(item, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=entry.page)
        if entry.html:
            ET.SubElement(item, f"{{{ATOM}}}link", rel="related", type="text/html", href=entry.html, title="HTML file")
        if entry.pdf:
            ET.SubElement(item, f"{{{ATOM}}}link", rel="related", type="application/pdf", href=entry.pdf, title="PDF")
        summary = _text(item, "summary", entry.summary or "No bottom line was recorded for this briefing.")
        summary.set("type", "text")
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    child = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    child.text = text
    return child


def _urn(key: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"briefing:{key}").urn


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
