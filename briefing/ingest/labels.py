"""Titles and source names as they enter the store: one line, printable, bidi-safe and of bounded length.

These short labels come from untrusted files and are printed everywhere: the
briefing's headings, the table of contents, the sources list, the e-mail digest.
So they are cleaned once, where they enter (every reader's document passes
through :func:`briefing.ingest._article`), and everything downstream is bounded:

- control characters (NUL and the rest of C0/C1) are dropped: they are not text,
  HTML forbids most of them and an e-mail header or body must not carry them;
- bidirectional overrides, embeddings and isolates (U+202A-U+202E, U+2066-U+2069)
  are dropped: an unbalanced RIGHT-TO-LEFT OVERRIDE makes ``gnp.exe`` read as
  ``exe.png`` and reorders the text after it; the templates isolate each label
  (``<bdi>``) so right-to-left titles still show as written;
- the length is capped at a word boundary, with an ellipsis: a headline is rarely
  over 150 characters, and a 1.3 MB "title" once made a 2.7 MB page.
"""

from __future__ import annotations

import re
import unicodedata

TITLE_CAP = 300
"""Most characters of an article title kept (a word boundary at or before it, then "…")."""
PUBLISHER_CAP = 120
"""Most characters of a source (publisher) name kept."""

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Embeddings, overrides and isolates: formatting that reorders the text around it."""


def clean_label(value: str | None, cap: int) -> str | None:
    """``value`` as one printable line of at most ``cap`` characters (plus "…" when cut), or None when empty."""
    if value is None:
        return None
    value = value[: cap * 4]  # enough to find a word boundary; the rest is never looked at
    value = BIDI_CONTROLS.sub("", value)
    value = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in value)
    value = " ".join(value.split())
    return shorten(value, cap) or None


def shorten(text: str, cap: int) -> str:
    """``text`` cut to at most ``cap`` characters at a word boundary, with "…" saying it was cut.

    A single word longer than the cap (no space in the last third) is cut inside it.
    """
    if len(text) <= cap:
        return text
    window = text[: cap + 1]
    space = window.rfind(" ")
    cut = space if space >= cap * 2 // 3 else cap
    return text[:cut].rstrip(" ,;:") + "…"
