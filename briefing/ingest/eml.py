"""E-mail files (``.eml``): forwarded articles and newsletters."""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage
from pathlib import Path
from typing import ClassVar

from briefing.ingest.base import Document, ReadError, clean_value, parse_date
from briefing.ingest.html import html_document
from briefing.ingest.text import parse_text_article

_FORWARD_MARK = re.compile(
    r"^[ \t>]*(?:-{2,}\s*Forwarded message\s*-{2,}|Begin forwarded message:)[ \t]*$", re.IGNORECASE | re.MULTILINE
)
_FORWARD_HEADER = re.compile(r"^[ \t>]*(From|Date|Subject|To|Cc|Sent)[ \t]*:[ \t]*(.*)$", re.IGNORECASE)


class EmailReader:
    """``.eml`` files: Subject is the title, Date the date, the text (or HTML) part the body.

    For a forwarded article, the original message's Subject and Date are used
    and the forwarding header block is left out of the text.
    """

    name: ClassVar[str] = "email"
    extensions: ClassVar[tuple[str, ...]] = (".eml",)

    def read(self, data: bytes, path: Path) -> list[Document]:
        if not data.strip():
            raise ReadError("the file is empty")
        message = email.message_from_bytes(data, policy=email.policy.default)
        if not isinstance(message, EmailMessage) or not (message.keys() or message.get_payload()):
            raise ReadError("not an e-mail message")
        subject = clean_value(_header(message, "subject"))
        raw_date = _header(message, "date")
        body_part = message.get_body(preferencelist=("plain", "html"))
        if body_part is None:
            raise ReadError("the e-mail has no text or HTML part")
        try:
            content = body_part.get_content()
        except (LookupError, UnicodeError, AssertionError) as exc:
            raise ReadError(f"the e-mail body cannot be decoded ({exc})") from None
        if not isinstance(content, str):
            raise ReadError("the e-mail body is not text")
        if body_part.get_content_subtype() == "html":
            doc = html_document(content)
            text = doc.text
        else:
            text = content
        text, forwarded = _strip_forward_block(text)
        subject = clean_value(forwarded.get("subject")) or subject
        raw_date = forwarded.get("date") or raw_date
        inner = parse_text_article(text)
        date = inner.date
        if date is None and raw_date:
            date = parse_date(raw_date, "e-mail Date header")
        return [
            Document(
                text=inner.text,
                title=inner.title or _strip_forward_prefix(subject),
                date=date,
                url=inner.url,
                publisher=inner.publisher or clean_value(_header(message, "from")),
                meta={"charset": body_part.get_content_charset() or "us-ascii"},
            )
        ]


def _header(message: EmailMessage, name: str) -> str | None:
    try:
        value = message.get(name)
    except (ValueError, IndexError):
        return None
    return str(value) if value is not None else None


def _strip_forward_block(text: str) -> tuple[str, dict[str, str]]:
    """Remove a "Forwarded message" block, returning its headers (lower-case keys)."""
    match = _FORWARD_MARK.search(text)
    if match is None:
        return text, {}
    lines = text[match.end() :].lstrip("\r\n").splitlines(keepends=True)
    headers: dict[str, str] = {}
    consumed = 0
    for line in lines:
        header = _FORWARD_HEADER.match(line.rstrip("\r\n"))
        if header is None:
            break
        headers[header[1].lower()] = header[2].strip()
        consumed += 1
    return text[: match.start()] + "".join(lines[consumed:]), headers


def _strip_forward_prefix(subject: str | None) -> str | None:
    if subject is None:
        return None
    return re.sub(r"^(?:\s*(?:fwd?|fw|tr|wg)\s*:\s*)+", "", subject, flags=re.IGNORECASE) or None
