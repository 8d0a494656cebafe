"""Scanning seeds/ into the store: bad files are recorded, good ones still go through."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from briefing.batch import executors, inflight
from briefing.config import Settings
from briefing.pipeline import generate_briefing, ingest_folder
from briefing.store import Store
from tests.conftest import news_text


def rows(settings: Settings, query: str) -> list[tuple]:
    with sqlite3.connect(settings.state_path) as db:
        return db.execute(query).fetchall()


def test_bad_files_are_recorded_and_the_rest_ingested(settings: Settings, write_article, project: Path) -> None:
    write_article("good1.txt", "date 2022-02-17 " + news_text("harbour"))
    write_article("empty.txt", b"")
    write_article("binary.txt", bytes(range(256)) * 100)
    write_article("invalid-utf8.txt", b"date 2022-02-18 The mayor\xff said \x93no\x94. " + news_text("museum").encode())
    write_article("huge.txt", b"date 2022-02-17 " + b"word " * (2 * 1024 * 1024))
    write_article("bad-date.txt", "date 2022-02-30 " + news_text("zoo"))
    (project / "seeds" / "dir-named.txt").mkdir()
    write_article("good2.md", "---\ntitle: Stadium\ndate: 2022-02-19\n---\n" + news_text("stadium"))
    write_article("nested/good3.json", '{"title": "Park", "date": "2022-02-20", "text": "' + news_text("park") + '"}')
    write_article(".hidden.txt", news_text("hidden"))
    write_article("partial.txt.part", news_text("partial"))
    write_article("~lock.txt", news_text("lock"))

    report = ingest_folder(settings)

    assert sorted(report.new) == [
        "seeds/good1.txt",
        "seeds/good2.md",
        "seeds/invalid-utf8.txt",
        "seeds/nested/good3.json",
    ]
    reasons = dict(report.failed)
    assert set(reasons) == {
        "seeds/empty.txt",
        "seeds/binary.txt",
        "seeds/huge.txt",
        "seeds/bad-date.txt",
        "seeds/dir-named.txt",
    }
    assert "empty" in reasons["seeds/empty.txt"]
    assert "binary" in reasons["seeds/binary.txt"]
    assert "limit" in reasons["seeds/huge.txt"]
    assert "2022-02-30" in reasons["seeds/bad-date.txt"]
    assert "directory" in reasons["seeds/dir-named.txt"]
    with Store(settings.state_path) as store:
        assert store.article_count() == 4
        assert {f.path for f in store.failures()} == set(reasons)


def test_same_article_under_two_names_is_stored_once(settings: Settings, write_article) -> None:
    text = "date 2022-02-17 " + news_text("bridge")
    write_article("copy-a.txt", text)
    write_article("copy-b.txt", text.replace(". ", ".  "))  # different spacing, same article
    report = ingest_folder(settings)
    assert len(report.new) == 1 and len(report.duplicates) == 1
    assert rows(settings, "SELECT COUNT(*) FROM articles") == [(1,)]
    assert rows(settings, "SELECT COUNT(*) FROM analyses") == [(1,)]
    assert rows(settings, "SELECT path FROM sources ORDER BY path") == [("seeds/copy-a.txt",), ("seeds/copy-b.txt",)]
    with Store(settings.state_path) as store:
        [stored] = store.articles()
    assert stored.sources == ("seeds/copy-a.txt", "seeds/copy-b.txt")


def test_a_second_scan_skips_unchanged_files_and_retries_fixed_ones(settings: Settings, write_article) -> None:
    write_article("ok.txt", "date 2022-02-17 " + news_text("tram"))
    broken = write_article("later.txt", b"")
    first = ingest_folder(settings)
    assert (len(first.new), len(first.failed)) == (1, 1)

    second = ingest_folder(settings)
    assert (len(second.new), len(second.failed), second.unchanged) == (0, 0, 2)

    broken.write_text("date 2022-02-18 " + news_text("library"), encoding="utf-8")
    os.utime(broken, (time.time() + 5, time.time() + 5))
    third = ingest_folder(settings)
    assert third.new == ["seeds/later.txt"]
    with Store(settings.state_path) as store:
        assert store.failures() == []
        assert store.article_count() == 2


def test_store_is_a_versioned_wal_sqlite_file(settings: Settings) -> None:
    with Store(settings.state_path) as store:
        assert store.schema_version >= 1
    assert rows(settings, "PRAGMA journal_mode") == [("wal",)]
    # Reopening an existing store migrates nothing and keeps the version.
    with Store(settings.state_path) as store:
        assert store.schema_version >= 1


def test_an_article_that_breaks_the_analysis_is_recorded_and_the_rest_go_on(
    settings: Settings, write_article, monkeypatch
) -> None:
    real = executors.analyse

    def fragile(article, options):
        if "poison" in article.text:
            raise ZeroDivisionError("a bug on odd text")
        return real(article, options)

    monkeypatch.setattr(executors, "analyse", fragile)  # where every executor calls it (a few files: in process)
    write_article("a.txt", "date 2022-02-17 " + news_text("bridge"))
    write_article("b.txt", "date 2022-02-17 The poison pill defence failed. " + news_text("zoo"))
    write_article("c.txt", "date 2022-02-17 " + news_text("tunnel"))
    report = ingest_folder(settings)
    assert sorted(report.new) == ["seeds/a.txt", "seeds/c.txt"]
    [(name, reason)] = report.failed
    assert name == "seeds/b.txt" and "could not be analysed" in reason and "ZeroDivisionError" in reason
    assert ingest_folder(settings).unchanged == 3  # recorded, not retried until the file changes


KILLED_ON_POISON = """
import os, signal, sys

