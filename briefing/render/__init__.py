"""Render: a composed :class:`~briefing.model.Briefing` to dated files in ``reports/``.

    view (what the page shows) -> HTML (Jinja2) -> every other format from the HTML -> files

Output formats are a small explicit registry (``OUTPUT_FORMATS``). The HTML is
written first and always; the PDF is made in a limited child process
(:mod:`briefing.render.sandbox`), and when it fails the HTML is rewritten with a
notice saying so, the failure is returned in :attr:`Rendered.errors`, and
nothing else stops.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from briefing.config import ReportSettings, SourceSettings
from briefing.model import Briefing
from briefing.render.archive import analysis_attachment
from briefing.render.files import atomic_write, fcntl, reserve, sweep_claims
from briefing.render.pdf_types import PdfOptions
from briefing.render.sandbox import Limits, PdfRenderError, render_pdf, sweep_temp_folders
from briefing.render.templating import TemplateError, environment, render_template, template_dirs
from briefing.render.view import build_report
from briefing.render.viewmodel import Caps, Report

__all__ = [
    "LIVE_PAGE",
    "OUTPUT_FORMATS",
    "IndexEntry",
    "PdfRenderError",
    "Rendered",
    "TemplateError",
    "publish_latest",
    "relative_link",
    "render_briefing",
    "render_html",
    "render_live",
    "sweep_leftovers",
    "write_index",
]

log = logging.getLogger(__name__)

PAGE_SIZES = ("A4", "Letter")

LIVE_PAGE = "live.html"
"""The service's live view in ``reports/``: apart from ``latest.*``, which are only ever the briefing made last."""


@dataclass(frozen=True, slots=True)
class Page:
    """What every output format is made from: the rendered HTML and how to make the rest."""

    html: str
    asset_dirs: tuple[Path, ...]
    limits: Limits
    options: PdfOptions = field(default_factory=PdfOptions)
    """The kind of PDF (``report.pdf_variant``) and the files it embeds (the analysis, as JSON)."""


OUTPUT_FORMATS: dict[str, Callable[[Page], bytes]] = {
    ".html": lambda page: page.html.encode("utf-8"),
    ".pdf": lambda page: render_pdf(page.html, page.asset_dirs, page.limits, page.options),
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
    live: bool = False,
    sources: Mapping[str, SourceSettings] | None = None,
) -> tuple[str, Report]:
    """The briefing's HTML and the view it shows (``live``: as the service's live view, which says it is one).

    A broken template raises :class:`TemplateError`.
    """
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
            max_events=settings.max_events,
            max_actors=settings.max_actors,
            max_failures=settings.max_failures,
            max_story_sources=settings.max_story_sources,
        ),
        live=live,
        marking=settings.marking,
        sources_config=sources,
    )
    html = render_template(environment(templates_dir), "briefing.html.j2", report=report)
    return html, report


def render_briefing(
    briefing: Briefing,
    reports_dir: Path,
    templates_dir: Path | None = None,
    formats: Sequence[str] = (".html", ".pdf"),
    settings: ReportSettings | None = None,
    latest: bool = True,
    sources: Mapping[str, SourceSettings] | None = None,
    analyses: Sequence[Mapping[str, Any]] = (),
) -> Rendered:
    """Write ``reports/YYYY-MM-DD/briefing-HHMM.*`` and (with ``latest``) refresh ``reports/latest.*``.

    Every file is made under a hidden name and appears under its own only when
    all of them are complete (:class:`~briefing.render.files.Reservation`): a
    process killed during the PDF, or a full disk, leaves no dated file at all,
    and the next briefing sweeps what it left. A format that fails (the PDF
    renderer over its time or memory limit, or crashing) is reported in
    ``errors`` and named in a notice at the top of the HTML; the other formats
    are still written. ``latest.*`` always belong to one briefing (see
    :func:`publish_latest`). A broken template raises :class:`TemplateError`
    before any file is written.

    ``sources`` grade the citations (``[sources.NAME]``); ``analyses`` are the
    ``analyze --json`` objects of the briefing's articles, embedded in the PDF
    with the composed briefing as ``briefing-analysis.json``.
    """
    settings = settings or ReportSettings()
    unknown = [s for s in formats if s not in OUTPUT_FORMATS]
    if unknown or not formats:
        raise ValueError(f"unknown output format(s) {unknown}; known: {', '.join(OUTPUT_FORMATS)}")
    formats = sorted(dict.fromkeys(formats), key=lambda s: s != ".html")  # HTML first: it is never lost
    html, _ = render_html(briefing, templates_dir, settings, sources=sources)
    limits = Limits(seconds=settings.pdf_timeout_seconds, memory_mb=settings.pdf_memory_mb)
    options = PdfOptions(settings.pdf_variant, (analysis_attachment(briefing, analyses, settings.marking),))
    page = Page(html, tuple(template_dirs(templates_dir)), limits, options)
    _sweep_once(reports_dir)
    errors: dict[str, str] = {}
    with reserve(reports_dir, briefing.created_at, tuple(formats)) as slot:
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
            slot.write(suffix, data)
        if errors and ".html" not in errors and ".html" in formats:
            notices = [f"The {s[1:].upper()} of this briefing could not be made: {why}." for s, why in errors.items()]
            html, _ = render_html(briefing, templates_dir, settings, notices, sources=sources)
            slot.write(".html", html)
        files = slot.commit()
    if latest:
        publish_latest(reports_dir, lambda: files)
    return Rendered(files, errors)


