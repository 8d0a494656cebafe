"""An alert: a newly stored article that matches a watchlist, as a short e-mail and as a webhook's JSON body.

Pure apart from reading templates (``alert.html.j2``, ``alert.txt.j2``, replaceable
through ``templates_dir``). Article text is untrusted: the HTML part is autoescaped,
the text part is a ``text/plain`` body set through :mod:`email` (control characters
removed), the subject is one line set through :mod:`email` (which refuses line breaks),
and the JSON escapes ``<``, ``>`` and ``&`` too, so a receiver that pastes it into a
page cannot be made to run markup. Links are given only for http(s) addresses.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from briefing.config.addresses import check_address
from briefing.deliver.digest import MAIL_CONTROL, POLICY
from briefing.model import StoredArticle
from briefing.render.templating import environment, render_template
from briefing.render.view import safe_href
from briefing.watchlists.match import Match

HTML_TEMPLATE = "alert.html.j2"
TEXT_TEMPLATE = "alert.txt.j2"
MAX_POINTS = 3
MAX_SUBJECT_TITLE = 120


@dataclass(frozen=True, slots=True)
class AlertOptions:
    """What an alert needs from the settings."""

    sender: str
    sender_name: str = "Briefing"
    subject_prefix: str = "Briefing"
    templates_dir: Path | None = None


@dataclass(frozen=True, slots=True)
class AlertContent:
    subject: str
    message: bytes
    """The e-mail without ``To`` and ``Message-ID``."""
    payload: str
    """The JSON body a webhook receives."""


def alert_id(article_id: str, watchlist: str) -> str:
    """The alert's stable identity, the same in every copy and retry: a receiver can drop a repeat by it."""
    return f"{article_id}:{watchlist}"


def build_alert(stored: StoredArticle, match: Match, options: AlertOptions, now: dt.datetime) -> AlertContent:
    """The e-mail and the webhook body for ``stored`` matching ``match``'s watchlist."""
    article = stored.article
    points = [p.text for p in sorted(stored.analysis.key_points, key=lambda p: p.start)][:MAX_POINTS]
    title = " ".join(article.title.split())
    shown_title = title if len(title) <= MAX_SUBJECT_TITLE else title[: MAX_SUBJECT_TITLE - 1].rstrip() + "…"
    subject = f"{options.subject_prefix} alert: {match.watchlist}: {shown_title}"
    url = safe_href(article.url)
    context = {
        "subject": subject,
        "watchlist": match.watchlist,
        "match": match,
        "article": article,
        "publisher": article.meta.get("publisher"),
        "points": points,
        "url": url,
        "stored_at": stored.first_seen,
    }
    env = environment(options.templates_dir)
    html = render_template(env, HTML_TEMPLATE, **context)
    text = render_template(env.overlay(autoescape=False, cache_size=0), TEXT_TEMPLATE, **context)

    message = EmailMessage(policy=POLICY)
    message["Subject"] = MAIL_CONTROL.sub("", subject)
    message["From"] = Address(display_name=options.sender_name, addr_spec=check_address(options.sender))
    message["Date"] = format_datetime(now.astimezone(dt.UTC))
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(MAIL_CONTROL.sub("", text).strip() + "\n")
    message.add_alternative(html, subtype="html")

    body: dict[str, Any] = {
        "type": "briefing.watchlist_alert",
        "id": alert_id(article.id, match.watchlist),
        "watchlist": match.watchlist,
        "matched": {"actors": list(match.actors), "keywords": list(match.keywords)},
        "article": {
            "id": article.id,
            "title": title,
            "date": article.date.isoformat(),
            "publisher": article.meta.get("publisher"),
            "url": url,
            "key_points": points,
            "stored_at": stored.first_seen.astimezone(dt.UTC).isoformat(),
        },
        "sent_by": "briefing",
    }
    return AlertContent(subject, message.as_bytes(), json_text(body))


def json_text(value: Any) -> str:
    """JSON in ASCII with ``<``, ``>`` and ``&`` escaped too: the same values, inert in any page."""
    text = json.dumps(value, ensure_ascii=True, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def new_message_id(sender: str) -> str:
    """A fresh Message-ID for one recipient's copy of an alert (made once, then stored)."""
    return f"<alert.{secrets.token_hex(12)}@{check_address(sender).split('@')[1]}>"


def new_delivery_id() -> str:
    """The outbox's unique id for an alert's webhook row."""
    return f"<webhook.{secrets.token_hex(12)}@briefing>"
