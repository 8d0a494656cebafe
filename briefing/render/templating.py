"""The Jinja2 environment: autoescaping for every template, whatever its extension."""

from __future__ import annotations

import datetime as dt
import traceback
from pathlib import Path

import jinja2

import briefing
from briefing.render.timevalues import describe_span, moved


class TemplateError(Exception):
    """A template that cannot be loaded or rendered, named with its line."""


def bundled_templates_dir() -> Path:
    """The templates shipped with briefing (in the wheel, or the checkout's ``templates/``)."""
    package = Path(briefing.__file__).resolve().parent
    for candidate in (package / "templates", package.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("briefing's bundled templates folder is missing; reinstall briefing")


def template_dirs(user_dir: Path | None) -> list[Path]:
    """The template search path: the user's folder (if any) first, then the bundled one."""
    return ([user_dir] if user_dir is not None else []) + [bundled_templates_dir()]


def environment(user_dir: Path | None = None) -> jinja2.Environment:
    """A sandbox-free but escaping environment: article text is data, never markup."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(user_dir)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["longdate"] = _long_date
    env.filters["isodate"] = lambda d: d.isoformat() if d else ""
    env.filters["timespan"] = describe_span
    env.filters["moved"] = moved
    return env


def render_template(env: jinja2.Environment, name: str, **context: object) -> str:
    """Render ``name``; a broken template raises :class:`TemplateError` naming it and its line."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"template {exc.filename or exc.name or name}, line {exc.lineno}: {exc.message}") from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template {exc.name!r} not found in {', '.join(map(str, env.loader.searchpath))}") from exc  # type: ignore[union-attr]
    except Exception as exc:  # a runtime error inside a template: name the template and line
        raise TemplateError(f"{_template_location(exc, name)}: {type(exc).__name__}: {exc}") from exc


def _template_location(exc: BaseException, name: str) -> str:
    """``template X, line N`` from the traceback Jinja2 rewrites to point into templates."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".j2", ".html", ".txt", ".jinja")) and frame.lineno:
            return f"template {Path(frame.filename).name}, line {frame.lineno}"
    return f"template {name}"


def _long_date(value: dt.date | dt.datetime) -> str:
    return f"{value:%A} {value.day} {value:%B %Y}"
