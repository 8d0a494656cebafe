"""Odd things in ``seeds/``: named pipes, file names that are not UTF-8, symbolic links.

Each must be recorded with a clear reason (or passed over) while everything else goes on;
none may block, crash or leak a file from outside the folder.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from briefing import batch
from briefing.cli import main
from briefing.config import Settings
from briefing.ingest import ReadError, read_articles
from briefing.pipeline import ingest_folder, pending_files
from briefing.store import Store
from tests.conftest import news_text
from tests.test_service import count, pending, rows, service_settings, serving, wait_for

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


def links(project: Path, outside: Path) -> None:
    """Symbolic links of every kind in seeds/: inside, outside, nowhere, in a loop, to a parent folder."""
    seeds = project / "seeds"
    (seeds / "sub").mkdir()
    (seeds / "sub" / "a.txt").write_text("date 2022-02-17 " + news_text("harbour"), encoding="utf-8")
    outside.mkdir()
    (outside / "secret.txt").write_text("date 2022-02-17 " + news_text("secret"), encoding="utf-8")
    (seeds / "alias.txt").symlink_to("sub/a.txt")  # inside: followed
    (seeds / "passwd.txt").symlink_to(outside / "secret.txt")  # outside: never read
    (seeds / "elsewhere").symlink_to(outside)  # a folder outside: never entered
    (seeds / "dangling.txt").symlink_to(project / "no" / "such.txt")
    (seeds / "self.txt").symlink_to("self.txt")
    (seeds / "loop").symlink_to(".")  # the seeds folder again: not entered twice
    (seeds / "sub" / "up").symlink_to("..")


LINK_FAILURES = {
    "seeds/dangling.txt": "a broken symbolic link (to {project}/no/such.txt, which does not exist)",
    "seeds/elsewhere": "a symbolic link to {outside}, outside the seeds folder: not followed",
    "seeds/passwd.txt": "a symbolic link to {outside}/secret.txt, outside the seeds folder: not followed",
    "seeds/self.txt": "a symbolic link that leads nowhere (a loop of links)",
}


def test_symbolic_links_are_followed_only_inside_seeds_and_each_folder_entered_once(
    settings: Settings, project: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    links(project, outside)
    report = within(20, lambda: ingest_folder(settings))
    assert sorted(report.new + report.duplicates) == ["seeds/alias.txt", "seeds/sub/a.txt"]
    expected = {name: reason.format(project=project, outside=outside) for name, reason in LINK_FAILURES.items()}
    assert dict(report.failed) == expected
    with Store(settings.state_path) as store:
        assert all("secret" not in stored.article.text for stored in store.articles())
        assert store.article_count() == 1
        assert pending_files(settings, store) == []
    assert within(20, lambda: ingest_folder(settings)).unchanged == 6


def test_the_service_applies_the_same_rule_to_links_it_is_told_about(project: Path, tmp_path: Path) -> None:
    settings = service_settings(project, **{"service.quiet_seconds": 0.2, "service.rescan_seconds": 3600})
    outside = tmp_path / "outside"
    with serving(settings):
        links(project, outside)  # after the start: found by filesystem events, not the first scan
        wait_for(lambda: count(settings, "sources") + count(settings, "failures") == 6, timeout=20, what="6 files")
        time.sleep(0.5)
        expected = {name: reason.format(project=project, outside=outside) for name, reason in LINK_FAILURES.items()}
        assert dict(rows(settings, "SELECT path, reason FROM failures")) == expected
        assert sorted(rows(settings, "SELECT path FROM sources")) == [("seeds/alias.txt",), ("seeds/sub/a.txt",)]
        assert pending(settings) == []


def bad_name(project: Path) -> Path:
    """``seeds/b<0xFF>ad.txt``: a file name whose bytes are not UTF-8 (written by a Latin-1 system, say)."""
    raw = os.path.join(os.fsencode(project / "seeds"), b"b\xffad.txt")
    with open(raw, "wb") as handle:
        handle.write(("date 2022-02-17 " + news_text("ferry")).encode())
    return Path(os.fsdecode(raw))


def test_a_file_name_that_is_not_utf8_is_named_with_its_bytes_escaped(
    settings: Settings, write_article, project: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    bad = bad_name(project)
    write_article("good.txt", "date 2022-02-17 " + news_text("harbour"))
    report = ingest_folder(settings)
    assert sorted(report.new) == ["seeds/b\\xffad.txt", "seeds/good.txt"]
    assert ingest_folder(settings).unchanged == 2
    with Store(settings.state_path) as store:
        assert pending_files(settings, store) == []

    monkeypatch.chdir(project)
    assert main(["analyze", "--json", str(bad.relative_to(project))]) == 0
    out = capsys.readouterr().out
    out.encode("utf-8")  # valid UTF-8: no raw 0xFF byte (a lone surrogate) in the JSON Lines
    assert json.loads(out)["source"] == "seeds/b\\xffad.txt"


def test_the_service_ingests_odd_names_and_one_file_that_breaks_ingestion_never_starves_the_rest(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = batch.read_items

    def fragile(path: Path, **options: object) -> list:  # a bug no reader anticipated, hit by one file
        if path.name == "broken.txt":
            raise KeyError("unexpected")
        return real(path, **options)

    monkeypatch.setattr(batch, "read_items", fragile)  # where ingestion reads files
    settings = service_settings(project, **{"service.quiet_seconds": 0.2, "service.rescan_seconds": 3600})
    with serving(settings):
        bad_name(project)
        (project / "seeds" / "broken.txt").write_text(news_text("broken"), encoding="utf-8")
        (project / "seeds" / "z-later.txt").write_text(news_text("orchard"), encoding="utf-8")
        wait_for(lambda: count(settings, "sources") + count(settings, "failures") == 3, timeout=20, what="3 files")
        assert sorted(rows(settings, "SELECT path FROM sources")) == [("seeds/b\\xffad.txt",), ("seeds/z-later.txt",)]
        [(path, reason)] = rows(settings, "SELECT path, reason FROM failures")
        assert path == "seeds/broken.txt" and reason == "the file could not be ingested (KeyError: 'unexpected')"
        wait_for(lambda: not rows(settings, "SELECT id FROM runs WHERE status = 'running' AND job = 'ingest'"), 5, "")
        assert {status for (status,) in rows(settings, "SELECT status FROM runs WHERE job = 'ingest'")} == {"ok"}
