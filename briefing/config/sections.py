"""The sections of the settings (``[analysis]``, ``[schedules.<name>]``, ``[email]``, ``[service]``, ``[report]``).

Each option is declared once, with its type, default and a docstring under it: that
docstring is the option's help text (:func:`briefing.config.option_docs`), checked
against the README's Configuration table by the tests.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from briefing.config.addresses import AddressError, check_address
from briefing.config.cron import cron_trigger

DEFAULT_PASSWORD_ENV = "BRIEFING_SMTP_PASSWORD"
STATE_PASSWORD_ENV = "BRIEFING_PGPASSWORD"
"""The variable holding the PostgreSQL password of ``state_url`` (libpq's own ``PGPASSWORD`` and ``~/.pgpass`` work too)."""

PdfVariant = Literal["pdf/a-3b", "pdf/a-3a", "pdf/ua-1", "pdf/a-3a+ua-1", "none"]
"""The kinds of PDF ``report.pdf_variant`` offers (WeasyPrint's variants, or both PDF/A and PDF/UA)."""

SummarizerName = Literal["news", "lexrank", "textrank", "lsa", "luhn", "kl", "sumbasic", "reduction"]


class Section(BaseModel):
    """What every settings model shares: unknown keys are errors, values are frozen, docstrings are help texts."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, validate_default=True)


class AnalysisSettings(Section):
    """How each article is analysed."""

    key_points: int = Field(default=3, ge=1, le=50)
    """Number of key points taken from each article."""

    summarizer: SummarizerName = "news"
    """Sentence ranker: news (ours: salience model, no page furniture, no repeats) or a sumy algorithm: lexrank, textrank, lsa, luhn, kl, sumbasic or reduction."""

    actors: Literal["tagger", "rules", "spacy"] = "tagger"
    """Actor extractor: "tagger" (built in: a name tagger learned from CoNLL-2003, shipped with briefing), "rules"
    (built in, hand rules only) or "spacy" (needs spaCy and the en_core_web_sm package installed)."""

    language: Literal["english"] = "english"
    """Language of the articles (stemmer and stop words); English only for now."""

    workers: int | None = Field(default=None, ge=1, le=512)
    """Worker processes that analyse a batch of articles (executor "processes"); unset: one per core."""

    executor: str = "processes"
    """Where articles are analysed: "processes" (worker processes on this machine), "serial" (in the calling process) or "dask://HOST:PORT" (a Dask distributed cluster; needs the dask extra)."""

    @field_validator("executor")
    @classmethod
    def _known_executor(cls, value: str) -> str:
        host, _, port = value.removeprefix("dask://").rpartition(":")
        if value in ("processes", "serial") or (value.startswith("dask://") and host and port.isdigit()):
            return value
        raise ValueError('must be "processes", "serial" or "dask://HOST:PORT"')


class ScheduleSettings(Section):
    """One briefing schedule: when it runs and who receives its digest."""

    cron: str
    """When the briefing is made: a five-field cron expression (minute hour day month weekday) in ``timezone``."""

    recipients: list[str] = []
    """E-mail addresses that receive this schedule's digest (none: no e-mail)."""

    @field_validator("recipients")
    @classmethod
    def _valid_recipients(cls, value: list[str]) -> list[str]:
        return _check_addresses(value)

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        # Checked in UTC: whether an expression is valid, and ever fires, does not depend on the timezone, and the
        # machine's timezone (``timezone = "local"``) is checked on its own, not blamed on the cron expression.
        try:
            trigger = cron_trigger(value, dt.UTC)
        except ValueError as exc:
            raise ValueError(f"not a valid cron expression: {exc}") from None
        if trigger.get_next_fire_time(None, dt.datetime.now(dt.UTC)) is None:
            raise ValueError("never fires (no such day, e.g. February 30 or April 31); the schedule would never run")
        return value


SmtpSecurity = Literal["starttls", "tls", "none"]


class EmailSettings(Section):
    """How digests are e-mailed. The password is never read from the file: see ``password_env``."""

    host: str = "localhost"
    """SMTP server that sends the digests."""

    port: int | None = Field(default=None, ge=1, le=65535)
    """SMTP port; unset means 587 for starttls, 465 for tls and 25 for none."""

    security: SmtpSecurity = "starttls"
    """starttls (upgrade a plain connection, required before any login), tls (implicit TLS from the start) or none (local relays only; no login allowed)."""

    verify: bool = True
    """Check the server's certificate and host name; turn off only for a test server, never for a real one."""

    ca_file: Path | None = None
    """PEM file of the CA certificates to trust instead of the system's (for a server with a private CA)."""

    timeout: float = Field(default=30.0, gt=0, le=600)
    """Seconds to wait for the server on each network step before the attempt counts as failed."""

    username: str | None = None
    """Login name on the SMTP server; unset sends without logging in."""

    password_env: str = DEFAULT_PASSWORD_ENV
    """Name of the environment variable holding the SMTP password (read when sending, never logged)."""

    sender: str = "briefing@localhost"
    """Address the digests come from (the From header and the envelope sender)."""

    sender_name: str = "Briefing"
    """Display name shown with the sender address."""

    subject_prefix: str = "Briefing"
    """First word(s) of the subject, followed by the date and what is new."""

    report_url: str | None = None
    """Web address where reports_dir is published, e.g. https://intranet.example.org/briefings/; each digest links to its full report there."""

    attach_pdf: bool = True
    """Attach the PDF briefing to the digest."""

    max_attachment_mb: float = Field(default=10.0, gt=0)
    """A PDF larger than this many megabytes is not attached; the digest says so."""

    max_stories: int = Field(default=15, ge=1, le=500)
    """Most stories shown in a digest; the rest are counted and left to the full report."""

    skip_when_nothing_new: bool = True
    """Send no scheduled digest when the briefing has nothing new (no new story, no new upcoming event); briefing send always sends."""

    max_attempts: int = Field(default=6, ge=1, le=100)
    """Attempts per recipient on temporary errors (4xx replies, lost connections) before giving up."""

    retry_delay: float = Field(default=60.0, ge=0)
    """Seconds before the first retry; each later retry waits twice as long as the one before."""

    retry_max_delay: float = Field(default=1800.0, ge=0)
    """Longest wait between two attempts, in seconds."""

    @model_validator(mode="before")
    @classmethod
    def _no_password_in_file(cls, data: Any) -> Any:
        # Loading reports a password itself, with the other problems (this check would hide them); this one guards
        # settings built in code.
        if isinstance(data, dict) and "password" in data:
            raise ValueError(
                "password: not read from settings files or BRIEFING_EMAIL__PASSWORD; put it in the environment"
                " variable named by email.password_env (default BRIEFING_SMTP_PASSWORD)"
            )
        return data

    @field_validator("ca_file", mode="before")
    @classmethod
    def _ca_file_not_empty(cls, value: Any) -> Any:
        return not_empty_path(value)

    @field_validator("sender")
    @classmethod
    def _valid_sender(cls, value: str) -> str:
        return _check_addresses([value])[0]

    @field_validator("host", "sender_name", "subject_prefix", "username")
    @classmethod
    def _single_line(cls, value: str | None) -> str | None:
        if value is not None and any(ord(c) < 32 or ord(c) == 127 for c in value):
            raise ValueError("must be a single line without control characters")
        return value

    @field_validator("password_env")
    @classmethod
    def _env_name(cls, value: str) -> str:
        if not value.replace("_", "").isalnum() or not value.isascii() or value[0].isdigit():
            raise ValueError("must be an environment variable name (letters, digits, underscores)")
        return value

    @field_validator("report_url")
    @classmethod
    def _web_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("https://", "http://")) or any(c.isspace() or ord(c) < 32 for c in value):
            raise ValueError("must be an http(s) address without spaces")
        return value

    @model_validator(mode="after")
    def _no_clear_text_login(self) -> EmailSettings:
        if self.security == "none" and self.username:
            raise ValueError("security none with a username would send the password in clear text; use starttls or tls")
        return self

    @property
    def smtp_port(self) -> int:
        return self.port or {"starttls": 587, "tls": 465, "none": 25}[self.security]

    @property
    def max_attachment_bytes(self) -> int:
        return int(self.max_attachment_mb * 1024 * 1024)


