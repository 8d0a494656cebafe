"""Cron expressions: five-field crontab strings parsed into triggers that fire once per wall-clock time.

A leaf module: it imports no other part of briefing, so the settings can check a
schedule's ``cron`` and the scheduler can use it without either loading the other.
"""

from __future__ import annotations

import datetime as dt

from apscheduler.triggers.cron import CronTrigger

MAX_SKIPS = 8
"""Repeated wall-clock times skipped in a row at most (one per clock change; a handful is plenty)."""


class WallClockCronTrigger(CronTrigger):  # type: ignore[misc]  # APScheduler 3 ships no types: its classes are Any
    """A cron trigger that fires once per wall-clock time, also on the night clocks go back.

    APScheduler's ``CronTrigger`` runs a job set inside the repeated hour twice
    that night (01:30 summer time, then 01:30 winter time). Cron runs it once, and
    a daily briefing must come once a day: a fire time whose local wall-clock time
    is not after the previous fire's is skipped. Spring-forward needs nothing:
    the missing 01:30 fires at the first instant after the gap.
    """

    def get_next_fire_time(self, previous_fire_time: dt.datetime | None, now: dt.datetime) -> dt.datetime | None:
        fire: dt.datetime | None = super().get_next_fire_time(previous_fire_time, now)
        if previous_fire_time is None:
            return fire
        previous_wall = _wall_clock(previous_fire_time, self.timezone)
        for _ in range(MAX_SKIPS):
            if fire is None or (
                _wall_clock(fire, self.timezone) > previous_wall and _utc(fire) > _utc(previous_fire_time)
            ):
                return fire
            fire = super().get_next_fire_time(None, _utc(fire) + dt.timedelta(seconds=1))
        # Never hand the scheduler a time that does not advance: it would loop on it.
        return None if fire is None or _utc(fire) <= _utc(previous_fire_time) else fire


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def _wall_clock(moment: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    return moment.astimezone(tz).replace(tzinfo=None, fold=0)


def cron_trigger(expr: str, tz: dt.tzinfo | None = None) -> WallClockCronTrigger:
    """The trigger of a five-field crontab expression, with crontab's weekday numbers.

    APScheduler 3 numbers weekdays from Monday = 0 (crontab: Sunday = 0 or 7), so
    ``0 8 * * 1`` would fire on Tuesdays; the weekday field is rewritten as names.
    Raises ValueError for an invalid expression.
    """
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"expected five fields (minute hour day month weekday), got {len(fields)}")
    fields[4] = crontab_weekdays(fields[4])
    trigger: WallClockCronTrigger = WallClockCronTrigger.from_crontab(" ".join(fields), timezone=tz)
    return trigger


_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def crontab_weekdays(field: str) -> str:
    """A crontab weekday field (``1-5``, ``0,6``, ``*/2``, ``mon-fri``) as explicit day names."""
    if field == "*":
        return field
    days: set[int] = set()
    for part in field.lower().split(","):
        span, _, step_text = part.partition("/")
        step = _weekday_number(step_text, allow_step=True) if step_text else 1
        if span == "*":
            first, last = 0, 6
        elif "-" in span:
            low, high = span.split("-", 1)
            first, last = _weekday_number(low), _weekday_number(high)
            if last == 0 and first > 0:  # ``5-7`` or ``fri-sun``: Sunday as 7
                last = 7
        else:
            first = last = _weekday_number(span)
            if step_text:
                last = 6
        if first > last or step < 1:
            raise ValueError(f"invalid weekday field {field!r}")
        days.update(day % 7 for day in range(first, last + 1, step))
    return ",".join(_DAY_NAMES[day] for day in sorted(days))


def _weekday_number(text: str, allow_step: bool = False) -> int:
    if text in _DAY_NAMES:
        return _DAY_NAMES.index(text)
    if not text.isdigit() or (int(text) > 7 and not allow_step):
        raise ValueError(f"invalid weekday {text!r} (use 0-7 or sun-sat)")
    return int(text) % 7 if not allow_step else int(text)
