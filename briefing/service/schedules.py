"""When scheduled briefings are due: cron triggers, catch-up after downtime, the period each covers.

The truth about what already ran is the store's ``briefings`` table (one row per
briefing, with its schedule), and, for a schedule that has made none yet, when
the service first ran it (its start, in the ``schedules`` table). From them and
the cron expression, :func:`first_run_time` says when a schedule's job must run
next: in the past (so the scheduler runs it at once, coalescing every missed time
into one briefing) when a time passed with no briefing made (the service was
down, or killed while making it), else the next cron time. Nothing here touches the
scheduler, so ``briefing status`` can show the same answer the service acts on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from apscheduler.triggers.cron import CronTrigger

from briefing.config import ScheduleSettings, Settings
from briefing.config.cron import WallClockCronTrigger, cron_trigger
from briefing.model import Period
from briefing.store import BriefingRecord, Store


def schedule_trigger(schedule: ScheduleSettings, tz: dt.tzinfo) -> WallClockCronTrigger:
    return cron_trigger(schedule.cron, tz)


def first_run_time(
    trigger: CronTrigger,
    last_briefing_at: dt.datetime | None,
    now: dt.datetime,
    grace: dt.timedelta,
) -> dt.datetime | None:
    """When a schedule's job should next run, given its last briefing (or, before the first, its start).

    The first cron time after the last briefing, if it is at most ``grace`` old
    (it is then in the past: a catch-up, made at once); a missed time older than
    that is dropped for the first one within ``grace`` or, if none, the next one.
    With neither a briefing nor a start, it is the next cron time.
    """
    if last_briefing_at is None:
        next_time: dt.datetime | None = trigger.get_next_fire_time(None, now)
        return next_time
    fire: dt.datetime | None = trigger.get_next_fire_time(last_briefing_at, last_briefing_at)
    if fire is not None and fire < now - grace:
        fire = trigger.get_next_fire_time(None, now - grace)
    return fire


def missed_times(
    trigger: CronTrigger, last_briefing_at: dt.datetime, now: dt.datetime, limit: int = 10_000
) -> list[dt.datetime]:
    """The cron times after the last briefing up to ``now`` (the first ``limit`` of them)."""
    times: list[dt.datetime] = []
    fire = trigger.get_next_fire_time(last_briefing_at, last_briefing_at)
    while fire is not None and fire <= now and len(times) < limit:
        times.append(fire)
        fire = trigger.get_next_fire_time(fire, fire)
    return times


def schedule_span(trigger: CronTrigger, now: dt.datetime) -> dt.timedelta:
    """The time between two consecutive cron times from ``now`` (a day for a daily schedule)."""
    first: dt.datetime | None = trigger.get_next_fire_time(None, now)
    second: dt.datetime | None = trigger.get_next_fire_time(first, first) if first else None
    if first is None or second is None:
        return dt.timedelta(days=1)
    return second - first


def scheduled_period(
    trigger: CronTrigger, last: BriefingRecord | None, now: dt.datetime, started: dt.datetime | None = None
) -> Period:
    """What a scheduled briefing made ``now`` covers: everything since the schedule's previous briefing.

    The first briefing of a schedule covers everything since the schedule's start
    (when the service first ran it), and at least one schedule span back (a day
    for a daily one): a first briefing killed or failed leaves nothing behind.
    """
    if last is not None:
        start = last.period.end
    else:
        start = now - schedule_span(trigger, now)
        if started is not None:
            start = min(start, started)
    return Period(min(start, now), now)


def owed_since(last: BriefingRecord | None, started: dt.datetime | None) -> dt.datetime | None:
    """Since when a schedule owes a briefing: its last briefing, or before the first one, its start."""
    return last.created_at if last is not None else started


@dataclass(frozen=True, slots=True)
class ScheduleState:
    """A schedule as ``briefing status`` shows it: its last briefing and its next run."""

    name: str
    cron: str
    last: BriefingRecord | None
    next_run: dt.datetime | None


def schedule_states(settings: Settings, store: Store, now: dt.datetime) -> list[ScheduleState]:
    """Every configured schedule with its last briefing and next run time (past when a catch-up is due)."""
    grace = dt.timedelta(hours=settings.service.misfire_grace_hours)
    states = []
    for name, schedule in settings.schedules.items():
        last = store.last_briefing(name)
        trigger = schedule_trigger(schedule, settings.tz)
        next_run = first_run_time(trigger, owed_since(last, store.schedule_started(name)), now, grace)
        states.append(ScheduleState(name, schedule.cron, last, next_run))
    return states
