"""The service's ingest worker: files the tracker hands out once quiet become stored articles.

One thread reads and stores (one transaction per article), analysing a few files
itself and sending a burst to worker processes kept warm for the next one. While
no file is ready it analyses again, a chunk at a time, what another analyser
version stored. A store, disk or executor error never ends the thread: the files
are noted again and tried after :data:`RETRY_SECONDS`.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from briefing.batch import (
    REANALYSE_CHUNK,
    IngestReport,
    analysis_options,
    choose_executor,
    ingest_candidates,
    reanalyse_stale,
    runs_here,
)
from briefing.batch.executors import Executor, ExecutorError, SerialExecutor
from briefing.config import Settings
from briefing.ingest import Candidate
from briefing.ingest.identity import file_version
from briefing.nlp import analysis_key
from briefing.service.watch import QuietTracker
from briefing.store import STORE_ERRORS, Store, open_store

_RETRIED_ERRORS: tuple[type[BaseException], ...] = (*STORE_ERRORS, OSError, ExecutorError)
"""A store, disk or executor failure: the batch's files are tried again later, none is failed for it."""

log = logging.getLogger("briefing.service")  # one logger for the whole service, as its log lines have always named it

RETRY_SECONDS = 5.0
"""Pause before retrying after a store or disk error (the file is kept and tried again)."""


class IngestWorker:
    """The ``briefing-ingest`` thread's work: :meth:`run` until ``stopping`` is set, then :meth:`close`."""

    def __init__(
        self,
        settings: Settings,
        tracker: QuietTracker,
        stopping: threading.Event,
        refresh: Callable[[], None],
        name_of: Callable[[Path], str],
    ) -> None:
        self.settings = settings
        self._tracker = tracker
        self._stopping = stopping
        self._refresh = refresh  # asks for a new live.html once articles are new or analysed again
        self._name = name_of  # a path as the store names it
        self._pool: Executor | None = None
        self._stale_done = False

    def run(self) -> None:
        """Ingest ready files as they come, stale analyses while none is ready; log and pause on any error."""
        tracker = self._tracker
        with open_store(self.settings) as store:
            while not self._stopping.is_set():
                try:
                    # New files come first; stale analyses are redone in chunks while nothing is ready.
                    ready = tracker.wait_ready(timeout=None if self._stale_done else 0.0)
                    if self._stopping.is_set():
                        break
                    if ready:
                        self._ingest_batch(store, ready)
                    elif not self._stale_done:
                        self._reanalyse_stale(store)
                except Exception:  # never let the worker die: log, pause, go on
                    log.exception("ingest worker error; retrying in %.0f s", RETRY_SECONDS)
                    self._stopping.wait(RETRY_SECONDS)

    def close(self) -> None:
        """Stop the worker processes a burst started, once :meth:`run` has returned."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def _ingest_batch(self, store: Store, ready: list[Candidate]) -> None:
        """Ingest the files that became ready: a burst in worker processes, a few files here."""
        tracker = self._tracker
        todo = [c for c in ready if not tracker.is_done(self._name(c.path), file_version(c))]
        if not todo:
            return
        report = IngestReport()
        run_id = store.start_run("ingest", dt.datetime.now(dt.UTC), detail=f"{len(todo)} file(s) ready")
        finished: set[Path] = set()
        stored_new = 0

        def file_done(candidate: Candidate) -> None:
            nonlocal stored_new
            name = self._name(candidate.path)
            tracker.mark_done(name, file_version(candidate))
            finished.add(candidate.path)
            if len(report.new) > stored_new:
                stored_new = len(report.new)
                log.info("%s: new article", name)
                self._refresh()

        status = "ok"
        try:
            ingest_candidates(
                self.settings,
                store,
                todo,
                self._executor(len(todo)),
                report,
                on_file_done=file_done,
                should_stop=self._stopping.is_set,
            )
            if report.stopped:
                status = "stopped"
        except _RETRIED_ERRORS as exc:
            left = [c.path for c in todo if c.path not in finished]
            log.error("%d file(s) could not be stored (%s); trying again in %.0f s", len(left), exc, RETRY_SECONDS)
            tracker.note_all(left)
            status = "failed"
            self._stopping.wait(RETRY_SECONDS)
        unfinished = len(todo) - len(finished)
        detail = f"{len(report.new)} new, {len(report.duplicates)} duplicate, {len(report.failed)} failed"
        if unfinished:
            detail += f", {unfinished} left for later"
        store.finish_run(run_id, dt.datetime.now(dt.UTC), status, len(report.new), detail)
        log.info("ingested %d file(s): %s", len(finished), detail)

    def _executor(self, files: int) -> Executor:
        """Worker processes for a burst of files (started once, kept warm), this thread for a few."""
        if runs_here(self.settings.analysis.executor, files):
            return SerialExecutor()
        if self._pool is None:
            self._pool = choose_executor(self.settings, files)
        return self._pool

    def _reanalyse_stale(self, store: Store) -> None:
        """Stored analyses another analyser version made, analysed again a chunk at a time between new files."""
        key = analysis_key(analysis_options(self.settings))
        ids = store.stale_article_ids(key)
        if not ids:
            self._stale_done = True
            return
        chunk = ids[: REANALYSE_CHUNK * 2]  # about half a second of work
        report = IngestReport()
        try:
            reanalyse_stale(
                self.settings, store, self._executor(len(chunk)), report, ids=chunk, should_stop=self._stopping.is_set
            )
        except ExecutorError as exc:
            log.error("analysing stored articles again failed (%s); trying again in %.0f s", exc, RETRY_SECONDS)
            self._stopping.wait(RETRY_SECONDS)
            return
        if report.failed:  # leave those for the next `briefing ingest` or service start, not a loop
            self._stale_done = True
        log.info("analysed %d stored article(s) again (%d left)", report.reanalysed, len(ids) - len(chunk))
        if report.reanalysed:
            self._refresh()
