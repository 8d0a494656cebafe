"""Hostile article content through the whole pipeline (issue 22, point 11).

A JSON feed item carries a NUL, a RIGHT-TO-LEFT OVERRIDE and a 300 KB title, a
5,000-character source name and a 5,000-character word. It is ingested,
briefed (real WeasyPrint PDF, read back with pdftotext) and previewed as an
e-mail digest.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from briefing.config import Settings
from briefing.deliver.send import find_briefing, preview_digest
from briefing.pipeline import generate_briefing, ingest_folder
from tests.conftest import news_text

LONG_WORD = "Llanfair" * 625  # 5,000 characters, no space
WIDE_WORD = "Llanfair" * 100  # 800 characters: many times the page's width, yet its sentence is no runaway one
SOURCE = "Gazette" * 715  # a 5,005-character source name


def hostile_item() -> dict[str, str]:
    """The wide word stands in the sentence with the story's figure, a key point, so it is on the page whole;
    the 5,000-character one makes a runaway sentence, cut into pieces (tests/test_hostile_text.py)."""
    return {
        "title": "Harbour\u0000 plan for \u202egnp.exe ships " + "and more " * 33_000,  # ~300 KB
        "date": "2022-02-17",
        "source": SOURCE,
        "text": news_text("harbour", sentences=1)
        + f" The harbour project, code-named {WIDE_WORD}, will cost about 40 million euros, the city council said."
        + f" Work starts in the spring. The old code name was {LONG_WORD} for now.",
    }


@pytest.fixture(scope="module")
def briefed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path]:
    from briefing.config import load_settings

    root = tmp_path_factory.mktemp("hostile")
    (root / "seeds").mkdir()
    (root / "reports").mkdir()
    (root / "seeds" / "feed.json").write_text(json.dumps(hostile_item()), encoding="utf-8")
    settings = load_settings(env={}, overrides={"base_dir": str(root), "timezone": "Europe/London"})
    ingest_folder(settings)
    result = generate_briefing(settings)
    assert result.articles == 1 and result.rendered.pdf_path is not None, result.rendered.errors
    return settings, result.rendered.pdf_path


def test_titles_and_source_names_are_capped_so_the_html_stays_small(briefed: tuple[Settings, Path]) -> None:
    _, pdf = briefed
    html = pdf.with_suffix(".html").read_text(encoding="utf-8")
    assert len(html) < 150_000  # was: the title several times over, megabytes
    assert "and more and more" in html and "and more " * 100 not in html
    assert SOURCE[:100] in html and SOURCE not in html


def test_no_nul_and_no_bidi_override_reach_the_html_or_the_mail(briefed: tuple[Settings, Path], tmp_path: Path) -> None:
    settings, pdf = briefed
    html = pdf.with_suffix(".html").read_text(encoding="utf-8")
    record = find_briefing(settings)
    assert record is not None
    [eml] = preview_digest(settings, record, ["desk@example.org"], tmp_path)
    message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    mail = message.get_body(("plain",)).get_content() + message.get_body(("html",)).get_content()
    for shown in (html, mail):
        assert "\u0000" not in shown and "\u202e" not in shown
        assert "gnp.exe ships" in shown  # the file name reads as written
    # Each title is isolated, so right-to-left text cannot reorder what follows it.
    assert re.search(r'<h3 dir="auto"><span class="story-no">1</span> Harbour plan for gnp\.exe ships', html)
    assert re.search(r"<bdi[^>]*>Harbour plan for gnp\.exe ships", html)  # the sources list
    assert re.search(r"<bdi>Harbour plan for gnp\.exe ships", message.get_body(("html",)).get_content())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_a_long_word_and_a_long_source_name_wrap_inside_the_pdf_page(briefed: tuple[Settings, Path]) -> None:
    _, pdf = briefed
    layout = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', layout, re.S)
    assert pages
    overflowing = []
    for width, body in pages:
        for x_min, x_max, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<', body
        ):
            if float(x_max) > float(width) or float(x_min) < 0:
                overflowing.append(word[:40])
    assert overflowing == []  # was: the word and the source name running off the right edge
    words = "".join(word for _, body in pages for word in re.findall(r">([^<]+)</word>", body))
    assert WIDE_WORD in words and SOURCE[:100] in words  # wrapped, not clipped


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_a_long_word_wraps_in_the_mail_too(tmp_path: Path) -> None:
    """The digest's HTML part laid out by WeasyPrint, standing in for a mail client that honours inline CSS."""
    import datetime as dt

    from weasyprint import HTML

    from briefing.deliver.digest import DigestOptions, build_digest
    from tests.briefings import make_briefing

    briefing = make_briefing(stories=1, points=2, texts=[f"The code name is {LONG_WORD} for now."])
    digest = build_digest(briefing, None, DigestOptions(sender="b@example.org"), dt.datetime.now(dt.UTC))
    html = digest.message.get_body(("html",)).get_content()
    assert LONG_WORD in html
    pdf = tmp_path / "mail.pdf"
    HTML(string=html).write_pdf(pdf)
    layout = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', layout, re.S)
    wide = [
        word[:40]
        for width, body in pages
        for x_max, word in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<', body)
        if float(x_max) > float(width)
    ]
    assert wide == []  # was: the word running off the message's 600px column and the page
