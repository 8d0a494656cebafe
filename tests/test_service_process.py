"""``briefing run`` as a real process: SIGKILL and SIGTERM in the middle of the 1,000-file batch."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from briefing.batch import inflight
from briefing.config import Settings, load_settings
from briefing.pipeline import ingest_folder
from briefing.service.lock import running_service
from tests.conftest import news_text
from tests.seedbatch import MAX_FILE_MB, drop_batch
from tests.test_ingest import KILLED_ON_POISON
from tests.test_service import count, pending, wait_for

CONFIG = f"""
timezone = "Europe/London"
max_file_mb = {MAX_FILE_MB}
[service]
quiet_seconds = 1.0
rescan_seconds = 2.0
refresh_seconds = 0.2
"""


ServiceStarter = Callable[[], "subprocess.Popen[bytes]"]


@pytest.fixture
def start_service(project: Path, tmp_path: Path) -> Iterator[ServiceStarter]:
    """Starts ``python -m briefing run`` in the project (logging to tmp_path/service.log); kills leftovers."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("BRIEFING_")}
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        with (tmp_path / "service.log").open("ab") as sink:
            process = subprocess.Popen(
                [sys.executable, "-m", "briefing", "run"], cwd=project, env=env, stdout=sink, stderr=sink
            )
        started.append(process)
        wait_for(lambda: running_service(project / "reports") is not None, timeout=60, what="the service to start")
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def done(settings: Settings) -> int:
    return count(settings, "sources") + count(settings, "failures")


def state(db_path: Path) -> dict[str, set[tuple]]:
    """Everything the store knows about the input, without the times it learnt it."""
    with sqlite3.connect(db_path) as db:
        return {
            "sources": set(db.execute("SELECT path, article_id, size, mtime_ns FROM sources")),
            "failures": set(db.execute("SELECT path, reason, size, mtime_ns FROM failures")),
            "articles": set(db.execute("SELECT id, title, date, date_inferred, url, text, meta FROM articles")),
            "analyses": set(db.execute("SELECT article_id, version, data FROM analyses")),
        }


def test_sigkill_mid_batch_then_restart_gives_the_uninterrupted_state(
    project: Path, tmp_path: Path, start_service: ServiceStarter
) -> None:
    (project / "briefing.toml").write_text(CONFIG, encoding="utf-8")
    settings = load_settings(project / "briefing.toml", env={})
    log = tmp_path / "service.log"

    service = start_service()
    batch = drop_batch(project)
    total = len(batch.valid) + len(batch.invalid)
    wait_for(lambda: done(settings) >= 300, timeout=60, what="300 files in")
    service.send_signal(signal.SIGKILL)
    assert service.wait(timeout=30) == -signal.SIGKILL
    killed_at = done(settings)
    assert killed_at < total, "the kill came too late to be mid-batch"

    # The reference: one uninterrupted pass over the same final files (copied with their mtimes),
    # made in the background while the service restarts.
    batch.wait_for_writers()
    reference = tmp_path / "reference"
    shutil.copytree(project / "seeds", reference / "seeds")
    reference_settings = load_settings(
        env={}, overrides={"base_dir": str(reference), "timezone": "Europe/London", "max_file_mb": MAX_FILE_MB}
    )
    uninterrupted = threading.Thread(target=ingest_folder, args=(reference_settings,))
    uninterrupted.start()

    # Restart; this time stop it gracefully (SIGTERM), also mid-batch: it finishes the article in hand.
    service = start_service()
    wait_for(lambda: done(settings) >= killed_at + 200, timeout=60, what="200 more files in")
    service.send_signal(signal.SIGTERM)
    assert service.wait(timeout=30) == 0
    stopped_at = done(settings)
    assert running_service(settings.reports_path) is None

    service = start_service()
    wait_for(lambda: done(settings) >= total, timeout=120, what="the whole batch")
    wait_for(lambda: not pending(settings), timeout=30, what="every file stored at its final version")
    service.send_signal(signal.SIGTERM)
    assert service.wait(timeout=30) == 0, log.read_text(encoding="utf-8")[-2000:]

    uninterrupted.join()
    got, expected = state(settings.state_path), state(reference_settings.state_path)
    assert len(got["articles"]) == len(got["analyses"]) == 950
    assert len(got["failures"]) == 50
    for table in expected:
        assert got[table] == expected[table], table

    with sqlite3.connect(settings.state_path) as db:
        runs = db.execute("SELECT job, status, detail FROM runs ORDER BY id").fetchall()
    statuses = [(job, status) for job, status, _ in runs]
    assert ("service", "interrupted") in statuses  # the SIGKILL, found and recorded on restart
    assert ("service", "stopped") in statuses
    assert not [run for run in runs if run[1] == "running"]
    assert any(status == "stopped" and "left for later" in detail for job, status, detail in runs if job == "ingest")
    print(f"\nSIGKILL at {killed_at}/{total} files, SIGTERM at {stopped_at}/{total}; final state = uninterrupted run")


def test_a_service_that_died_on_a_file_twice_records_it_on_restart_instead_of_dying_again(
    project: Path, tmp_path: Path
) -> None:
    (project / "briefing.toml").write_text(CONFIG, encoding="utf-8")
    settings = load_settings(project / "briefing.toml", env={})
    script = tmp_path / "killed_on_poison.py"
    script.write_text(KILLED_ON_POISON, encoding="utf-8")
    (project / "seeds" / "a.txt").write_text("The poison was found in the river. " + news_text("river"), "utf-8")
    (project / "seeds" / "b.txt").write_text(news_text("orchard"), encoding="utf-8")
    env = {name: value for name, value in os.environ.items() if not name.startswith("BRIEFING_")}

    def run() -> subprocess.Popen[bytes]:
        with (tmp_path / "service.log").open("ab") as sink:
            return subprocess.Popen(
                [sys.executable, str(script), "run"], cwd=project, env=env, stdout=sink, stderr=sink
            )

    for _ in range(2):  # died on a.txt, as systemd would see it; restarted, it reads a.txt once more
        assert run().wait(timeout=60) == -signal.SIGKILL
    service = run()  # and restarted again
    try:
        wait_for(lambda: done(settings) == 2, timeout=60, what="both files")
        assert service.poll() is None, "the restarted service died on the same file again"
        with sqlite3.connect(settings.state_path) as db:
            assert db.execute("SELECT path, reason FROM failures").fetchall() == [("seeds/a.txt", inflight.CRASHED)]
            assert db.execute("SELECT path FROM sources").fetchall() == [("seeds/b.txt",)]
    finally:
        service.send_signal(signal.SIGTERM)
        assert service.wait(timeout=30) == 0
