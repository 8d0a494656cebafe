"""The service's APScheduler jobs: rescans, one briefing per schedule, its digest, the e-mail outbox.

One cron job per schedule (id ``briefing:<name>``) runs on its own executor, with
``coalesce`` and a ``misfire_grace_time``, so a long ingest or rescan never delays
a briefing. Jobs live in APScheduler's memory job store, added with
``replace_existing``; when each must first run comes from the store's ``briefings``
table (:func:`briefing.schedules.first_run_time`), so a time missed while the
service was down is caught up once on start, and a restart never adds or loses a
run. Only pipeline functions do the work; this module only wires them.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, JobEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from briefing.config import Settings
from briefing.delivery import deliver_outbox, send_scheduled_digest
from briefing.pipeline import GenerateResult, generate_briefing
from briefing.schedules import first_run_time, missed_times, schedule_trigger, scheduled_period
from briefing.store import Store

log = logging.getLogger("briefing.service")  # one logger for the whole service, as its log lines have always named it

RESCAN_JOB = "rescan"
OUTBOX_JOB = "outbox"
OUTBOX_SECONDS = 60
"""How often the service sends the digests whose retry time has come."""
BRIEFINGS_EXECUTOR = "briefings"


def briefing_job_id(schedule: str) -> str:
    """The job id of a schedule's briefing, also the name its runs are recorded under."""
    return f"briefing:{schedule}"


class ScheduledJobs:
    """The service's :attr:`scheduler` and what it runs; :meth:`add` the jobs, then start the scheduler."""

    def __init__(self, settings: Settings, render_lock: threading.Lock) -> None:
        self.settings = settings
        self._render_lock = render_lock  # shared with the refresher: one render at a time
        self.scheduler = BackgroundScheduler(
            timezone=settings.tz,
            executors={"default": ThreadPoolExecutor(1), BRIEFINGS_EXECUTOR: ThreadPoolExecutor(1)},
            job_defaults={"coalesce": True, "max_instances": 1},
        )

    def add(self, now: dt.datetime, rescan: Callable[[], int]) -> None:
        """Add every job (replacing any of the same id), each schedule first due as the store says; log misses."""
        settings = self.settings
        grace = dt.timedelta(hours=settings.service.misfire_grace_hours)
        self.scheduler.add_job(
            rescan,
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
        self.scheduler.add_listener(self._on_job_event, EVENT_JOB_MISSED | EVENT_JOB_ERROR | EVENT_JOB_MAX_INSTANCES)

    def _record_missed(self, store: Store, name: str, missed: list[dt.datetime]) -> None:
        times = _local(missed[0], self.settings)
        if len(missed) > 1:
            times = f"{len(missed)} times, {times} to {_local(missed[-1], self.settings)}"
        detail = f"missed while stopped ({times}), more than service.misfire_grace_hours late; the next briefing covers the time"
        log.warning("%s briefing: %s", name, detail)
        store.record_run(briefing_job_id(name), dt.datetime.now(dt.UTC), "missed", detail=detail)

    def _scheduled_briefing(self, name: str) -> None:
        settings = self.settings
        trigger = schedule_trigger(settings.schedules[name], settings.tz)
        now = dt.datetime.now(dt.UTC)
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
                store.finish_run(run_id, dt.datetime.now(dt.UTC), status, items, detail)
        if status == "ok" and settings.schedules[name].recipients:
            self._send_digest(name, result)

    def _send_digest(self, name: str, result: GenerateResult) -> None:
        """The schedule's digest to its recipients; retries are left to the outbox job."""
        settings = self.settings
        with Store(settings.state_path) as store:
            run_id = store.start_run(f"digest:{name}", dt.datetime.now(dt.UTC))
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
                store.finish_run(run_id, dt.datetime.now(dt.UTC), status, items, detail)

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
                store.record_run(job, dt.datetime.now(dt.UTC), "missed", detail=detail)
        elif event.code == EVENT_JOB_MAX_INSTANCES:
            log.warning("%s: still running when due again; this run is skipped", job)
        else:
            log.error("%s: %s", job, getattr(event, "exception", "failed"))


def _local(moment: dt.datetime, settings: Settings) -> str:
    return moment.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M %Z")
