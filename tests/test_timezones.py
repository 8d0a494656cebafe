"""Every time shown to a reader carries the configured zone; log lines say which zone they use (issue 17, point 5)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import time_machine

from briefing.cli.commands import _service_logging
from briefing.config import load_settings
from briefing.pipeline import generate_briefing, ingest_folder, refresh_live
from tests.conftest import news_text

TIME = re.compile(r"(?<![\d:])(\d{1,2}:\d{2})(?![\d:])(\s*[A-Z]{2,5}\b)?")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def shown_times(html: str) -> list[tuple[str, str]]:
    """Every time of day in the page's text, with the zone written after it ("" when none)."""
    parser = _Text()
    parser.feed(html)
    text = " ".join(" ".join(parser.parts).split())
    return [(m[1], (m[2] or "").strip()) for m in TIME.finditer(text)]


def test_a_page_made_from_stored_times_shows_every_time_in_the_configured_zone(project: Path) -> None:
    settings = load_settings(env={}, overrides={"base_dir": str(project), "timezone": "America/New_York"})
    (project / "seeds" / "a.txt").write_text("date 2022-01-10\nTitle: Harbour\n\n" + news_text(), encoding="utf-8")
    (project / "seeds" / "broken.txt").write_bytes(b"\x00\x01" * 50)  # "Not included" shows since when
    ingest_folder(settings)
    made = dt.datetime(2022, 1, 10, 18, 50, tzinfo=dt.UTC)  # 13:50 EST
    generate_briefing(settings, now=made, schedule="daily", formats=(".html",))
    # A later article: the live view (live.html) shows what came since.
    (project / "seeds" / "b.txt").write_text("date 2022-01-10\nTitle: Ferry\n\n" + news_text("ferry"), encoding="utf-8")
    with time_machine.travel(dt.datetime(2022, 1, 10, 19, 30, tzinfo=dt.UTC), tick=False):
        ingest_folder(settings)  # received between the briefing and the live view
    refresh_live(settings, now=dt.datetime(2022, 1, 10, 19, 57, tzinfo=dt.UTC))  # period and previous from the store
    html = (project / "reports" / "live.html").read_text(encoding="utf-8")
    times = shown_times(html)
    assert ("13:50", "EST") in times and ("14:57", "EST") in times
    assert {zone for _, zone in times} == {"EST"}, times


def test_service_log_lines_name_their_zone(capsys: pytest.CaptureFixture[str]) -> None:
    import zoneinfo

    restore = _service_logging(False, zoneinfo.ZoneInfo("America/New_York"))
    try:
        logging.getLogger("briefing.test").info("made the daily briefing")
    finally:
        restore()
    line = capsys.readouterr().err.strip()
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d E[SD]T INFO briefing.test: made the daily briefing$", line), line


def test_status_lists_briefings_with_their_zone_and_as_of_day(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    from briefing.cli import main

    monkeypatch.chdir(project)
    for name in [n for n in os.environ if n.startswith("BRIEFING_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("BRIEFING_TIMEZONE", "America/New_York")
    (project / "seeds" / "a.txt").write_text("date 2022-01-10\nTitle: Harbour\n\n" + news_text(), encoding="utf-8")
    assert main(["generate", "--format", "html"]) == 0
    assert main(["generate", "--format", "html", "--as-of", "2022-01-11"]) == 0
    capsys.readouterr()
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    lines = out.split("latest briefings: 2\n")[1].splitlines()[:2]  # the one made last first
    assert re.match(r"  as of 2022-01-11 \(made \d{4}-\d\d-\d\d \d\d:\d\d E[SD]T\)  1 article", lines[0]), lines
    assert re.match(r"  \d{4}-\d\d-\d\d \d\d:\d\d E[SD]T  1 article", lines[1]), lines
