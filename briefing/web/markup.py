"""An article's text as HTML: its key points marked, its actors and dates linked, everything else escaped.

The text is cut at every boundary of a key point or a link; each piece is escaped on its
own and wrapped in ``<mark>`` and ``<a>`` as it lies, so no character of the article is ever
markup. Overlapping links keep the first (longest) one.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import Markup, escape

from briefing.model import Analysis


@dataclass(frozen=True, slots=True)
class Link:
    start: int
    end: int
    href: str
    kind: str
    """A class for the link: ``actor`` or ``date``."""


def actor_href(name: str, kind: str | None = None) -> str:
    query = {"name": name, **({"kind": kind} if kind else {})}
    return "/actor?" + urlencode(query)


def article_links(analysis: Analysis, text_length: int) -> list[Link]:
    """The actor mentions (to the actor's page) and dates (to the calendar from that day), not overlapping."""
    wanted: list[Link] = []
    for actor in analysis.actors:
        for mention in actor.mentions:
            wanted.append(Link(mention.start, mention.end, actor_href(actor.name, actor.kind), "actor"))
    for time in analysis.times:
        if time.type == "DATE" and len(time.value) >= 10 and time.value[:4].isdigit():
            wanted.append(Link(time.start, time.end, "/calendar?" + urlencode({"since": time.value[:10]}), "date"))
    chosen: list[Link] = []
    taken_until = -1
    for link in sorted(wanted, key=lambda k: (k.start, -(k.end - k.start))):
        if 0 <= link.start < link.end <= text_length and link.start >= taken_until:
            chosen.append(link)
            taken_until = link.end
    return chosen


def marked_text(text: str, analysis: Analysis) -> Markup:
    """The whole text, escaped, with ``<mark class="key-point">`` around key points and links inside."""
    links = article_links(analysis, len(text))
    points = sorted((k.start, k.end) for k in analysis.key_points if 0 <= k.start < k.end <= len(text))
    cuts = {0, len(text)}
    for start, end in points:
        cuts.update((start, end))
    for link in links:
        cuts.update((link.start, link.end))
    edges = sorted(cuts)
    out: list[str] = []
    for start, end in itertools.pairwise(edges):
        piece = str(escape(text[start:end]))
        inside = next((k for k in links if k.start <= start and end <= k.end), None)
        if inside is not None:
            piece = f'<a class="{inside.kind}" href="{escape(inside.href)}">{piece}</a>'
        if any(s <= start and end <= e for s, e in points):
            piece = f'<mark class="key-point">{piece}</mark>'
        out.append(piece)
    return Markup("".join(out))
