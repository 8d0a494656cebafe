"""When briefings are due: crontab weekdays, catch-up after downtime, the repeated hour in autumn."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from briefing.config import ConfigError, load_settings
from briefing.config.cron import cron_trigger, crontab_weekdays
from briefing.model import Period
from briefing.service.schedules import first_run_time, missed_times, scheduled_period
from briefing.store import BriefingRecord

LONDON = ZoneInfo("Europe/London")
WEEK = dt.timedelta(days=7)


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("field", "days"),
    [
        ("1", "mon"),
        ("0", "sun"),
        ("7", "sun"),
        ("1-5", "mon,tue,wed,thu,fri"),
        ("5-7", "sun,fri,sat"),
        ("*/2", "sun,tue,thu,sat"),
        ("sat,sun", "sun,sat"),
    ],
)
def test_weekdays_are_crontab_numbers(field: str, days: str) -> None:
    assert crontab_weekdays(field) == days


def test_a_monday_cron_fires_on_monday_not_tuesday() -> None:
    trigger = cron_trigger("0 8 * * 1", LONDON)
    fire = trigger.get_next_fire_time(None, at(2024, 3, 6, 12))  # a Wednesday
    assert fire == at(2024, 3, 11, 8) and fire.strftime("%A") == "Monday"


def test_config_accepts_crontab_sunday_7_and_rejects_nonsense() -> None:
    assert load_settings(env={}, overrides={"schedules": {"sunday": {"cron": "0 9 * * 7"}}})
    with pytest.raises(ConfigError, match=r"schedules\.x\.cron"):
        load_settings(env={}, overrides={"schedules": {"x": {"cron": "0 9 * * 8"}}})


def test_the_repeated_autumn_hour_fires_once() -> None:
    trigger = cron_trigger("30 1 * * *", LONDON)
    fire = trigger.get_next_fire_time(None, at(2024, 10, 26, 12))
    fires = []
    for _ in range(3):
        fires.append(fire)
        fire = trigger.get_next_fire_time(fire, fire)
    assert [f.strftime("%m-%d %H:%M") for f in fires] == ["10-27 01:30", "10-28 01:30", "10-29 01:30"]


def test_first_run_time_catches_up_once_within_the_grace() -> None:
    trigger = cron_trigger("0 7 * * *", LONDON)
    last = at(2024, 3, 4, 7, 0, 2)
    now = at(2024, 3, 7, 9, 30)
    assert first_run_time(trigger, None, now, WEEK) == at(2024, 3, 8, 7)  # never ran: the next time
    assert first_run_time(trigger, last, at(2024, 3, 4, 12), WEEK) == at(2024, 3, 5, 7)  # nothing missed
    assert first_run_time(trigger, last, now, WEEK) == at(2024, 3, 5, 7)  # missed: in the past, run now
    assert first_run_time(trigger, last, now, dt.timedelta(hours=3)) == at(2024, 3, 7, 7)
    assert first_run_time(trigger, last, now, dt.timedelta(hours=1)) == at(2024, 3, 8, 7)  # too late: skipped
    assert missed_times(trigger, last, now) == [at(2024, 3, 5, 7), at(2024, 3, 6, 7), at(2024, 3, 7, 7)]


def test_a_scheduled_briefing_covers_the_time_since_the_previous_one() -> None:
    trigger = cron_trigger("0 8 * * mon", LONDON)
    now = at(2024, 3, 11, 8, 0, 1)
    assert scheduled_period(trigger, None, now) == Period(now - WEEK, now)  # the first: one span back
    previous = BriefingRecord(
        1, at(2024, 3, 1, 9), "weekly", Period(at(2024, 2, 20), at(2024, 3, 1, 9)), 3, None, None, None
    )
    assert scheduled_period(trigger, previous, now) == Period(at(2024, 3, 1, 9), now)


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata"])
@pytest.mark.parametrize("expr", ["30 1 * * *", "0 * * * *", "*/20 0-3 * * *", "0 2 * * sun", "0 7 * * *"])
def test_fire_times_always_advance_once_per_wall_clock_time_through_a_year(zone: str, expr: str) -> None:
    tz = ZoneInfo(zone)
    trigger = cron_trigger(expr, tz)
    fire = trigger.get_next_fire_time(None, dt.datetime(2024, 1, 1, tzinfo=tz))
    end = dt.datetime(2025, 1, 1, tzinfo=tz)
    walls = set()
    while fire is not None and fire < end:
        wall = fire.astimezone(tz).replace(tzinfo=None, fold=0)
        assert wall not in walls, f"{wall} fired twice"
        walls.add(wall)
        following = trigger.get_next_fire_time(fire, fire)
        assert following is not None and following.astimezone(dt.UTC) > fire.astimezone(dt.UTC)
        fire = following
    assert len(walls) > 50
