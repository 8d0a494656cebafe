"""The visible text of an HTML page with the standard library's parser: the last resort for odd pages.

trafilatura parses with lxml, and libxml2 refuses to build a tree deeper than
about 255 elements: a page nested deeper (a generator's runaway ``<div>``s, or a
page made to hide from readers) came out as "no article text". Python's
:class:`html.parser.HTMLParser` builds no tree, so depth costs it nothing and it
runs in linear time; it is used only when trafilatura found no text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

HIDDEN = frozenset({"script", "style", "template", "noscript", "head", "title", "svg", "math", "iframe", "object"})
"""Elements whose content is not shown as the page's text."""
BLOCKS = frozenset(
    {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote", "pre"}
)
"""Elements that end a line of text."""


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._hidden: list[str] = []  # the open hidden elements, innermost last

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self._hidden.append(tag)
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._hidden:
            del self._hidden[len(self._hidden) - 1 - self._hidden[::-1].index(tag) :]
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)
        elif self._hidden[-1] == "title":
            self.title.append(data)


def visible_text(html: str) -> tuple[str | None, str]:
    """The page's ``<title>`` (or None) and its visible text, a line per block, however deep the nesting."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    title = " ".join("".join(collector.title).split()) or None
    return title, text
