"""Terminal and log injection through file names and article text: control characters are shown escaped.

A file named ``evil\\nservice: running (pid 1).txt`` printed raw forges a status line; one holding
``ESC [31m`` recolours the terminal. The real ``briefing`` command runs in a subprocess (``ingest``,
``status``, ``-v`` logging, ``analyze``, and the service's log under ``briefing run``) and its output is
checked for raw control characters and forged lines.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefing.printable import json_printable, printable
from tests.conftest import news_text

FORGED = "evil\nservice: running (pid 1).txt"
RED = "\x1b[31mred\x1b[0m.txt"
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # every control but the newline


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env.update({"BRIEFING_TIMEZONE": "Europe/London", "BRIEFING_ANALYSIS__EXECUTOR": "serial"})
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args], cwd=project, env=env, capture_output=True, text=True, timeout=120
    )


def assert_clean(text: str) -> None:
    """No raw control character, and no line a file name could have forged."""
    assert not RAW.search(text), repr(text)
    assert not [line for line in text.splitlines() if line.startswith("service: running")], text


@pytest.fixture
def hostile(project: Path) -> Path:
    """Seeds whose names carry a newline, ANSI colours and a carriage return; all three fail to read."""
    seeds = project / "seeds"
    (seeds / FORGED).write_bytes(b"")
    (seeds / RED).write_text("date 2022-02-30 " + news_text("harbour"), encoding="utf-8")
    (seeds / "bin\r.txt").write_bytes(b"abc\0\1")
    return project


def test_ingest_and_status_show_hostile_file_names_escaped(hostile: Path) -> None:
    ingest = run(hostile, "-v", "ingest")
    assert ingest.returncode == 1
    assert_clean(ingest.stdout)
    assert_clean(ingest.stderr)  # the log of the same failures
    assert "  failed: seeds/evil\\nservice: running (pid 1).txt: the file is empty" in ingest.stdout
    assert "seeds/\\x1b[31mred\\x1b[0m.txt" in ingest.stdout
    assert "WARNING briefing.batch: seeds/evil\\nservice: running (pid 1).txt: the file is empty" in ingest.stderr

    (hostile / "seeds" / "late\x1b]0;pwned\x07.txt").write_text(news_text("canal"), encoding="utf-8")
    status = run(hostile, "status")
    assert status.returncode == 0
    assert_clean(status.stdout)
    assert "  seeds/late\\x1b]0;pwned\\x07.txt" in status.stdout  # pending, not read yet
    assert "  seeds/bin\\r.txt: binary file" in status.stdout
    assert status.stdout.splitlines()[0] == "service: not running (start it with `briefing run`)"


def test_analyze_shows_a_hostile_title_without_its_control_characters(project: Path) -> None:
    """Ingest cleans titles (control characters and bidi overrides go); what is left reaches no terminal raw."""
    title = "Harbour \x1b[2J\u202eplan\x9b"
    article = project / "article.txt"
    article.write_text(f"Title: {title}\nDate: 2022-02-17\n\n{news_text('harbour')}", encoding="utf-8")
    shown = run(project, "analyze", str(article))
    assert shown.returncode == 0
    assert_clean(shown.stdout)
    assert "Harbour" in shown.stdout and "[2J" in shown.stdout and "plan" in shown.stdout
    as_json = run(project, "analyze", "--json", str(article))
    assert_clean(as_json.stdout)
    cleaned = json.loads(as_json.stdout)["title"]
    assert cleaned.startswith("Harbour") and cleaned.endswith("plan")
    assert not any(ch in cleaned for ch in "\x1b\u202e\x9b")  # the same clean title for a program


def test_the_service_log_shows_hostile_file_names_escaped(hostile: Path, tmp_path: Path) -> None:
    (hostile / "briefing.toml").write_text(
        'timezone = "Europe/London"\n[service]\nquiet_seconds = 0.2\nrescan_seconds = 1\n', encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    log = tmp_path / "service.log"
    with log.open("wb") as sink:
        service = subprocess.Popen(
            [sys.executable, "-m", "briefing", "run"], cwd=hostile, env=env, stdout=sink, stderr=sink
        )
    try:
        deadline = time.monotonic() + 90
        while "the file is empty" not in log.read_text(encoding="utf-8", errors="replace"):
            assert service.poll() is None and time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.1)
    finally:
        service.send_signal(signal.SIGTERM)
        service.wait(timeout=60)
    text = log.read_text(encoding="utf-8")
    assert_clean(text)
    assert "seeds/evil\\nservice: running (pid 1).txt: the file is empty" in text


def test_printable_escapes_controls_and_keeps_every_script() -> None:
    assert printable("a\nb\rc\td\x00e\x1bf\x7fg\x9bh\u202ei\u2028j") == (
        "a\\nb\\rc\\td\\x00e\\x1bf\\x7fg\\x9bh\\u202ei\\u2028j"
    )
    assert printable("Zürich, Київ, 東京, café ☕") == "Zürich, Київ, 東京, café ☕"
    assert json.loads(json_printable(json.dumps("x\x7f\x9by\u202e", ensure_ascii=False))) == "x\x7f\x9by\u202e"
