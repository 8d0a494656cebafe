"""Hostile article text: runaway sentences and runaway nesting (issue 22, point 11).

A "sentence" over 1,000 characters is cut at a word boundary, and the briefing
marks the piece with an ellipsis; HTML nested far deeper than lxml's limit of
about 255 levels still yields its text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from briefing.config import Settings
from briefing.nlp.sentences import MAX_SENTENCE, split_sentences
from briefing.pipeline import analyse_paths, generate_briefing, ingest_folder
from tests.conftest import news_text

WORDS = ("harbour", "council", "budget", "approximately", "construction", "disruption", "mayor", "spring")


def flattened_table(cells: int = 260, separator: str = "\t") -> str:
    """A table flattened to text: one "sentence" of ~2,500 characters whose words are joined by tabs."""
    return separator.join(f"{WORDS[n % len(WORDS)]}{n}" for n in range(cells)) + "."


@pytest.mark.parametrize("separator", ["\t", "\u2009", "\u3000", ","])
def test_a_runaway_sentence_is_cut_at_word_boundaries(separator: str) -> None:
    text = "The council met on Monday. " + flattened_table(separator=separator) + " The vote is next month."
    pieces = [s for s in split_sentences(text) if len(s.text) > 100]
    assert len(pieces) >= 3
    for piece in pieces:
        assert len(piece.text) <= MAX_SENTENCE and text[piece.start : piece.end] == piece.text
        # no word is split: the characters either side of a cut are not both letters or digits
        assert not (text[piece.end - 1].isalnum() and text[piece.end : piece.end + 1].isalnum()), piece.text[-20:]
        assert not (text[piece.start - 1].isalnum() and text[piece.start].isalnum()), piece.text[:20]


def test_a_briefing_marks_a_key_point_that_is_a_piece_of_a_longer_sentence(settings: Settings, write_article) -> None:  # type: ignore[no-untyped-def]
    table = flattened_table()
    write_article("table.txt", "date 2022-02-17\n" + news_text("harbour", 2) + " " + table)
    ingest_folder(settings)
    result = generate_briefing(settings, formats=(".html",))
    html = result.rendered.html_path.read_text(encoding="utf-8")  # type: ignore[union-attr]
    points = [re.sub(r"\s*<a class=\"cite\".*", "", p, flags=re.S).strip() for p in re.findall(r"<li>(.*?)</li>", html)]
    pieces = [p for p in points if "harbour0" in p or "approximately3" in p or p.endswith("…") or p.startswith("…")]
    assert any(p.endswith(" …") or p.startswith("… ") for p in pieces), points
    for shown in pieces:
        verbatim = shown.removeprefix("… ").removesuffix(" …")
        assert " ".join(verbatim.split()) in " ".join(table.split())
        if not verbatim.endswith("."):
            assert shown.endswith(" …"), shown[-40:]  # says the sentence goes on
        if not verbatim.startswith(WORDS[0]):
            assert shown.startswith("… "), shown[:40]  # says it started before


@pytest.mark.parametrize("depth", [300, 5000])
def test_html_nested_deeper_than_lxml_allows_still_gives_its_text(
    tmp_path: Path, settings: Settings, depth: int
) -> None:
    body = news_text("harbour", 6)
    page = (
        "<html><head><title>Harbour plan</title><style>p { color: red }</style></head><body>"
        + "<div>" * depth
        + f"<script>var tracking = 1;</script><p>{body}</p>"
        + "</div>" * depth
        + "</body></html>"
    )
    path = tmp_path / "deep.html"
    path.write_text(page, encoding="utf-8")
    [record] = analyse_paths([path], settings)
    assert "error" not in record, record.get("error")  # was: "no article text found in the HTML"
    assert record["title"] == "Harbour plan"
    assert record["text"] == body  # the visible text only: no script, no style
    assert record["key_points"]


def test_no_nul_or_bidi_override_in_the_article_text(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "feed.json"
    body = "The council met on Monday.\u0000 The mayor said \u202egnp.exe was sent.\u0007 The vote is next week."
    path.write_text(json.dumps({"title": "Council", "date": "2022-02-17", "text": body}), encoding="utf-8")
    [record] = analyse_paths([path], settings)
    assert record["text"] == "The council met on Monday. The mayor said gnp.exe was sent. The vote is next week."
    for point in record["key_points"]:
        assert record["text"][point["start"] : point["end"]] == point["text"]
