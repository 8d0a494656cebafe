"""Every reader has a time and a memory bound, and one hostile file never holds up the others (issue 22, point 2).

The attack: a Markdown file of a few hundred bytes whose YAML front matter nests
aliases ten levels deep (``&a``/``*a`` lists) stands for ten billion values once
anything walks it. The commands run as real processes under an address-space cap,
so that a regression fails the test instead of taking the machine down.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.config import Settings
from briefing.ingest import ReadError, ReadLimits, read_items, sandbox
from briefing.service.lock import running_service
from tests.conftest import news_text
from tests.hostile_readers import Crashing, Greedy, Plain, SlowOnce, Stuck
from tests.test_service import rows, wait_for

CAP_BYTES = 2 * 1024**3
"""Address-space cap of the briefing processes these tests start (the attack, unfixed, takes gigabytes)."""


def alias_bomb(levels: int = 10, width: int = 10) -> str:
    """Front matter whose last anchor, used as the title, expands to ``width ** levels`` strings."""
    lines = ["---", "l0: &l0 [" + ", ".join(['"ha"'] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]")
    lines += [f"title: *l{levels - 1}", "---", "", news_text("lighthouse", sentences=3)]
    return "\n".join(lines) + "\n"


def capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP_BYTES, CAP_BYTES))


def environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFING_", "TEST_BRIEFING_"))}


def test_an_alias_bomb_is_refused_at_once_and_the_next_file_is_analysed(tmp_path: Path) -> None:
    bomb, good = tmp_path / "bomb.md", tmp_path / "good.md"
    bomb.write_text(alias_bomb(), encoding="utf-8")
    assert len(bomb.read_bytes()) < 1024
    good.write_text("---\ntitle: Ferry pier opens\ndate: 2024-03-05\n---\n" + news_text("pier"), encoding="utf-8")

    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "briefing", "analyze", "--json", str(bomb), str(good)],
        cwd=tmp_path,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=capped,
    )
    took = time.monotonic() - started
    assert done.returncode == 1, done.stderr
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["source"] == str(bomb)
    assert first["error"].startswith("the front matter is not valid YAML (aliases (*name) are not allowed")
    assert second["title"] == "Ferry pier opens" and second["key_points"]
    print(f"analyze took {took:.1f} s")
    assert took < 30  # the bomb costs a refusal, not minutes


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "a.md"
    path.write_text(news_text("orchard"), encoding="utf-8")
    return path


def test_any_reader_is_stopped_at_the_memory_limit_and_the_next_read_works(article: Path) -> None:
    limits = ReadLimits(seconds=60, memory_mb=300)
    started = time.monotonic()
    with pytest.raises(ReadError, match=r"needed more than 300 MB of memory, the limit \(setting read_memory_mb\)"):
        read_items(article, max_bytes=10**6, readers={".md": Greedy()}, limits=limits)
    assert time.monotonic() - started < 30
    [item] = read_items(article, max_bytes=10**6, readers={".md": Plain()}, limits=limits)
    assert item.title == "Plain"


def test_any_reader_is_stopped_at_the_time_limit_and_the_next_read_works(article: Path) -> None:
    limits = ReadLimits(seconds=1.5, memory_mb=512)
    started = time.monotonic()
    with pytest.raises(ReadError, match=r"stopped after 1.5 s, the time limit \(setting read_timeout_seconds\)"):
        read_items(article, max_bytes=10**6, readers={".md": Stuck()}, limits=limits)
    assert time.monotonic() - started < 10
    [item] = read_items(article, max_bytes=10**6, readers={".md": Plain()}, limits=limits)
    assert item.title == "Plain"


def test_a_reader_killed_from_outside_reads_the_file_once_more(article: Path) -> None:
    """An OOM killer or an operator killing the reader process costs no good article (it is read again)."""
    limits = ReadLimits(seconds=60, memory_mb=512)
    read_items(article, max_bytes=10**6, readers={".md": Plain()}, limits=limits)  # the child is up
    child = sandbox._children[limits].process
    threading.Timer(1.0, child.kill).start()  # during the slow first read
    started = time.monotonic()
    [item] = read_items(article, max_bytes=10**6, readers={".md": SlowOnce()}, limits=limits)
    assert item.title == "Read at last" and time.monotonic() - started < 20


def test_a_reader_that_dies_by_a_signal_on_every_read_is_refused_the_second_time(article: Path) -> None:
    limits = ReadLimits(seconds=60, memory_mb=512)
    with pytest.raises(ReadError, match=r"killed twice on this file \(signal 11"):
        read_items(article, max_bytes=10**6, readers={".md": Crashing()}, limits=limits)
    [item] = read_items(article, max_bytes=10**6, readers={".md": Plain()}, limits=limits)
    assert item.title == "Plain"


@pytest.fixture
def service(project: Path) -> Iterator[subprocess.Popen[bytes]]:
    (project / "briefing.toml").write_text(
        'timezone = "Europe/London"\n[service]\nquiet_seconds = 0.5\nrescan_seconds = 1.0\n', encoding="utf-8"
    )
    with (project / "service.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "briefing", "run"],
            cwd=project,
            env=environment(),
            stdout=log,
            stderr=log,
            preexec_fn=capped,
        )
    yield process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def stored(settings: Settings) -> list[tuple]:
    """The stored sources; none while the service is still creating the store."""
    try:
        return rows(settings, "SELECT path FROM sources")
    except sqlite3.OperationalError:
        return []


def test_under_the_service_a_bomb_is_recorded_and_holds_up_no_other_file(project: Path, service, settings) -> None:
    wait_for(lambda: running_service(project / "reports") is not None, timeout=60, what="the service to start")
    seeds = project / "seeds"
    (seeds / "a-bomb.md").write_text(alias_bomb(), encoding="utf-8")
    for name in ("b-quay.txt", "c-canal.txt"):
        (seeds / name).write_text("date 2024-03-05\n" + news_text(name[2:-4]), encoding="utf-8")
    started = time.monotonic()
    wait_for(lambda: len(stored(settings)) == 2, timeout=30, what="the two good files")
    print(f"the other files stored {time.monotonic() - started:.1f} s after the drop")
    assert time.monotonic() - started < 10  # unfixed, the bomb held up ingest until a MemoryError
    [(path, reason)] = rows(settings, "SELECT path, reason FROM failures")
    assert path == "seeds/a-bomb.md" and "aliases" in reason
    assert service.poll() is None
