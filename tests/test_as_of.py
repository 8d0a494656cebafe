"""A briefing as of a past day says when it was really made, and compares "what is new" with the
previous briefing as of an earlier day (issue 17, point 6)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.cli import main
from tests.conftest import cli_in

ARTICLES = {
    "2010-03-01": (
        "Orchard growers count frost losses",
        "Orchard growers in the valley lost a third of their blossom to frost on Sunday night. The growers' union"
        " asked the ministry for help. Apple prices are expected to rise in the autumn.",
    ),
    "2010-03-05": (
        "Tram line to the stadium approved",
        "The city council approved a tram line to the football stadium on Thursday. Building will start in June"
        " and take two years. The line will carry 4,000 passengers an hour on match days.",
    ),
}


@pytest.fixture
def in_project(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cli_in(project, monkeypatch)
    for n, (day, (title, body)) in enumerate(ARTICLES.items()):
        (project / "seeds" / f"{n}.txt").write_text(f"date {day}\nTitle: {title}\n\n{body}", encoding="utf-8")
    return project


def _as_of(project: Path, day: str) -> str:
    assert main(["generate", "--as-of", day, "--days", "30", "--format", "html"]) == 0
    [html] = sorted(project.glob(f"reports/{day}/briefing-*.html"), key=lambda p: p.stat().st_mtime_ns)[-1:]
    return html.read_text(encoding="utf-8")


def test_as_of_briefing_says_when_it_was_made_in_page_pdf_and_archive(in_project: Path) -> None:
    today = dt.datetime.now(dt.UTC).astimezone().date()
    assert main(["generate", "--as-of", "2010-03-04", "--days", "30"]) == 0
    [html] = in_project.glob("reports/2010-03-04/briefing-*.html")
    [pdf] = in_project.glob("reports/2010-03-04/briefing-*.pdf")
    text = html.read_text(encoding="utf-8")
    assert f"As of 4 Mar 2010 (made on {today.day} {today:%b %Y} at " in text
    created = PdfReader(pdf).metadata.creation_date
    assert created is not None and abs((created.date() - today).days) <= 1  # made now, not in 2010
    index = (in_project / "reports" / "index.html").read_text(encoding="utf-8")
    assert f"as of 4 Mar 2010 (made on {today:%Y-%m}" in index
    assert "dated 3 Feb 2010 to 4 Mar 2010" in index


def test_what_is_new_compares_with_the_briefing_as_of_an_earlier_day(in_project: Path) -> None:
    _as_of(in_project, "2010-03-04")
    again = _as_of(in_project, "2010-03-04")  # remade as of the same day: no earlier briefing to compare with
    assert "This is the first briefing" in again

    later = _as_of(in_project, "2010-03-06")
    assert "Since the previous briefing, as of 4 Mar 2010:" in later
    assert "1 new story:" in later
    whats_new = later.split('id="whats-new"')[1].split("</section>")[0]
    assert "Tram line to the stadium approved" in whats_new and "Orchard" not in whats_new

    same = _as_of(in_project, "2010-03-07")  # right after an identical briefing
    assert "Nothing new since the previous briefing, as of 6 Mar 2010." in same


def test_an_as_of_briefing_shows_no_event_reported_by_a_later_article(in_project: Path) -> None:
    (in_project / "seeds" / "later.txt").write_text(
        "date 2010-06-01\nTitle: Museum plans\n\nThe city museum will open its new wing on September 14, 2010."
        " The mayor will attend the opening ceremony.",
        encoding="utf-8",
    )
    html = _as_of(in_project, "2010-03-06")
    assert "new wing" not in html and "Museum" not in html  # written in June: unknown on 6 March
    later = _as_of(in_project, "2010-06-02")
    assert "Museum" in later
