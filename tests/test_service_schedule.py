"""Scheduled briefings under a controlled clock: sleep, downtime, restarts, daylight-saving changes.

The scheduler is APScheduler's real ``BackgroundScheduler`` in its own thread; only
the wall clock is moved, with time-machine (``datetime.now`` and ``time.time`` at C
level, in every thread; monotonic time, which ``threading`` waits use, is left
real). The scheduler reads the moved clock each time it looks for due jobs: on
its own timed wake-ups (at least every ``service.rescan_seconds``, as after a
real suspend) or when ``wakeup()`` is called.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED, JobExecutionEvent

from briefing.config import Settings
from briefing.service import Service
from briefing.service.jobs import RESCAN_JOB, briefing_job_id
from briefing.service.schedules import schedule_states
from briefing.store import BriefingRecord, Store
from tests.test_service import service_settings, wait_for

LONDON = ZoneInfo("Europe/London")


def london(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    """A wall clock that starts on Monday 4 March 2024, 06:00 in London, and ticks from there."""
    with time_machine.travel(london(2024, 3, 4, 6, 0).astimezone(dt.UTC), tick=True) as traveller:
        yield traveller


class BriefingRuns:
    """Counts finished runs of the briefing jobs, from the scheduler's own events."""

    def __init__(self, service: Service) -> None:
        self.finished = 0
        self._cond = threading.Condition()
        service.scheduler.add_listener(self._on_event, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED)

    def _on_event(self, event: JobExecutionEvent) -> None:
        assert event.code == EVENT_JOB_EXECUTED, f"{event.job_id}: {event}"
        if event.job_id.startswith("briefing:"):
            with self._cond:
                self.finished += 1
                self._cond.notify_all()

    def wait(self, total: int, timeout: float = 30) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: self.finished >= total, timeout):
                raise AssertionError(f"{self.finished} briefing run(s) after {timeout} s, expected {total}")


def briefings(settings: Settings) -> list[BriefingRecord]:
    with Store(settings.state_path) as store:
        return sorted(store.briefings(limit=1000), key=lambda b: b.created_at)


def next_run(service: Service, schedule: str) -> dt.datetime:
    job = service.scheduler.get_job(briefing_job_id(schedule))
    assert job is not None and job.next_run_time is not None
    return job.next_run_time


def started(settings: Settings) -> tuple[Service, BriefingRuns]:
    service = Service(settings)
    runs = BriefingRuns(service)  # listening before the start: a catch-up runs at once
    service.start()
    return service, runs


def nothing_more_runs(service: Service, runs: BriefingRuns) -> None:
    """Let the scheduler look at the current time once more and check it starts nothing."""
    before = runs.finished
    service.scheduler.wakeup()
    time.sleep(0.5)
    assert runs.finished == before


def test_asleep_across_three_daily_run_times_gives_one_briefing(project: Path, clock: time_machine.Coordinates) -> None:
    settings = service_settings(project, schedules={"daily": {"cron": "0 7 * * *"}})
    service, runs = started(settings)
    try:
        assert next_run(service, "daily") == london(2024, 3, 4, 7, 0)
        clock.move_to(london(2024, 3, 4, 7, 0, 1))  # the scheduler notices by itself, within rescan_seconds
        runs.wait(1)
        [first] = briefings(settings)
        assert first.schedule == "daily" and first.error is None

        # The laptop sleeps from Monday 07:00 to Thursday 09:30: Tuesday, Wednesday and Thursday 07:00 pass.
        clock.move_to(london(2024, 3, 7, 9, 30))
        runs.wait(2)
        nothing_more_runs(service, runs)
        first, catch_up = briefings(settings)
        assert catch_up.period.start == first.period.end  # it covers the whole time asleep
        assert catch_up.created_at.astimezone(LONDON).date() == dt.date(2024, 3, 7)
        assert next_run(service, "daily") == london(2024, 3, 8, 7, 0)
    finally:
        service.stop()


def test_down_across_three_run_times_one_catch_up_and_five_restarts_keep_one_job_each(
    project: Path, clock: time_machine.Coordinates
) -> None:
    settings = service_settings(project)  # daily at 07:00, weekly on Mondays at 08:00
    expected_ids = {RESCAN_JOB, briefing_job_id("daily"), briefing_job_id("weekly")}
    service, runs = started(settings)
    clock.move_to(london(2024, 3, 4, 8, 0, 1))  # Monday 07:00 and 08:00 both pass
    service.scheduler.wakeup()
    runs.wait(2)
    service.stop()
    assert [b.schedule for b in briefings(settings)] == ["daily", "weekly"]

    # Down from Monday 08:00 to Thursday 09:30: three daily times missed, no weekly one.
    clock.move_to(london(2024, 3, 7, 9, 30))
    service, runs = started(settings)
    runs.wait(1)
    nothing_more_runs(service, runs)
    made = briefings(settings)
    assert [b.schedule for b in made] == ["daily", "weekly", "daily"]
    assert made[2].period.start == made[0].period.end
    service.stop()

    for _ in range(5):
        service, runs = started(settings)
        try:
            jobs = service.scheduler.get_jobs()
            assert len(jobs) == len(expected_ids) and {job.id for job in jobs} == expected_ids
            assert next_run(service, "daily") == london(2024, 3, 8, 7, 0)
            assert next_run(service, "weekly") == london(2024, 3, 11, 8, 0)
            nothing_more_runs(service, runs)
        finally:
            service.stop()
    assert len(briefings(settings)) == 3  # restarts make no briefing

    with Store(settings.state_path) as store:  # `briefing status` shows the times the service acts on
        states = {s.name: s.next_run for s in schedule_states(settings, store, dt.datetime.now(dt.UTC))}
    assert states == {"daily": london(2024, 3, 8, 7, 0), "weekly": london(2024, 3, 11, 8, 0)}

    service, runs = started(settings)
    try:
        clock.move_to(london(2024, 3, 8, 7, 0, 1))
        service.scheduler.wakeup()
        runs.wait(1)
        assert [b.schedule for b in briefings(settings)] == ["daily", "weekly", "daily", "daily"]
    finally:
        service.stop()