def not_empty_path(value: Any) -> Any:
    """An empty path is ``.``: ``reports_dir = ""`` would write briefings into the project folder itself."""
    if isinstance(value, str) and not value.strip():
        raise ValueError(
            "must not be empty (an empty path means the project folder itself); give a folder or file name"
        )
    return value


def _check_addresses(values: list[str]) -> list[str]:
    problems = []
    for value in values:
        try:
            check_address(value)
        except AddressError as exc:
            problems.append(str(exc))
    if problems:
        raise ValueError("; ".join(problems))
    return values


class ServiceSettings(Section):
    """How ``briefing run`` watches the seeds folder and keeps to its schedules."""

    quiet_seconds: float = Field(default=2.0, gt=0, le=3600)
    """A new or changed file is read once its size and modification time have not changed for this many seconds."""

    rescan_seconds: float = Field(default=60.0, gt=0, le=86400)
    """The seeds folder is also rescanned this often, for files whose events were lost (network folders, overflow)."""

    refresh_seconds: float = Field(default=1.0, ge=0, le=3600)
    """After new articles, the live view ``reports/live.html`` is rewritten at most once per this many seconds (a burst of files gives few rewrites)."""

    misfire_grace_hours: float = Field(default=168.0, gt=0)
    """A scheduled briefing missed while the machine slept or the service was stopped is made on return if at most this many hours late; several missed times give one briefing."""

    retry_seconds: float = Field(default=300.0, gt=0, le=86400)
    """A scheduled briefing that could not be made (the reports folder unwritable, the disk full) is tried again after this many seconds, until it is made; it then covers everything since the schedule's last briefing."""

    leader_seconds: float = Field(default=10.0, gt=0, le=3600)
    """With a PostgreSQL store (state_url) shared by several services, one makes the scheduled briefings; the others check this often whether it is gone, and one takes its schedules over."""


