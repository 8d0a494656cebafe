"""The service behind ``briefing run``: watch ``seeds/``, ingest what lands, make briefings on schedule.

Who does what (each in its own thread, so a long ingest never delays a briefing):

- the watchdog observer notes paths that changed; a periodic ``rescan`` job notes
  what events missed (lost events on network folders, queue overflow);
- the ingest worker (:mod:`briefing.service.ingest`) takes each file once it is
  quiet (:mod:`briefing.service.watch`) and ingests it, one file per transaction, then asks
  for a refresh;
- the refresher (:mod:`briefing.service.refresh`) rewrites the live view
  ``reports/live.html`` after new articles and after each briefing, at most once per
  ``service.refresh_seconds`` (``latest.*`` are only ever the briefing made last);
- APScheduler runs the jobs of :mod:`briefing.service.jobs`: one cron job per
  schedule on its own executor, its digest, the e-mail outbox, the rescans.

This module starts and stops them together, under the state file's and the reports folder's locks, and
turns SIGINT and SIGTERM into a graceful stop (:func:`run_service`).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from briefing.batch import prune_failures, record_crashes
from briefing.config import Settings
from briefing.ingest import scan_folder
from briefing.ingest.identity import display_path, file_version
from briefing.render import sweep_leftovers
from briefing.service.ingest import IngestWorker
from briefing.service.jobs import RESCAN_JOB, ScheduledJobs
from briefing.service.lock import ServiceLock
from briefing.service.refresh import Refresher
from briefing.service.watch import QuietTracker, SeedsWatcher
from briefing.store import open_store

log = logging.getLogger(__name__)

REFRESH_THREAD = "briefing-refresh"


class Service:
    """One running ``briefing run``: :meth:`start`, then :meth:`stop` (which finishes the current article)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.seeds = settings.seeds_path.resolve()
        self._lock = ServiceLock(settings.state_path, settings.reports_path)
        self._stopping = threading.Event()
        render_lock = threading.Lock()  # a scheduled briefing and a refresh never render at once
        self._refresher = Refresher(settings, render_lock)
        self._jobs = ScheduledJobs(settings, render_lock, briefed=self._refresher.want)
        self.scheduler = self._jobs.scheduler
        self._ingest: IngestWorker | None = None
        self._threads: list[threading.Thread] = []
        self._watcher: SeedsWatcher | None = None
        self._run_id = 0
        self.tracker: QuietTracker | None = None

    def _name(self, path: Path) -> str:
        return display_path(path, self.settings.base_dir)

    # -- start and stop ----------------------------------------------------------------------

    def start(self) -> None:
        """Take the state file's and reports folder's locks (:class:`~briefing.service.lock.AlreadyRunning` if taken) and start everything."""
        self._lock.acquire()
        try:
            self._start()
        except BaseException:
            self._halt()
            self._lock.release()
            self.tracker = None
            raise

    def _start(self) -> None:
        now = dt.datetime.now(dt.UTC)
        sweep_leftovers(self.settings.reports_path)  # what a briefing killed with the last service left
        with open_store(self.settings) as store:
            # a shared store's open runs may be other services' work in progress: the leader settles its own
            shared = self.settings.state_url is not None
            interrupted = [] if shared else [run for run in store.open_runs() if run.job != "service"]
            if not shared and store.close_interrupted_runs(now):
                jobs = ", ".join(sorted({run.job for run in interrupted})) or "none"
                log.warning(
                    "the service was killed last time (job runs cut short: %s); a briefing it did not make"
                    " is made now, a digest it did not queue is queued",
                    jobs,
                )
            store.prune_runs()
            record_crashes(self.settings, store, now)
            self._run_id = store.start_run("service", now, detail=f"pid {os.getpid()}")
            done = store.seen_files()
        self.tracker = QuietTracker(self.settings.service.quiet_seconds, done, self._name, root=self.seeds)
        self._ingest = IngestWorker(self.settings, self.tracker, self._stopping, self._refresher.want, self._name)
        self._spawn("briefing-ingest", self._ingest.run)
        self._spawn(REFRESH_THREAD, self._refresher.run)
        self._watcher = SeedsWatcher(self.seeds, self.tracker)
        try:
            self._watcher.start()
        except OSError as exc:  # e.g. the inotify watch limit: rescans still find everything
            log.warning("filesystem events unavailable (%s); relying on rescans of %s", exc, self.seeds)
            self._watcher = None
        self.rescan(at_start=True)
        self._jobs.add(now, self.rescan, interrupted)
        self.scheduler.start()
        self._refresher.want()  # the live view of the period as it is now
        log.info("watching %s (quiet period %.1f s, rescan every %.0f s)", self.seeds, *self._timing())

    def _timing(self) -> tuple[float, float]:
        return self.settings.service.quiet_seconds, self.settings.service.rescan_seconds

    def _spawn(self, name: str, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def __enter__(self) -> Service:
        """``with Service(settings) as service:``: started on entry, stopped on exit, however the block ends."""
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self, reason: str = "stopped") -> None:
        """Stop taking files, finish the article in hand, let a running briefing end, release the lock."""
        if self.tracker is None:
            return
        log.info("stopping: finishing the current article")
        self._halt()
        with open_store(self.settings) as store:
            store.finish_run(self._run_id, dt.datetime.now(dt.UTC), "stopped", detail=reason)
        self._lock.release()
        self.tracker = None
        log.info("stopped")

    def _halt(self) -> None:
        """Stop the watcher, the worker (after its article), the scheduler, then the refresher.

        The refresher goes last, after the refresh those asked for, if any: a stop
        itself rewrites no file, so every page shows what it showed (issue 17).
        """
        self._stopping.set()
        if self._watcher is not None:
            self._watcher.stop()
        if self.tracker is not None:
            self.tracker.close()
        refresher = [t for t in self._threads if t.name == REFRESH_THREAD]
        for thread in self._threads:
            if thread not in refresher:
                thread.join()
        self._jobs.shutdown()  # lets a running briefing end
        self._refresher.finish()
        for thread in refresher:
            thread.join()
        if self._ingest is not None:
            self._ingest.close()

    @property
    def running(self) -> bool:
        return self.tracker is not None and self.scheduler.running and all(t.is_alive() for t in self._threads)

    # -- watching ------------------------------------------------------------------------------

    def rescan(self, at_start: bool = False) -> int:
        """Note the files of ``seeds/`` that no event announced; returns how many.

        At start that is everything not yet stored; later, a file found here means
        its events were lost (a network folder, an event queue overflow).
        """
        tracker = self.tracker
        if tracker is None:
            return 0
        scanned = list(scan_folder(self.seeds))
        with open_store(self.settings) as store:
            tracker.forget(prune_failures(self.settings, store, scanned))
        unknown = [
            c.path
            for c in scanned
            if not tracker.is_known(c.path) and not tracker.is_done(self._name(c.path), file_version(c))
        ]
        if unknown:
            tracker.note_all(unknown)
            what = "to ingest" if at_start else "that no filesystem event announced"
            log.info("rescan: %d file(s) in %s %s", len(unknown), self.seeds, what)
            with open_store(self.settings) as store:
                store.record_run(
                    RESCAN_JOB, dt.datetime.now(dt.UTC), "ok", len(unknown), f"{len(unknown)} file(s) {what}"
                )
        else:
            log.debug("rescan: nothing new in %s", self.seeds)
        return len(unknown)


def run_service(settings: Settings, started: Callable[[Service], None] | None = None) -> None:
    """Run until SIGINT or SIGTERM, then stop gracefully; a second signal stops at once.

    Raises :class:`~briefing.service.lock.AlreadyRunning` when another ``briefing run`` uses the state file or reports folder.
    """
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if stop.is_set():
            log.warning("%s again: stopping now (what was stored is kept)", name)
            os._exit(128 + signum)
        log.info("%s: stopping after the current article (again to stop at once)", name)
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    service = Service(settings)
    try:
        service.start()
        if started is not None:
            started(service)
        while not stop.wait(1.0):
            pass
        service.stop(reason="signal")
    finally:
        if service.tracker is not None:
            service.stop(reason="error")
        for sig, handler in previous.items():
            signal.signal(sig, handler)
