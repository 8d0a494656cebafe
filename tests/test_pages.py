"""The pages a reader gets: the bottom line on page 1, contents only where they help, an empty section
as one line, "What is new" as a list, file paths only in the sources (issue 17, point 8)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pypdf import PdfReader

from briefing.render import render_briefing, render_html
from tests.briefings import AT, make_briefing
from tests.test_render import sections

TITLES = [f"Harbour story {n} reaches the council" for n in range(1, 31)]


def pages(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def long_briefing():
    return make_briefing(stories=30, points=4, titles=TITLES, url=None, previous_at=AT - dt.timedelta(days=1))


def test_page_one_holds_the_bottom_line_and_the_contents_without_a_blank_page(tmp_path: Path) -> None:
    briefing = long_briefing()
    rendered = render_briefing(briefing, tmp_path)
    text = pages(rendered.pdf_path)
    first_point = " ".join(briefing.bottom_line[0].text.split())
    assert "Bottom line" in text[0] and first_point[:60] in text[0]
    assert "Contents" in text[0]  # long enough for contents, and they follow the bottom line on page 1
    # The contents list the sections; thirty story titles would fill a page of their own.
    html, _ = render_html(briefing)
    assert 'class="toc"' in html and 'class="toc-stories"' not in html


def test_an_empty_section_is_one_line_and_never_a_page_of_its_own(tmp_path: Path) -> None:
    briefing = long_briefing()
    rendered = render_briefing(briefing, tmp_path)
    text = pages(rendered.pdf_path)
    [last] = [page for page in text if "Not included" in page and "Contents" not in page]
    assert "Not included: nothing; every file could be read." in last
    assert "seeds/article-30.txt" in last or "Sources" in last or len(last) > 400  # shares its page with the sources
    html, _ = render_html(briefing)
    assert '<section id="not-included" class="empty-section">' in html


def test_what_is_new_is_a_list_of_titles(tmp_path: Path) -> None:
    html, _ = render_html(long_briefing())
    new = html.split('<section id="whats-new"')[1].split("</section>")[0]
    new_titles = [t for n, t in enumerate(TITLES) if n % 2 == 0]  # make_briefing: every other story is new
    assert "15 new stories:" in new
    for title in new_titles:
        assert f"<bdi>{title}</bdi></a></li>" in new  # a title of any direction is isolated
    assert "</a>; <a" not in new


def test_story_lines_name_no_file_paths_the_sources_do(tmp_path: Path) -> None:
    found = sections(render_html(long_briefing())[0])
    assert "seeds/" not in found["stories"]
    assert "seeds/article-1.txt" in found["sources"] and "seeds/article-30.txt" in found["sources"]


def test_a_long_what_is_new_list_starts_on_page_one(tmp_path: Path) -> None:
    titles = [f"Harbour story {n} reaches the council" for n in range(1, 81)]
    briefing = make_briefing(stories=80, points=1, titles=titles, url=None, previous_at=AT - dt.timedelta(days=1))
    text = pages(render_briefing(briefing, tmp_path).pdf_path)
    assert "What is new" in text[0] and "40 new stories" in text[0]  # not pushed whole to page 2
