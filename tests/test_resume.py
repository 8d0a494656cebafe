"""A file of many articles that a crash cuts short is finished on restart (issue 22, point 1).

Real processes are killed with SIGKILL at an exact moment: ``TEST_BRIEFING_PAUSE_AFTER``
(see :mod:`briefing.batch.pause_for_tests`) makes ``briefing ingest`` or ``briefing run``
stop after N stored articles and wait to be killed.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.batch import pause_for_tests
from briefing.config import Settings, load_settings
from briefing.pipeline import ingest_folder
from tests.conftest import news_text
from tests.test_service import count, pending, rows, wait_for

ITEMS = 80
PAUSE = 30


def write_feed(project: Path, items: int = ITEMS) -> Path:
    """``seeds/feed.json``: a list of distinct, invented articles."""
    feed = [
        {"title": f"Plan number {i}", "date": "2024-03-05", "text": news_text(f"district {i} ferry link", sentences=4)}
        for i in range(items)
    ]
    path = project / "seeds" / "feed.json"
    path.write_text(json.dumps(feed), encoding="utf-8")
    return path


def project_settings(project: Path) -> Settings:
    (project / "briefing.toml").write_text(
        'timezone = "Europe/London"\n[service]\nquiet_seconds = 0.5\nrescan_seconds = 2.0\n', encoding="utf-8"
    )
    return load_settings(project / "briefing.toml", env={})


def environment(pause_after: int | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_") and k != pause_for_tests.VARIABLE}
    if pause_after is not None:
        env[pause_for_tests.VARIABLE] = str(pause_after)
    return env


def briefing(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "briefing", *args]
    return subprocess.run(command, cwd=project, env=environment(), capture_output=True, text=True, timeout=300)


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    """Processes a test starts; any still running at the end are killed."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def kill_when_paused(process: subprocess.Popen[str], stored: int) -> None:
    """Wait for the pause hook's line on the process's stderr, then SIGKILL it."""
    assert process.stderr is not None
    for line in process.stderr:
        if f"paused after {stored} stored articles" in line:
            break
    else:
        raise AssertionError(f"the process ended (status {process.wait()}) without pausing")
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL


def start(
    project: Path, processes: list[subprocess.Popen[str]], command: str, pause_after: int | None
) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "briefing", "-v", command],
        cwd=project,
        env=environment(pause_after),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if pause_after is not None else subprocess.DEVNULL,  # read until the pause
        text=True,
    )
    processes.append(process)
    return process


def test_ingest_killed_in_a_json_list_finishes_the_list_on_the_next_run(project: Path, processes: list) -> None:
    settings = project_settings(project)
    write_feed(project)

    kill_when_paused(start(project, processes, "ingest", PAUSE), PAUSE)
    assert count(settings, "sources") == PAUSE
    assert pending(settings) == ["seeds/feed.json"]  # not done: status says it is still owed
    assert "pending files: 1\n  seeds/feed.json" in briefing(project, "status").stdout

    again = briefing(project, "ingest")
    assert again.returncode == 0, again.stderr
    assert f"{ITEMS - PAUSE} new, {PAUSE} duplicate, 0 failed" in again.stdout
    assert sorted(path for (path,) in rows(settings, "SELECT path FROM sources")) == sorted(
        f"seeds/feed.json#{i}" for i in range(ITEMS)
    )
    assert count(settings, "articles") == ITEMS
    assert pending(settings) == []
    assert "0 new, 0 duplicate, 0 failed, 1 unchanged" in briefing(project, "ingest").stdout


def test_a_list_turned_into_one_article_and_killed_before_the_file_is_done_supersedes_the_list(
    project: Path, processes: list
) -> None:
    """The one article is stored, the list's items not yet superseded, then SIGKILL: the next run finishes it."""
    settings = project_settings(project)
    feed = write_feed(project, items=2)
    assert briefing(project, "ingest").returncode == 0
    feed.write_text(json.dumps({"title": "One now", "date": "2024-03-06", "text": news_text("new pier")}), "utf-8")
    kill_when_paused(start(project, processes, "ingest", 1), 1)
    again = briefing(project, "ingest")
    assert again.returncode == 0, again.stderr
    assert [path for (path,) in rows(settings, "SELECT path FROM sources")] == ["seeds/feed.json"]
    assert count(settings, "superseded") == 2  # the list's two items: out of every new briefing
    assert pending(settings) == []


def test_a_list_killed_twice_from_outside_with_progress_between_is_still_finished(
    project: Path, processes: list
) -> None:
    """Two deaths on one file normally mean the file kills the process; not when each found more stored."""
    settings = project_settings(project)
    write_feed(project)
    kill_when_paused(start(project, processes, "ingest", PAUSE), PAUSE)
    kill_when_paused(start(project, processes, "ingest", PAUSE + 20), PAUSE + 20)  # 30 again, then 20 more
    assert count(settings, "sources") == PAUSE + 20

    again = briefing(project, "ingest")
    assert again.returncode == 0, again.stdout + again.stderr
    assert count(settings, "sources") == ITEMS
    assert count(settings, "failures") == 0


def test_the_service_killed_in_a_json_list_finishes_it_after_a_restart(project: Path, processes: list) -> None:
    settings = project_settings(project)
    write_feed(project)
    kill_when_paused(start(project, processes, "run", PAUSE), PAUSE)
    assert count(settings, "sources") == PAUSE

    service = start(project, processes, "run", None)
    wait_for(lambda: count(settings, "sources") == ITEMS, timeout=120, what="the rest of the list")
    wait_for(lambda: pending(settings) == [], timeout=30, what="the list to count as done")
    service.send_signal(signal.SIGTERM)
    assert service.wait(timeout=60) == 0
    assert count(settings, "articles") == ITEMS
    assert count(settings, "failures") == 0


def test_an_older_store_with_a_list_cut_short_is_finished_after_the_upgrade(settings: Settings, project: Path) -> None:
    """A state file of schema 4 (before files were tracked), left by a crash in a list, and a whole file."""
    write_feed(project, items=20)
    (project / "seeds" / "one.txt").write_text("date 2024-03-05\n" + news_text("tram depot"), encoding="utf-8")
    assert len(ingest_folder(settings).new) == 21
    with sqlite3.connect(settings.state_path) as db:  # back to schema 4, as the crash left it: items 10-19 lost
        lost = [f"seeds/feed.json#{i}" for i in range(10, 20)]
        ids = [db.execute("SELECT article_id FROM sources WHERE path = ?", (p,)).fetchone()[0] for p in lost]
        db.executemany("DELETE FROM sources WHERE path = ?", [(p,) for p in lost])
        db.executemany("DELETE FROM analyses WHERE article_id = ?", [(i,) for i in ids])
        db.executemany("DELETE FROM articles WHERE id = ?", [(i,) for i in ids])
        db.execute("DROP TABLE IF EXISTS files")
        db.execute("DROP TABLE IF EXISTS superseded")
        db.execute("DROP TABLE IF EXISTS schedules")  # and what later migrations added
        db.execute("ALTER TABLE briefings DROP COLUMN made_at")
        db.execute("DROP TABLE IF EXISTS article_search")
        db.execute("DROP TABLE IF EXISTS article_actors")
        db.execute("DROP INDEX IF EXISTS articles_title")
        db.execute("ALTER TABLE briefings DROP COLUMN bottom_line")
        db.execute("PRAGMA user_version = 4")

    report = ingest_folder(settings)
    assert sorted(report.new) == sorted(lost)
    assert report.unchanged == 1  # the file of one article counts as done: not read again
    assert count(settings, "sources") == 21
    assert pending(settings) == []
