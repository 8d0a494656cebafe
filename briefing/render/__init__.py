"""Render: a composed :class:`~briefing.model.Briefing` to dated files in ``reports/``.

    view (what the page shows) -> HTML (Jinja2) -> every other format from the HTML -> files

Output formats are a small explicit registry (``OUTPUT_FORMATS``). The HTML is
written first and always; the PDF is made in a limited child process
(:mod:`briefing.render.sandbox`), and when it fails the HTML is rewritten with a
notice saying so, the failure is returned in :attr:`Rendered.errors`, and
nothing else stops.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from briefing.config import ReportSettings
from briefing.model import Briefing
from briefing.render.files import atomic_write, reserve_stem
from briefing.render.sandbox import Limits, PdfRenderError, render_pdf
from briefing.render.templating import TemplateError, environment, render_template, template_dirs
from briefing.render.view import Caps, Report, build_report

__all__ = [
    "OUTPUT_FORMATS",
    "IndexEntry",
    "PdfRenderError",
    "Rendered",
    "TemplateError",
    "relative_link",
    "render_briefing",
    "render_html",
    "render_latest",
    "write_index",
]

log = logging.getLogger(__name__)

PAGE_SIZES = ("A4", "Letter")


@dataclass(frozen=True, slots=True)
class Page:
    """What every output format is made from: the rendered HTML and how to make the rest."""

    html: str
    asset_dirs: tuple[Path, ...]
    limits: Limits


OUTPUT_FORMATS: dict[str, Callable[[Page], bytes]] = {
    ".html": lambda page: page.html.encode("utf-8"),
    ".pdf": lambda page: render_pdf(page.html, page.asset_dirs, page.limits),
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


def render_html(
    briefing: Briefing,
    templates_dir: Path | None = None,
    settings: ReportSettings | None = None,
    notices: Sequence[str] = (),
) -> tuple[str, Report]:
    """The briefing's HTML and the view it shows. A broken template raises :class:`TemplateError`."""
    settings = settings or ReportSettings()
    if settings.page_size not in PAGE_SIZES:
        raise ValueError(f"page size must be one of {', '.join(PAGE_SIZES)}, not {settings.page_size!r}")
    report = build_report(
        briefing,
        title=settings.title,
        organisation=settings.organisation,
        page_size=settings.page_size,
        toc=settings.toc,
        notices=notices,
        caps=Caps(
            max_stories=settings.max_stories,
            max_events=settings.max_events,
            max_actors=settings.max_actors,
            max_failures=settings.max_failures,
            max_story_sources=settings.max_story_sources,
        ),
    )
    html = render_template(environment(templates_dir), "briefing.html.j2", report=report)
    return html, report


def render_briefing(
    briefing: Briefing,
    reports_dir: Path,
    templates_dir: Path | None = None,
    formats: Sequence[str] = (".html", ".pdf"),
    settings: ReportSettings | None = None,
) -> Rendered:
    """Write ``reports/YYYY-MM-DD/briefing-HHMM.*`` and refresh ``reports/latest.*``.

    The HTML comes first. A format that fails (the PDF renderer over its time or
    memory limit, or crashing) is reported in ``errors`` and named in a notice at
    the top of the HTML; the other formats are still written. ``latest.*`` always
    belong to one briefing: a format this briefing could not make is removed
    from ``latest`` rather than left from an older one. A broken template raises
    :class:`TemplateError` before any file is written.
    """
    settings = settings or ReportSettings()
    unknown = [s for s in formats if s not in OUTPUT_FORMATS]
    if unknown or not formats:
        raise ValueError(f"unknown output format(s) {unknown}; known: {', '.join(OUTPUT_FORMATS)}")
    formats = sorted(dict.fromkeys(formats), key=lambda s: s != ".html")  # HTML first: it is never lost
    html, _ = render_html(briefing, templates_dir, settings)
    limits = Limits(seconds=settings.pdf_timeout_seconds, memory_mb=settings.pdf_memory_mb)
    page = Page(html, tuple(template_dirs(templates_dir)), limits)
    stem = reserve_stem(reports_dir, briefing.created_at, tuple(formats))
    files: dict[str, Path] = {}
    errors: dict[str, str] = {}
    for suffix in formats:
        try:
            data = OUTPUT_FORMATS[suffix](page)
        except PdfRenderError as exc:
            log.error("the %s of the briefing was not made: %s", suffix[1:].upper(), exc)
            errors[suffix] = str(exc)
            continue
        except Exception as exc:  # one format failing must not lose the others
            log.exception("rendering %s failed", suffix)
            errors[suffix] = f"{type(exc).__name__}: {exc}"
            continue
        path = stem.with_suffix(suffix)
        atomic_write(path, data)
        files[suffix] = path
    if errors and ".html" in files:
        notices = [f"The {s[1:].upper()} of this briefing could not be made: {why}." for s, why in errors.items()]
        html, _ = render_html(briefing, templates_dir, settings, notices)
        atomic_write(files[".html"], html)
    for suffix in OUTPUT_FORMATS:  # formats not made this time leave latest.* too
        latest = reports_dir / f"latest{suffix}"
        if suffix in files:
            atomic_write(latest, files[suffix].read_bytes())
        else:
            latest.unlink(missing_ok=True)
    placeholder = stem.with_suffix(formats[0])
    if formats[0] not in files and placeholder.exists() and placeholder.stat().st_size == 0:
        placeholder.unlink()
    return Rendered(files, errors)


def render_latest(
    briefing: Briefing,
    reports_dir: Path,
    templates_dir: Path | None = None,
    settings: ReportSettings | None = None,
) -> Path:
    """Only ``reports/latest.html``: the live view ``briefing run`` keeps current between briefings.

    No dated file and no PDF: it is rewritten after every burst of new articles.
    """
    html, _ = render_html(briefing, templates_dir, settings)
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
    made_at: dt.datetime | None = None
    """When a briefing as of a past day (``created_at``) was really made."""
    basis: str = "arrival"
    """What the period selected on: arrival, or the articles' dates."""


def write_index(
    entries: Sequence[IndexEntry],
    reports_dir: Path,
    templates_dir: Path | None = None,
    title: str = "Intelligence briefing",
) -> Path:
    """``reports/index.html``: every briefing, newest first, linked relative to the folder."""
    env: jinja2.Environment = environment(templates_dir)
    ordered = sorted(entries, key=lambda e: e.created_at, reverse=True)
    html = render_template(env, "index.html.j2", entries=ordered, title=title)
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
