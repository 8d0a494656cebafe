"""Odd things in ``seeds/``: named pipes, file names that are not UTF-8, symbolic links.

Each must be recorded with a clear reason (or passed over) while everything else goes on;
none may block, crash or leak a file from outside the folder.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from briefing.cli import main
from briefing.config import Settings
from briefing.ingest import ReadError, read_articles
from briefing.pipeline import ingest_folder
from tests.conftest import news_text

T = TypeVar("T")


def within(seconds: float, action: Callable[[], T]) -> T:
    """``action()``, failing the test (instead of hanging it) when it takes longer than ``seconds``."""
    result: list[T] = []
    raised: list[BaseException] = []

    def run() -> None:
        try:
            result.append(action())
        except BaseException as exc:
            raised.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"still blocked after {seconds:.0f} s"
    if raised:
        raise raised[0]
    return result[0]


def test_a_named_pipe_is_reported_never_opened_for_reading(
    settings: Settings, write_article, project: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    seeds = project / "seeds"
    os.mkfifo(seeds / "pipe.txt")
    os.mkfifo(seeds / "agent.fifo")  # not named like an article: passed over
    write_article("good.txt", "date 2022-02-17 " + news_text("harbour"))

    report = within(20, lambda: ingest_folder(settings))
    assert report.new == ["seeds/good.txt"]
    assert report.failed == [("seeds/pipe.txt", "not a regular file (a named pipe)")]

    with pytest.raises(ReadError, match=r"not a regular file \(a named pipe\)"):
        within(20, lambda: read_articles(seeds / "agent.fifo", max_bytes=1024))

    monkeypatch.chdir(project)
    status = within(20, lambda: main(["analyze", "--json", "seeds/pipe.txt", "seeds/good.txt"]))
    out = capsys.readouterr().out.splitlines()
    assert status == 1
    assert out[0] == '{"source": "seeds/pipe.txt", "error": "not a regular file (a named pipe)"}'
    assert '"key_points"' in out[1]
