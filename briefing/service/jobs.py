"""The service's APScheduler jobs: rescans, one briefing per schedule, its digest, the e-mail outbox.

One cron job per schedule (id ``briefing:<name>``) runs on its own executor, with
``coalesce`` and a ``misfire_grace_time``, so a long ingest or rescan never delays
a briefing. Jobs live in APScheduler's memory job store, added with
``replace_existing``; when each must first run comes from the store's ``briefings``
table (:func:`briefing.service.schedules.first_run_time`), so a time missed while the
service was down is caught up once on start, and a restart never adds or loses a
run. Only pipeline functions do the work; this module only wires them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
from collections.abc import Callable, Sequence
from functools import partial

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, JobEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from briefing.config import Settings
from briefing.deliver.send import SendResult, deliver_outbox, send_digest
from briefing.pipeline import GenerateResult, generate_briefing
from briefing.service.schedules import first_run_time, missed_times, owed_since, schedule_trigger, scheduled_period
from briefing.store import RunRecord, Store, open_store
from briefing.store.leader import leadership

log = logging.getLogger("briefing.service")  # one logger for the whole service, as its log lines have always named it

RESCAN_JOB = "rescan"
OUTBOX_JOB = "outbox"
RESUME_JOB = "resume-digests"
LEADER_JOB = "leader"
OUTBOX_SECONDS = 60
"""How often the service looks in the outbox for mail another process queued (``briefing send --no-wait``);
its own retries run when due, by ``email.retry_delay``."""
BRIEFINGS_EXECUTOR = "briefings"


def briefing_job_id(schedule: str) -> str:
    """The job id of a schedule's briefing, also the name its runs are recorded under."""
    return f"briefing:{schedule}"


def digest_job_id(schedule: str) -> str:
    """The name the runs of a schedule's digest are recorded under."""
    return f"digest:{schedule}"


