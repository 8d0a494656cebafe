"""Where analyses run: worker processes and a Dask cluster give exactly what this process gives.

Real worker processes and a real local Dask cluster (processes, two workers); a
worker that dies is a real process exit, not a simulated one.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path

import pytest

from briefing.batch.executors import (
    DaskExecutor,
    ExecutorError,
    Outcome,
    ProcessExecutor,
    SerialExecutor,
    analyse_batch,
    make_executor,
)
from briefing.config import Settings, load_settings
from briefing.contract import analysis_record
from briefing.ingest import content_id
from briefing.model import Analysis, AnalysisFailure, Article
from briefing.nlp import ANALYSER_VERSION, AnalysisOptions
from briefing.pipeline import ingest_folder
from tests.conftest import SEED, news_text

OPTIONS = AnalysisOptions()


def articles(count: int) -> list[Article]:
    texts = [SEED.read_text(encoding="utf-8").split("\n", 1)[1]]
    texts += [news_text(f"scheme number {n}", sentences=3 + n % 6) for n in range(count - 1)]
    return [
        Article(content_id(text), f"seeds/a-{n}.txt", f"Article {n}", dt.date(2022, 2, 17), text)
        for n, text in enumerate(texts)
    ]


def records(outcomes: Iterator[Outcome]) -> dict[str, object]:
    found: dict[str, object] = {}
    for article, outcome in outcomes:
        assert isinstance(outcome, Analysis), outcome
        found[article.id] = analysis_record(outcome)
    return found


def test_worker_processes_give_what_this_process_gives() -> None:
    batch = articles(40)
    serial = records(SerialExecutor().run(batch, OPTIONS))
    pool = ProcessExecutor(2)
    try:
        parallel = records(pool.run(iter(batch), OPTIONS))
        assert parallel == serial and len(parallel) == 40
        assert any(record["actors"] for record in parallel.values())  # the seed's actors came back
        again = records(pool.run(batch[:5], OPTIONS))  # the pool is reused, warm
        assert again == {a.id: serial[a.id] for a in batch[:5]}
    finally:
        pool.close()


def die_on_poison(batch: list[Article], options: AnalysisOptions, version: str) -> list[Outcome]:
    """A task that kills its worker process, as an out-of-memory kill would, on a poison article."""
    if any("poison" in article.text for article in batch):
        os._exit(9)
    return analyse_batch(batch, options, version)


def always_die(batch: list[Article], options: AnalysisOptions, version: str) -> list[Outcome]:
    os._exit(9)


class DyingPool(ProcessExecutor):
    """Real worker processes running a task that really exits."""

    def __init__(self, workers: int, task: object) -> None:
        super().__init__(workers)
        self.task = task

    def submit(self, batch: list[Article], options: AnalysisOptions) -> Future[list[Outcome]]:
        return self._ensure_pool().submit(self.task, batch, options, ANALYSER_VERSION)  # type: ignore[arg-type]


def test_a_worker_that_dies_costs_only_the_article_that_killed_it() -> None:
    batch = articles(30)
    poison = Article(content_id("poison"), "seeds/poison.txt", "Poison", dt.date(2022, 2, 17), "The poison pill.")
    batch.insert(13, poison)
    pool = DyingPool(2, die_on_poison)
    try:
        outcomes = {article.id: outcome for article, outcome in pool.run(batch, OPTIONS)}
    finally:
        pool.close()
    assert set(outcomes) == {a.id for a in batch}  # every article came back once
    failure = outcomes.pop(poison.id)
    assert isinstance(failure, AnalysisFailure) and "worker stopped on this article" in failure.reason
    serial = records(SerialExecutor().run([a for a in batch if a is not poison], OPTIONS))
    assert {k: analysis_record(v) for k, v in outcomes.items()} == serial  # type: ignore[arg-type]


def test_workers_that_cannot_run_are_an_executor_error_not_failed_articles() -> None:
    pool = DyingPool(2, always_die)
    try:
        with pytest.raises(ExecutorError, match="cannot run"):
            list(pool.run(articles(10), OPTIONS))
    finally:
        pool.close()


POOL_SCRIPT = """
import datetime as dt, time
from briefing.batch.executors import ProcessExecutor
from briefing.model import Analysis, AnalysisFailure, Article
from briefing.nlp import AnalysisOptions

