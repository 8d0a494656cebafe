"""The HTML page, its PDF and the e-mail digest lead with the same points: the ones compose chose."""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import replace
from pathlib import Path

from pypdf import PdfReader

from briefing.compose.edition import edit
from briefing.deliver.digest import DigestOptions, build_digest
from briefing.render import render_briefing
from tests.briefings import AT, make_briefing


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_page_pdf_and_mail_lead_with_the_points_compose_chose(tmp_path: Path) -> None:
    made = make_briefing(stories=8, previous_at=AT.replace(day=20))  # stories 1, 3, 5, 7 are new
    old_first = replace(made, stories=(*made.stories[0::2], *made.stories[1::2]))  # the old ones rank first
    briefing = edit(old_first, max_stories=4)  # only the four new ones are shown
    lead = [point.text for point in briefing.bottom_line]
    assert len(lead) == 4 and len(set(lead)) == 4
    shown = {a for story in briefing.shown_stories for a in story.article_ids}
    assert all(point.article_id in shown for point in briefing.bottom_line)

    rendered = render_briefing(briefing, tmp_path)
    assert not rendered.errors and rendered.html_path and rendered.pdf_path
    page = rendered.html_path.read_text(encoding="utf-8")
    section = page.split('id="bottom-line"', 1)[1].split("</section>", 1)[0]
    items = re.findall(r"<li>(.*?)(?:<a |</li>)", section, flags=re.S)
    assert [_flat(htmllib.unescape(item)) for item in items] == lead

    pdf_text = _flat(" ".join(p.extract_text() for p in PdfReader(str(rendered.pdf_path)).pages))
    after = pdf_text.index("Bottom line")
    places = [pdf_text.index(text, after) for text in lead]
    assert places == sorted(places)  # in the same order, in the PDF's bottom line
    assert places[-1] < pdf_text.index(briefing.shown_stories[0].title, after)  # before the first story

    pdf = rendered.pdf_path.read_bytes()
    digest = build_digest(briefing, pdf, DigestOptions(sender="desk@example.org"), AT)
    text = digest.message.get_body(("plain",)).get_content()
    block = text.split("BOTTOM LINE", 1)[1].split("NEW STORIES", 1)[0]
    bullets = [_flat(item) for item in block.split("\n* ")[1:]]
    assert [re.sub(r" \([^()]*\)$", "", bullet) for bullet in bullets] == lead
    mail_html = digest.message.get_body(("html",)).get_content()
    quoted = re.findall(r'font-size:16px;line-height:1.45;[^"]*">(.*?) <span', mail_html, flags=re.S)
    assert [_flat(htmllib.unescape(item)) for item in quoted] == lead
