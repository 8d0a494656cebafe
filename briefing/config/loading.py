"""Loading the settings: ``briefing.toml``, then ``BRIEFING_*`` variables, then overrides.

Every problem (unknown keys, bad values, from the file and from the environment) is
collected and reported in one :class:`ConfigError`, so a user fixes a config in one pass.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from briefing.config.sections import DEFAULT_PASSWORD_ENV, STATE_PASSWORD_ENV
from briefing.config.settings import Settings, default_schedules, option_docs
from briefing.printable import printable

ENV_PREFIX = "BRIEFING_"
CONFIG_ENV = "BRIEFING_CONFIG"
DEFAULT_CONFIG_NAME = "briefing.toml"


class ConfigError(Exception):
    """Every problem found in a configuration, one per line."""

    def __init__(self, problems: list[str], origin: str = "configuration") -> None:
        self.problems = problems
        lines = "\n".join(f"  - {printable(p)}" for p in problems)  # a key may hold a newline or an escape
        super().__init__(f"{len(problems)} problem(s) in the {printable(origin)}:\n{lines}")


_MAPPING_OPTIONS = ("schedules",)
"""Options that are tables of named entries; the environment may set ``BRIEFING_SCHEDULES__DAILY__CRON``."""


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
        data["schedules"] = {name: s.model_dump() for name, s in default_schedules().items()}
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
    email = data.get("email")
    if isinstance(email, dict) and "password" in email:
        # Taken out and reported here: the model's own check would stop [email] there and hide its other problems.
        del email["password"]
        problems.append(
            "email.password: not read from settings files; put it in the environment variable named by"
            " email.password_env (default BRIEFING_SMTP_PASSWORD)"
        )

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
    names = {DEFAULT_PASSWORD_ENV, STATE_PASSWORD_ENV}
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
