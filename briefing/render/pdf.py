"""PDF output with WeasyPrint, behind a URL fetcher that serves only our own assets.

Article text reaches the HTML escaped, but a user template or a WeasyPrint
feature could still name a URL; the fetcher refuses everything that is not a
file inside the template folders (no http(s), no data:, no other local files).
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse  # WeasyPrint >= 70: fetchers are URLFetcher subclasses

log = logging.getLogger(__name__)


class _QuietFontSubsetting(logging.Filter):
    """Drops WeasyPrint's notice that it subsets fonts with fontTools (harmless, once per font)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "instead of HarfBuzz-Subset" not in record.getMessage()


logging.getLogger("weasyprint").addFilter(_QuietFontSubsetting())


class AssetFetcher(URLFetcher):
    """Serves files under ``roots`` and refuses every other URL (logged, never fetched)."""

    def __init__(self, roots: Sequence[Path]) -> None:
        super().__init__(timeout=1, allowed_protocols=("file",), allow_redirects=False, fail_on_errors=False)
        self._roots = tuple(root.resolve() for root in roots)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        path = self._allowed_path(url)
        if path is None:
            self.refused.append(url[:200])
            log.warning("refused to fetch %s while rendering a PDF", url[:200])
            raise ValueError(f"briefing does not fetch {url[:200]!r} (only its own template assets)")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})

    def _allowed_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()
        if not path.is_file():
            return None
        return path if any(path.is_relative_to(root) for root in self._roots) else None


def html_to_pdf(html: str, asset_dirs: Sequence[Path]) -> bytes:
    """The PDF of ``html``; relative URLs resolve against the first asset folder."""
    fetcher = AssetFetcher(asset_dirs)
    base_url = asset_dirs[0].resolve().as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()
