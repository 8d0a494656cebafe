"""The report: sections, citations, files in reports/, page size, contents, fonts, failures shown."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.config import ReportSettings
from briefing.model import Failure
from briefing.render import render_briefing, render_html
from briefing.render.view import build_report, safe_href
from tests.briefings import AT, make_briefing, rich_briefing


def pdf_text(path: Path) -> list[str]:
    """Each page's text with whitespace collapsed."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


class Sections(HTMLParser):
    """The text of each ``<section id=...>`` of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.current: str | None = None
        self.depth = 0
        self.text: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section" and self.current is None:
            self.current, self.depth = dict(attrs).get("id"), 0
            self.text[self.current or ""] = []
        elif tag == "section":
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            if self.depth == 0:
                self.current = None
            else:
                self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.text[self.current].append(data)


def sections(html: str) -> dict[str, str]:
    parser = Sections()
    parser.feed(html)
    return {name: " ".join(" ".join(parts).split()) for name, parts in parser.text.items()}


def test_every_section_of_a_full_briefing(tmp_path: Path) -> None:
    html, _ = render_html(rich_briefing(), settings=ReportSettings(title="Harbour watch", organisation="Policy Unit"))
    found = sections(html)
    assert list(found) == ["bottom-line", "whats-new", "stories", "events", "actors", "sources", "not-included"]
    assert "Harbour watch · Policy Unit" in html and "Monday 21 February 2022" in html
    assert "14–21 Feb 2022" in html  # the period covered
    # Bottom line: the best point of each top story, each citing its source and story.
    assert found["bottom-line"].count("[1]") == 1 and "story 3" in found["bottom-line"]
    # Stories: every point cites its source; the source is listed with title, date, link and file.
    assert found["stories"].count("[1]") >= 3
    assert 'href="#source-1"' in html and 'id="source-1"' in html
    assert "Harbour plan number 1 goes to a council vote" in found["sources"]
    assert "https://news.example.org/a" in found["sources"] and "seeds/article-1.txt" in found["sources"]
    # Events: upcoming with date and days to go, the moved date, past events, the timeline.
    assert "9–10 Mar 2022 in 16 days Council vote on the harbour budget Anna Berg, City Council [1]" in found["events"]
    assert "moved from Thu 24 Feb 2022" in found["events"]
    assert "March 2022" in found["events"] and "Construction starts" in found["events"]
    assert "Harbour plan announced" in found["events"] and "7 days ago" in found["events"]
    assert html.count('class="chart timeline"') == 1 and html.count('class="chart network"') == 1
    # Actors: name, role, affiliation, mentions, the stories they appear in.
    assert "Anna Berg person Mayor City Council 5 1" in found["actors"]
    assert "City Council organisation" in found["actors"]
    # What is new, with a previous briefing: the new stories and the moved event.
    assert "2 new stories" in found["whats-new"] and "Date changed: Public hearing on the harbour" in found["whats-new"]
    assert "seeds/broken.txt binary file (not text)" in found["not-included"]


def test_empty_sections_say_so_plainly() -> None:
    html, _ = render_html(make_briefing(stories=0))
    found = sections(html)
    assert "No articles arrived in this period." in found["stories"]
    assert "no article in this period yielded a key point" in found["bottom-line"]
    assert "This is the first briefing" in found["whats-new"]
    assert "No upcoming events were found" in found["events"]
    assert "No actors were identified" in found["actors"]
    assert "every file could be read" in found["not-included"]
    assert "<svg" not in html


def test_upcoming_events_are_in_date_order_and_undated_last() -> None:
    report = build_report(rich_briefing())
    assert [e.entry.title for e in report.upcoming] == [
        "Public hearing on the harbour",
        "Regional funding talks",
        "Council vote on the harbour budget",
        "Construction starts",
    ]
    assert [e.days for e in report.upcoming[:1]] == ["in 7 days"]


def test_a_past_event_dated_to_the_day_says_how_long_ago() -> None:
    report = build_report(rich_briefing())
    days = {e.entry.title: e.days for e in report.past}
    assert days["Harbour plan announced"] == "7 days ago"  # 2022-02-14, briefed on 2022-02-21


def test_links_are_only_http(tmp_path: Path) -> None:
    assert safe_href("javascript:alert(1)") is None
    assert safe_href("file:///etc/passwd") is None
    assert safe_href("data:text/html,<b>x</b>") is None
    assert safe_href('https://example.org/"onmouseover=x') is None
    assert safe_href(" https://example.org/a?b=1 ") == "https://example.org/a?b=1"
    html, _ = render_html(make_briefing(url="javascript:alert(1)"))
    assert 'href="javascript:' not in html and "javascript:alert(1)" in html  # shown, not linked


def test_files_latest_index_and_no_overwrite(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    first = render_briefing(make_briefing(stories=1), reports, formats=(".html",))
    second = render_briefing(make_briefing(stories=2), reports, formats=(".html",))
    assert first.html_path == reports / "2022-02-21" / "briefing-0700.html"
    assert second.html_path == reports / "2022-02-21" / "briefing-0700-2.html"
    assert first.html_path.read_text(encoding="utf-8") != second.html_path.read_text(encoding="utf-8")
    assert (reports / "latest.html").read_bytes() == second.html_path.read_bytes()
    assert not list(reports.rglob("*.tmp"))  # atomic writes leave no temporary files behind
    assert not (reports / "latest.pdf").exists()  # no PDF was asked for: none passes for the latest


def test_index_lists_every_briefing_newest_first(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    from briefing.pipeline import generate_briefing

    settings = settings.model_copy(update={"report": ReportSettings(title="Desk")})
    for hour in (9, 7, 8):
        moment = dt.datetime(2022, 2, 21, hour, 0, tzinfo=dt.UTC)
        generate_briefing(settings, now=moment)
    index = (settings.reports_path / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="(2022-02-21/briefing-\d{4}\.html)"', index)
    assert links == ["2022-02-21/briefing-0900.html", "2022-02-21/briefing-0800.html", "2022-02-21/briefing-0700.html"]
    assert "Desk" in index and 'href="latest.html"' in index


def test_the_live_view_is_its_own_page_says_so_and_the_archive_links_it_once_it_exists(
    settings,  # type: ignore[no-untyped-def]
    seed_copy: Path,
) -> None:
    """Issue 17 point 3: the live view was written over latest.html, so "latest" meant two briefings."""
    from briefing.pipeline import generate_briefing, ingest_folder, refresh_live

    reports = settings.reports_path
    ingest_folder(settings)
    made = generate_briefing(settings, formats=(".html",))
    assert 'href="live.html"' not in (reports / "index.html").read_text(encoding="utf-8")  # no live view yet
    latest = (reports / "latest.html").read_bytes()
    assert b"Live view" not in latest

    assert refresh_live(settings) == 1  # no scheduled briefing yet: the on-demand window holds the seed
    assert (reports / "latest.html").read_bytes() == latest == made.rendered.html_path.read_bytes()  # type: ignore[union-attr]
    page = (reports / "live.html").read_text(encoding="utf-8")
    assert "<title>Live view · " in page
    assert (
        "Live view:</strong> what arrived since the last scheduled briefing, updated as files land;"
        ' the latest briefing is <a href="latest.html">latest.html</a>.'
    ) in page
    assert seed_copy.name in page
    assert 'href="live.html"' in (reports / "index.html").read_text(encoding="utf-8")  # linked once it exists


def test_pdf_pages_fonts_running_header_and_page_numbers(tmp_path: Path) -> None:
    rendered = render_briefing(
        rich_briefing(stories=8, points=5), tmp_path, settings=ReportSettings(organisation="Policy Unit")
    )
    assert not rendered.errors
    reader = PdfReader(rendered.pdf_path)
    pages = pdf_text(rendered.pdf_path)
    assert len(pages) >= 2
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert "Intelligence briefing · Policy Unit" in pages[1] and "Monday 21 February 2022" in pages[1]
    assert f"Page 2 of {len(pages)}" in pages[1]
    # The bundled fonts are embedded (subset), so the PDF does not depend on the machine's fonts.
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            descriptor = descriptor.get_object()
            assert any(key in descriptor for key in ("/FontFile2", "/FontFile3", "/FontFile")), font["/BaseFont"]
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert {"Briefing-Sans", "Briefing-Sans-Bold", "Briefing-Serif-Bold"} <= fonts
    assert all(name.startswith("Briefing-") for name in fonts), fonts  # no machine font was needed
    # Headings become PDF bookmarks.
    assert [item.title for item in reader.outline if not isinstance(item, list)][:3] == [
        "Bottom line",
        "What is new",
        "Stories",
    ]


@pytest.mark.parametrize(("size", "width", "height"), [("A4", 595, 842), ("Letter", 612, 792)])
def test_page_size(tmp_path: Path, size: str, width: int, height: int) -> None:
    rendered = render_briefing(make_briefing(stories=1), tmp_path, settings=ReportSettings(page_size=size))  # type: ignore[arg-type]
    box = PdfReader(rendered.pdf_path).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (width, height)


def test_table_of_contents_with_page_numbers_when_long(tmp_path: Path) -> None:
    short, _ = render_html(make_briefing(stories=2))
    assert 'class="toc"' not in short
    rendered = render_briefing(make_briefing(stories=30, points=4), tmp_path)
    pages = pdf_text(rendered.pdf_path)
    assert pages[0].count("Contents") == 1
    # Each entry's page number is the page where the section starts.
    for title in ("Stories", "Sources", "Not included"):
        number = int(re.search(rf"{title}[ .]*?(\d+)", pages[0])[1])  # type: ignore[index]
        assert re.search(rf"(^|\s){title}\b", pages[number - 1]), (title, number)
    never, _ = render_html(make_briefing(stories=30), settings=ReportSettings(toc="never"))
    assert 'class="toc"' not in never


def test_failed_ingestion_shows_in_not_included(project: Path, settings, seed_copy: Path) -> None:  # type: ignore[no-untyped-def]
    """Through the real pipeline: a binary file and an empty file are listed with their reasons."""
    from briefing.pipeline import generate_briefing, ingest_folder

    (project / "seeds" / "scan.txt").write_bytes(b"\x00\x01\x02\xff" * 200)
    (project / "seeds" / "empty.md").write_bytes(b"")
    report = ingest_folder(settings)
    assert len(report.failed) == 2
    result = generate_briefing(settings)
    html = result.rendered.html_path.read_text(encoding="utf-8")  # type: ignore[union-attr]
    not_included = sections(html)["not-included"]
    assert "seeds/scan.txt" in not_included and "binary" in not_included
    assert "seeds/empty.md" in not_included and "empty" in not_included
    pdf = " ".join(pdf_text(result.rendered.pdf_path))  # type: ignore[arg-type]
    assert "Not included" in pdf and "seeds/scan.txt" in pdf and "seeds/empty.md" in pdf


def test_failures_are_shown_in_the_briefing_timezone() -> None:
    failure = Failure("seeds/x.txt", "empty file", dt.datetime(2022, 7, 1, 6, 30, tzinfo=dt.UTC))
    briefing = dataclasses.replace(make_briefing(), created_at=dt.datetime(2022, 7, 2, 7, 0, tzinfo=AT.tzinfo))
    html, _ = render_html(dataclasses.replace(briefing, failures=(failure,)))
    assert "2022-07-01 07:30" in html  # British Summer Time