def publish_latest(reports_dir: Path, files: Callable[[], Mapping[str, Path | str | None]]) -> None:
    """Make ``reports/latest.*`` copies of one briefing's files; a format it lacks leaves ``latest``.

    ``files`` names them and is called under a lock in the reports folder: two
    processes publishing at once leave one briefing's files, not a mix, and the
    one asked last (the store's newest, for :func:`~briefing.pipeline.generate_briefing`).
    """
    with _reports_lock(reports_dir):
        chosen = files()
        for suffix in OUTPUT_FORMATS:
            target = reports_dir / f"latest{suffix}"
            source = chosen.get(suffix)
            if source and Path(source).is_file():
                atomic_write(target, Path(source).read_bytes())
            else:
                target.unlink(missing_ok=True)


@contextlib.contextmanager
def _reports_lock(reports_dir: Path) -> Iterator[None]:
    """An exclusive ``flock`` on ``reports/.latest.lock`` for as long as the block runs."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    with open(reports_dir / ".latest.lock", "ab") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


_swept: set[Path] = set()


def sweep_leftovers(reports_dir: Path) -> int:
    """Remove what briefings killed half-way left: hidden parts in ``reports/``, old ``briefing-pdf-*`` folders.

    ``generate`` does it before its first briefing, the service when it starts.
    """
    _swept.add(reports_dir.resolve())
    removed = sweep_claims(reports_dir) + sweep_temp_folders()
    if removed:
        log.info("removed %d file(s) left by a briefing that was stopped half-way", removed)
    return removed


def _sweep_once(reports_dir: Path) -> None:
    """:func:`sweep_leftovers`, once per process and reports folder."""
    if reports_dir.resolve() not in _swept:
        sweep_leftovers(reports_dir)


def render_live(
    briefing: Briefing,
    reports_dir: Path,
    templates_dir: Path | None = None,
    settings: ReportSettings | None = None,
    sources: Mapping[str, SourceSettings] | None = None,
) -> Path:
    """Only ``reports/live.html``: the live view ``briefing run`` keeps current between briefings.

    No dated file and no PDF, and never ``latest.*``: those stay the briefing made
    last, which ``send`` mails and the archive marks (issue 17). It is rewritten
    after every burst of new articles, a view of nothing included.
    """
    html, _ = render_html(briefing, templates_dir, settings, live=True, sources=sources)
    path = reports_dir / LIVE_PAGE
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
    latest: bool = False
    """The briefing made last: the one ``latest.*`` and ``briefing send`` show, whatever day it is as of."""
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
    """``reports/index.html``: every briefing, newest first, linked relative to the folder.

    It links the live view too when ``reports/live.html`` exists (a service made it).
    """
    env: jinja2.Environment = environment(templates_dir)
    ordered = sorted(entries, key=lambda e: e.created_at, reverse=True)
    live = LIVE_PAGE if (reports_dir / LIVE_PAGE).is_file() else None
    html = render_template(env, "index.html.j2", entries=ordered, title=title, live=live)
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
