"""A ``date`` line followed by ``Title:`` / ``Source:`` / ``URL:`` lines: headers, not body (issue 17, point 1)."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from briefing.config import Settings
from briefing.ingest import read_articles
from briefing.pipeline import generate_briefing, ingest_folder
from tests.conftest import news_text

HEADERS = ("Title: Ferry fares frozen for winter", "Source: Coast Weekly", "URL: https://coast.example.org/ferry")


@pytest.mark.parametrize("order", list(itertools.permutations(HEADERS)))
def test_date_line_then_header_lines_in_any_order(write_article, order: tuple[str, ...]) -> None:
    body = news_text("ferry")
    path = write_article("ferry.txt", "date 2009-03-02\n" + "\n".join(order) + f"\n\n{body}")
    [article] = read_articles(path, max_bytes=1 << 20)
    assert article.date == dt.date(2009, 3, 2)
    assert article.title == "Ferry fares frozen for winter"
    assert article.meta["publisher"] == "Coast Weekly"
    assert article.url == "https://coast.example.org/ferry"
    assert article.text == body


def test_date_line_with_body_on_the_same_line_stays_body(write_article) -> None:
    path = write_article("same.txt", "date 2009-03-02 Title: a word the article starts with. " + news_text("ferry"))
    [article] = read_articles(path, max_bytes=1 << 20)
    assert article.text.startswith("Title: a word")


BODIES = {
    "ferry": "The island ferry company froze its winter fares on Monday. Its chief executive, Marta Olsen, said fuel"
    " costs had fallen. Passengers had protested against the summer rise for weeks.",
    "tunnel": "Engineers finished drilling the second rail tunnel under the river on Tuesday. The bore took three"
    " years and cost 900 million crowns. Trains are due to run through it from next autumn.",
    "airport": "The regional airport will close its old terminal in April, the transport ministry said. Airlines"
    " will move their desks to the new hall. The old building may become a museum of aviation.",
}


def test_title_line_is_no_key_point_and_never_printed_as_text(project: Path, settings: Settings) -> None:
    for n, (topic, body) in enumerate(BODIES.items()):
        (project / "seeds" / f"{n}.txt").write_text(
            f"date 2009-03-0{n + 1}\nTitle: The {topic} headline\nSource: Coast Weekly\n\n{body}", encoding="utf-8"
        )
    ingest_folder(settings)
    result = generate_briefing(settings, formats=(".html",))
    html = result.rendered.html_path.read_text(encoding="utf-8")
    assert result.briefing is not None and result.articles == 3
    assert "Title:" not in html and "Source:" not in html
    assert {s.title for s in result.briefing.stories} == {f"The {t} headline" for t in ("ferry", "tunnel", "airport")}
    assert all("headline" not in p.text for s in result.briefing.stories for p in s.points)
    assert "Coast Weekly" in html
