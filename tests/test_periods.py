"""``generate --since/--until`` selects by article date unless told ``--by received``, and says which
(issue 17, point 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.cli import main
from tests.conftest import cli_in

BODIES = (
    "The river authority opened a new lock on the canal on Monday. Barges waited for hours to pass it.",
    "A storm closed the mountain pass for two days. Snow ploughs cleared the road by Thursday evening.",
    "The city library lent a record number of books last year. Its director credited the longer opening hours.",
)


@pytest.fixture
def in_project(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI inside the project, with three articles dated 2008-08-20, 2008-11-03 and 2009-07-02."""
    cli_in(project, monkeypatch)
    for n, (day, body) in enumerate(zip(("2008-08-20", "2008-11-03", "2009-07-02"), BODIES, strict=True)):
        (project / "seeds" / f"{n}.txt").write_text(f"date {day}\nTitle: Item {n}\n\n{body}", encoding="utf-8")
    return project


def _html(project: Path) -> str:
    [path] = sorted(project.glob("reports/20??-??-??/briefing-*.html"), key=lambda p: p.stat().st_mtime_ns)[-1:]
    return path.read_text(encoding="utf-8")


def test_since_until_select_by_article_date_and_say_so(in_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--format", "html", "--since", "2008-09-01", "--until", "2009-06-30"]) == 0
    out = capsys.readouterr().out
    assert "1 article(s) in the briefing, dated 2008-09-01 to 2009-06-30" in out
    html = _html(in_project)
    assert "Articles dated" in html and "1 Sep 2008 – 30 Jun 2009" in html
    assert "Item 1" in html and "Item 2" not in html  # dated 2 July: --until 2009-06-30 ends with June


def test_by_received_selects_by_arrival_and_points_at_the_dated_articles(
    in_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["generate", "--format", "html", "--since", "2008-09-01", "--until", "2009-06-30", "--by", "received"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "0 article(s) in the briefing, received 2008-09-01 00:00 to 2009-07-01 00:00 BST" in out
    assert "note: " in out and "1 stored article(s) are dated 2008-09-01 to 2009-06-30 (--by date" in out
    assert "Articles received" in _html(in_project)


def test_an_empty_period_names_the_nearest_article_dates(in_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--format", "html", "--since", "2009-01-01", "--until", "2009-03-31"]) == 0
    out = capsys.readouterr().out
    assert "0 article(s) in the briefing, dated 2009-01-01 to 2009-03-31" in out
    assert "the nearest article dates are 2008-11-03 (before) and 2009-07-02 (after)" in out
    html = _html(in_project)
    assert "No article is dated in this period." in html and "arrived" not in html
    assert "3 article(s) are stored in all" in out
