"""The digest: a composed Briefing in, an e-mail message out (HTML, plain text, the PDF).

Pure apart from reading templates: no store, no network. The digest displays the
briefing's own choices (its bottom line, its stories, what is new), made by compose:
it leads with the same points as the HTML page and the PDF. The message is built
once per briefing and kept in the outbox; :func:`address_message` then adds the
per-recipient ``To`` and ``Message-ID`` headers.

Escaping: the HTML part is rendered by the project's Jinja2 environment with
autoescape on. The text part is rendered by an overlay of that same environment
with autoescape off, because HTML entities would mangle plain text (``AT&amp;T``).
That is safe: the text only ever becomes the *body* of a ``text/plain`` part set
through :mod:`email`, which chooses a MIME boundary absent from the text and a
transfer encoding for it, so article text cannot end the part or add headers.
Control characters other than newlines and tabs are removed from it. Headers are
set only through :mod:`email` with ``policy.SMTP``, which refuses CR/LF in any
header value; addresses are checked by :mod:`briefing.config.addresses` first.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime
from pathlib import Path

from briefing.config import SourceSettings
from briefing.config.addresses import check_address
from briefing.model import Briefing, CalendarEntry, Story
from briefing.render.reliability import grade_sources, independent_sources
from briefing.render.templating import environment, render_template
from briefing.render.timevalues import sort_key

HTML_TEMPLATE = "email.html.j2"
TEXT_TEMPLATE = "email.txt.j2"

POLICY = policy.SMTP.clone(cte_type="7bit")
"""CRLF lines, no CR/LF inside header values, and 7-bit transfer encodings only (qp or base64),
so the message needs no 8BITMIME or SMTPUTF8 support from the server."""

MAIL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
"""Control characters no mail text keeps (tab and newline are kept); the alert mail drops them too."""


@dataclass(frozen=True, slots=True)
class DigestOptions:
    """What the digest needs from the settings, the briefing's files and the schedule."""

    sender: str
    sender_name: str = "Briefing"
    subject_prefix: str = "Briefing"
    report_link: str | None = None
    attach_pdf: bool = True
    max_attachment_bytes: int = 10 * 1024 * 1024
    max_stories: int = 15
    schedule: str | None = None
    templates_dir: Path | None = None
    marking: str | None = None
    """``report.marking``: first in the subject, at the top and bottom of both parts."""
    sources: Mapping[str, SourceSettings] = field(default_factory=dict)
    """``[sources.NAME]``: the grades shown beside each point."""


@dataclass(frozen=True, slots=True)
class Summary:
    """What is new in a briefing, as the subject and the skip rule count it."""

    new_stories: tuple[Story, ...]
    earlier_stories: int
    upcoming: tuple[CalendarEntry, ...]
    new_upcoming: int

    @property
    def nothing_new(self) -> bool:
        return not self.new_stories and not self.new_upcoming


@dataclass(frozen=True, slots=True)
class Attachment:
    """Whether the PDF travels with the digest, and if not, why (the digest says so)."""

    state: str  # "attached", "too_large", "missing", "off"
    filename: str | None = None
    size: int = 0
    limit: int = 0

    @property
    def note(self) -> str | None:
        if self.state == "too_large":
            return f"PDF not attached: {_megabytes(self.size)} is over the {_megabytes(self.limit)} limit"
        if self.state == "missing":
            return "PDF not attached: the briefing has no PDF"
        return None


@dataclass(frozen=True, slots=True)
class Digest:
    """A built digest: the message (without To and Message-ID) and what the reader should know."""

    subject: str
    message: EmailMessage
    summary: Summary
    attachment: Attachment


def summarize(briefing: Briefing) -> Summary:
    """New stories, and upcoming events (those reported by new stories count as new)."""
    new = briefing.new_stories
    new_ids = {article for story in new for article in story.article_ids}
    upcoming = tuple(
        sorted(
            (entry for entry in briefing.calendar if entry.status == "upcoming"),
            key=lambda e: (sort_key(e.start), e.title),  # by the day they start, not the raw value as text
        )
    )
    return Summary(
        new_stories=new,
        earlier_stories=len(briefing.stories) - len(new),
        upcoming=upcoming,
        new_upcoming=sum(1 for e in upcoming if new_ids.intersection(e.article_ids)),
    )


