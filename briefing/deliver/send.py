"""The deliver stage's jobs: digests of stored briefings, and the outbox.

    send_digest:           digest (once per briefing) -> outbox (once per recipient) -> deliver
    deliver_outbox:        deliver what is due in the outbox (retries)     (``briefing send --pending``)
    preview_digest:        digest -> .eml files, the store unchanged      (``briefing send --dry-run``)

Kept apart from :mod:`briefing.pipeline` so that module stays the one readable
pipeline; a briefing is recomposed here through its ``collect_and_compose``, and
the pipeline never imports this module. The command line and the service call
these functions, never ``briefing.deliver``'s internals.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urljoin

from briefing.config import Settings
from briefing.deliver.digest import DigestOptions, address_message, build_digest, new_message_id
from briefing.deliver.outbox import RetryPolicy, RunStats, deliver, outbox_rows
from briefing.deliver.smtp import SmtpConfig, SmtpConnection
from briefing.model import Briefing
from briefing.pipeline import collect_and_compose
from briefing.render import relative_link
from briefing.render.files import atomic_write
from briefing.store import BriefingRecord, Delivery, Store, StoredDigest, open_store

log = logging.getLogger(__name__)


class DeliveryConfigError(Exception):
    """Sending is impossible as configured (no recipients, the password variable unset ...)."""


@dataclass
class SendResult:
    """What ``send_digest`` did: the digest's subject, why it sent nothing (if so), each recipient's row."""

    briefing_id: int
    subject: str
    skipped: str | None = None
    deliveries: list[Delivery] = field(default_factory=list)
    already_sent: list[Delivery] = field(default_factory=list)
    note: str | None = None

    @property
    def ok(self) -> bool:
        """True unless a delivery failed for good (sent and still-to-retry rows are not failures)."""
        return all(d.status != "failed" for d in self.deliveries)


_withheld: dict[str, str] = {}
"""Secrets taken out of ``os.environ`` by :func:`withhold_password`, by variable name."""


def withhold_password(settings: Settings) -> None:
    """Take the SMTP password's variable out of this process's environment, keeping its value here.

    Every child process (the PDF renderer, the analysis worker pool, a local Dask
    cluster) inherits ``os.environ``, and none of them needs the password; the
    command line calls this once it has its settings, before any child starts.
    :func:`smtp_config` still finds the value. Called again (a second command in
    the same process), it takes the environment as it is then.
    """
    name = settings.email.password_env
    value = os.environ.pop(name, None)
    if value is None:
        _withheld.pop(name, None)
    else:
        _withheld[name] = value


def smtp_config(settings: Settings, env: Mapping[str, str] | None = None) -> SmtpConfig:
    """The SMTP connection settings, with the password read from ``email.password_env`` now (never stored)."""
    email = settings.email
    if env is None:
        password = os.environ.get(email.password_env) or _withheld.get(email.password_env) or None
    else:
        password = env.get(email.password_env) or None
    if email.username and password is None:
        raise DeliveryConfigError(
            f"email.username is set but the environment variable {email.password_env} holding its password is not"
        )
    ca_file = settings.path(email.ca_file) if email.ca_file else None
    if ca_file is not None and not ca_file.is_file():
        raise DeliveryConfigError(f"email.ca_file {ca_file} is not a file")
    return SmtpConfig(
        host=email.host,
        port=email.smtp_port,
        security=email.security,
        verify=email.verify,
        ca_file=ca_file,
        timeout=email.timeout,
        username=email.username,
        password=password if email.username else None,
    )


def retry_policy(settings: Settings) -> RetryPolicy:
    """The outbox's backoff from ``[email]``: ``send`` and the service's outbox job retry alike."""
    email = settings.email
    return RetryPolicy(email.max_attempts, email.retry_delay, email.retry_max_delay)


def find_briefing(settings: Settings, day: dt.date | None = None) -> BriefingRecord | None:
    """The latest briefing made as of ``day`` (in the configured timezone), or the latest made of all.

    The latest is the one made last (by when it was made, not the day it is as of).
    """
    start = end = None
    if day is not None:
        start = dt.datetime.combine(day, dt.time(), settings.tz)
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), settings.tz) if day < dt.date.max else None
    with open_store(settings) as store:
        return store.latest_briefing(start, end)


def send_digest(
    settings: Settings,
    record: BriefingRecord,
    recipients: Sequence[str],
    *,
    briefing: Briefing | None = None,
    skip_if_nothing_new: bool | None = None,
    retry_failed: bool = False,
    wait: bool = True,
    now: dt.datetime | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SendResult:
    """digest -> outbox -> deliver for one briefing.

    The digest is built once per briefing and stored, so every recipient and
    every retry gets the same message; each recipient gets one outbox row (one
    copy, one Message-ID) however often this is called. ``briefing`` is the
    composed Briefing when the caller has it (the service, right after
    generating); otherwise it is recomposed from the store for the record's
    period. ``skip_if_nothing_new`` defaults to ``email.skip_when_nothing_new``;
    ``retry_failed`` puts failed rows of these recipients back in the queue
    (same Message-ID; sent rows are never sent again). With ``wait``, retries
    are waited for; without, they stay in the outbox for :func:`deliver_outbox`.
    """
    if not recipients:
        raise DeliveryConfigError("no recipients: give --to or set recipients in the briefing's [schedules.<name>]")
    smtp = smtp_config(settings)
    now = now or dt.datetime.now(dt.UTC)
    skip = settings.email.skip_when_nothing_new if skip_if_nothing_new is None else skip_if_nothing_new
    with open_store(settings) as store:
        digest = store.digest(record.id) or store.save_digest(_build_digest(settings, store, record, briefing, now))
        result = SendResult(record.id, digest.subject, note=digest.note)
        if skip and digest.nothing_new:
            result.skipped = "nothing new since the previous briefing (email.skip_when_nothing_new)"
            return result
        rows = store.enqueue_deliveries(record.id, outbox_rows(record.id, settings.email.sender, recipients), now)
        result.already_sent = [row for row in rows if row.status == "sent"]
        if retry_failed:
            for row in rows:
                if row.status == "failed" and store.requeue_delivery(row.id, now):
                    log.info("queued the digest to %s again (same Message-ID)", row.recipient)
        mine = [row.id for row in rows if row.status != "sent"]
        deliver(
            store,
            lambda: SmtpConnection(smtp),
            settings.email.sender,
            retry_policy(settings),
            wait_for=mine if wait else (),
            sleep=sleep,
        )
        result.deliveries = store.deliveries(ids=mine)
    return result


def deliver_outbox(settings: Settings, sleep: Callable[[float], None] = time.sleep) -> RunStats:
    """Send what is due in the outbox (retries of earlier digests); the service runs this periodically."""
    smtp = smtp_config(settings)
    with open_store(settings) as store:
        return deliver(store, lambda: SmtpConnection(smtp), settings.email.sender, retry_policy(settings), sleep=sleep)


def preview_digest(
    settings: Settings,
    record: BriefingRecord,
    recipients: Sequence[str],
    out_dir: Path,
    *,
    now: dt.datetime | None = None,
) -> list[Path]:
    """``--dry-run``: write the digest as ``.eml`` files (one per recipient) and change nothing in the store."""
    now = now or dt.datetime.now(dt.UTC)
    with open_store(settings) as store:
        stored = store.digest(record.id)
        message = stored.message if stored else _build_digest(settings, store, record, None, now).message
    written = []
    stamp = record.created_at.astimezone(settings.tz).strftime("%Y-%m-%d-%H%M")
    targets: list[str | None] = [*recipients] or [None]  # none given: one file without a To
    for recipient in targets:
        message_id = new_message_id(record.id, settings.email.sender)
        if recipient is None:
            data, name = message, f"digest-{stamp}.eml"
        else:
            data = address_message(message, recipient, message_id)
            name = f"digest-{stamp}-{re.sub(r'[^A-Za-z0-9@._+-]', '_', recipient)}.eml"
        atomic_write(out_dir / name, data)
        written.append(out_dir / name)
    return written


def _build_digest(
    settings: Settings, store: Store, record: BriefingRecord, briefing: Briefing | None, now: dt.datetime
) -> StoredDigest:
    """Recompose the briefing if the caller does not have it, read its PDF, build the message."""
    if briefing is None:
        _, briefing = collect_and_compose(
            store,
            record.period,
            record.created_at.astimezone(settings.tz),
            record.schedule,
            max_stories=settings.report.max_stories,
        )
    pdf_path = settings.path(Path(record.pdf_path)) if record.pdf_path else None
    pdf = pdf_path.read_bytes() if pdf_path and pdf_path.is_file() else None
    options = DigestOptions(
        sender=settings.email.sender,
        sender_name=settings.email.sender_name,
        subject_prefix=settings.email.subject_prefix,
        report_link=_report_link(settings, record),
        attach_pdf=settings.email.attach_pdf,
        max_attachment_bytes=settings.email.max_attachment_bytes,
        max_stories=settings.email.max_stories,
        schedule=record.schedule,
        templates_dir=settings.templates_path,
        marking=settings.report.marking,
        sources=settings.sources,
    )
    digest = build_digest(briefing, pdf, options, now)
    return StoredDigest(
        record.id, digest.subject, digest.message.as_bytes(), digest.attachment.note, digest.summary.nothing_new, now
    )


def _report_link(settings: Settings, record: BriefingRecord) -> str | None:
    """The briefing's HTML under ``email.report_url``, when both exist."""
    base = settings.email.report_url
    relative = relative_link(record.html_path, settings.reports_path)
    if not base or not relative or relative.startswith("file:"):
        return None
    return urljoin(base if base.endswith("/") else base + "/", quote(relative))
