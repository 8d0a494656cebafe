"""``briefing run`` in-process: a real APScheduler, real watchdog events, real files and SQLite."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from briefing.batch import executors
from briefing.cli import main
from briefing.config import Settings, load_settings
from briefing.model import Analysis, Article
from briefing.nlp import AnalysisOptions
from briefing.pipeline import pending_files
from briefing.service import Service
from briefing.service.jobs import RESCAN_JOB, briefing_job_id
from briefing.service.lock import AlreadyRunning, running_service
from briefing.store import Store
from tests.conftest import news_text
from tests.seedbatch import IGNORED, MAX_FILE_MB, drop_batch


def service_settings(project: Path, **overrides: object) -> Settings:
    """Settings for a service test: short quiet period and refresh, a daily and a weekly schedule."""
    values: dict[str, object] = {
        "base_dir": str(project),
        "timezone": "Europe/London",
        "max_file_mb": MAX_FILE_MB,
        "service.quiet_seconds": 1.0,
        "service.rescan_seconds": 2.0,
        "service.refresh_seconds": 0.2,
        "schedules": {"daily": {"cron": "0 7 * * *"}, "weekly": {"cron": "0 8 * * mon"}},
    }
    values.update(overrides)
    return load_settings(env={}, overrides=values)


def serving(settings: Settings) -> Service:
    """The service, to run in a ``with`` block (started on entry, stopped on exit)."""
    return Service(settings)


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


def rows(settings: Settings, query: str) -> list[tuple]:
    with sqlite3.connect(settings.state_path) as db:
        return db.execute(query).fetchall()


def pending(settings: Settings) -> list[str]:
    """Files in seeds/ not stored (or failed) at their current size and mtime: what the service still owes."""
    with Store(settings.state_path) as store:
        return pending_files(settings, store)


def count(settings: Settings, table: str) -> int:
    """Rows in ``table``; 0 while the service has not made its store yet (the file may exist before the
    transaction that creates its tables commits)."""
    if not settings.state_path.exists():
        return 0
    try:
        return rows(settings, f"SELECT COUNT(*) FROM {table}")[0][0]
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):
            return 0
        raise


def test_a_thousand_files_at_once_each_valid_article_analysed_once(project: Path) -> None:
    settings = service_settings(project)
    with serving(settings) as service:
        started = time.monotonic()
        batch = drop_batch(project)
        expected = len(batch.valid) + len(batch.invalid)
        wait_for(
            lambda: count(settings, "sources") + count(settings, "failures") >= expected,
            timeout=120,
            what=f"{expected} files to be ingested or recorded as failed",
        )
        took = time.monotonic() - started
        batch.wait_for_writers()
        wait_for(lambda: not pending(settings), timeout=30, what="every file stored at its final version")

        assert count(settings, "articles") == count(settings, "analyses") == len(batch.valid) == 950
        sources = dict(rows(settings, "SELECT path, article_id FROM sources"))
        assert set(sources) == set(batch.valid)
        texts = dict(rows(settings, "SELECT id, text FROM articles"))
        for name, text in batch.valid.items():  # slow and renamed files were read whole, never half-written
            assert texts[sources[name]] == text.split("\n", 1)[1], name

        failures = dict(rows(settings, "SELECT path, reason FROM failures"))
        assert set(failures) == set(batch.invalid)
        for name, word in batch.invalid.items():
            assert word in failures[name].lower(), (name, failures[name])
        stored_names = set(sources) | set(failures)
        assert not any(name.endswith(IGNORED) or ".part" in name for name in stored_names)

        # Each new article was counted by exactly one ingest run: analysed once, never redone.
        ingest_runs = rows(settings, "SELECT status, items FROM runs WHERE job = 'ingest'")
        assert sum(items for _, items in ingest_runs) == 950
        assert {status for status, _ in ingest_runs} == {"ok"}

        # Still running and still taking files; the live view (live.html) follows.
        assert service.running
        (project / "seeds" / "late.txt").write_text(news_text("late arrival"), encoding="utf-8")
        wait_for(lambda: count(settings, "articles") == 951, timeout=30, what="a file dropped after the batch")
        live = project / "reports" / "live.html"
        wait_for(lambda: "seeds/late.txt" in live.read_text(encoding="utf-8"), timeout=30, what="live.html")
        assert service.running
    print(f"\n1,000-file batch: stored and failed all in {took:.1f} s")


def test_a_second_service_on_the_same_reports_exits_with_a_clear_message(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = service_settings(project)
    with serving(settings):
        holder = running_service(settings.reports_path)
        assert holder is not None and holder.pid is not None
        with pytest.raises(AlreadyRunning, match=rf"pid {holder.pid}"):
            Service(settings).start()

        monkeypatch.chdir(project)
        (project / "briefing.toml").write_text('timezone = "Europe/London"\n', encoding="utf-8")
        assert main(["run"]) == 2
        err = capsys.readouterr().err
        assert f"another `briefing run` (pid {holder.pid}" in err and "reports" in err
    assert running_service(settings.reports_path) is None  # released on stop


def test_generate_on_demand_while_the_service_runs(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = service_settings(project)
    (project / "briefing.toml").write_text(
        'timezone = "Europe/London"\n[service]\nquiet_seconds = 0.5\nrefresh_seconds = 0.2\n', encoding="utf-8"
    )
    monkeypatch.chdir(project)
    settings = load_settings(project / "briefing.toml", env={})
    with serving(settings):
        for index in range(5):
            (project / "seeds" / f"a{index}.txt").write_text(news_text(f"topic {index}"), encoding="utf-8")
        wait_for(lambda: count(settings, "articles") == 5, timeout=30, what="five articles")
        assert main(["generate"]) == 0
        out = capsys.readouterr().out
        assert "is ingesting" in out and "5 article(s) in the briefing" in out
        assert len(list((project / "reports").glob("20??-??-??/briefing-*.pdf"))) == 1

        assert main(["status"]) == 0
        status = capsys.readouterr().out
        assert "service: running" in status and "pending files: 0" in status
        assert "ingest" in status and " new, " in status


def test_status_shows_pending_and_failed_files_and_next_runs(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "briefing.toml").write_text(
        'timezone = "Europe/London"\n[schedules.daily]\ncron = "0 7 * * *"\n', encoding="utf-8"
    )
    monkeypatch.chdir(project)
    settings = load_settings(project / "briefing.toml", env={})
    (project / "seeds" / "good.txt").write_text(news_text("harbour"), encoding="utf-8")
    (project / "seeds" / "bad.txt").write_bytes(b"")
    assert main(["ingest"]) == 1
    (project / "seeds" / "waiting.md").write_text("# A title\n\nSome text here.\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "service: not running" in out
    assert "pending files: 1\n  seeds/waiting.md" in out
    assert "failed files: 1\n  seeds/bad.txt:" in out
    assert "daily  [0 7 * * *]  last never  next " in out and " 07:00 " in out
    assert running_service(settings.reports_path) is None


def test_jobs_have_explicit_ids_and_a_file_renamed_within_seeds_is_new(project: Path) -> None:
    settings = service_settings(project, **{"service.quiet_seconds": 0.3})
    with serving(settings) as service:
        ids = {job.id for job in service.scheduler.get_jobs()}
        assert ids == {RESCAN_JOB, briefing_job_id("daily"), briefing_job_id("weekly")}
        first = project / "seeds" / "first.txt"
        first.write_text(news_text("bridge"), encoding="utf-8")
        wait_for(lambda: count(settings, "sources") == 1, timeout=20, what="first.txt")
        first.rename(project / "seeds" / "second.txt")
        wait_for(lambda: count(settings, "sources") == 2, timeout=20, what="the renamed file")
        assert count(settings, "articles") == 1  # same text: one article, both names remembered
        assert {p for (p,) in rows(settings, "SELECT path FROM sources")} == {"seeds/first.txt", "seeds/second.txt"}


def test_a_folder_moved_into_seeds_is_ingested_whole(project: Path) -> None:
    settings = service_settings(project, **{"service.quiet_seconds": 0.3})
    outside = project / "incoming"
    outside.mkdir()
    for index in range(3):
        (outside / f"part-{index}.txt").write_text(news_text(f"folder item {index}"), encoding="utf-8")
    (outside / ".partial.txt").write_text(news_text("hidden"), encoding="utf-8")
    with serving(settings):
        outside.rename(project / "seeds" / "batch")
        wait_for(lambda: count(settings, "sources") == 3, timeout=20, what="the moved folder's three files")
        time.sleep(1)
        assert {p for (p,) in rows(settings, "SELECT path FROM sources")} == {
            f"seeds/batch/part-{index}.txt" for index in range(3)
        }


def test_the_rescan_finds_files_whose_events_were_lost(project: Path) -> None:
    settings = service_settings(project, **{"service.quiet_seconds": 0.3, "service.rescan_seconds": 0.5})
    with serving(settings) as service:
        assert service._watcher is not None
        service._watcher.stop()  # as if the events never came (a network folder, an overflowing queue)
        (project / "seeds" / "unannounced.txt").write_text(news_text("quiet news"), encoding="utf-8")
        wait_for(lambda: count(settings, "sources") == 1, timeout=20, what="the rescan to find the file")
        [(detail,)] = rows(settings, "SELECT detail FROM runs WHERE job = 'rescan'")
        assert "1 file(s) that no filesystem event announced" in detail


def test_an_article_that_breaks_the_analysis_is_recorded_and_the_rest_goes_on(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_analyse = executors.analyse

    def fragile(article: Article, options: AnalysisOptions) -> Analysis:  # a bug hit by one odd article
        if "poison" in article.text:
            raise IndexError("list index out of range")
        return real_analyse(article, options)

    monkeypatch.setattr(executors, "analyse", fragile)  # where every executor calls it
    settings = service_settings(project, **{"service.quiet_seconds": 0.3, "service.rescan_seconds": 0.5})
    with serving(settings) as service:
        (project / "seeds" / "odd.txt").write_text(news_text("poison pill"), encoding="utf-8")
        (project / "seeds" / "fine.txt").write_text(news_text("orchard"), encoding="utf-8")
        wait_for(lambda: count(settings, "sources") + count(settings, "failures") == 2, timeout=20, what="both files")
        [(path, reason)] = rows(settings, "SELECT path, reason FROM failures")
        assert path == "seeds/odd.txt" and "could not be analysed" in reason and "IndexError" in reason
        assert count(settings, "articles") == 1
        recorded = rows(settings, "SELECT failed_at FROM failures")
        time.sleep(1.5)  # three rescans: the file is not retried in a loop
        assert rows(settings, "SELECT failed_at FROM failures") == recorded
        assert service.running


def test_the_job_log_keeps_the_latest_runs_and_marks_interrupted_ones(settings: Settings) -> None:
    now = dt.datetime(2024, 3, 4, 7, tzinfo=dt.UTC)
    with Store(settings.state_path) as store:
        for minute in range(30):
            store.record_run("ingest", now + dt.timedelta(minutes=minute), "ok", items=minute)
        left_running = store.start_run("briefing:daily", now + dt.timedelta(hours=1))
        assert store.prune_runs(keep=10) == 21
        assert [r.items for r in store.runs(limit=100, job="ingest")] == list(range(29, 20, -1))
        assert store.close_interrupted_runs(now + dt.timedelta(hours=2)) == 1
        [last_daily] = [r for r in store.last_runs() if r.job == "briefing:daily"]
        assert last_daily.id == left_running and last_daily.status == "interrupted"


def test_the_rescan_forgets_the_failures_of_deleted_files_and_reads_them_again_if_they_return(project: Path) -> None:
    settings = service_settings(project, **{"service.quiet_seconds": 0.2, "service.rescan_seconds": 0.5})
    with serving(settings):
        empty = project / "seeds" / "empty.txt"
        empty.write_bytes(b"")
        wait_for(lambda: count(settings, "failures") == 1, timeout=20, what="the failure")
        stamp = empty.stat().st_mtime_ns
        empty.unlink()
        wait_for(lambda: count(settings, "failures") == 0, timeout=20, what="the failure forgotten")
        empty.write_bytes(b"")
        os.utime(empty, ns=(stamp, stamp))  # the very same version as before
        wait_for(lambda: count(settings, "failures") == 1, timeout=20, what="the file read again")
