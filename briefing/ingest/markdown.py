"""Markdown articles with optional YAML front matter (title, date, source, url)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

import yaml
from markdown_it import MarkdownIt

from briefing.ingest.base import Document, ReadError, clean_value, decode_text, parse_date

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?P<yaml>.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_BLOCK_ENDS = {"paragraph_close", "heading_close", "list_item_close", "blockquote_close", "fence", "code_block"}


class _FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps and without aliases.

    A date stays text and is parsed (and refused) like any other: PyYAML would build
    ``date: 2022-02-30`` into a ``datetime.date`` itself and fail with a bare "day is
    out of range for month". An alias (``*name``) is refused: ten nested levels of
    aliases in a few hundred bytes stand for billions of values once anything walks
    them (the "billion laughs"), and an article's title, date, source and url never
    need one.
    """

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]  # types-PyYAML leaves it unannotated
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed", mark)
        return super().compose_node(parent, index)


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """What is wrong and where, on one line ("found unexpected end of stream, line 2, column 12")."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem:
        mark = exc.problem_mark
        return f"{exc.problem}, line {mark.line + 1}, column {mark.column + 1}" if mark else exc.problem
    return " ".join(str(exc).split())


class MarkdownReader:
    """``.md`` files: front matter for metadata, the Markdown body reduced to plain paragraphs."""

    name: ClassVar[str] = "markdown"
    extensions: ClassVar[tuple[str, ...]] = (".md", ".markdown")

    def __init__(self) -> None:
        # "zero" preset plus the block rules news text uses; raw HTML stays literal text.
        self._md = MarkdownIt("commonmark", {"html": False})

    def read(self, data: bytes, path: Path) -> list[Document]:
        text, encoding = decode_text(data)
        front: dict[str, Any] = {}
        if match := _FRONT_MATTER.match(text):
            try:
                loaded = yaml.load(match["yaml"], Loader=_FrontMatterLoader)  # a SafeLoader: builds no objects
            except yaml.YAMLError as exc:
                raise ReadError(f"the front matter is not valid YAML ({_yaml_problem(exc)})") from None
            if loaded is not None and not isinstance(loaded, dict):
                raise ReadError("the front matter must be a mapping of keys to values")
            front = {str(k).lower(): v for k, v in (loaded or {}).items()}
            text = text[match.end() :]
        body, heading = self._plain_text(text)
        return [
            Document(
                text=body,
                title=clean_value(front.get("title")) or heading,
                date=parse_date(front["date"], "front matter date") if front.get("date") else None,
                url=clean_value(front.get("url") or front.get("link")),
                publisher=clean_value(front.get("source")),
                meta={"encoding": encoding},
            )
        ]

    def _plain_text(self, source: str) -> tuple[str, str | None]:
        """Paragraphs of plain text (markup removed) and the first heading, if any."""
        blocks: list[str] = []
        current: list[str] = []
        heading: str | None = None
        in_heading = False
        for token in self._md.parse(source):
            if token.type == "heading_open":
                in_heading = True
            elif token.type == "inline":
                words = "".join(
                    child.content if child.type in {"text", "code_inline", "html_inline"} else " "
                    for child in token.children or ()
                    if child.type in {"text", "code_inline", "html_inline", "softbreak", "hardbreak"}
                )
                if in_heading and heading is None:
                    heading = clean_value(words)
                    continue
                current.append(" ".join(words.split()))
            if token.type in _BLOCK_ENDS:
                in_heading = False
                if token.type in {"fence", "code_block"}:
                    current.append(token.content.strip())
                if any(current):
                    blocks.append(" ".join(part for part in current if part))
                current = []
        return "\n\n".join(blocks), heading
