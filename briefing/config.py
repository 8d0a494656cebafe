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
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

ENV_PREFIX = "BRIEFING_"
CONFIG_ENV = "BRIEFING_CONFIG"
DEFAULT_CONFIG_NAME = "briefing.toml"

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

    language: Literal["english"] = "english"
    """Language of the articles (stemmer and stop words); English only for now."""


class ScheduleSettings(_Section):
    """One briefing schedule: when it runs and who receives its digest."""

    cron: str
    """When the briefing is made: a five-field cron expression (minute hour day month weekday) in ``timezone``."""

    recipients: list[str] = []
    """E-mail addresses that receive this schedule's digest (none: no e-mail)."""

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        from apscheduler.triggers.cron import CronTrigger

        try:
            CronTrigger.from_crontab(value)
        except ValueError as exc:
            raise ValueError(f"not a valid cron expression: {exc}") from None
        return value


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

    schedules: dict[str, ScheduleSettings] = Field(default_factory=_default_schedules)
    """Briefing schedules by name (``[schedules.daily]``), each covering the time since its previous briefing."""

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
    for name, raw in sorted(env.items()):
        if not name.startswith(ENV_PREFIX) or name == CONFIG_ENV:
            continue
        dotted = name[len(ENV_PREFIX) :].lower().replace("__", ".")
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
