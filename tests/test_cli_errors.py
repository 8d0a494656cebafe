"""What the machine breaks, as a user sees it: one line saying what is wrong and what to do, exit status 2.

Each test runs the real ``briefing`` command in a subprocess against a real state file and real folders:
a damaged or truncated ``state.db``, a full disk (a small tmpfs when this machine lets us mount one), a
read-only reports folder, dates off the calendar, an output folder that cannot exist, a broken ``$TZ``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.cli.errors import describe_failure
from briefing.config import load_settings
from tests.conftest import SEED


def run(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``briefing ARGS`` in ``project`` with a clean BRIEFING_* environment (timezone fixed unless given)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_") and k != "TZ"}
    base.update({"BRIEFING_TIMEZONE": "Europe/London", "BRIEFING_ANALYSIS__EXECUTOR": "serial"})
    base.update(env)
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args], cwd=project, env=base, capture_output=True, text=True, timeout=120
    )


def assert_one_line(result: subprocess.CompletedProcess[str], *words: str) -> str:
    """Exit status 2 and one ``briefing: ...`` line on stderr holding ``words``, no traceback."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("briefing: "), result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


@pytest.fixture
def stored(project: Path) -> Path:
    """A project with the seed article stored and one HTML briefing made."""
    shutil.copy(SEED, project / "seeds" / SEED.name)
    assert run(project, "generate", "--format", "html").returncode == 0
    return project


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_a_damaged_state_store_says_how_to_restore_or_rebuild_it(stored: Path, damage: str) -> None:
    state = stored / ".briefing" / "state.db"
    data = state.read_bytes()
    state.write_bytes(data[:5000] if damage == "truncated" else os.urandom(len(data)))
    for extra in ("state.db-wal", "state.db-shm"):
        (stored / ".briefing" / extra).unlink(missing_ok=True)
    commands = [["status"], ["ingest"], ["generate", "--format", "html"], ["calendar"], ["send", "--dry-run"], ["run"]]
    for command in commands if damage == "truncated" else commands[:2]:  # each start costs a second or two
        line = assert_one_line(run(stored, *command), "state store", "damaged", "backup", "briefing ingest", "seeds")
        assert str(Path(".briefing") / "state.db") in line


@pytest.mark.parametrize(
    "option", [["--as-of", "0001-01-01"], ["--until", "0001-01-01"], ["--since", "0001-01-01T00:00"]]
)
def test_dates_off_the_calendar_are_usage_errors(stored: Path, option: list[str]) -> None:
    result = run(stored, "generate", "--no-ingest", "--format", "html", *option)
    assert "Traceback" not in result.stderr and result.returncode == 2
    assert f"argument {option[0]}: '{option[1]}' is out of range" in result.stderr.splitlines()[-1]


def test_an_output_folder_that_cannot_exist_is_named(stored: Path) -> None:
    assert_one_line(run(stored, "generate", "--no-ingest", "--format", "html", "--out", "/proc/1"), "/proc/1")


@pytest.mark.parametrize("tz", ["Invalid/Zone", ":/etc/passwd"])
def test_a_broken_tz_with_timezone_local_is_a_timezone_problem_not_a_cron_one(project: Path, tz: str) -> None:
    result = run(project, "status", BRIEFING_TIMEZONE="local", TZ=tz)
    assert "Traceback" not in result.stderr and result.returncode == 2
    assert f"timezone: Value error, is local, but $TZ is {tz!r}" in result.stderr
    assert "Europe/London" in result.stderr
    assert "cron" not in result.stderr


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs, really full; skipped where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> None:
    """Take every free byte of ``disk``."""
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)


def test_a_full_disk_under_the_reports_says_so(stored: Path, small_disk: Path) -> None:
    fill(small_disk)
    result = run(stored, "generate", "--no-ingest", "--format", "html", BRIEFING_REPORTS_DIR=str(small_disk))
    assert_one_line(result, "no space left", str(small_disk), "free some space")


def test_a_full_disk_under_the_state_store_says_so(project: Path, small_disk: Path) -> None:
    state = small_disk / "state.db"
    assert run(project, "status", BRIEFING_STATE_FILE=str(state)).returncode == 0  # the store exists, empty
    fill(small_disk)
    shutil.copy(SEED, project / "seeds" / SEED.name)
    result = run(project, "ingest", BRIEFING_STATE_FILE=str(state))
    assert_one_line(result, str(state), "full", "free some space")


def test_a_read_only_reports_folder_says_so(stored: Path, tmp_path: Path) -> None:
    reports = tmp_path / "read-only"
    reports.mkdir()
    mounted = False
    if os.geteuid() == 0:  # root writes through permission bits: a read-only mount is what refuses root
        mounted = not subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(reports)], capture_output=True
        ).returncode
        if not mounted:
            pytest.skip("root, and cannot mount a read-only tmpfs here")
    else:
        reports.chmod(0o555)
    try:
        result = run(stored, "generate", "--no-ingest", "--format", "html", "--out", str(reports))
        assert_one_line(result, "cannot write", str(reports), "writable")
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(reports)], check=False)
        reports.chmod(0o755)


def test_errors_nobody_expects_keep_their_traceback(project: Path) -> None:
    """A broken constraint or a bad query is a bug: it is not dressed up as a damaged store."""
    settings = load_settings(env={}, overrides={"base_dir": str(project), "timezone": "Europe/London"})
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (a UNIQUE)")
    db.execute("INSERT INTO t VALUES (1)")
    for statement in ("INSERT INTO t VALUES (1)", "SELECT nope FROM t"):
        with pytest.raises(sqlite3.DatabaseError) as caught:
            db.execute(statement)
        assert describe_failure(caught.value, settings) is None
    assert describe_failure(ValueError("a bug"), settings) is None
    with pytest.raises(sqlite3.DatabaseError) as damaged:
        (project / "junk.db").write_bytes(b"not a database at all" * 100)
        sqlite3.connect(project / "junk.db").execute("SELECT * FROM sqlite_master")
    assert "damaged" in (describe_failure(damaged.value, settings) or "")
