"""The root of the settings: the top-level options, the sections under them, and every option's help text."""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from pathlib import Path
from typing import get_args, get_origin

import tzlocal
from pydantic import BaseModel, Field, field_validator

from briefing.config.sections import (
    AnalysisSettings,
    EmailSettings,
    ReportSettings,
    ScheduleSettings,
    Section,
    ServeSettings,
    ServiceSettings,
    not_empty_path,
)
from briefing.config.sources import SourceSettings


def default_schedules() -> dict[str, ScheduleSettings]:
    """A daily and a weekly briefing; ``BRIEFING_SCHEDULES__*`` variables adjust these when the file defines none."""
    return {
        "daily": ScheduleSettings(cron="0 7 * * *"),
        "weekly": ScheduleSettings(cron="0 8 * * mon"),
    }


class Settings(Section):
    """All of briefing's settings. Relative paths are resolved against ``base_dir``."""

    base_dir: Path = Path(".")
    """Folder that relative paths below are resolved against (default: the config file's folder, else the working directory)."""

    seeds_dir: Path = Path("seeds")
    """Folder watched for new articles."""

    reports_dir: Path = Path("reports")
    """Folder the dated HTML and PDF briefings are written to."""

    state_file: Path = Path(".briefing/state.db")
    """SQLite file holding articles, analyses, failures and briefings."""

    state_url: str | None = None
    """A PostgreSQL store instead of state_file, shared by several services: postgresql://user@host:port/database (the password goes in BRIEFING_PGPASSWORD, never here)."""

    templates_dir: Path | None = None
    """Folder of your own Jinja2 templates; unset uses the bundled ones."""

    timezone: str = "local"
    """IANA timezone for briefing dates and schedules, e.g. Europe/London; "local" uses the machine's."""

    max_file_mb: float = Field(default=5.0, gt=0)
    """Files larger than this many megabytes are refused with a reason."""

    read_timeout_seconds: float = Field(default=30.0, gt=0)
    """Reading one file into articles is stopped after this many seconds and the file recorded as failed, so one hostile file cannot hold up the others."""

    read_memory_mb: int = Field(default=1024, ge=256)
    """Reading one file is stopped when the reader process needs more than this many megabytes of memory (address space), and the file recorded as failed."""

    briefing_days: int = Field(default=7, ge=1, le=3660)
    """An on-demand briefing covers the articles that arrived in this many past days."""

    analysis: AnalysisSettings = AnalysisSettings()
    """How each article is analysed."""

    report: ReportSettings = ReportSettings()
    """How the briefings look and how the PDF renderer is limited."""

    schedules: dict[str, ScheduleSettings] = Field(default_factory=default_schedules)
    """Briefing schedules by name (``[schedules.daily]``), each covering the time since its previous briefing."""

    email: EmailSettings = EmailSettings()
    """How digests are e-mailed."""
    service: ServiceSettings = ServiceSettings()
    """How ``briefing run`` watches the seeds folder and keeps to its schedules."""
    serve: ServeSettings = ServeSettings()
    """The web view (``briefing serve``): where it listens and the token it asks for."""

    sources: dict[str, SourceSettings] = Field(default_factory=dict)
    """Known sources by name (``[sources.reuters]``), each with matching rules and a reliability grade shown beside its citations."""

    @field_validator("base_dir", "seeds_dir", "reports_dir", "state_file", "templates_dir", mode="before")
    @classmethod
    def _not_empty(cls, value: object) -> object:
        return not_empty_path(value)

    @field_validator("state_url")
    @classmethod
    def _postgresql_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        from urllib.parse import urlsplit

        parts = urlsplit(value)
        if parts.scheme not in ("postgresql", "postgres"):
            raise ValueError("must be a postgresql://user@host:port/database URL (unset: the SQLite state_file)")
        if parts.password is not None or "password=" in parts.query:
            raise ValueError("must not hold a password; put it in the environment variable BRIEFING_PGPASSWORD")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        if value == "local":
            try:  # checked now, once: every date and schedule needs it, and a bad $TZ would fail them all
                tzlocal.get_localzone()
            except Exception as exc:  # tzlocal raises several kinds, all meaning "unusable"
                tz = os.environ.get("TZ")
                source = f"$TZ is {tz!r}" if tz is not None else "the machine's timezone setting is unusable"
                raise ValueError(
                    f"is local, but {source} ({' '.join(str(exc.args[0] if exc.args else exc).split())});"
                    " set timezone to an IANA name such as"
                    " Europe/London, or fix TZ"
                ) from None
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


def option_docs(model: type[BaseModel] = Settings, prefix: str = "") -> dict[str, str]:
    """Every option's dotted name mapped to its docstring: the names the environment may set, and their help."""
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
