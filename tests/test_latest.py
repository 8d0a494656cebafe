""" "Latest" is one briefing: the one made last (issue 22 point 12, issue 17 point 3).

``send``, ``reports/latest.html``, ``reports/latest.pdf`` and the archive's link
to the latest all name the briefing made most recently, whatever day it is as of.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.config import Settings
from briefing.delivery import find_briefing
from briefing.pipeline import as_of, generate_briefing, ingest_folder
from tests.conftest import SEED


@pytest.fixture
def in_project(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(project)
    for name in [n for n in os.environ if n.startswith("BRIEFING_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("BRIEFING_TIMEZONE", "Europe/London")
    return project


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
