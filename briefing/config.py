"""Typed settings: ``briefing.toml`` overlaid with ``BRIEFING_*`` environment variables.

Every option is declared once, with its type, default and a docstring (the
docstring is the option's help text). Loading collects every problem (unknown
keys, bad values, from the file and from the environment) and reports them in one
:class:`ConfigError`, so a user fixes a config in one pass.

Environment variables name an option by its path in upper case, sections joined
by a double underscore: ``BRIEFING_REPORTS_DIR``, ``BRIEFING_ANALYSIS__KEY_POINTS``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tomllib
import zoneinfo
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import tzlocal
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

ENV_PREFIX = "BRIEFING_"
CONFIG_ENV = "BRIEFING_CONFIG"
DEFAULT_CONFIG_NAME = "briefing.toml"

DEFAULT_PASSWORD_ENV = "BRIEFING_SMTP_PASSWORD"

SummarizerName = Literal["news", "lexrank", "textrank", "lsa", "luhn", "kl", "sumbasic", "reduction"]


class ConfigError(Exception):
    """Every problem found in a configuration, one per line."""

    def __init__(self, problems: list[str], origin: str = "configuration") -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the {origin}:\n{lines}")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, validate_default=True)


class AnalysisSettings(_Section):
    """How each article is analysed."""

    key_points: int = Field(default=3, ge=1, le=50)
    """Number of key points taken from each article."""

    summarizer: SummarizerName = "news"
    """Sentence ranker: news (ours: salience model, no page furniture, no repeats) or a sumy algorithm: lexrank, textrank, lsa, luhn, kl, sumbasic or reduction."""

    actors: Literal["rules", "spacy"] = "rules"
    """Actor extractor: "rules" (built in, no model) or "spacy" (needs spaCy and the en_core_web_sm package installed)."""

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


class ScheduleSettings(_Section):
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
        from briefing.schedules import cron_trigger  # crontab weekday numbers (Sunday = 0 or 7)

        try:
            cron_trigger(value)
        except ValueError as exc:
            raise ValueError(f"not a valid cron expression: {exc}") from None
        return value


SmtpSecurity = Literal["starttls", "tls", "none"]


class EmailSettings(_Section):
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
        if isinstance(data, dict) and "password" in data:
            raise ValueError(
                "password: not read from settings files or BRIEFING_EMAIL__PASSWORD; put it in the environment"
                " variable named by email.password_env (default BRIEFING_SMTP_PASSWORD)"
            )
        return data

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


def _check_addresses(values: list[str]) -> list[str]:
    from briefing.deliver.addresses import AddressError, check_address

    problems = []
    for value in values:
        try:
            check_address(value)
        except AddressError as exc:
            problems.append(str(exc))
    if problems:
        raise ValueError("; ".join(problems))
    return values


class ServiceSettings(_Section):
    """How ``briefing run`` watches the seeds folder and keeps to its schedules."""

    quiet_seconds: float = Field(default=2.0, gt=0, le=3600)
    """A new or changed file is read once its size and modification time have not changed for this many seconds."""

    rescan_seconds: float = Field(default=60.0, gt=0, le=86400)
    """The seeds folder is also rescanned this often, for files whose events were lost (network folders, overflow)."""

    refresh_seconds: float = Field(default=1.0, ge=0, le=3600)
    """After new articles, ``reports/latest.html`` is rewritten at most once per this many seconds (a burst of files gives few rewrites)."""

    misfire_grace_hours: float = Field(default=168.0, gt=0)
    """A scheduled briefing missed while the machine slept or the service was stopped is made on return if at most this many hours late; several missed times give one briefing."""


class ReportSettings(_Section):
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
    """Most stories shown in a briefing, best first, each with its key points and sources; the rest are counted."""

    max_story_sources: int = Field(default=5, ge=1, le=10000)
    """Most sources listed under one story (those its key points cite first, then the latest); the rest are counted."""

    max_events: int = Field(default=40, ge=1, le=10000)
    """Most upcoming events shown (soonest first), and as many recent ones (latest first); the rest are counted."""

    max_actors: int = Field(default=40, ge=1, le=10000)
    """Most actors in the actors table (most mentioned first); the rest are counted."""

    max_failures: int = Field(default=50, ge=1, le=10000)
    """Most unreadable files listed under "Not included"; the rest are counted (``briefing status`` lists them all)."""


def _default_schedules() -> dict[str, ScheduleSettings]:
    return {
        "daily": ScheduleSettings(cron="0 7 * * *"),
        "weekly": ScheduleSettings(cron="0 8 * * mon"),
    }


class Settings(_Section):
    """All of briefing's settings. Relative paths are resolved against ``base_dir``."""

    base_dir: Path = Path(".")
    """Folder that relative paths below are resolved against (default: the config file's folder, else the working directory)."""

    seeds_dir: Path = Path("seeds")
    """Folder watched for new articles."""

    reports_dir: Path = Path("reports")
    """Folder the dated HTML and PDF briefings are written to."""

    state_file: Path = Path(".briefing/state.db")
    """SQLite file holding articles, analyses, failures and briefings."""

    templates_dir: Path | None = None
    """Folder of your own Jinja2 templates; unset uses the bundled ones."""

    timezone: str = "local"
    """IANA timezone for briefing dates and schedules, e.g. Europe/London; "local" uses the machine's."""

    max_file_mb: float = Field(default=5.0, gt=0)
    """Files larger than this many megabytes are refused with a reason."""

    briefing_days: int = Field(default=7, ge=1, le=3660)
    """An on-demand briefing covers the articles that arrived in this many past days."""

    analysis: AnalysisSettings = AnalysisSettings()
    """How each article is analysed."""

    report: ReportSettings = ReportSettings()
    """How the briefings look and how the PDF renderer is limited."""

    schedules: dict[str, ScheduleSettings] = Field(default_factory=_default_schedules)
    """Briefing schedules by name (``[schedules.daily]``), each covering the time since its previous briefing."""

    email: EmailSettings = EmailSettings()
    """How digests are e-mailed."""
    service: ServiceSettings = ServiceSettings()
    """How ``briefing run`` watches the seeds folder and keeps to its schedules."""

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        if value == "local":
            return value
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {value!r} (use an IANA name such as Europe/London)") from None
        return value

    def path(self, value: Path) -> Path:
        """``value`` resolved against ``base_dir``."""
        return value if value.is_absolute() else (self.base_dir / value)

    @property
    def seeds_path(self) -> Path:
        return self.path(self.seeds_dir)

    @property
    def reports_path(self) -> Path:
        return self.path(self.reports_dir)

    @property
    def state_path(self) -> Path:
        return self.path(self.state_file)

    @property
    def templates_path(self) -> Path | None:
        return self.path(self.templates_dir) if self.templates_dir is not None else None

    @property
    def tz(self) -> dt.tzinfo:
        if self.timezone == "local":
            return tzlocal.get_localzone()
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)