class ReportSettings(Section):
    """How the HTML and PDF briefings look and how the PDF renderer is limited."""

    title: str = Field(default="Intelligence briefing", min_length=1, max_length=120)
    """Title printed above the briefing date and in every page's running header."""

    organisation: str | None = Field(default=None, max_length=120)
    """Organisation named in the header and the running header (unset: none)."""

    page_size: Literal["A4", "Letter"] = "A4"
    """Paper size of the PDF: A4 or Letter."""

    toc: Literal["auto", "always", "never"] = "auto"
    """Table of contents with page numbers: "auto" adds one when the briefing runs to several pages."""

    pdf_timeout_seconds: float = Field(default=120.0, gt=0, le=3600)
    """The PDF renderer is stopped after this many seconds; the HTML is still written and the failure recorded."""

    pdf_memory_mb: int = Field(default=1024, ge=64, le=65536)
    """The PDF renderer is stopped when it needs more than this many megabytes of memory (address space)."""

    max_stories: int = Field(default=50, ge=1, le=10000)
    """Most stories shown in a briefing, best first (no new story left out for an older one), each with its key points
    and sources; the rest are counted."""

    max_story_sources: int = Field(default=5, ge=1, le=10000)
    """Most sources listed under one story (those its key points cite first, then the latest); the rest are counted."""

    max_events: int = Field(default=40, ge=1, le=10000)
    """Most upcoming events shown (soonest first), and as many recent ones (latest first); the rest are counted."""

    max_actors: int = Field(default=40, ge=1, le=10000)
    """Most actors in the actors table (most mentioned first); the rest are counted."""

    max_failures: int = Field(default=50, ge=1, le=10000)
    """Most unreadable files listed under "Not included"; the rest are counted (``briefing status`` lists them all)."""

    pdf_variant: PdfVariant = "pdf/a-3b"
    """Kind of PDF: "pdf/a-3b" (archival: fonts embedded, colour profile, XMP metadata, the analysis attached as JSON),
    "pdf/a-3a" (the same, tagged for screen readers), "pdf/ua-1" (tagged, accessible), "pdf/a-3a+ua-1" (both) or "none" (plain)."""

    marking: str | None = Field(default=None, max_length=120)
    """Handling marking (e.g. TLP:AMBER or a classification line) printed in the header and footer of every page, in the
    HTML, in the digest's subject and body and in the PDF's metadata (unset: none)."""

    @field_validator("marking")
    @classmethod
    def _one_line_marking(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = " ".join(value.split())
        return value or None


class ServeSettings(Section):
    """The web view, ``briefing serve`` (and optionally inside ``briefing run``)."""

    enabled: bool = False
    """Also serve the web view inside ``briefing run``, at ``serve.host`` and ``serve.port``."""

    host: str = Field(default="127.0.0.1", min_length=1)
    """Address the web view listens on; any address other than a loopback one needs ``serve.token``."""

    port: int = Field(default=8000, ge=0, le=65535)
    """TCP port of the web view (0: any free port)."""

    token: str | None = Field(default=None, min_length=16)
    """Access token: every request must carry it (``Authorization: Bearer TOKEN``, or ``?token=`` once, which sets a cookie), or gets 401. Set it through ``BRIEFING_SERVE__TOKEN`` to keep it out of the file. Required for a non-loopback ``serve.host``."""
