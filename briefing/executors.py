"""Where analyses run: in this process, in worker processes, or on a Dask cluster.

The analysis is pure (article text in, :class:`~briefing.model.Analysis` out), so
any of these gives the same results; they differ only in where the CPU time is
spent. Articles travel in batches to keep the per-article overhead small, and
results come back as each batch finishes so the caller can commit them one by one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from itertools import islice
from typing import Protocol

from briefing.model import Analysis, Article
from briefing.nlp import AnalysisOptions, analyse

BATCH_SIZE = 16
"""Articles per task: large enough to amortise pickling and scheduling, small enough to balance."""

Outcome = tuple[Article, Analysis | str]
"""An article with its analysis, or with the reason its analysis failed."""


def analyse_batch(articles: Sequence[Article], options: AnalysisOptions) -> list[Outcome]:
    """Analyse a batch; one article's failure is reported, never raised (it runs in workers)."""
    outcomes: list[Outcome] = []
    for article in articles:
        try:
            outcomes.append((article, analyse(article, options)))
        except Exception as exc:  # a bug on odd input must not cost the batch
            outcomes.append((article, f"analysis failed: {type(exc).__name__}: {exc}"))
    return outcomes


class Executor(Protocol):
    """Runs analyses somewhere and yields each outcome as soon as its batch is done."""

    name: str

    def run(self, articles: Iterable[Article], options: AnalysisOptions) -> Iterator[Outcome]: ...

    def close(self) -> None: ...


class SerialExecutor:
    """Everything in this process: no start-up cost, best for a handful of articles."""

    name = "serial"

    def run(self, articles: Iterable[Article], options: AnalysisOptions) -> Iterator[Outcome]:
        for article in articles:
            yield from analyse_batch([article], options)

    def close(self) -> None:
        pass


class ProcessExecutor:
    """A pool of worker processes on this machine (the default for batches)."""

    name = "processes"

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None

    def run(self, articles: Iterable[Article], options: AnalysisOptions) -> Iterator[Outcome]:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers)
        pool = self._pool
        yield from _bounded_map(lambda batch: pool.submit(analyse_batch, batch, options), articles, self.workers * 2)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


class DaskExecutor:
    """A Dask distributed cluster (``dask://HOST:PORT``): analysis past one machine.

    Only the article (text and metadata) travels; the store stays with the caller.
    Requires the ``dask`` extra (``pip install 'briefing[dask]'``).
    """

    name = "dask"

    def __init__(self, address: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise RuntimeError("the dask executor needs the dask extra: pip install 'briefing[dask]'") from None
        self.address = address
        self._client = Client(address, timeout="10s", set_as_default=False)

    def run(self, articles: Iterable[Article], options: AnalysisOptions) -> Iterator[Outcome]:
        client = self._client
        workers = max(1, sum(info.get("nthreads", 1) for info in client.scheduler_info()["workers"].values()))
        from distributed import as_completed

        iterator = iter(articles)
        first = []
        while len(first) < workers * 2 and (batch := list(islice(iterator, BATCH_SIZE))):
            first.append(client.submit(analyse_batch, batch, options, pure=False))
        if not first:
            return
        running = as_completed(first, loop=client.loop)
        for future in running:
            yield from future.result()
            if batch := list(islice(iterator, BATCH_SIZE)):
                running.add(client.submit(analyse_batch, batch, options, pure=False))

    def close(self) -> None:
        self._client.close()


def _bounded_map(
    submit: Callable[[list[Article]], Future[list[Outcome]]],
    articles: Iterable[Article],
    in_flight: int,
) -> Iterator[Outcome]:
    """Submit batches with at most ``in_flight`` pending, yielding results as batches finish.

    Bounding the queue keeps memory flat on 10,000-article runs instead of
    materialising every article up front.
    """
    iterator = iter(articles)
    pending: set[Future] = set()
    while True:
        while len(pending) < in_flight and (batch := list(islice(iterator, BATCH_SIZE))):
            pending.add(submit(batch))
        if not pending:
            return
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            yield from future.result()


def make_executor(spec: str, workers: int | None = None) -> Executor:
    """An executor from its name: ``serial``, ``processes`` or ``dask://HOST:PORT``."""
    if spec == "serial":
        return SerialExecutor()
    if spec == "processes":
        count = workers or os.cpu_count() or 1
        return SerialExecutor() if count == 1 else ProcessExecutor(count)
    if spec.startswith("dask://"):
        return DaskExecutor("tcp://" + spec.removeprefix("dask://"))
    raise ValueError(f"unknown executor {spec!r} (use serial, processes or dask://HOST:PORT)")
