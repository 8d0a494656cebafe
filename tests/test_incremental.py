"""Incremental ingest at scale: parallel analysis stored per article, the analysis cache, stale analyses.

Real worker processes, real SQLite files; what is checked is what the store holds.
"""

from __future__ import annotations

import io
import sqlite3
import time
from pathlib import Path

import pytest

from briefing.batch import SMALL_BATCH
from briefing.batch.executors import DaskExecutor
from briefing.cli import main
from briefing.cli.commands import ProgressBar
from briefing.config import Settings
from briefing.nlp import analysis_key
from briefing.pipeline import analysis_options, ingest_folder
from briefing.service import Service
from tests.conftest import SEED, news_text


def fill(project: Path, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        text = f"date 2022-02-{10 + n % 9}\n" + news_text(f"scheme number {n}", sentences=3 + n % 6)
        (project / "seeds" / f"story-{n:03d}.txt").write_text(text, encoding="utf-8")


def table(settings: Settings, query: str) -> list[tuple]:
    with sqlite3.connect(settings.state_path) as db:
        return db.execute(query).fetchall()


def test_parallel_ingest_stores_what_serial_ingest_stores(tmp_path: Path) -> None:
    from briefing.config import load_settings

    stores = []
    for how in ("serial", "processes"):
        root = tmp_path / how
        (root / "seeds").mkdir(parents=True)
        fill(root, SMALL_BATCH + 6)
        (root / "seeds" / "bundle.json").write_text(
            '[{"title": "One", "date": "2022-02-11", "text": "The harbour reopened on Monday after repairs."},'
            ' {"title": "Two", "date": "2022-02-12", "text": "The bridge closed on Tuesday for repairs."}]',
            encoding="utf-8",
        )
        (root / "seeds" / "again.txt").write_bytes((root / "seeds" / "story-004.txt").read_bytes())
        (root / "seeds" / "binary.txt").write_bytes(b"\x00\x01\x02" * 50)
        settings = load_settings(env={}, overrides={"base_dir": str(root), "timezone": "Europe/London"})
        report = ingest_folder(settings, executor_spec=how, workers=2)
        assert len(report.new) == SMALL_BATCH + 8 and report.duplicates == ["seeds/story-004.txt"]
        assert [name for name, _ in report.failed] == ["seeds/binary.txt"]
        stores.append(
            (
                table(settings, "SELECT article_id, version, data FROM analyses ORDER BY article_id"),
                table(settings, "SELECT path, article_id, size FROM sources ORDER BY path"),
                table(settings, "SELECT path, reason FROM failures"),
            )
        )
    assert stores[0] == stores[1]


def test_a_new_article_costs_only_its_own_analysis(settings: Settings, project: Path) -> None:
    fill(project, 30)
    ingest_folder(settings, workers=2)
    before = dict(table(settings, "SELECT article_id, created_at FROM analyses"))
    fill(project, 1, start=30)
    (project / "seeds" / "renamed.txt").write_bytes((project / "seeds" / "story-003.txt").read_bytes())
    report = ingest_folder(settings, workers=2)
    assert report.new == ["seeds/story-030.txt"] and report.duplicates == ["seeds/renamed.txt"]
    assert report.unchanged == 30 and report.reanalysed == 0
    after = dict(table(settings, "SELECT article_id, created_at FROM analyses"))
    assert len(after) == 31 and {k: after[k] for k in before} == before  # nothing stored was analysed again


def test_stale_analyses_are_redone_in_the_pool_and_only_those(settings: Settings, project: Path) -> None:
    fill(project, 40)
    ingest_folder(settings, workers=2)
    key = analysis_key(analysis_options(settings))
    with sqlite3.connect(settings.state_path) as db:  # as an older analyser left them
        db.execute("UPDATE analyses SET version = '3', data = '{}' WHERE rowid % 2 = 0")
        db.execute("DELETE FROM analyses WHERE rowid = 1")  # and one that never got an analysis
    stale = {row[0] for row in table(settings, f"SELECT article_id FROM analyses WHERE version != '{key}'")}
    fresh = dict(table(settings, f"SELECT article_id, created_at FROM analyses WHERE version = '{key}'"))
    assert len(stale) == 20

    seen: list[tuple[int, int]] = []
    report = ingest_folder(settings, workers=2, progress=lambda done, total: seen.append((done, total)))
    assert report.reanalysed == 21 and not report.new and report.unchanged == 40
    assert seen[-1] == (21, 21) and [d for d, _ in seen] == list(range(1, 22))
    rows = table(settings, "SELECT article_id, version, data, created_at FROM analyses")
    assert len(rows) == 40 and {version for _, version, _, _ in rows} == {key}
    assert all('"key_points"' in data for _, _, data, _ in rows)
    assert {a: c for a, _, _, c in rows if a in fresh} == fresh  # current ones untouched
    assert ingest_folder(settings).reanalysed == 0  # and nothing is left to do

    changed = settings.model_copy(update={"analysis": settings.analysis.model_copy(update={"key_points": 2})})
    assert ingest_folder(changed, workers=2).reanalysed == 40  # other settings shape other analyses
    points = table(changed, "SELECT json_array_length(data, '$.key_points') FROM analyses")
    assert {n for (n,) in points} == {2}


def test_ingest_command_takes_workers_and_executor(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project)
    fill(project, 3)
    assert main(["ingest", "--workers", "2"]) == 0
    assert "3 new, 0 duplicate, 0 failed, 0 unchanged" in capsys.readouterr().out
    with pytest.raises(SystemExit) as usage:
        main(["ingest", "--executor", "threads"])
    assert usage.value.code == 2 and "dask://HOST:PORT" in capsys.readouterr().err
    fill(project, 1, start=3)
    monkeypatch.setattr(DaskExecutor.__init__, "__defaults__", (0.5,))  # give up connecting sooner than 10 s
    assert main(["ingest", "--executor", "dask://127.0.0.1:9"]) == 2  # nobody listens: nothing is blamed
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err
    assert table_count(project, "failures") == 0 and table_count(project, "articles") == 3


def table_count(project: Path, name: str) -> int:
    with sqlite3.connect(project / ".briefing" / "state.db") as db:
        return int(db.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0])


