"""Render: a composed :class:`~briefing.model.Briefing` to dated files in ``reports/``.

Output formats are a small explicit registry (``OUTPUT_FORMATS``); the HTML is
rendered once from the Jinja2 templates and every format is made from it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from briefing.model import Briefing
from briefing.render.files import atomic_write, reserve_stem
from briefing.render.pdf import html_to_pdf
from briefing.render.templating import TemplateError, environment, render_template, template_dirs

__all__ = ["OUTPUT_FORMATS", "Rendered", "TemplateError", "render_briefing", "render_latest", "write_index"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Page:
    """What every output format is made from: the briefing and its rendered HTML."""

    briefing: Briefing
    html: str
    asset_dirs: tuple[Path, ...]


OUTPUT_FORMATS: dict[str, Callable[[Page], bytes]] = {
    ".html": lambda page: page.html.encode("utf-8"),
    ".pdf": lambda page: html_to_pdf(page.html, page.asset_dirs),
}
"""Output formats by file suffix: each turns a rendered page into the file's bytes."""


@dataclass(frozen=True, slots=True)
class Rendered:
    """The files one briefing produced, and the formats that failed (with why)."""

    files: dict[str, Path]
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def html_path(self) -> Path | None:
        return self.files.get(".html")

    @property
    def pdf_path(self) -> Path | None:
        return self.files.get(".pdf")


def render_briefing(
    briefing: Briefing,
    reports_dir: Path,
    templates_dir: Path | None = None,
    formats: Sequence[str] = (".html", ".pdf"),
) -> Rendered:
    """Write ``reports/YYYY-MM-DD/briefing-HHMM.*`` and refresh ``reports/latest.*``.

    A format that fails (a PDF renderer error) is reported in ``errors``; the
    other formats are still written. A broken template raises :class:`TemplateError`.
    """
    env = environment(templates_dir)
    html = render_template(env, "briefing.html.j2", briefing=briefing)
    page = Page(briefing, html, tuple(template_dirs(templates_dir)))
    stem = reserve_stem(reports_dir, briefing.created_at, tuple(formats))
    files: dict[str, Path] = {}
    errors: dict[str, str] = {}
    for suffix in formats:
        try:
            data = OUTPUT_FORMATS[suffix](page)
        except Exception as exc:  # one format failing must not lose the others
            log.exception("rendering %s failed", suffix)
            errors[suffix] = f"{type(exc).__name__}: {exc}"
            continue
        path = stem.with_suffix(suffix)
        atomic_write(path, data)
        atomic_write(reports_dir / f"latest{suffix}", data)
        files[suffix] = path
    placeholder = stem.with_suffix(formats[0])
    if formats[0] not in files and placeholder.exists() and placeholder.stat().st_size == 0:
        placeholder.unlink()
    return Rendered(files, errors)


def render_latest(briefing: Briefing, reports_dir: Path, templates_dir: Path | None = None) -> Path:
    """Only ``reports/latest.html``: the live view ``briefing run`` keeps current between briefings.

    No dated file and no PDF: it is rewritten after every burst of new articles.
    """
    env = environment(templates_dir)
    html = render_template(env, "briefing.html.j2", briefing=briefing)
    path = reports_dir / "latest.html"
    atomic_write(path, html)
    return path


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One archived briefing as the index page lists it."""

    created_at: dt.datetime
    period_start: dt.datetime
    period_end: dt.datetime
    articles: int
    html: str | None
    pdf: str | None
    error: str | None


def write_index(entries: Sequence[IndexEntry], reports_dir: Path, templates_dir: Path | None = None) -> Path:
    """``reports/index.html``: every briefing, newest first, linked relative to the folder."""
    env: jinja2.Environment = environment(templates_dir)
    ordered = sorted(entries, key=lambda e: e.created_at, reverse=True)
    html = render_template(env, "index.html.j2", entries=ordered)
    path = reports_dir / "index.html"
    atomic_write(path, html)
    return path


def relative_link(path: Path | str | None, reports_dir: Path) -> str | None:
    """A link to ``path`` from ``reports/index.html``, or None when there is no file."""
    if not path:
        return None
    try:
        return Path(path).resolve().relative_to(reports_dir.resolve()).as_posix()
    except ValueError:
        return Path(path).resolve().as_uri()
