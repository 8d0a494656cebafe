"""The Jinja2 environment: autoescaping for every template, whatever its extension.

A broken template (bundled or the user's) becomes one :class:`TemplateError`
that names the template file and the line, for syntax errors and for errors
raised while rendering alike.
"""

from __future__ import annotations

import datetime as dt
import functools
import traceback
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

import briefing
from briefing.render.timevalues import as_when, describe_span, moved, span_label


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
    if user_dir is not None and not user_dir.is_dir():
        raise TemplateError(f"templates folder {user_dir} does not exist (setting templates_dir)")
    return ([user_dir] if user_dir is not None else []) + [bundled_templates_dir()]


@functools.lru_cache(maxsize=16)
def environment(user_dir: Path | None = None) -> jinja2.Environment:
    """An escaping environment: article text is data, never markup (``autoescape=True`` for every name).

    Made once per template folder, so templates are compiled once, not on every
    briefing (the service rewrites live.html after every new article); the loader
    still notices a template edited on disk and compiles it again.
    """
    env = jinja2.Environment(  # autoescape=True: every template escapes what it prints
        autoescape=True,
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(user_dir)]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["longdate"] = long_date
    env.filters["shortdate"] = short_date
    env.filters["clock"] = clock
    env.filters["isodate"] = lambda d: d.isoformat() if d else ""
    env.filters["timespan"] = lambda start, end=None: describe_span(as_when(start), as_when(end))
    env.filters["when"] = lambda start, end=None: span_label(
        as_when(start), as_when(end)
    )  # a TIMEX3 value (and its end) as a reader's date, never the raw value
    env.filters["moved"] = moved
    env.filters["hostname"] = hostname
    env.filters["count"] = lambda n: f"{n:,}"  # 12,345
    env.filters["css_string"] = css_string
    return env


def render_template(env: jinja2.Environment, name: str, **context: object) -> str:
    """Render ``name``; a broken template raises :class:`TemplateError` naming it and its line."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = _describe_file(exc.filename, exc.name or name)
        raise TemplateError(f"template {where}, line {exc.lineno}: {exc.message}") from exc
    except jinja2.TemplateNotFound as exc:
        folders = ", ".join(_search_path(env))
        raise TemplateError(f"template {exc.name!r} (needed by {name}) not found in {folders}") from exc
    except Exception as exc:  # a runtime error inside a template: name the template and line
        raise TemplateError(f"{_template_location(env, exc, name)}: {type(exc).__name__}: {exc}") from exc


def _search_path(env: jinja2.Environment) -> list[str]:
    """The template folders (the project's environment always loads from folders)."""
    loader = env.loader
    return [str(d) for d in loader.searchpath] if isinstance(loader, jinja2.FileSystemLoader) else []


def _describe_file(filename: str | None, name: str) -> str:
    return f"{name} ({filename})" if filename and not filename.endswith(name) else (filename or name)


def _template_location(env: jinja2.Environment, exc: BaseException, name: str) -> str:
    """``template X, line N`` from the traceback, which Jinja2 rewrites to point into the template files."""
    folders = [str(Path(d).resolve()) for d in _search_path(env)]
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = str(Path(frame.filename).resolve()) if frame.filename and not frame.filename.startswith("<") else ""
        if path and frame.lineno and any(path.startswith(folder + "/") for folder in folders):
            return f"template {path}, line {frame.lineno}"
    return f"template {name}"


def long_date(value: dt.date | dt.datetime) -> str:
    """``Thursday 17 February 2022``."""
    return f"{value:%A} {value.day} {value:%B %Y}"


def short_date(value: dt.date | dt.datetime) -> str:
    """``17 Feb 2022``."""
    return f"{value.day} {value:%b %Y}"


def clock(value: dt.datetime) -> str:
    """``14:51 EST``: a time of day is never shown without its zone (the briefing's, see compose)."""
    return f"{value:%H:%M %Z}".strip()


def hostname(url: str) -> str:
    """``www.example.org`` from a URL, for a short link text."""
    return urlsplit(url).hostname or url


def css_string(value: object) -> Markup:
    """``value`` as a quoted CSS string, safe inside a ``<style>`` element (for ``content:`` in page margins).

    Every character but letters, digits, spaces and a few marks is written as a CSS
    escape, so no quote, backslash, ``<`` (``</style>``) or line break gets through.
    """
    safe = set(" .,:;-_/()+#!?=")
    text = " ".join(str(value).split())
    escaped = "".join(c if (c.isalnum() and c.isascii()) or c in safe else f"\\{ord(c):06x}" for c in text)
    return Markup(f'"{escaped}"')
