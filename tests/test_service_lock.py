"""One ``briefing run`` per state file: a second service on the same state exits 2, whatever its reports folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.service import Service
from briefing.service.lock import AlreadyRunning, running_service
from tests.test_service import service_settings, wait_for

CONFIG = 'timezone = "Europe/London"\n[service]\nquiet_seconds = 0.5\nrescan_seconds = 2.0\n'


def briefing_process(project: Path, log: Path, **env: str) -> subprocess.Popen[bytes]:
    """``python -m briefing run`` in ``project`` with extra ``BRIEFING_*`` variables, logging to ``log``."""
    clean = {name: value for name, value in os.environ.items() if not name.startswith("BRIEFING_")}
    with log.open("ab") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "briefing", "run"], cwd=project, env={**clean, **env}, stdout=sink, stderr=sink
        )


def test_a_second_service_on_the_same_state_file_with_other_reports_exits_2(project: Path, tmp_path: Path) -> None:
    (project / "briefing.toml").write_text(CONFIG, encoding="utf-8")
    first = briefing_process(project, tmp_path / "first.log")
    try:
        wait_for(lambda: running_service(project / "reports") is not None, timeout=60, what="the first service")
        # The attack: the same state file, another reports folder; it used to start and make every briefing twice.
        second = briefing_process(project, tmp_path / "second.log", BRIEFING_REPORTS_DIR="reports-b")
        assert second.wait(timeout=60) == 2
        err = (tmp_path / "second.log").read_text(encoding="utf-8")
        state = project / ".briefing" / "state.db"
        assert f"another `briefing run` (pid {first.pid}" in err
        assert f"already uses the state file {state}" in err and "another state_file" in err
        assert not (project / "reports-b" / ".briefing-run.lock").exists()  # it took nothing
        assert first.poll() is None
    finally:
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=30) == 0
    # Once the first has stopped, the second starts.
    second = briefing_process(project, tmp_path / "second.log", BRIEFING_REPORTS_DIR="reports-b")
    try:
        wait_for(lambda: running_service(project / "reports-b") is not None, timeout=60, what="the second service")
    finally:
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=30) == 0


def test_the_state_file_lock_in_process_and_what_the_cli_sees(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = service_settings(project)
    other = service_settings(project, reports_dir="elsewhere")
    with Service(settings):
        with pytest.raises(AlreadyRunning, match="already uses the state file"):
            Service(other).start()
        assert running_service(other.reports_path) is None  # nothing left held by the refused start
        # Another state file but the same reports folder: refused too, and its state file's lock let go.
        own_state = service_settings(project, state_file="own.db")
        with pytest.raises(AlreadyRunning, match="already serves the reports folder"):
            Service(own_state).start()
        assert running_service(project / "nowhere", own_state.state_path) is None
        holder = running_service(other.reports_path, other.state_path)
        assert holder is not None and holder.pid == os.getpid()

        # The CLI with that configuration: `status` sees the service, `ingest` leaves seeds/ to it, `run` exits 2.
        monkeypatch.chdir(project)
        (project / "briefing.toml").write_text('reports_dir = "elsewhere"\n' + CONFIG, encoding="utf-8")
        assert main(["status"]) == 0
        assert f"service: running (pid {os.getpid()}" in capsys.readouterr().out
        assert main(["ingest"]) == 0
        assert "is ingesting" in capsys.readouterr().out
        assert main(["run"]) == 2
        assert "already uses the state file" in capsys.readouterr().err
    with Service(other):  # free again once the first stops
        # The same state file through a symbolic link is the same state file.
        (project / "alias.db").symlink_to(settings.state_path)
        aliased = service_settings(project, reports_dir="third", state_file="alias.db")
        with pytest.raises(AlreadyRunning, match="already uses the state file"):
            Service(aliased).start()
