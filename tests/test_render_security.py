"""Untrusted text cannot make the report run code, read files or reach the network.

Article text is escaped everywhere (HTML and SVG). Behind that, the PDF
renderer's URL fetcher serves only asset files of the template folders, so
even markup a user template writes on purpose cannot embed a local file or
make a connection.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject, StreamObject

from briefing.config import Settings
from briefing.model import Relation
from briefing.pipeline import generate_briefing, ingest_folder
from briefing.render import render_briefing
from briefing.render.pdf import AssetFetcher
from briefing.render.templating import bundled_templates_dir
from tests.briefings import actor, event, make_briefing
from tests.listener import recording_listener

HOSTILE_TITLE = '"><img src=x onerror=alert(1)>'


@pytest.fixture
def listener() -> Iterator[tuple[int, list[tuple[str, int]]]]:
    """A TCP socket listening on 127.0.0.1 that records every connection it gets."""
    with recording_listener() as listening:
        yield listening


@pytest.fixture
def secrets(tmp_path: Path) -> dict[str, Path]:
    """Local files no briefing may contain, with unmistakable contents."""
    folder = tmp_path / "private"
    folder.mkdir()
    files = {
        "text": folder / "secret.txt",
        "image": folder / "secret.png",
        "css": folder / "secret.css",
    }
    files["text"].write_text("TOP-SECRET-TEXT-7f3a", encoding="utf-8")
    files["image"].write_bytes(b"\x89PNG\r\n\x1a\nTOP-SECRET-IMAGE-7f3a")
    files["css"].write_text("body::after { content: 'TOP-SECRET-CSS-7f3a' }", encoding="utf-8")
    return files


def hostile_markup(port: int, secrets: dict[str, Path]) -> str:
    return (
        '<img src="file:///etc/passwd"> '
        '<link rel="attachment" href="file:///etc/hostname"> '
        f'<link rel="attachment" href="{secrets["text"].as_uri()}"> '
        f'<link rel="stylesheet" href="{secrets["css"].as_uri()}"> '
        f'<img src="{secrets["image"].as_uri()}"> '
        "<script>alert(document.cookie)</script> "
        f"<style>body {{ background: url(http://127.0.0.1:{port}/x) }}</style> "
        f'<div style="background-image: url(http://127.0.0.1:{port}/y)">x</div> '
        f'<img src="http://127.0.0.1:{port}/z.png"> '
        '<svg><image href="file:///etc/passwd"/></svg>'
    )


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    return parser


def stream_bytes(path: Path) -> bytes:
    """Every stream of the PDF, decoded, plus the raw file: where an embedded file would be."""
    reader = PdfReader(path)
    chunks = [path.read_bytes()]
    numbers = {n for table in reader.xref.values() for n in table} | set(reader.xref_objStm)
    assert numbers  # the PDF's cross-reference table was read
    for number in sorted(numbers):
        obj = reader.get_object(IndirectObject(number, 0, reader))
        if isinstance(obj, StreamObject):
            try:
                chunks.append(obj.get_data())
            except Exception:
                continue
    return b"\n".join(chunks)


def assert_pdf_holds_no_file(pdf: Path, secrets: dict[str, Path]) -> None:
    reader = PdfReader(pdf)
    # Only the briefing's own analysis is embedded (PDF/A-3), never a file a <link rel=attachment> names.
    assert set(reader.attachments) <= {"briefing-analysis.json"}
    for content in reader.attachments.get("briefing-analysis.json", []):
        assert json.loads(content)["format"] == "briefing-analysis/1"
    data = stream_bytes(pdf)
    assert b"TOP-SECRET" not in data
    passwd = Path("/etc/passwd").read_bytes().splitlines()[0]
    assert passwd not in data
    hostname = Path("/etc/hostname").read_bytes().strip() if Path("/etc/hostname").exists() else b""
    if len(hostname) >= 8:
        assert hostname not in data


def test_hostile_article_is_text_in_html_and_pdf(
    project: Path,
    settings: Settings,
    listener: tuple[int, list[tuple[str, int]]],
    secrets: dict[str, Path],
) -> None:
    """Through the real pipeline: ingest a hostile article, generate, look at both files."""
    port, connections = listener
    markup = hostile_markup(port, secrets)
    body = " ".join(
        f"Sentence {n} about the harbour plan quotes the page source {markup} and goes on." for n in range(4)
    )
    (project / "seeds" / "hostile.json").write_text(
        json.dumps({"title": HOSTILE_TITLE, "date": "2022-02-18", "text": body, "url": "javascript:alert(1)"}),
        encoding="utf-8",
    )
    settings = settings.model_copy(update={"analysis": settings.analysis.model_copy(update={"key_points": 10})})
    assert not ingest_folder(settings).failed
    result = generate_briefing(settings)
    assert not result.rendered.errors and result.articles == 1

    html = result.rendered.html_path.read_text(encoding="utf-8")  # type: ignore[union-attr]
    page = parse(html)
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"img", "script", "link", "image", "iframe", "object", "embed"}
    assert not [(t, a) for t, a in page.tags for name in a if name.startswith("on")]
    assert not [a for _, a in page.tags if (a.get("href") or "").startswith(("javascript:", "file:"))]
    assert [tag for tag, _ in page.tags].count("style") == 2  # ours only
    text = "".join(page.text)
    assert HOSTILE_TITLE in text  # the title shows as text
    assert '<img src="file:///etc/passwd">' in text and "<script>alert(document.cookie)</script>" in text
    assert f"url(http://127.0.0.1:{port}/x)" in text

    pdf = result.rendered.pdf_path
    pdf_text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())  # type: ignore[arg-type]
    assert HOSTILE_TITLE in pdf_text
    assert '<img src="file:///etc/passwd">' in pdf_text
    assert '<link rel="attachment" href="file:///etc/hostname">' in pdf_text
    assert_pdf_holds_no_file(pdf, secrets)  # type: ignore[arg-type]
    assert connections == []


def test_hostile_names_in_charts_are_escaped(tmp_path: Path) -> None:
    name = "<script>alert(1)</script>"
    briefing = make_briefing(
        titles=(HOSTILE_TITLE,),
        calendar=(event(HOSTILE_TITLE, "2022-03-01", actors=(name,)), event(name, "2022-02-10", status="past")),
        actors=(actor(name), actor(HOSTILE_TITLE, kind="organization")),
        relations=(Relation(name, HOSTILE_TITLE, 2, ()), Relation(name, "Anna & Co", 1, ())),
    )
    rendered = render_briefing(briefing, tmp_path, formats=(".html",))
    page = parse(rendered.html_path.read_text(encoding="utf-8"))  # type: ignore[union-attr]
    assert not {tag for tag, _ in page.tags} & {"img", "script"}
    text = "".join(page.text)
    assert text.count(name) >= 4 and text.count(HOSTILE_TITLE) >= 4 and "Anna & Co" in text


def test_a_user_template_cannot_fetch_files_or_network(
    tmp_path: Path,
    listener: tuple[int, list[tuple[str, int]]],
    secrets: dict[str, Path],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Markup written on purpose by a template reaches WeasyPrint; the fetcher still refuses it all."""
    port, connections = listener
    user = tmp_path / "my-templates" / "partials"
    user.mkdir(parents=True)
    (user / "not_included.html.j2").write_text(
        f"<section id='not-included'><h2>Not included</h2>{hostile_markup(port, secrets)}</section>",
        encoding="utf-8",
    )
    os.symlink(secrets["css"], tmp_path / "my-templates" / "linked.css")  # a link leading out of the folder
    (user / "sources.html.j2").write_text('<link rel="stylesheet" href="../linked.css">', encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        rendered = render_briefing(make_briefing(), tmp_path / "reports", tmp_path / "my-templates")
    assert not rendered.errors
    assert_pdf_holds_no_file(rendered.pdf_path, secrets)  # type: ignore[arg-type]
    assert connections == []
    refused = caplog.text
    for url in ("file:///etc/passwd", "file:///etc/hostname", f"http://127.0.0.1:{port}/x", secrets["text"].as_uri()):
        assert f"refused to fetch {url}" in refused
    # The bundled fonts were still found through the user's folder (relative URLs fall back).
    fonts = {
        str(f.get_object()["/BaseFont"])
        for p in PdfReader(rendered.pdf_path).pages
        for f in p["/Resources"]["/Font"].values()
    }  # type: ignore[arg-type]
    assert any("Briefing-Sans" in f for f in fonts)


def test_the_fetcher_serves_only_template_assets(tmp_path: Path, secrets: dict[str, Path]) -> None:
    user = tmp_path / "mine"
    (user / "fonts").mkdir(parents=True)
    (user / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (user / ".hidden.css").write_text("x", encoding="utf-8")
    (user / "briefing.html.j2").write_text("x", encoding="utf-8")
    os.symlink(secrets["image"], user / "fonts" / "evil.png")
    bundled = bundled_templates_dir()
    fetcher = AssetFetcher([user, bundled])
    allowed = fetcher.allowed_path
    assert allowed((user / "logo.png").as_uri()) == (user / "logo.png").resolve()
    assert allowed((bundled / "fonts" / "NotoSans-Regular.ttf").as_uri())
    # Relative to the user's folder, a missing asset is found in the bundled one.
    assert (
        allowed((user / "fonts" / "NotoSans-Regular.ttf").as_uri())
        == (bundled / "fonts" / "NotoSans-Regular.ttf").resolve()
    )
    for url in (
        "file:///etc/passwd",
        "file:///etc/hostname",
        secrets["image"].as_uri(),
        (user / "fonts" / "evil.png").as_uri(),  # symlink out of the folder
        (user / "fonts" / ".." / ".." / "private" / "secret.png").as_uri(),
        (user / ".hidden.css").as_uri(),
        (user / "briefing.html.j2").as_uri(),  # templates are not assets
        "file://otherhost/" + str(user / "logo.png"),
        "http://127.0.0.1:9/x.css",
        "https://example.org/font.ttf",
        "data:image/png;base64,iVBORw0KGgo=",
        "ftp://example.org/x.png",
    ):
        assert allowed(url) is None, url
    with pytest.raises(ValueError, match="only its own template assets"):
        fetcher.fetch("file:///etc/passwd")
    assert fetcher.refused == ["file:///etc/passwd"]