_MAPPING_OPTIONS = ("schedules",)
"""Options that are tables of named entries; the environment may set ``BRIEFING_SCHEDULES__DAILY__CRON``."""


def option_docs(model: type[BaseModel] = Settings, prefix: str = "") -> dict[str, str]:
    """Every option's dotted name mapped to its docstring (used by docs and tests)."""
    docs: dict[str, str] = {}
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            docs.update(option_docs(annotation, f"{prefix}{name}."))
            continue
        docs[f"{prefix}{name}"] = info.description or ""
        entry = get_args(annotation)[-1] if get_origin(annotation) is dict else None
        if isinstance(entry, type) and issubclass(entry, BaseModel):
            docs.update(option_docs(entry, f"{prefix}{name}.<name>."))
    return docs


def load_settings(
    path: Path | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Settings from ``path`` (or ``$BRIEFING_CONFIG``, or ``./briefing.toml`` if present),
    then the environment, then ``overrides`` (dotted keys, e.g. from the command line)."""
    env = os.environ if env is None else env
    problems: list[str] = []
    data: dict[str, Any] = {}
    origin = "environment"

    explicit = path or (Path(env[CONFIG_ENV]) if env.get(CONFIG_ENV) else None)
    config_path = explicit or (Path(DEFAULT_CONFIG_NAME) if Path(DEFAULT_CONFIG_NAME).is_file() else None)
    if config_path is not None:
        origin = f"configuration ({config_path} and BRIEFING_* variables)"
        try:
            data = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError([f"{config_path}: no such file"], origin) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError([f"{config_path}: cannot be read ({exc})"], origin) from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError([f"{config_path}: not valid TOML ({exc})"], origin) from None
        data.setdefault("base_dir", str(config_path.resolve().parent))

    known = option_docs()
    if "schedules" not in data and any(n.startswith(f"{ENV_PREFIX}SCHEDULES__") for n in env):
        # The environment adjusts the default schedules rather than replacing them all.
        data["schedules"] = {name: s.model_dump() for name, s in _default_schedules().items()}
    secrets = _secret_env_names(data, env)
    for name, raw in sorted(env.items()):
        if not name.startswith(ENV_PREFIX) or name == CONFIG_ENV or name in secrets:
            continue
        dotted = name[len(ENV_PREFIX) :].lower().replace("__", ".")
        if dotted == "email.password":
            problems.append(f"{name}: the SMTP password goes in the variable named by email.password_env")
            continue
        if dotted not in known and not any(dotted.startswith(f"{key}.") for key in _MAPPING_OPTIONS):
            problems.append(f"{name}: unknown setting (known: {', '.join(sorted(known))})")
            continue
        _set_dotted(data, dotted, _env_value(raw))
    for dotted, value in (overrides or {}).items():
        _set_dotted(data, dotted, value)

    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        problems.extend(_describe(err) for err in exc.errors())
        settings = None
    if problems or settings is None:
        raise ConfigError(problems, origin)
    return settings


def _secret_env_names(data: Mapping[str, Any], env: Mapping[str, str]) -> set[str]:
    """Environment variables that hold secrets rather than settings (the SMTP password)."""
    names = {DEFAULT_PASSWORD_ENV}
    email = data.get("email")
    if isinstance(email, Mapping) and isinstance(email.get("password_env"), str):
        names.add(email["password_env"])
    if env.get(f"{ENV_PREFIX}EMAIL__PASSWORD_ENV"):
        names.add(env[f"{ENV_PREFIX}EMAIL__PASSWORD_ENV"])
    return names


def _env_value(raw: str) -> Any:
    """Environment values are strings; lists and tables may be given as JSON."""
    if raw.lstrip().startswith(("[", "{")):
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            return raw
    return raw


def _set_dotted(data: dict[str, Any], dotted: str, value: Any) -> None:
    *sections, key = dotted.split(".")
    node = data
    for section in sections:
        child = node.setdefault(section, {})
        if not isinstance(child, dict):
            child = node[section] = {}
        node = child
    node[key] = value


def _describe(error: Mapping[str, Any]) -> str:
    where = ".".join(str(part) for part in error["loc"]) or "(top level)"
    if error["type"] == "extra_forbidden":
        return f"{where}: unknown setting"
    value = error.get("input")
    shown = "" if isinstance(value, dict) else f" (got {value!r})"
    return f"{where}: {error['msg']}{shown}"