class ScheduledJobs:
    """The service's :attr:`scheduler` and what it runs; :meth:`add` the jobs, then start the scheduler."""

    def __init__(
        self, settings: Settings, render_lock: threading.Lock, briefed: Callable[[], None] = lambda: None
    ) -> None:
        self.settings = settings
        self._render_lock = render_lock  # shared with the refresher: one render at a time
        self._briefed = briefed  # a briefing was made: the live view's "since the last briefing" starts again
        self.leader = leadership(settings.state_url)  # who makes the scheduled briefings when nodes share a store
        self.leading = False
        self._executors = {"default": ThreadPoolExecutor(1), BRIEFINGS_EXECUTOR: ThreadPoolExecutor(1)}
        self.scheduler = BackgroundScheduler(
            timezone=settings.tz,
            executors=self._executors,
            job_defaults={"coalesce": True, "max_instances": 1},
        )

    def shutdown(self) -> None:
        """Stop the scheduler once the jobs running now have finished.

        APScheduler's own ``shutdown(wait=True)`` waits for running jobs while it holds
        its job-store lock, and our jobs ask the scheduler for jobs (the outbox look,
        a failed briefing's retry): a job running at that moment would wait for the lock
        for ever. So new runs are paused and the running ones waited for first, with no
        lock held; then the scheduler stops with nothing left to wait for.
        """
        if not self.scheduler.running:
            return
        self.scheduler.pause()
        for executor in self._executors.values():
            executor.shutdown(wait=True)
        self.scheduler.shutdown(wait=False)
        self.leader.release()  # a briefing running now has ended: another service may take the schedules
        self.leading = False

    def add(self, now: dt.datetime, rescan: Callable[[], int], interrupted: Sequence[RunRecord] = ()) -> None:
        """Add every job (replacing any of the same id), each schedule first due as the store says; log misses.

        ``interrupted`` are the runs a killed service left: digests they may not have queued are queued at once.
        The schedules are added only while this service leads (a store shared by several: see
        :mod:`briefing.store.leader`); the others try every ``service.leader_seconds`` to take them over.
        """
        settings = self.settings
        self.scheduler.add_job(
            partial(_rescan_then_outbox, rescan, self.look_in_outbox),
            IntervalTrigger(seconds=settings.service.rescan_seconds, timezone=settings.tz),
            id=RESCAN_JOB,
            name="rescan seeds",
            replace_existing=True,
            misfire_grace_time=None,
        )
        self._plan_outbox(now)  # what a stopped service left waiting goes out at once
        if self.leader.acquire():
            self._lead(now, interrupted)
        elif settings.state_url:
            log.info("another service makes the scheduled briefings; this one takes over if it stops")
        if settings.state_url:
            self.scheduler.add_job(
                self.check_leader,
                IntervalTrigger(seconds=settings.service.leader_seconds, timezone=settings.tz),
                id=LEADER_JOB,
                name="scheduler leadership",
                replace_existing=True,
                misfire_grace_time=None,
            )
        self.scheduler.add_listener(self._on_job_event, EVENT_JOB_MISSED | EVENT_JOB_ERROR | EVENT_JOB_MAX_INSTANCES)

    def check_leader(self) -> None:
        """The leadership job: take the schedules over when their leader is gone, or give them up when this
        service lost its lock (its connection to the store ended)."""
        held = self.leader.acquire()
        if held and not self.leading:
            now = dt.datetime.now(dt.UTC)
            with open_store(self.settings) as store:  # what the previous leader left running is over
                left = [r for r in store.open_runs() if r.job.startswith(("briefing:", "digest:"))]
                store.close_interrupted_runs(now, ids=[r.id for r in left])
            log.warning("taking over the scheduled briefings (their previous service stopped or died)")
            self._lead(now, left)
        elif not held and self.leading:
            log.warning("no longer making the scheduled briefings: another service may take them over")
            self.leading = False
            for name in self.settings.schedules:
                with contextlib.suppress(JobLookupError):
                    self.scheduler.remove_job(briefing_job_id(name))

    def _lead(self, now: dt.datetime, interrupted: Sequence[RunRecord]) -> None:
        """Add the schedules' jobs, each first due as the store says; queue what ``interrupted`` runs left."""
        settings = self.settings
        self.leading = True
        if interrupted:
            self.scheduler.add_job(
                self.resume_digests,
                args=(list(interrupted),),
                id=RESUME_JOB,
                name="digests left by a killed service",
                replace_existing=True,
                executor=BRIEFINGS_EXECUTOR,
                misfire_grace_time=None,
            )
        grace = dt.timedelta(hours=settings.service.misfire_grace_hours)
        with open_store(settings) as store:
            for name, schedule in settings.schedules.items():
                trigger = schedule_trigger(schedule, settings.tz)
                since = owed_since(store.last_briefing(name), store.start_schedule(name, now))
                first = first_run_time(trigger, since, now, grace)
                if first is not None and first <= now:
                    log.info(
                        "the %s briefing due %s was not made (stopped, killed or failed): making it now",
                        name,
                        _local(first, settings),
                    )
                elif since is not None and (missed := missed_times(trigger, since, now)):
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
        store.record_run(briefing_job_id(name), dt.datetime.now(dt.UTC), "missed", detail=detail)

    def _scheduled_briefing(self, name: str) -> None:
        settings = self.settings
        trigger = schedule_trigger(settings.schedules[name], settings.tz)
        now = dt.datetime.now(dt.UTC)
        with open_store(settings) as store:
            run_id = store.start_run(briefing_job_id(name), now)
            period = scheduled_period(trigger, store.last_briefing(name), now, store.schedule_started(name))
        log.info(
            "making the %s briefing (%s to %s)", name, _local(period.start, settings), _local(period.end, settings)
        )
        status, items, detail = "failed", 0, ""
        result: GenerateResult | None = None
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
            with open_store(settings) as store:
                last = store.last_briefing(name)
                made = last if last is not None and last.created_at >= now else None
                if made is None:
                    detail += self._retry(name)
                store.finish_run(run_id, dt.datetime.now(dt.UTC), status, items, detail)
        if made is not None:
            self._briefed()
        recipients = settings.schedules[name].recipients
        if made is not None and made.error is None and recipients:  # made whole, even if the archive index failed
            briefing = result.briefing if result is not None else None
            self._send_digest(name, partial(send_digest, settings, made, recipients, briefing=briefing, wait=False))

    def _retry(self, name: str) -> str:
        """A briefing that wrote nothing is made again after ``service.retry_seconds`` (sooner if its next time comes).

        The retry covers everything since the schedule's last briefing, so nothing is
        lost; and as nothing was recorded, nothing is made or mailed twice. Returns
        what to add to the run's detail.
        """
        retry_at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=self.settings.service.retry_seconds)
        job = self.scheduler.get_job(briefing_job_id(name))
        if job is None or not self.scheduler.running:
            return "; made again at the next start"
        if job.next_run_time is not None and job.next_run_time <= retry_at:
            return f"; made again at {_local(job.next_run_time, self.settings)}, its next time"
        try:
            job.modify(next_run_time=retry_at)
        except JobLookupError:  # removed by a stop meanwhile: the next start makes it
            return "; made again at the next start"
        log.warning("the %s briefing will be tried again at %s", name, _local(retry_at, self.settings))
        return f"; tried again at {_local(retry_at, self.settings)}"

    def resume_digests(self, interrupted: Sequence[RunRecord]) -> None:
        """Queue the digests a killed service may have left unqueued (its briefing made, its digest not yet sent).

        Sending a digest again is safe: it is stored once per briefing and queued once
        per recipient, and a recipient who has it is never sent it again.
        """
        settings = self.settings
        for name, schedule in settings.schedules.items():
            runs = [r for r in interrupted if r.job in (briefing_job_id(name), digest_job_id(name))]
            if not runs or not schedule.recipients:
                continue
            with open_store(settings) as store:
                last = store.last_briefing(name)
            if last is None or last.error is not None:
                continue
            made = any(r.job == briefing_job_id(name) and last.created_at >= r.started_at for r in runs)
            if not made and not any(r.job == digest_job_id(name) for r in runs):
                continue  # the interrupted run made no briefing: the catch-up makes it, and mails it
            when = _local(last.created_at, settings)
            log.info("the %s briefing of %s was made before the service stopped: queuing its digest", name, when)
            self._send_digest(name, partial(send_digest, settings, last, schedule.recipients, wait=False))

    def _send_digest(self, name: str, send: Callable[[], SendResult | None]) -> None:
        """The schedule's digest to its recipients (``send`` does it); retries are left to the outbox job."""
        settings = self.settings
        with open_store(settings) as store:
            run_id = store.start_run(digest_job_id(name), dt.datetime.now(dt.UTC))
        status, items, detail = "failed", 0, ""
        try:
            sent = send()
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
            with open_store(settings) as store:
                store.finish_run(run_id, dt.datetime.now(dt.UTC), status, items, detail)
            self._plan_outbox()  # recipients deferred (4xx) are tried again after email.retry_delay

    def deliver_outbox(self) -> None:
        """The outbox job: send the digests whose retry time has come, then wake again for the next retry."""
        with open_store(self.settings) as store:
            due = store.outbox_due()
        if due is not None and due <= dt.datetime.now(dt.UTC):  # with nothing due, SMTP is not even configured
            try:
                stats = deliver_outbox(self.settings)
            except Exception:
                log.exception("delivering the e-mail outbox failed")
            else:
                if stats.sent or stats.failed or stats.deferred:
                    log.info(
                        "outbox: %d sent, %d failed, %d waiting to retry", stats.sent, stats.failed, stats.deferred
                    )
        self._plan_outbox()

    def look_in_outbox(self) -> None:
        """Notice mail another process queued (``briefing send --no-wait``); run with every rescan."""
        self._plan_outbox()

    def _plan_outbox(self, now: dt.datetime | None = None) -> None:
        """Keep the outbox job while anything waits in the outbox, and run it when the next retry is due.

        It runs at each row's time (``email.retry_delay`` and its backoff) and, while
        anything waits, looks every ``OUTBOX_SECONDS`` too; a row due already is held by
        another run (or cannot be sent as configured) and is left to those looks.
        """
        now = now or dt.datetime.now(dt.UTC)
        with open_store(self.settings) as store:
            due = store.outbox_due()
        job = self.scheduler.get_job(OUTBOX_JOB)
        if due is None:
            if job is not None:
                with contextlib.suppress(JobLookupError):  # removed meanwhile
                    self.scheduler.remove_job(OUTBOX_JOB)
            return
        if job is None:
            self.scheduler.add_job(
                self.deliver_outbox,
                IntervalTrigger(seconds=OUTBOX_SECONDS, timezone=self.settings.tz),
                id=OUTBOX_JOB,
                name="e-mail outbox",
                replace_existing=True,
                executor=BRIEFINGS_EXECUTOR,
                misfire_grace_time=None,
                coalesce=True,
                next_run_time=max(due, now),
            )
        elif due > now and (job.next_run_time is None or due < job.next_run_time):
            with contextlib.suppress(JobLookupError):  # removed by a stop meanwhile
                job.modify(next_run_time=due)

    def _on_job_event(self, event: JobEvent) -> None:
        job = event.job_id
        if event.code == EVENT_JOB_MISSED:
            late = f"scheduled for {_local(event.scheduled_run_time, self.settings)}"
            detail = f"{late}, more than service.misfire_grace_hours late; the next briefing covers its period"
            log.warning("%s: %s", job, detail)
            with open_store(self.settings) as store:
                store.record_run(job, dt.datetime.now(dt.UTC), "missed", detail=detail)
        elif event.code == EVENT_JOB_MAX_INSTANCES:
            log.warning("%s: still running when due again; this run is skipped", job)
        else:
            log.error("%s: %s", job, getattr(event, "exception", "failed"))


def _rescan_then_outbox(rescan: Callable[[], int], look: Callable[[], None]) -> None:
    """The rescan job: the seeds folder, then the outbox (each rescan looks for mail queued elsewhere)."""
    rescan()
    look()


def _local(moment: dt.datetime, settings: Settings) -> str:
    return moment.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M %Z")