if __name__ == "__main__":
    pool = ProcessExecutor(2)
    article = Article("x", "x.txt", "X", dt.date(2022, 2, 17), "The harbour reopened on Monday.")
    list(pool.run([article] * 40, AnalysisOptions()))
    print(" ".join(str(pid) for pid in pool._pool._processes), flush=True)
    time.sleep(120)
"""


def test_workers_exit_when_the_process_that_started_them_is_killed(tmp_path: Path) -> None:
    psutil = pytest.importorskip("psutil")
    script = tmp_path / "pool.py"
    script.write_text(POOL_SCRIPT, encoding="utf-8")
    caller = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        workers = [psutil.Process(int(pid)) for pid in caller.stdout.readline().split()]  # type: ignore[union-attr]
        assert workers  # started on demand: one or two
        server = psutil.Process(workers[0].ppid())  # the forkserver the workers came from
    finally:
        caller.kill()  # SIGKILL: the caller cannot tell anyone
        caller.wait()

    def running(process: psutil.Process) -> bool:
        try:
            return process.status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False

    deadline = time.monotonic() + 15
    while any(running(p) for p in [*workers, server]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(running(p) for p in [*workers, server])  # nothing left waiting for work forever


def test_executor_names() -> None:
    assert isinstance(make_executor("serial"), SerialExecutor)
    assert isinstance(make_executor("processes", workers=1), SerialExecutor)
    assert isinstance(make_executor("processes", workers=3), ProcessExecutor)
    with pytest.raises(ValueError, match="dask://HOST:PORT"):
        make_executor("threads")
    with pytest.raises(ExecutorError, match="cannot reach"):
        DaskExecutor("tcp://127.0.0.1:9", timeout=0.5)  # nothing listens on the discard port


# -- Dask --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dask_address() -> Iterator[str]:
    """A real local Dask cluster: a scheduler and two worker processes on this machine."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    ) as cluster:
        yield cluster.scheduler_address.removeprefix("tcp://")


def seeded_project(root: Path) -> Settings:
    (root / "seeds").mkdir(parents=True)
    (root / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    for n in range(30):
        (root / "seeds" / f"story-{n:02d}.txt").write_text(
            f"date 2022-02-{10 + n % 9}\n" + news_text(f"scheme number {n}", sentences=3 + n % 6), encoding="utf-8"
        )
    (root / "seeds" / "copy.txt").write_text("date 2022-02-10\n" + news_text("scheme number 0", 3), encoding="utf-8")
    (root / "seeds" / "empty.txt").write_text("", encoding="utf-8")
    return load_settings(env={}, overrides={"base_dir": str(root), "timezone": "Europe/London"})


def stored(settings: Settings) -> tuple[list[tuple], list[tuple], list[tuple]]:
    with sqlite3.connect(settings.state_path) as db:
        analyses = db.execute("SELECT article_id, version, data FROM analyses ORDER BY article_id").fetchall()
        sources = db.execute("SELECT path, article_id FROM sources ORDER BY path").fetchall()
        failures = db.execute("SELECT path, reason FROM failures ORDER BY path").fetchall()
    return analyses, sources, failures


def test_a_dask_cluster_stores_exactly_what_a_local_run_stores(tmp_path: Path, dask_address: str) -> None:
    local = seeded_project(tmp_path / "local")
    on_cluster = seeded_project(tmp_path / "cluster")
    assert ingest_folder(local, executor_spec="serial").new

    report = ingest_folder(on_cluster, executor_spec=f"dask://{dask_address}")
    assert len(report.new) == 31 and report.duplicates == ["seeds/story-00.txt"]  # copy.txt came first
    assert [name for name, _ in report.failed] == ["seeds/empty.txt"]
    assert stored(on_cluster) == stored(local)  # the same analyses, byte for byte, the same files and failures


def test_the_dask_executor_streams_results_and_checks_versions(dask_address: str) -> None:
    executor = DaskExecutor(f"tcp://{dask_address}")
    try:
        assert executor.workers == 2
        batch = articles(20)
        assert records(executor.run(iter(batch), OPTIONS)) == records(SerialExecutor().run(batch, OPTIONS))
        with pytest.raises(ExecutorError, match="analyser version"):  # a worker with other code refuses
            executor._client.submit(analyse_batch, batch[:1], OPTIONS, "0-old", pure=False).result()
    finally:
        executor.close()
