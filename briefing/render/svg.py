"""Small helpers for SVG drawn as text: every attribute and text node escaped.

The charts are plain SVG strings inlined in the HTML, so they need no script,
no external file and no fetch, and look the same in a browser and in the PDF.
Names and titles in them come from articles, so everything goes through
:func:`esc` (text) or :func:`element` (attributes).
"""

from __future__ import annotations

from html import escape

FONT_FAMILY = "'Briefing Sans', 'Noto Sans', 'DejaVu Sans', Arial, sans-serif"
"""The charts' font: the bundled sans (loaded by the print stylesheet), then common fallbacks."""

AVG_CHAR_EM = 0.56
"""Average advance of a character in ems for Noto Sans mixed-case text (used to estimate label widths)."""


def esc(value: object) -> str:
    """``value`` as SVG/XML text or attribute content: ``& < > " '`` escaped."""
    return escape(str(value), quote=True)


def num(value: float) -> str:
    """A coordinate written short: ``12.5``, ``12``."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def element(tag: str, content: str | None = None, /, **attributes: object) -> str:
    """``<tag a="b">content</tag>`` (self-closing when ``content`` is None).

    ``content`` is inserted as given (callers escape text with :func:`esc`);
    attribute names use ``_`` for ``-`` and ``class_`` for ``class``; a None
    value leaves the attribute out; floats are written short.
    """
    parts = [tag]
    for name, value in attributes.items():
        if value is None:
            continue
        shown = num(value) if isinstance(value, float) else esc(value)
        parts.append(f'{name.rstrip("_").replace("_", "-")}="{shown}"')
    opening = " ".join(parts)
    return f"<{opening}/>" if content is None else f"<{opening}>{content}</{tag}>"


def text_width(text: str, size: float) -> float:
    """An estimate of ``text``'s width at font ``size`` (no font metrics at hand while drawing)."""
    return len(text) * size * AVG_CHAR_EM


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


def svg_document(width: float, height: float, body: str, title: str, css_class: str) -> str:
    """An inline ``<svg>`` with a viewBox (it scales to its container) and an accessible title."""
    return element(
        "svg",
        element("title", esc(title)) + body,
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {num(width)} {num(height)}",
        width=float(width),
        height=float(height),
        role="img",
        class_=css_class,
        font_family=FONT_FAMILY,
    )
