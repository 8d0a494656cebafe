"""Where analyses run: in this process, in worker processes, or on a Dask cluster.

The analysis is pure (article text in, :class:`~briefing.model.Analysis` out), so
any of these gives the same results; they differ only in where the CPU time is
spent. Articles travel in small batches to keep the per-article overhead low, at
most a few batches per worker are in flight (memory stays flat however long the
run), and outcomes come back as each batch finishes, so the caller can store them
one by one.

A worker that dies (killed, out of memory) costs nothing but time: the articles
it held are analysed again one at a time, and only an article that kills a worker
on its own is reported as failed. Anything else going wrong with the executor
itself (the cluster unreachable, workers running another analyser version) raises
:class:`ExecutorError`: that is not the articles' fault, so none is recorded as failed.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import select
import signal
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Any, Protocol

from briefing import __version__
from briefing.model import Analysis, AnalysisFailure, Article
from briefing.nlp import ANALYSER_VERSION, AnalysisOptions, analyse

BATCH_SIZE = 8
"""Articles per task: ~0.1 s of work, enough to make pickling and scheduling negligible, small
enough that workers finish together and progress moves smoothly."""

IN_FLIGHT_PER_WORKER = 3
"""Batches queued per worker: one running, the next ones ready, so no worker waits for the caller."""

EXECUTORS = ("processes", "serial", "dask://HOST:PORT")
"""What ``analysis.executor`` and ``--executor`` accept."""

Outcome = tuple[Article, Analysis | AnalysisFailure]
"""An article with its analysis, or with why its analysis failed."""


class ExecutorError(RuntimeError):
    """The executor cannot analyse (the cluster is unreachable, or runs another version); not an article's fault."""


def worker_start(parent: int) -> None:
    """In a new worker: leave Ctrl-C to the caller, and exit as soon as the caller is gone.

    Ctrl-C in a terminal reaches every process of the group; the caller stops and
    shuts the pool down in order (workers finish their batch), whereas a worker that
    died of it mid-task could leave the pool's shutdown waiting. A caller killed
    outright (SIGKILL, the out-of-memory killer) cannot tell its workers, and a pool
    worker waits for work forever; the thread started here ends it instead. It waits
    on a process file descriptor (Linux 5.3+), else checks once a second.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        try:
            handle = os.pidfd_open(parent)
        except ProcessLookupError:
            os._exit(0)
        except (AttributeError, OSError):
            while _alive(parent):
                time.sleep(1.0)
        else:
            select.select([handle], [], [])  # readable once the process has exited
        os._exit(0)

    threading.Thread(target=watch, name="briefing-exit-with-parent", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def default_workers() -> int:
    """The cores this process may run on (its CPU affinity), else the machine's count."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def analyse_batch(articles: Sequence[Article], options: AnalysisOptions, version: str) -> list[Outcome]:
    """Analyse a batch where it runs; one article's failure is reported, never raised.

    ``version`` is the caller's analyser version: a worker with other code (a
    cluster machine not yet upgraded) refuses rather than store different results.
    """
    if version != ANALYSER_VERSION:
        raise ExecutorError(f"this worker runs analyser version {ANALYSER_VERSION}, the caller {version}")
    outcomes: list[Outcome] = []
    for article in articles:
        try:
            outcomes.append((article, analyse(article, options)))
        except Exception as exc:  # a bug on odd input must not cost the batch
            outcomes.append(
                (article, AnalysisFailure(f"the article could not be analysed ({type(exc).__name__}: {exc})"))
            )
    return outcomes


class Executor(Protocol):
    """Runs analyses somewhere and yields each outcome as soon as its batch is done."""

    name: str
    workers: int

    def run(self, articles: Iterable[Article], options: AnalysisOptions) -> Iterator[Outcome]: ...

    def close(self) -> None: ...


