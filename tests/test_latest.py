""" "Latest" is one briefing: the one made last (issue 22 point 12, issue 17 point 3).

``send``, ``reports/latest.html``, ``reports/latest.pdf`` and the archive's link
to the latest all name the briefing made most recently, whatever day it is as of;
under ``briefing run`` too, whose live view of what arrived since is ``reports/live.html``.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
import time_machine

from briefing.cli import main
from briefing.config import Settings
from briefing.deliver.send import find_briefing
from briefing.pipeline import as_of, generate_briefing, ingest_folder
from briefing.store import BriefingRecord, Store
from tests.conftest import SEED, news_text
from tests.test_service import service_settings, wait_for
from tests.test_service_schedule import briefings, clock, london, started

__all__ = ["clock"]  # the time-machine fixture, shared with the schedule tests


def test_a_far_future_as_of_briefing_is_latest_only_until_the_next_one(settings: Settings, seed_copy: Path) -> None:
    ingest_folder(settings)
    period, moment = as_of(settings, dt.date(9999, 12, 31))
    future = generate_briefing(settings, period, now=moment, formats=(".html",))
    record = find_briefing(settings)
    assert record is not None and record.id == future.briefing_id  # the one just made is the latest

    today = generate_briefing(settings, formats=(".html",))
    record = find_briefing(settings)
    assert record is not None and record.id == today.briefing_id  # was: the 9999-12-31 one, for good
    latest = settings.reports_path / "latest.html"
    assert latest.read_bytes() == today.rendered.html_path.read_bytes()  # type: ignore[union-attr]
    # A day can still be asked for: the latest made that day (as of that day).
    on_day = find_briefing(settings, dt.date(9999, 12, 31))
    assert on_day is not None and on_day.id == future.briefing_id


def test_send_latest_html_latest_pdf_and_the_archive_agree_on_the_latest(
    in_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate"]) == 0  # an empty briefing, made first (dated today)
    (in_project / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    assert main(["generate", "--as-of", "2022-02-18"]) == 0  # made last, dated 2022-02-18
    capsys.readouterr()
    with sqlite3.connect(in_project / ".briefing" / "state.db") as db:
        [(html_path, pdf_path)] = db.execute("SELECT html_path, pdf_path FROM briefings ORDER BY id DESC LIMIT 1")
    assert "2022-02-18" in html_path
    reports = in_project / "reports"
    assert (reports / "latest.html").read_bytes() == (in_project / html_path).read_bytes()
    assert (reports / "latest.pdf").read_bytes() == (in_project / pdf_path).read_bytes()

    out = in_project / "preview"
    assert main(["send", "--dry-run", "--to", "desk@example.org", "--output", str(out)]) == 0
    [eml] = out.glob("*.eml")
    message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    assert message["Subject"].startswith("Briefing 2022-02-18")  # was: the empty briefing of today
    assert "nothing new" not in message["Subject"]

    # The archive lists briefings by the day they are as of, and marks the latest made.
    index = (reports / "index.html").read_text(encoding="utf-8")
    [row] = [row for row in re.findall(r"<tr>(.*?)</tr>", index, re.S) if 'class="latest"' in row]
    assert Path(html_path).relative_to("reports").as_posix() in row


def test_a_dry_run_without_recipients_says_so(in_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_project / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    assert main(["generate", "--as-of", "2022-02-18", "--format", "html"]) == 0
    capsys.readouterr()
    out = in_project / "preview"
    assert main(["send", "--dry-run", "--output", str(out)]) == 0
    err = capsys.readouterr().err
    [eml] = out.glob("*.eml")
    message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    assert message["To"] is None
    assert "no recipients" in err and "To:" in err  # was: silence


def test_under_the_service_latest_stays_the_briefing_made_last_and_live_html_shows_what_came_since(
    project: Path, clock: time_machine.Coordinates, seed_copy: Path
) -> None:
    """Issue 17 point 3: the service rewrote latest.html as a live view, unlike latest.pdf, send and the archive."""
    settings = service_settings(project, schedules={"daily": {"cron": "0 7 * * *"}}, **{"service.quiet_seconds": 0.3})
    reports = settings.reports_path
    live = reports / "live.html"

    def shown(name: str) -> bool:
        """``name`` is on a page in reports/ (where the new article shows first, if not in the live view)."""
        return any(name in page.read_text("utf-8") for page in (live, reports / "latest.html") if page.exists())

    def stored(name: str) -> bool:
        with Store(settings.state_path) as store:
            return name in store.seen_files()

    def same_as_latest(made: BriefingRecord) -> None:
        """latest.*, `send`'s latest and the archive's mark all name ``made``; the live view is apart from them."""
        record = find_briefing(settings)
        assert record is not None and record.id == made.id
        assert made.html_path is not None and made.pdf_path is not None
        html, pdf = settings.path(Path(made.html_path)), settings.path(Path(made.pdf_path))
        assert (reports / "latest.html").read_bytes() == html.read_bytes()
        assert (reports / "latest.pdf").read_bytes() == pdf.read_bytes()
        index = (reports / "index.html").read_text(encoding="utf-8")
        [row] = [row for row in re.findall(r"<tr>(.*?)</tr>", index, re.S) if 'class="latest"' in row]
        assert html.resolve().relative_to(reports.resolve()).as_posix() in row
        assert 'href="live.html"' in index

    service, runs = started(settings)
    try:
        wait_for(lambda: stored(f"seeds/{seed_copy.name}"), 20, "the seed to be stored")
        clock.move_to(london(2024, 3, 4, 7, 0, 1))
        service.scheduler.wakeup()
        runs.wait(1)
        [scheduled] = briefings(settings)
        assert scheduled.articles == 1

        (project / "seeds" / "late.txt").write_text(news_text("late arrival"), encoding="utf-8")
        wait_for(lambda: shown("seeds/late.txt"), 20, "the new article on a page")
        same_as_latest(scheduled)  # was: latest.html a live view with the new article, unlike latest.pdf and send
        assert "seeds/late.txt" not in (reports / "latest.html").read_text(encoding="utf-8")
        assert "seeds/late.txt" in live.read_text(encoding="utf-8")
        page = live.read_text(encoding="utf-8")
        assert "Live view:" in page and 'href="latest.html"' in page

        # A briefing made on demand while the service runs is the latest in turn; the live view goes on.
        ondemand = generate_briefing(settings)
        (project / "seeds" / "later.txt").write_text(news_text("later arrival"), encoding="utf-8")
        wait_for(lambda: shown("seeds/later.txt"), 20, "the next article on a page")
        made = [b for b in briefings(settings) if b.id == ondemand.briefing_id]
        same_as_latest(made[0])
        assert "seeds/later.txt" not in (reports / "latest.html").read_text(encoding="utf-8")
        assert "seeds/later.txt" in live.read_text(encoding="utf-8")
    finally:
        service.stop()
    same_as_latest(made[0])