from briefing.batch import executors
from briefing.cli import main

real = executors.analyse


def analyse(article, options):
    if "poison" in article.text:
        os.kill(os.getpid(), signal.SIGKILL)  # what the out-of-memory killer or a segfault does
    return real(article, options)


executors.analyse = analyse  # where every executor calls it
sys.exit(main(sys.argv[1:]))
"""
"""``briefing`` with one fault: the process dies outright while analysing any article about poison."""


def working_on(settings: Settings) -> list[str]:
    """The files the crash markers name (a marker is emptied when its process is done with a file)."""
    markers = (settings.state_path.parent / inflight.FOLDER).glob("*.json")
    return [json.loads(text)["path"] for marker in markers if (text := marker.read_text(encoding="utf-8"))]


def run_briefing(project: Path, script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("BRIEFING_")}
    return subprocess.run(
        [sys.executable, str(script), *args], cwd=project, env=env, capture_output=True, text=True, timeout=120
    )


def test_a_file_the_process_dies_on_twice_is_recorded_as_failed_not_read_again(
    settings: Settings, write_article, project: Path, tmp_path: Path
) -> None:
    (project / "briefing.toml").write_text('timezone = "Europe/London"\n', encoding="utf-8")
    script = tmp_path / "killed_on_poison.py"
    script.write_text(KILLED_ON_POISON, encoding="utf-8")
    write_article("a.txt", "date 2022-02-17 " + news_text("bridge"))
    write_article("b.txt", "date 2022-02-17 The poison was found in the river. " + news_text("river"))
    write_article("c.txt", "date 2022-02-17 " + news_text("tunnel"))

    died = run_briefing(project, script, "ingest")
    assert died.returncode == -signal.SIGKILL
    assert rows(settings, "SELECT path FROM sources") == [("seeds/a.txt",)]
    # Read once more (the process may have been killed from outside), and it dies again.
    assert run_briefing(project, script, "ingest").returncode == -signal.SIGKILL
    assert rows(settings, "SELECT path FROM failures") == []

    # The next run records the file it died on twice and goes on with the rest, instead of dying again.
    again = run_briefing(project, script, "ingest")
    assert again.returncode == 1, again.stderr
    assert "1 new, 0 duplicate, 1 failed" in again.stdout
    assert f"failed: seeds/b.txt: {inflight.CRASHED}" in again.stdout
    assert rows(settings, "SELECT path, reason FROM failures") == [("seeds/b.txt", inflight.CRASHED)]
    assert sorted(rows(settings, "SELECT path FROM sources")) == [("seeds/a.txt",), ("seeds/c.txt",)]
    assert not working_on(settings)

    # Not retried until it changes, like any failed file.
    assert run_briefing(project, script, "ingest").returncode == 0
    assert ingest_folder(settings).unchanged == 3


def test_a_file_is_marked_while_it_is_analysed_and_the_mark_cleared_after(
    settings: Settings, write_article, monkeypatch
) -> None:
    real = executors.analyse
    seen: list[list[str]] = []

    def looking(article, options):
        seen.append(working_on(settings))
        return real(article, options)

    monkeypatch.setattr(executors, "analyse", looking)
    write_article("a.txt", "date 2022-02-17 " + news_text("bridge"))
    assert ingest_folder(settings).new == ["seeds/a.txt"]
    assert seen == [["seeds/a.txt"]]
    assert not working_on(settings)


LIST = [
    {"title": "Canal", "date": "2022-06-01", "text": news_text("canal")},
    42,
    {"title": "Dock", "date": "2022-06-01", "text": news_text("dock")},
    {"title": "Bad date", "date": "2022-13-45", "text": news_text("bridge")},
]


def test_each_bad_item_of_a_json_list_is_recorded_as_name_index_and_the_good_ones_stored(
    settings: Settings, write_article
) -> None:
    write_article("list.json", json.dumps(LIST))
    report = ingest_folder(settings)
    assert report.new == ["seeds/list.json#0", "seeds/list.json#2"]
    assert report.failed == [
        ("seeds/list.json#1", "item 1 is not a JSON object"),
        ("seeds/list.json#3", "the date of item 3 '2022-13-45' is not a valid date (month must be in 1..12)"),
    ]
    with Store(settings.state_path) as store:
        assert [f.path for f in store.failures()] == ["seeds/list.json#1", "seeds/list.json#3"]
        assert sorted(p for s in store.articles() for p in s.sources) == ["seeds/list.json#0", "seeds/list.json#2"]
    assert ingest_folder(settings).unchanged == 1  # the file is done: not read again until it changes


def test_lone_surrogates_in_json_items_are_stored_as_replacement_marks(settings: Settings, write_article) -> None:
    """JSON allows "\\ud800", UTF-8 cannot store it: the item is kept, the mark replaced, the next file read."""
    items = [
        {"title": "Good", "date": "2022-06-01", "text": news_text("canal")},
        {"title": "Bad \ud800 title", "date": "2022-06-01", "text": news_text("river") + " \udc80"},
    ]
    write_article("list.json", json.dumps(items))  # json.dumps writes the surrogates as escapes
    write_article("z.txt", "date 2022-06-01 " + news_text("bridge"))
    report = ingest_folder(settings)
    assert report.new == ["seeds/list.json#0", "seeds/list.json#1", "seeds/z.txt"] and report.failed == []
    with Store(settings.state_path) as store:
        assert "Bad ? title" in {s.article.title for s in store.articles()}


def test_failures_are_cleared_when_the_file_is_stored_again_and_forgotten_when_it_is_gone(
    settings: Settings, write_article, project: Path
) -> None:
    listing = write_article("list.json", json.dumps(LIST[:3]))
    write_article("empty.txt", b"")
    report = ingest_folder(settings)
    assert [name for name, _ in report.failed] == ["seeds/empty.txt", "seeds/list.json#1"]

    # The list is fixed: its item's failure goes, and the file is not read again on every scan.
    good = [LIST[0], {"title": "Quay", "date": "2022-06-01", "text": news_text("quay")}, LIST[2]]
    listing.write_text(json.dumps(good), encoding="utf-8")
    os.utime(listing, ns=(time.time_ns(), time.time_ns() + 1_000_000_000))
    report = ingest_folder(settings)
    assert report.new == ["seeds/list.json#1"] and report.duplicates == ["seeds/list.json#0", "seeds/list.json#2"]
    assert rows(settings, "SELECT path FROM failures") == [("seeds/empty.txt",)]
    assert ingest_folder(settings).unchanged == 2

    # A failed file that is deleted is no longer listed (status, every briefing's Not included).
    (project / "seeds" / "empty.txt").unlink()
    assert ingest_folder(settings).unchanged == 1
    assert rows(settings, "SELECT path FROM failures") == []
    generated = generate_briefing(settings, formats=(".html",))
    assert generated.briefing is not None and generated.briefing.failures == ()
    # Back again, unchanged: read again and recorded again.
    write_article("empty.txt", b"")
    assert [name for name, _ in ingest_folder(settings).failed] == ["seeds/empty.txt"]


def test_a_process_killed_once_while_on_a_good_file_loses_nothing(settings: Settings, write_article) -> None:
    """kill -9 or a stop that timed out, while on a good file: the next run reads it again and stores it."""
    path = write_article("a.txt", "date 2022-02-17 " + news_text("bridge"))
    folder = inflight.marker_folder(settings.state_path)
    folder.mkdir(parents=True)
    version = path.stat()
    (folder / "999999999-deadbeef0000-1.json").write_text(  # what a killed process leaves (its pid is gone)
        json.dumps({"path": "seeds/a.txt", "size": version.st_size, "mtime_ns": version.st_mtime_ns})
    )
    report = ingest_folder(settings)
    assert report.new == ["seeds/a.txt"] and report.failed == []
    assert not working_on(settings)
