"""A stored briefing's HTML, served with links to the web view's pages added and nothing else changed.

The file in ``reports/`` stays as it was written (it is mailed and opened on its own); the
server reads it, tokenises it with the standard library's HTML parser and writes every
token back as it was, except that in text outside links, styles and charts

- each name of the briefing's actor table becomes a link to the actor's page,
- a story's headline links to the story's page, a source's title to the article's page,
- an event's title (in the calendar tables) links to the event's page,

and a bar of links to the other pages opens the body. Text is written back escaped, so an
article title in the file stays text. A file made by a user's own templates simply gets
fewer links.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlencode

from markupsafe import escape

from briefing.web.markup import actor_href

_ACTOR_ROW = re.compile(r'<td><strong>([^<]*)</strong> <span class="note">([a-z]+)</span></td>')
_KINDS = {"organisation": "organization", "place": "location"}
_SOURCE_TITLE = re.compile(r'<bdi class="source-title">([^<]*)</bdi>')
_STORY_TITLE = re.compile(r'<h3 dir="auto"><span class="story-no">\d+</span> ([^<]*)')
_EVENT_CELL = 3
"""The calendar tables' columns: date, days to go, event, actors, sources."""
_SKIP = frozenset({"a", "style", "script", "svg", "title", "head", "q", "textarea"})


@dataclass
class Targets:
    """What the briefing names and where each leads."""

    actors: dict[str, str] = field(default_factory=dict)
    """Actor name -> its page."""
    titles: set[str] = field(default_factory=set)
    """Article titles (sources and story headlines) found in the file, to be looked up."""


def targets(html: str) -> Targets:
    """The actors (from the actor table) and the titles (sources, story headlines) a stored briefing shows."""
    found = Targets()
    for name, kind in _ACTOR_ROW.findall(html):
        found.actors[unescape(name)] = actor_href(unescape(name), _KINDS.get(kind, kind))
    found.titles = {unescape(t).strip() for t in _SOURCE_TITLE.findall(html) + _STORY_TITLE.findall(html)}
    return found


def link_briefing(html: str, found: Targets, article_ids: dict[str, str], nav: str) -> str:
    """``html`` with the links added (``article_ids``: article id by title) and ``nav`` after ``<body>``."""
    rewriter = _Rewriter(found, article_ids, nav)
    rewriter.feed(html)
    rewriter.close()
    return "".join(rewriter.out)


class _Rewriter(HTMLParser):
    def __init__(self, found: Targets, article_ids: dict[str, str], nav: str) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[str] = []
        self.classes: list[str] = []
        self.nav = nav
        self.cell = 0
        self.article_ids = article_ids
        names = sorted(found.actors, key=len, reverse=True)
        self.actors = found.actors
        self.pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")(?!\w)") if names else None

    # tokens are written back as they came
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")
        if tag == "tr":
            self.cell = 0
        elif tag == "td":
            self.cell += 1
        if tag not in _VOID:
            self.stack.append(tag)
            self.classes.append(dict(attrs).get("class") or "")
        if tag == "body":
            self.out.append(self.nav)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")
        if tag in self.stack:
            while self.stack:
                self.classes.pop()
                if self.stack.pop() == tag:
                    break

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def handle_data(self, data: str) -> None:
        if any(tag in ("style", "script") for tag in self.stack):
            self.out.append(data)  # raw text: the parser handed it over unescaped
            return
        if any(tag in _SKIP for tag in self.stack):
            self.out.append(str(escape(data)))
            return
        here = self.stack[-1] if self.stack else ""
        title = data.strip()
        if here == "bdi" and self.classes[-1] == "source-title" and title in self.article_ids:
            self.out.append(self._wrap(data, f"/article/{self.article_ids[title]}", "article"))
        elif here == "h3" and title in self.article_ids and "story-no" not in self.classes[-1]:
            self.out.append(self._wrap(data, f"/story/{self.article_ids[title]}", "story"))
        elif here == "td" and self.cell == _EVENT_CELL and self._in_calendar() and title:
            self.out.append(self._wrap(data, "/event?" + urlencode({"title": title}), "event"))
        else:
            self.out.append(self._actors(data))

    def _in_calendar(self) -> bool:
        return any("calendar" in c.split() for c in self.classes) and self.stack.count("td") == 1

    def _wrap(self, data: str, href: str, kind: str) -> str:
        """``data`` as a link, the white space around it left outside."""
        text = data.strip()
        before, after = data[: len(data) - len(data.lstrip())], data[len(data.rstrip()) :]
        return f'{before}<a class="web-{kind}" href="{escape(href)}">{escape(text)}</a>{after}'

    def _actors(self, data: str) -> str:
        if self.pattern is None:
            return str(escape(data))
        return _substitute(self.pattern, data, lambda name: self._wrap(name, self.actors[name], "actor"))


def _substitute(pattern: re.Pattern[str], data: str, link: Callable[[str], str]) -> str:
    pieces: list[str] = []
    at = 0
    for match in pattern.finditer(data):
        pieces.append(str(escape(data[at : match.start()])))
        pieces.append(link(match.group(1)))
        at = match.end()
    pieces.append(str(escape(data[at:])))
    return "".join(pieces)


_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