def stored_so_far(project: Path) -> int:
    """Articles stored by a run in progress: 0 until its store exists and has its tables."""
    if not (project / ".briefing" / "state.db").exists():
        return 0  # (connecting would create it)
    try:
        return table_count(project, "articles")
    except sqlite3.OperationalError:  # not created yet, or the schema is being written
        return 0


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_only_for_long_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert not ProgressBar().shown  # a pipe or a log file gets no bar

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    short = ProgressBar()
    assert short.shown
    for done in range(1, 11):
        short(done, 10)
    short.close()
    assert terminal.getvalue() == ""  # ten articles go by before a bar could say anything

    long = ProgressBar()
    for done in range(1, 201):
        long(done, 200)
    long.close()
    assert "ingest" in terminal.getvalue() and "200/200" in terminal.getvalue()


def test_the_service_sends_a_burst_to_worker_processes_and_redoes_stale_analyses(
    settings: Settings, project: Path
) -> None:
    (project / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    fill(project, 5)
    ingest_folder(settings)
    with sqlite3.connect(settings.state_path) as db:
        db.execute("UPDATE analyses SET version = '3'")  # stored by an older analyser
    settings = settings.model_copy(
        update={
            "schedules": {},
            "service": settings.service.model_copy(update={"quiet_seconds": 0.2, "rescan_seconds": 0.5}),
        }
    )
    service = Service(settings)
    service.start()
    try:
        fill(project, SMALL_BATCH * 2, start=100)  # a burst
        key = analysis_key(analysis_options(settings))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            done = table(settings, f"SELECT COUNT(*) FROM analyses WHERE version = '{key}'")[0][0]
            if done == 6 + SMALL_BATCH * 2:
                break
            time.sleep(0.1)
        assert done == 6 + SMALL_BATCH * 2
        pool = service._ingest._pool if service._ingest is not None else None
        assert pool is not None and pool.name == "processes"  # the burst went to the pool
    finally:
        service.stop()
    assert table_count(project, "failures") == 0


def test_ctrl_c_keeps_what_was_stored_and_the_next_run_carries_on(project: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    fill(project, 400)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    command = [sys.executable, "-m", "briefing", "ingest", "--workers", "2"]
    run = subprocess.Popen(
        command, cwd=project, env=env, start_new_session=True, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and stored_so_far(project) < 20:
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group, workers too
    _, err = run.communicate(timeout=60)
    assert run.returncode == 130 and "interrupted; what was stored is kept" in err
    stored = table_count(project, "articles")
    assert 20 <= stored < 400 and table_count(project, "failures") == 0

    again = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert f"{400 - stored} new, 0 duplicate, 0 failed, {stored} unchanged" in again.stdout
    assert table_count(project, "articles") == 400
