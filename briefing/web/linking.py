"""A stored briefing's HTML, served with links to the web view's pages added and nothing else changed.

The file in ``reports/`` stays as it was written (it is mailed and opened on its own); the
server reads it, cuts it into tags and text and writes every piece back as it was, except
that in text outside links, styles and charts

- each name of the briefing's actor table becomes a link to the actor's page,
- a story's headline links to the story's page, a source's title to the article's page,
- an event's title (in the calendar tables) links to the event's page,

and a bar of links to the other pages opens the body. Text is written back escaped, so an
article title in the file stays text. A file made by a user's own templates simply gets
fewer links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urlencode

from markupsafe import escape

from briefing.web.markup import actor_href

_ACTOR_ROW = re.compile(r'<td><strong>([^<]*)</strong> <span class="note">([a-z]+)</span></td>')
_KINDS = {"organisation": "organization", "place": "location"}
_SOURCE_TITLE = re.compile(r'<bdi class="source-title">([^<]*)</bdi>')
_STORY_TITLE = re.compile(r'<h3 dir="auto"><span class="story-no">\d+</span> ([^<]*)')
_EVENT_CELL = 3
"""The calendar tables' columns: date, days to go, event, actors, sources."""
_TOKENS = re.compile(r"(<[^>]*>)")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>")
_CLASS = re.compile(r'\bclass="([^"]*)"')
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
    """``html`` with the links added (``article_ids``: article id by title) and ``nav`` after ``<body>``.

    The file is cut into tags and text with one regular expression (our templates write no
    ``<`` or ``>`` unescaped outside tags, styles and charts, and text is never parsed as
    markup): a few milliseconds for a briefing of hundreds of kilobytes. Text is copied as
    written, already escaped; links wrap it whole.
    """
    names = {str(escape(name)): href for name, href in found.actors.items()}
    pattern = re.compile(r"(?<![\w&#])(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")(?!\w)")
    out: list[str] = []
    stack: list[tuple[str, str]] = []  # open elements and their class
    raw: str | None = None  # inside <style> or <script>: text until its end tag
    cell = 0
    for token in _TOKENS.split(html):
        if not token:
            continue
        tag = _TAG.match(token) if token.startswith("<") else None
        if token.startswith("<"):
            out.append(token)
            if tag is None:
                continue  # a comment or the doctype
            closing, name, attrs = tag.group(1) == "/", tag.group(2).lower(), tag.group(3)
            if raw is not None:
                if closing and name == raw:
                    raw = None
                continue
            if closing:
                while stack and stack.pop()[0] != name:
                    pass
                continue
            cell = 0 if name == "tr" else cell + 1 if name == "td" else cell
            if name == "body":
                out.append(nav)
            if name in ("style", "script"):
                raw = name
            elif name not in _VOID and not attrs.rstrip().endswith("/"):
                found_class = _CLASS.search(attrs)
                stack.append((name, found_class.group(1) if found_class else ""))
            continue
        if raw is not None or any(open_tag in _SKIP for open_tag, _ in stack):
            out.append(token)
            continue
        here, here_class = stack[-1] if stack else ("", "")
        title = unescape(token).strip()
        if here == "bdi" and here_class == "source-title" and title in article_ids:
            out.append(_wrap(token, f"/article/{article_ids[title]}", "article"))
        elif here == "h3" and title in article_ids:
            out.append(_wrap(token, f"/story/{article_ids[title]}", "story"))
        elif here == "td" and cell == _EVENT_CELL and title and _in_calendar(stack):
            out.append(_wrap(token, "/event?" + urlencode({"title": title}), "event"))
        elif names:
            out.append(pattern.sub(lambda m: _wrap(m.group(1), names[m.group(1)], "actor"), token))
        else:
            out.append(token)
    return "".join(out)


def _in_calendar(stack: list[tuple[str, str]]) -> bool:
    return any("calendar" in cls.split() for _, cls in stack) and [t for t, _ in stack].count("td") == 1


def _wrap(text: str, href: str, kind: str) -> str:
    """Escaped ``text`` as a link, the white space around it left outside."""
    core = text.strip()
    before, after = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return f'{before}<a class="web-{kind}" href="{escape(href)}">{core}</a>{after}'


_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
