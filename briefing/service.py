"""The service behind ``briefing run``: watch ``seeds/``, ingest what lands, make briefings on schedule.

Who does what (each in its own thread, so a long ingest never delays a briefing):

- the watchdog observer notes paths that changed; a periodic ``rescan`` job notes
  what events missed (lost events on network folders, queue overflow);
- the ingest worker takes each file once it is quiet (:mod:`briefing.watch`) and
  ingests it, one file per transaction, then asks for a refresh;
- the refresher rewrites ``reports/latest.html`` after new articles, at most once
  per ``service.refresh_seconds``;
- APScheduler runs one cron job per schedule (id ``briefing:<name>``) on its own
  executor, with ``coalesce`` and a ``misfire_grace_time``.

Jobs live in APScheduler's memory job store, added with ``replace_existing``; when
each must first run comes from the store's ``briefings`` table
(:func:`briefing.schedules.first_run_time`), so a time missed while the service was
down is caught up once on start, and a restart never adds or loses a run. Only
pipeline functions do the work; this module only wires them.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, JobEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from briefing.batch import (
    REANALYSE_CHUNK,
    SMALL_BATCH,
    IngestReport,
    analysis_options,
    choose_executor,
    display_path,
    file_version,
    ingest_candidates,
    prune_failures,
    reanalyse_stale,
    record_crashes,
)
from briefing.config import Settings
from briefing.executors import Executor, ExecutorError, SerialExecutor
from briefing.ingest import Candidate, scan_folder
from briefing.lock import InstanceLock
from briefing.nlp import analysis_key
from briefing.pipeline import (
    GenerateResult,
    deliver_outbox,
    generate_briefing,
    refresh_latest,
    send_scheduled_digest,
)
from briefing.schedules import first_run_time, missed_times, schedule_trigger, scheduled_period
from briefing.store import Store
from briefing.watch import QuietTracker, SeedsWatcher

log = logging.getLogger(__name__)

RESCAN_JOB = "rescan"
OUTBOX_JOB = "outbox"
OUTBOX_SECONDS = 60
"""How often the service sends the digests whose retry time has come."""
BRIEFINGS_EXECUTOR = "briefings"
RETRY_SECONDS = 5.0
"""Pause before retrying after a store or disk error (the file is kept and tried again)."""


def briefing_job_id(schedule: str) -> str:
    return f"briefing:{schedule}"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Service:
    """One running ``briefing run``: :meth:`start`, then :meth:`stop` (which finishes the current article)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.seeds = settings.seeds_path.resolve()
        self.scheduler = BackgroundScheduler(
            timezone=settings.tz,
            executors={"default": ThreadPoolExecutor(1), BRIEFINGS_EXECUTOR: ThreadPoolExecutor(1)},
            job_defaults={"coalesce": True, "max_instances": 1},
        )
        self._lock = InstanceLock(settings.reports_path)
        self._stopping = threading.Event()
        self._render_lock = threading.Lock()
        self._refresh_wanted = threading.Event()
        self._threads: list[threading.Thread] = []
        self._watcher: SeedsWatcher | None = None
        self._run_id = 0
        self._pool: Executor | None = None
        self._stale_done = False
        self.tracker: QuietTracker | None = None

    def _name(self, path: Path) -> str:
        return display_path(path, self.settings.base_dir)

    # -- start and stop ----------------------------------------------------------------------

    def start(self) -> None:
        """Take the reports folder's lock (:class:`~briefing.lock.AlreadyRunning` if taken) and start everything."""
        self._lock.acquire()
        try:
            self._start()
        except BaseException:
            self._halt()
            self._lock.release()
            self.tracker = None
            raise

    def _start(self) -> None:
        now = _now()
        with Store(self.settings.state_path) as store:
            interrupted = store.close_interrupted_runs(now)
            if interrupted:
                log.warning(
                    "%d job run(s) were interrupted when the service last stopped; redoing what was lost", interrupted
                )
            store.prune_runs()
            record_crashes(self.settings, store, now)
            self._run_id = store.start_run("service", now, detail=f"pid {os.getpid()}")
            done = store.seen_files()
        self.tracker = QuietTracker(self.settings.service.quiet_seconds, done, self._name, root=self.seeds)
        self._spawn("briefing-ingest", self._ingest_loop)
        self._spawn("briefing-refresh", self._refresh_loop)
        self._watcher = SeedsWatcher(self.seeds, self.tracker)
        try:
            self._watcher.start()
        except OSError as exc:  # e.g. the inotify watch limit: rescans still find everything
            log.warning("filesystem events unavailable (%s); relying on rescans of %s", exc, self.seeds)
            self._watcher = None
        self.rescan(at_start=True)
        self._add_jobs(now)
        self.scheduler.add_listener(self._on_job_event, EVENT_JOB_MISSED | EVENT_JOB_ERROR | EVENT_JOB_MAX_INSTANCES)
        self.scheduler.start()
        self._refresh_wanted.set()
        log.info("watching %s (quiet period %.1f s, rescan every %.0f s)", self.seeds, *self._timing())

    def _timing(self) -> tuple[float, float]:
        return self.settings.service.quiet_seconds, self.settings.service.rescan_seconds

    def _spawn(self, name: str, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self, reason: str = "stopped") -> None:
        """Stop taking files, finish the article in hand, let a running briefing end, release the lock."""
        if self.tracker is None:
            return
        log.info("stopping: finishing the current article")
        self._halt()
        with Store(self.settings.state_path) as store:
            store.finish_run(self._run_id, _now(), "stopped", detail=reason)
        self._lock.release()
        self.tracker = None
        log.info("stopped")

    def _halt(self) -> None:
        """Stop the watcher, the worker (after its article), the refresher (after a last refresh), the scheduler."""
        self._stopping.set()
        if self._watcher is not None:
            self._watcher.stop()
        if self.tracker is not None:
            self.tracker.close()
        self._refresh_wanted.set()
        for thread in self._threads:
            thread.join()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    @property
    def running(self) -> bool:
        return self.tracker is not None and self.scheduler.running and all(t.is_alive() for t in self._threads)

    # -- jobs ----------------------------------------------------------------------------------

    def _add_jobs(self, now: dt.datetime) -> None:
        settings = self.settings
        grace = dt.timedelta(hours=settings.service.misfire_grace_hours)
        self.scheduler.add_job(
            self.rescan,
            IntervalTrigger(seconds=settings.service.rescan_seconds, timezone=settings.tz),
            id=RESCAN_JOB,
            name="rescan seeds",
            replace_existing=True,
            misfire_grace_time=None,
        )
        if any(schedule.recipients for schedule in settings.schedules.values()):
            self.scheduler.add_job(
                self.deliver_outbox,
                IntervalTrigger(seconds=OUTBOX_SECONDS, timezone=settings.tz),
                id=OUTBOX_JOB,
                name="e-mail outbox",
                replace_existing=True,
                executor=BRIEFINGS_EXECUTOR,
                misfire_grace_time=None,
                coalesce=True,
            )
        with Store(settings.state_path) as store:
            for name, schedule in settings.schedules.items():
                trigger = schedule_trigger(schedule, settings.tz)
                last = store.last_briefing(name)
                first = first_run_time(trigger, last.created_at if last else None, now, grace)
                if first is not None and first <= now:
                    log.info(
                        "the %s briefing due %s was missed while stopped: making it now", name, _local(first, settings)
                    )
                elif last is not None and (missed := missed_times(trigger, last.created_at, now)):
                    self._record_missed(store, name, missed)
                self.scheduler.add_job(
                    self._scheduled_briefing,
                    trigger,
                    args=(name,),
                    id=briefing_job_id(name),
                    name=f"{name} briefing",
                    replace_existing=True,
                    executor=BRIEFINGS_EXECUTOR,
                    misfire_grace_time=max(int(grace.total_seconds()), 1),
                    next_run_time=first,
                )

    def _record_missed(self, store: Store, name: str, missed: list[dt.datetime]) -> None:
        times = _local(missed[0], self.settings)
        if len(missed) > 1:
            times = f"{len(missed)} times, {times} to {_local(missed[-1], self.settings)}"
        detail = f"missed while stopped ({times}), more than service.misfire_grace_hours late; the next briefing covers the time"
        log.warning("%s briefing: %s", name, detail)
        store.record_run(briefing_job_id(name), _now(), "missed", detail=detail)

    def rescan(self, at_start: bool = False) -> int:
        """Note the files of ``seeds/`` that no event announced; returns how many.

        At start that is everything not yet stored; later, a file found here means
        its events were lost (a network folder, an event queue overflow).
        """
        tracker = self.tracker
        if tracker is None:
            return 0
        scanned = list(scan_folder(self.seeds))
        with Store(self.settings.state_path) as store:
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
            with Store(self.settings.state_path) as store:
                store.record_run(RESCAN_JOB, _now(), "ok", len(unknown), f"{len(unknown)} file(s) {what}")
        else:
            log.debug("rescan: nothing new in %s", self.seeds)
        return len(unknown)

    def _scheduled_briefing(self, name: str) -> None:
        settings = self.settings
        trigger = schedule_trigger(settings.schedules[name], settings.tz)
        now = _now()
        with Store(settings.state_path) as store:
            run_id = store.start_run(briefing_job_id(name), now)
            period = scheduled_period(trigger, store.last_briefing(name), now)
        log.info(
            "making the %s briefing (%s to %s)", name, _local(period.start, settings), _local(period.end, settings)
        )
        status, items, detail = "failed", 0, ""
        try:
            with self._render_lock:
                result = generate_briefing(settings, period, now=now, schedule=name)
            items = result.articles
            errors = "; ".join(f"{k[1:].upper()}: {v}" for k, v in result.rendered.errors.items())
            status = "failed" if errors else "ok"
            detail = errors or ", ".join(str(p) for p in result.rendered.files.values())
            log.info("%s briefing: %d article(s), %s", name, items, detail)
        except Exception as exc:
            detail = f"{type(exc).__name__}: {exc}"
            log.exception("the %s briefing failed", name)
        finally:
            with Store(settings.state_path) as store:
                store.finish_run(run_id, _now(), status, items, detail)
        if status == "ok" and settings.schedules[name].recipients:
            self._send_digest(name, result)

    def _send_digest(self, name: str, result: GenerateResult) -> None:
        """The schedule's digest to its recipients; retries are left to the outbox job."""
        settings = self.settings
        with Store(settings.state_path) as store:
            run_id = store.start_run(f"digest:{name}", _now())
        status, items, detail = "failed", 0, ""
        try:
            sent = send_scheduled_digest(settings, result, name)
            if sent is None or sent.skipped:
                status, detail = "skipped", (sent.skipped if sent else "no recipients") or ""
            else:
                items = sum(d.status == "sent" for d in sent.deliveries)
                waiting = sum(d.status == "pending" for d in sent.deliveries)
                failed = [f"{d.recipient}: {d.last_error}" for d in sent.deliveries if d.status == "failed"]
                status = "failed" if failed else "ok"
                detail = f"{items} sent, {waiting} waiting to retry" + (
                    f"; failed {'; '.join(failed)}" if failed else ""
                )
        except Exception as exc:  # a mail problem must never stop the service
            detail = f"{type(exc).__name__}: {exc}"
            log.exception("the %s digest could not be sent", name)
        finally:
            with Store(settings.state_path) as store:
                store.finish_run(run_id, _now(), status, items, detail)

    def deliver_outbox(self) -> None:
        """Send the digests whose retry time has come (the outbox job)."""
        try:
            stats = deliver_outbox(self.settings)
        except Exception:
            log.exception("delivering the e-mail outbox failed")
            return
        if stats.sent or stats.failed or stats.deferred:
            log.info("outbox: %d sent, %d failed, %d waiting to retry", stats.sent, stats.failed, stats.deferred)

    def _on_job_event(self, event: JobEvent) -> None:
        job = event.job_id
        if event.code == EVENT_JOB_MISSED:
            late = f"scheduled for {_local(event.scheduled_run_time, self.settings)}"
            detail = f"{late}, more than service.misfire_grace_hours late; the next briefing covers its period"
            log.warning("%s: %s", job, detail)
            with Store(self.settings.state_path) as store:
                store.record_run(job, _now(), "missed", detail=detail)
        elif event.code == EVENT_JOB_MAX_INSTANCES:
            log.warning("%s: still running when due again; this run is skipped", job)
        else:
            log.error("%s: %s", job, getattr(event, "exception", "failed"))

    # -- ingest worker --------------------------------------------------------------------------

    def _ingest_loop(self) -> None:
        assert self.tracker is not None
        tracker = self.tracker
        with Store(self.settings.state_path) as store:
            while not self._stopping.is_set():
                try:
                    # New files come first; stale analyses are redone in chunks while nothing is ready.
                    ready = tracker.wait_ready(timeout=None if self._stale_done else 0.0)
                    if self._stopping.is_set():
                        break
                    if ready:
                        self._ingest_batch(store, tracker, ready)
                    elif not self._stale_done:
                        self._reanalyse_stale(store)
                except Exception:  # never let the worker die: log, pause, go on
                    log.exception("ingest worker error; retrying in %.0f s", RETRY_SECONDS)
                    self._stopping.wait(RETRY_SECONDS)

    def _ingest_batch(self, store: Store, tracker: QuietTracker, ready: list[Candidate]) -> None:
        """Ingest the files that became ready: a burst in worker processes, a few files here."""
        todo = [c for c in ready if not tracker.is_done(self._name(c.path), file_version(c))]
        if not todo:
            return
        report = IngestReport()
        run_id = store.start_run("ingest", _now(), detail=f"{len(todo)} file(s) ready")
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
                self._refresh_wanted.set()

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
        except (sqlite3.Error, OSError, ExecutorError) as exc:
            left = [c.path for c in todo if c.path not in finished]
            log.error("%d file(s) could not be stored (%s); trying again in %.0f s", len(left), exc, RETRY_SECONDS)
            tracker.note_all(left)
            status = "failed"
            self._stopping.wait(RETRY_SECONDS)
        left = len(todo) - len(finished)
        detail = f"{len(report.new)} new, {len(report.duplicates)} duplicate, {len(report.failed)} failed"
        if left:
            detail += f", {left} left for later"
        store.finish_run(run_id, _now(), status, len(report.new), detail)
        log.info("ingested %d file(s): %s", len(finished), detail)

    def _executor(self, files: int) -> Executor:
        """Worker processes for a burst of files (started once, kept warm), this thread for a few."""
        if files < SMALL_BATCH:
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
            self._refresh_wanted.set()

    # -- latest.html refresher ------------------------------------------------------------------

    def _refresh_loop(self) -> None:
        interval = self.settings.service.refresh_seconds
        last_end, last_took = 0.0, 0.0
        while True:
            self._refresh_wanted.wait()
            if self._stopping.is_set() and not self._refresh_wanted.is_set():
                return
            # Gather a burst: at most one refresh per interval, and at most a quarter of the time refreshing
            # (a large live view takes a while to render, and it shares the interpreter with the ingest worker).
            wait = last_end + max(interval, 3 * last_took) - time.monotonic()
            if wait > 0 and not self._stopping.is_set():
                self._stopping.wait(wait)
            self._refresh_wanted.clear()
            started = time.monotonic()
            try:
                with self._render_lock:
                    count = refresh_latest(self.settings)
                log.debug("latest.html refreshed: %d article(s)", count)
            except Exception:
                log.exception("refreshing latest.html failed")
            last_end = time.monotonic()
            last_took = last_end - started
            if self._stopping.is_set():
                return


def _local(moment: dt.datetime, settings: Settings) -> str:
    return moment.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M %Z")


def run_service(settings: Settings, started: Callable[[Service], None] | None = None) -> None:
    """Run until SIGINT or SIGTERM, then stop gracefully; a second signal stops at once.

    Raises :class:`~briefing.lock.AlreadyRunning` when another ``briefing run`` serves the reports folder.
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
