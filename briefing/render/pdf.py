"""PDF output with WeasyPrint, behind a URL fetcher that serves only our own assets.

Article text reaches the HTML escaped, but a user template or a WeasyPrint
feature could still name a URL (a stylesheet, a font, an image, an
``<link rel="attachment">``). Every such URL goes through :class:`AssetFetcher`,
which serves only asset files (stylesheets, fonts, images) inside the template
folders and refuses everything else: ``http(s)``, ``data:``, other local files,
symbolic links leading out of the folders, templates, hidden files. Nothing is
ever fetched from the network.

This module renders in the calling process; :mod:`briefing.render.sandbox` runs
it in a child process with time and memory limits.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint import HTML, Attachment
from weasyprint.urls import URLFetcher, URLFetcherResponse  # WeasyPrint >= 70: fetchers are URLFetcher subclasses

from briefing.render.pdf_finish import declare_ua as declare_ua_id
from briefing.render.pdf_finish import list_attachments_once, margins_as_artifacts
from briefing.render.pdf_types import PdfOptions

log = logging.getLogger(__name__)

ASSET_TYPES: dict[str, str] = {
    ".css": "text/css",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}
"""The only kinds of file the PDF renderer may read, by suffix."""

MAX_ASSET_BYTES = 20 * 1024 * 1024


class _QuietFontSubsetting(logging.Filter):
    """Drops WeasyPrint's notice that it subsets fonts with fontTools (harmless, once per font)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "instead of HarfBuzz-Subset" not in record.getMessage()


logging.getLogger("weasyprint").addFilter(_QuietFontSubsetting())


class RefusedURL(ValueError):
    """A URL the renderer asked for and was not given."""


class AssetFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no types: its classes are Any
    """Serves asset files under ``roots`` and refuses every other URL (logged, never fetched)."""

    def __init__(self, roots: Sequence[Path]) -> None:
        super().__init__(timeout=1, allowed_protocols=("file",), allow_redirects=False, fail_on_errors=False)
        self._roots = tuple(root.resolve() for root in roots)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        path = self.allowed_path(url)
        if path is None:
            shown = url[:200]
            self.refused.append(shown)
            log.warning("refused to fetch %s while rendering a PDF (only template assets are read)", shown)
            raise RefusedURL(f"briefing does not fetch {shown!r} (only its own template assets)")
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": ASSET_TYPES[path.suffix.lower()]}
        )

    def allowed_path(self, url: str) -> Path | None:
        """The asset file ``url`` names, or None when it must not be read."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = self._locate(Path(os.path.normpath(unquote(parts.path))))
        if path is None:
            return None
        if path.suffix.lower() not in ASSET_TYPES or not path.is_file():
            return None
        root = next((root for root in self._roots if path.is_relative_to(root)), None)
        if root is None or any(part.startswith(".") for part in path.relative_to(root).parts):
            return None
        if path.stat().st_size > MAX_ASSET_BYTES:
            return None
        return path

    def _locate(self, raw: Path) -> Path | None:
        """``raw`` if it exists; else, like the template loader, the same name in the next folder.

        Relative URLs resolve against the first folder (the user's, when set), so a
        user folder holding only ``briefing.html.j2`` still gets the bundled fonts.
        """
        candidates = [raw]
        if raw.is_relative_to(self._roots[0]):
            relative = raw.relative_to(self._roots[0])
            candidates += [root / relative for root in self._roots[1:]]
        for candidate in candidates:
            try:
                return candidate.resolve(strict=True)
            except (OSError, RuntimeError):
                continue
        return None


PDF_VARIANTS: dict[str, dict[str, Any]] = {
    "none": {},
    "pdf/a-3b": {"pdf_variant": "pdf/a-3b"},
    "pdf/a-3a": {"pdf_variant": "pdf/a-3a"},
    "pdf/ua-1": {"pdf_variant": "pdf/ua-1"},
    "pdf/a-3a+ua-1": {"pdf_variant": "pdf/a-3a"},
}
"""``report.pdf_variant`` (:data:`~briefing.render.pdf_types.VARIANTS`) -> WeasyPrint's options.
PDF/A-3a is tagged already; "+ua-1" also declares PDF/UA-1 (:func:`~briefing.render.pdf_finish.declare_ua`)."""

DECLARES_UA = frozenset({"pdf/a-3a+ua-1"})
"""Variants whose XMP (written for PDF/A) also gets the PDF/UA-1 identification (:mod:`.pdf_finish`)."""


def html_to_pdf(html: str, asset_dirs: Sequence[Path], options: PdfOptions | None = None) -> bytes:
    """The PDF of ``html``; relative URLs resolve against the first asset folder."""
    options = options or PdfOptions()
    fetcher = AssetFetcher(asset_dirs)
    base_url = asset_dirs[0].resolve().as_uri() + "/"
    attachments = [
        Attachment(
            file_obj=io.BytesIO(item.data),
            url_fetcher=fetcher,
            name=item.name,
            description=item.description,
            relationship="Data",
        )
        for item in options.attachments
    ]
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render()
    declare_ua = options.variant in DECLARES_UA

    def finish(document: object, pdf: Any) -> None:
        list_attachments_once(pdf)
        margins_as_artifacts(pdf)
        if declare_ua:
            declare_ua_id(pdf)

    data: bytes = document.write_pdf(finisher=finish, attachments=attachments, **PDF_VARIANTS[options.variant])
    return data
