"""Small helpers for SVG drawn as text: every attribute and text node escaped.

The charts are plain SVG strings inlined in the HTML, so they need no script,
no external file and no fetch, and look the same in a browser and in the PDF.
Names and titles in them come from articles, so everything goes through
:func:`esc` (text) or :func:`element` (attributes).
"""

from __future__ import annotations

from functools import cache
from html import escape

from fontTools.ttLib import TTFont

FONT_FAMILY = "'Briefing Sans', 'Noto Sans', 'DejaVu Sans', Arial, sans-serif"
"""The charts' font: the bundled sans (loaded by the print stylesheet), then common fallbacks."""

AVG_CHAR_EM = 0.56
"""Average advance of a character in ems for Noto Sans mixed-case text (for characters the font lacks)."""
FALLBACK_SLACK = 1.1
"""Widths are measured in the bundled Noto Sans, which the PDF uses; a browser that lacks it falls back to
a sans such as DejaVu Sans, up to a tenth wider, so every width gets that much room."""


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


def text_width(text: str, size: float, bold: bool = False) -> float:
    """``text``'s width at font ``size``, from the bundled font's advances, so that labels placed
    side by side really do not touch (a flat average per character let bold labels run into each other)."""
    advances, per_em = _advances(bold)
    default = AVG_CHAR_EM * per_em
    units = sum(advances.get(ord(c), default) for c in text)
    return units / per_em * size * FALLBACK_SLACK


@cache
def _advances(bold: bool) -> tuple[dict[int, float], int]:
    """The advance of every character of Noto Sans (regular or bold), in font units, and the units per em."""
    from briefing.render.templating import bundled_templates_dir  # the fonts ship with the templates

    try:
        path = bundled_templates_dir() / "fonts" / ("NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf")
        font = TTFont(path, lazy=True)
        metrics = font["hmtx"].metrics
        advances = {code: float(metrics[name][0]) for code, name in font.getBestCmap().items() if name in metrics}
        return advances, int(font["head"].unitsPerEm)
    except (OSError, KeyError):  # fonts missing from an odd install: the flat estimate
        return {}, 1000


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