def test_a_missed_time_older_than_the_grace_is_logged_not_made(project: Path, clock: time_machine.Coordinates) -> None:
    settings = service_settings(
        project, schedules={"daily": {"cron": "0 7 * * *"}}, **{"service.misfire_grace_hours": 1}
    )
    service, runs = started(settings)
    clock.move_to(london(2024, 3, 4, 7, 0, 1))
    service.scheduler.wakeup()
    runs.wait(1)
    service.stop()
    clock.move_to(london(2024, 3, 7, 9, 30))  # Thursday 07:00 is 2.5 hours late: past the 1-hour grace
    service, runs = started(settings)
    try:
        nothing_more_runs(service, runs)
        assert len(briefings(settings)) == 1
        assert next_run(service, "daily") == london(2024, 3, 8, 7, 0)
        with Store(settings.state_path) as store:
            [missed] = [r for r in store.runs() if r.status == "missed"]
        assert missed.job == "briefing:daily" and "2024-03-07 07:00" in missed.detail
    finally:
        service.stop()


@pytest.mark.parametrize(
    ("start", "end", "days", "repeats"),
    [
        pytest.param(
            london(2024, 3, 29, 12), london(2024, 4, 2, 12), ("03-30", "03-31", "04-01", "04-02"), 0, id="spring"
        ),
        pytest.param(
            london(2024, 10, 25, 12), london(2024, 10, 29, 12), ("10-26", "10-27", "10-28", "10-29"), 1, id="autumn"
        ),
    ],
)
def test_daylight_saving_change_one_daily_briefing_per_day(
    project: Path,
    clock: time_machine.Coordinates,
    start: dt.datetime,
    end: dt.datetime,
    days: tuple[str, ...],
    repeats: int,
) -> None:
    """01:30 does not exist on the spring night (clocks jump 01:00 -> 02:00) and comes twice on the autumn one."""
    settings = service_settings(project, schedules={"daily": {"cron": "30 1 * * *"}})
    clock.move_to(start)
    service, runs = started(settings)
    repeated = 0
    try:
        while (due := next_run(service, "daily")) < end:
            clock.move_to(due.astimezone(dt.UTC) + dt.timedelta(seconds=1))  # UTC: local arithmetic loses the fold
            service.scheduler.wakeup()
            runs.wait(runs.finished + 1)
            hour_later = (due.astimezone(dt.UTC) + dt.timedelta(hours=1)).astimezone(LONDON)
            if hour_later.strftime("%H:%M") == due.astimezone(LONDON).strftime("%H:%M"):
                repeated += 1  # 01:30 again, now in winter time: nothing must run
                clock.move_to(hour_later.astimezone(dt.UTC) + dt.timedelta(seconds=1))
                nothing_more_runs(service, runs)
            wait_for(lambda: next_run(service, "daily") > dt.datetime.now(dt.UTC), timeout=10, what="the next time")
        made = Counter(b.created_at.astimezone(LONDON).strftime("%m-%d") for b in briefings(settings))
        assert made == dict.fromkeys(days, 1)
        assert repeated == repeats
    finally:
        service.stop()


def test_a_scheduled_briefing_is_mailed_to_its_recipients(
    project: Path, clock: time_machine.Coordinates, seed_copy: Path
) -> None:
    from tests.mailserver import smtp_server

    with smtp_server() as server:
        settings = service_settings(
            project,
            schedules={"daily": {"cron": "0 7 * * *", "recipients": ["desk@example.org", "chief@example.org"]}},
            **{
                "email.host": "127.0.0.1",
                "email.port": server.port,
                "email.security": "none",
                "email.sender": "briefing@example.org",
                "email.retry_delay": 0.05,
            },
        )
        service, runs = started(settings)
        try:
            wait_for(lambda: _stored(settings) == 1, 20, "the seed to be stored")
            clock.move_to(london(2024, 3, 4, 7, 0, 1))
            runs.wait(1)
            wait_for(lambda: len(server.handler.received) == 2, 20, "two digests")
        finally:
            service.stop()
        assert sorted(r for m in server.handler.received for r in m.rcpt_tos) == [
            "chief@example.org",
            "desk@example.org",
        ]
        message = server.handler.received[0].message
        assert message["Subject"].startswith("Briefing 2024-03-04")
        with Store(settings.state_path) as store:
            digest_runs = [r for r in store.runs(limit=50) if r.job == "digest:daily"]
        assert [r.status for r in digest_runs] == ["ok"] and digest_runs[0].items == 2


def _stored(settings: Settings) -> int:
    with Store(settings.state_path) as store:
        return store.article_count()