class SerialExecutor:
    """Everything in this process: no start-up cost, best for a handful of articles."""

    name = "serial"
    workers = 1

    def run(self, articles: Iterable[Article], options: AnalysisOptions) -> Iterator[Outcome]:
        for article in articles:
            yield from analyse_batch([article], options, ANALYSER_VERSION)

    def close(self) -> None:
        pass


class _Backend(Protocol):
    """What :func:`_run_bounded` needs from a pool of workers."""

    def submit(self, batch: list[Article], options: AnalysisOptions) -> Any: ...

    def wait_any(self, futures: Iterable[Any]) -> set[Any]: ...

    def lost(self, exc: BaseException) -> bool:
        """True when ``exc`` from a task means its worker died (the articles may be retried)."""
        ...

    def restart(self) -> bool:
        """Recover from a dead worker; True when every other pending task was lost with it."""
        ...


class ProcessExecutor:
    """A pool of worker processes on this machine (the default for batches).

    Workers are forked from a clean server process that has imported the analysis
    modules (``forkserver``): they start in milliseconds, and never inherit the
    caller's threads, locks or memory (the service forks from a process running
    watchdog and APScheduler threads, which plain ``fork`` does not make safe).
    """

    name = "processes"

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None

    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["briefing.batch.executors"])
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=context, initializer=worker_start, initargs=(os.getpid(),)
            )
        return self._pool

    def run(self, articles: Iterable[Article], options: AnalysisOptions) -> Iterator[Outcome]:
        return _run_bounded(self, articles, options, self.workers * IN_FLIGHT_PER_WORKER)

    def submit(self, batch: list[Article], options: AnalysisOptions) -> Future[list[Outcome]]:
        return self._ensure_pool().submit(analyse_batch, batch, options, ANALYSER_VERSION)

    def wait_any(self, futures: Iterable[Any]) -> set[Any]:
        return wait(futures, return_when=FIRST_COMPLETED).done

    def lost(self, exc: BaseException) -> bool:
        return isinstance(exc, BrokenProcessPool)

    def restart(self) -> bool:
        self.close()
        return True

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskExecutor:
    """A Dask distributed cluster (``dask://HOST:PORT``): analysis past one machine.

    Only the article (text and metadata) travels; the store stays with the caller,
    which stores each outcome as it comes back. Every worker needs briefing installed
    at the same version (checked on connecting, and by every task). Requires the
    ``dask`` extra (``pip install 'briefing[dask]'``).
    """

    name = "dask"

    def __init__(self, address: str, timeout: float = 10.0) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise ExecutorError("the dask executor needs the dask extra: pip install 'briefing[dask]'") from None
        self.address = address
        try:
            self._client = Client(address, timeout=f"{timeout}s", set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ExecutorError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        versions = self._client.run(_versions)
        wrong = {worker: v for worker, v in versions.items() if v != _versions()}
        if wrong:
            self._client.close()
            raise ExecutorError(
                f"Dask workers run other versions of briefing (version, analyser) than this one {_versions()}: {wrong}"
            )
        self.workers = max(
            1, sum(info.get("nthreads", 1) for info in self._client.scheduler_info()["workers"].values())
        )

    def run(self, articles: Iterable[Article], options: AnalysisOptions) -> Iterator[Outcome]:
        return _run_bounded(self, articles, options, self.workers * IN_FLIGHT_PER_WORKER)

    def submit(self, batch: list[Article], options: AnalysisOptions) -> Any:
        return self._client.submit(analyse_batch, batch, options, ANALYSER_VERSION, pure=False)

    def wait_any(self, futures: Iterable[Any]) -> set[Any]:
        from distributed import as_completed

        futures = list(futures)
        first = next(as_completed(futures, loop=self._client.loop))  # not ``wait``: it needs a default client
        return {first, *(future for future in futures if future.done())}

    def lost(self, exc: BaseException) -> bool:
        from distributed import KilledWorker

        return isinstance(exc, KilledWorker)

    def restart(self) -> bool:
        return False  # the scheduler moves other tasks off a dead worker by itself

    def close(self) -> None:
        self._client.close()


def _versions() -> tuple[str, str]:
    return __version__, ANALYSER_VERSION


def _run_bounded(
    backend: _Backend, articles: Iterable[Article], options: AnalysisOptions, in_flight: int
) -> Iterator[Outcome]:
    """Submit batches with at most ``in_flight`` pending, yielding outcomes as batches finish.

    Articles are drawn from ``articles`` only as workers free up, so a 10,000-article
    run never holds more than a few batches in memory. When the caller stops early
    (closes this generator), what is still queued is cancelled.
    """
    iterator = iter(articles)
    pending: dict[Any, list[Article]] = {}
    try:
        while True:
            while len(pending) < in_flight and (batch := list(islice(iterator, BATCH_SIZE))):
                pending[backend.submit(batch, options)] = batch
            if not pending:
                return
            lost: list[Article] = []
            for future in backend.wait_any(pending):
                batch = pending.pop(future)
                try:
                    outcomes = future.result()
                except BaseException as exc:
                    if not backend.lost(exc):
                        raise _executor_error(exc) from exc
                    lost.extend(batch)
                    continue
                yield from outcomes
            if lost:
                if backend.restart():
                    lost.extend(article for batch in pending.values() for article in batch)
                    pending.clear()
                yield from _one_at_a_time(backend, lost, options)
    finally:
        for future in pending:
            future.cancel()


def _one_at_a_time(backend: _Backend, articles: list[Article], options: AnalysisOptions) -> Iterator[Outcome]:
    """Articles a dead worker held, each alone: only one that kills a worker by itself fails.

    After each death a tiny probe article is analysed: when that dies too, the workers
    are what is broken (they cannot start, or something kills every one), so
    :class:`ExecutorError` is raised and no article is blamed.
    """
    for article in articles:
        try:
            yield from _alone(backend, article, options)
        except _Lost as lost:
            backend.restart()
            try:
                list(_alone(backend, _PROBE, options))
            except _Lost:
                raise ExecutorError(
                    "analysis worker processes cannot run (a script that starts them needs the"
                    " `if __name__ == '__main__':` guard) or something kills every one; no article was marked failed"
                ) from lost.__cause__
            yield article, AnalysisFailure("the analysis worker stopped on this article (killed, or out of memory)")


class _Lost(Exception):
    """The worker running a task died."""


_PROBE = Article(id="probe", source="(probe)", title="Probe", date=dt.date(2000, 1, 3), text="Workers run today.")


def _alone(backend: _Backend, article: Article, options: AnalysisOptions) -> list[Outcome]:
    future = backend.submit([article], options)
    backend.wait_any([future])
    try:
        outcomes: list[Outcome] = future.result()
        return outcomes
    except BaseException as exc:
        if backend.lost(exc):
            raise _Lost from exc
        raise _executor_error(exc) from exc


def _executor_error(exc: BaseException) -> BaseException:
    """Errors of the executor itself become :class:`ExecutorError`; interrupts stay what they are."""
    if isinstance(exc, ExecutorError) or not isinstance(exc, Exception):
        return exc
    return ExecutorError(f"the analysis executor failed: {type(exc).__name__}: {exc}")


def make_executor(spec: str, workers: int | None = None) -> Executor:
    """An executor from its name: ``processes`` (``workers`` of them, default one per core), ``serial``
    or ``dask://HOST:PORT``."""
    if spec == "serial":
        return SerialExecutor()
    if spec == "processes":
        count = workers or default_workers()
        return SerialExecutor() if count == 1 else ProcessExecutor(count)
    if spec.startswith("dask://") and len(spec) > len("dask://"):
        return DaskExecutor("tcp://" + spec.removeprefix("dask://"))
    raise ValueError(f"unknown executor {spec!r} (use {', '.join(EXECUTORS)})")