def subject_line(prefix: str, day: dt.date, summary: Summary) -> str:
    """``Briefing 2022-02-17: 3 new stories, 1 upcoming event`` (``nothing new`` when so)."""
    parts = []
    if summary.new_stories:
        parts.append(_plural(len(summary.new_stories), "new story", "new stories"))
    if summary.upcoming:
        parts.append(_plural(len(summary.upcoming), "upcoming event", "upcoming events"))
    return f"{prefix} {day.isoformat()}: {', '.join(parts) or 'nothing new'}"


def bottom_line(briefing: Briefing) -> list[tuple[str, str]]:
    """The briefing's bottom line (as compose chose it) as ``(point, story title)``."""
    titles: dict[str, str] = {}
    for story in briefing.shown_stories:
        for article in story.article_ids:
            titles.setdefault(article, story.title)
    return [(point.text, titles.get(point.article_id, "")) for point in briefing.bottom_line]


def build_digest(briefing: Briefing, pdf: bytes | None, options: DigestOptions, now: dt.datetime) -> Digest:
    """The digest message for ``briefing``; ``pdf`` is the rendered PDF's bytes (None when there is none)."""
    summary = summarize(briefing)
    day = briefing.created_at.date()
    subject = subject_line(options.subject_prefix, day, summary)
    if options.marking:
        subject = f"[{options.marking}] {subject}"
    attachment = _attachment(pdf, options, briefing.created_at)
    shown = tuple(story for story in briefing.shown_stories if story.is_new)[: options.max_stories]
    grades = grade_sources(briefing.sources, options.sources)
    refs = {ref.article_id: ref for ref in briefing.sources}
    context = {
        "briefing": briefing,
        "subject": subject,
        "day": day,
        "summary": summary,
        "bottom_line": bottom_line(briefing),
        "stories": shown,
        "more_stories": len(summary.new_stories) - len(shown),
        "upcoming": summary.upcoming,
        "report_link": options.report_link,
        "attachment": attachment,
        "schedule": options.schedule,
        "marking": options.marking,
        "grades": grades,
        "independent": [independent_sources(story.article_ids, refs, grades) for story in shown],
    }
    env = environment(options.templates_dir)
    html = render_template(env, HTML_TEMPLATE, **context)
    # The overlay gets its own (empty) cache: templates compiled with escaping are never reused for text.
    text = render_template(env.overlay(autoescape=False, cache_size=0), TEXT_TEMPLATE, **context)

    message = EmailMessage(policy=POLICY)
    message["Subject"] = subject
    message["From"] = Address(display_name=options.sender_name, addr_spec=check_address(options.sender))
    message["Date"] = format_datetime(now.astimezone(dt.UTC) if now.tzinfo else now.replace(tzinfo=dt.UTC))
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation auto-replies to a digest
    message.set_content(_plain(text))
    message.add_alternative(html, subtype="html")
    if attachment.state == "attached" and pdf is not None:
        message.add_attachment(pdf, maintype="application", subtype="pdf", filename=attachment.filename)
    return Digest(subject, message, summary, attachment)


def new_message_id(briefing_id: int, sender: str) -> str:
    """A fresh, globally unique Message-ID on the sender's domain (created once per recipient, then stored)."""
    domain = check_address(sender).split("@")[1]
    return f"<briefing.{briefing_id}.{secrets.token_hex(10)}@{domain}>"


def address_message(message: bytes, recipient: str, message_id: str) -> bytes:
    """The stored digest with this recipient's ``To`` and ``Message-ID``, ready for SMTP (CRLF lines)."""
    parsed = BytesParser(policy=POLICY).parsebytes(message)
    for header in ("To", "Message-ID", "Cc", "Bcc"):
        del parsed[header]
    parsed["To"] = check_address(recipient)
    parsed["Message-ID"] = message_id
    return parsed.as_bytes()


def _attachment(pdf: bytes | None, options: DigestOptions, created: dt.datetime) -> Attachment:
    if not options.attach_pdf:
        return Attachment("off")
    if pdf is None:
        return Attachment("missing")
    name = f"briefing-{created:%Y-%m-%d-%H%M}.pdf"
    if len(pdf) > options.max_attachment_bytes:
        return Attachment("too_large", name, len(pdf), options.max_attachment_bytes)
    return Attachment("attached", name, len(pdf), options.max_attachment_bytes)


def _plain(text: str) -> str:
    """Plain text for the body: control characters dropped, at most one blank line in a row."""
    text = MAIL_CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
