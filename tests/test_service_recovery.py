"""A scheduled briefing that fails or is killed is made again, covering everything owed, and mailed once.

In-process tests run the real service under a time-machine clock (see
``test_service_schedule``); the SIGKILL test kills a real ``briefing run`` process,
whose clock a small wrapper sets with time-machine, while it makes the briefing.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import time_machine

from briefing.config import Settings, load_settings
from briefing.pipeline import generate_briefing
from briefing.service.lock import running_service
from briefing.service.schedules import schedule_trigger, scheduled_period
from briefing.store import Store
from tests.conftest import news_text
from tests.mailserver import MailServer, smtp_server
from tests.test_service import rows, service_settings, wait_for
from tests.test_service_schedule import briefings, clock, london, next_run, nothing_more_runs, started

__all__ = ["clock"]  # the time-machine fixture, shared with the schedule tests


def mailing(project: Path, server: MailServer, **overrides: object) -> Settings:
    """A daily 07:00 schedule mailed to one reader through ``server``."""
    return service_settings(
        project,
        **{"service.quiet_seconds": 0.3},
        schedules={"daily": {"cron": "0 7 * * *", "recipients": ["desk@example.org"]}},
        **{
            "email.host": "127.0.0.1",
            "email.port": server.port,
            "email.security": "none",
            "email.sender": "briefing@example.org",
            "email.retry_delay": 0.05,
            **overrides,
        },
    )


def stored(settings: Settings, query: str) -> list[tuple]:
    """``rows``, or none while a starting service has not yet made its tables."""
    try:
        return rows(settings, query)
    except sqlite3.OperationalError:
        return []


def first_seen(settings: Settings) -> list[dt.datetime]:
    return [dt.datetime.fromisoformat(stamp) for (stamp,) in stored(settings, "SELECT first_seen FROM articles")]


def briefing_runs(settings: Settings) -> list[tuple[str, str]]:
    return stored(settings, "SELECT status, detail FROM runs WHERE job = 'briefing:daily' ORDER BY id")


def test_a_first_briefing_that_fails_is_tried_again_until_made_and_mailed_once(
    project: Path, clock: time_machine.Coordinates, seed_copy: Path
) -> None:
    # The attack: Monday's reports folder cannot be made (a file stands in its place, as a full disk refuses it).
    blocker = project / "reports" / "2024-03-04"
    blocker.write_text("in the way", encoding="utf-8")
    with smtp_server() as server:
        settings = mailing(project, server, **{"service.retry_seconds": 60})
        service, runs = started(settings)
        try:
            wait_for(lambda: len(first_seen(settings)) == 1, 20, "the seed to be stored")
            clock.move_to(london(2024, 3, 4, 7, 0, 1))
            service.scheduler.wakeup()
            runs.wait(1)
            assert briefings(settings) == []
            [(status, detail)] = briefing_runs(settings)
            assert status == "failed" and "tried again at 2024-03-04 07:01" in detail
            assert next_run(service, "daily") <= london(2024, 3, 4, 7, 1, 2)

            clock.move_to(london(2024, 3, 4, 7, 1, 2))  # still blocked: failed again, and again planned
            service.scheduler.wakeup()
            runs.wait(2)
            assert briefings(settings) == []

            blocker.unlink()
            clock.move_to(london(2024, 3, 4, 7, 2, 3))
            service.scheduler.wakeup()
            runs.wait(3)
            [made] = briefings(settings)
            assert made.articles == 1 and made.error is None
            assert made.period.start <= first_seen(settings)[0]
            wait_for(lambda: len(server.handler.received) == 1, 20, "the digest")
            nothing_more_runs(service, runs)
            assert next_run(service, "daily") == london(2024, 3, 5, 7, 0)  # back on its cron times
        finally:
            service.stop()
        assert [status for status, _ in briefing_runs(settings)] == ["failed", "failed", "ok"]
        assert len(server.handler.received) == 1


def test_a_briefing_made_whose_archive_index_failed_is_mailed_and_not_made_twice(
    project: Path, clock: time_machine.Coordinates, seed_copy: Path
) -> None:
    (project / "reports" / "index.html").mkdir()  # the archive index cannot be written, after the briefing is
    with smtp_server() as server:
        settings = mailing(project, server, **{"service.retry_seconds": 60})
        service, runs = started(settings)
        try:
            wait_for(lambda: len(first_seen(settings)) == 1, 20, "the seed to be stored")
            clock.move_to(london(2024, 3, 4, 7, 0, 1))
            service.scheduler.wakeup()
            runs.wait(1)
            [(status, detail)] = briefing_runs(settings)
            assert status == "failed" and "index.html" in detail and "tried again" not in detail
            wait_for(lambda: len(server.handler.received) == 1, 20, "the digest of the briefing made")
            clock.move_to(london(2024, 3, 4, 7, 5))
            nothing_more_runs(service, runs)  # nothing to retry: the briefing exists
        finally:
            service.stop()
        [made] = briefings(settings)
        assert made.articles == 1 and len(server.handler.received) == 1


def test_a_first_briefing_never_made_is_made_on_restart_covering_the_schedule_since_its_start(
    project: Path, clock: time_machine.Coordinates, seed_copy: Path
) -> None:
    """Failed on Monday 07:00, down until Tuesday 08:00: the articles of Monday 06:00 are still owed."""
    blocker = project / "reports" / "2024-03-04"
    blocker.write_text("in the way", encoding="utf-8")
    settings = service_settings(project, schedules={"daily": {"cron": "0 7 * * *"}}, **{"service.quiet_seconds": 0.3})
    service, runs = started(settings)
    try:
        wait_for(lambda: len(first_seen(settings)) == 1, 20, "the seed to be stored")
        clock.move_to(london(2024, 3, 4, 7, 0, 1))
        service.scheduler.wakeup()
        runs.wait(1)
        assert briefings(settings) == []
    finally:
        service.stop()
    blocker.unlink()

    clock.move_to(london(2024, 3, 5, 8, 0))  # Tuesday 07:00 passed while stopped, too
    service, runs = started(settings)
    try:
        runs.wait(1)
        nothing_more_runs(service, runs)
        [made] = briefings(settings)
        assert made.articles == 1 and made.period.start <= london(2024, 3, 4, 6, 0, 1)
        assert next_run(service, "daily") == london(2024, 3, 6, 7, 0)
    finally:
        service.stop()
    with Store(settings.state_path) as store:  # the schedule's start, as recorded when the service first ran it
        start = store.schedule_started("daily")
    assert start is not None and london(2024, 3, 4, 6, 0) <= start < london(2024, 3, 4, 6, 1)


def test_a_digest_left_unqueued_by_a_killed_service_is_queued_once_on_restart(
    project: Path, clock: time_machine.Coordinates, seed_copy: Path
) -> None:
    """What SIGKILL leaves between the briefing and its digest: the briefing stored, its run still 'running'."""
    with smtp_server() as server:
        settings = mailing(project, server)
        service, runs = started(settings)
        wait_for(lambda: len(first_seen(settings)) == 1, 20, "the seed to be stored")
        service.stop()
        clock.move_to(london(2024, 3, 4, 7, 0, 1))
        now = dt.datetime.now(dt.UTC)
        with Store(settings.state_path) as store:  # the killed service's run, and the briefing it made
            store.start_run("briefing:daily", now)
            trigger = schedule_trigger(settings.schedules["daily"], settings.tz)
            period = scheduled_period(trigger, None, now, store.schedule_started("daily"))
        generate_briefing(settings, period, now=now, schedule="daily")

        for _ in range(2):  # restarted twice: one digest, no new briefing
            service, runs = started(settings)
            try:
                wait_for(lambda: len(server.handler.received) == 1, 20, "the digest")
                nothing_more_runs(service, runs)
            finally:
                service.stop()
        assert len(briefings(settings)) == 1 and len(server.handler.received) == 1
        assert [s for s, _ in rows(settings, "SELECT status, job FROM runs WHERE job = 'digest:daily'")] == ["ok"]


def test_stopping_and_restarting_the_service_keeps_the_briefing_latest_html_shows(
    project: Path, clock: time_machine.Coordinates, seed_copy: Path
) -> None:
    """Issue 17: at SIGTERM, latest.html became an empty live view ("Nothing to report") beside latest.pdf.

    The live view is live.html now; latest.html is only ever the briefing, and a stop rewrites neither.
    """
    settings = service_settings(project, schedules={"daily": {"cron": "0 7 * * *"}}, **{"service.quiet_seconds": 0.3})
    latest = project / "reports" / "latest.html"
    live = project / "reports" / "live.html"
    service, runs = started(settings)
    try:
        wait_for(lambda: len(first_seen(settings)) == 1, 20, "the seed to be stored")
        wait_for(lambda: live.exists() and "seeds/000_" in live.read_text("utf-8"), 20, "the live view")
        clock.move_to(london(2024, 3, 4, 7, 0, 1))
        service.scheduler.wakeup()
        runs.wait(1)
        [made] = briefings(settings)
        assert made.articles == 1 and made.html_path is not None
        # The live view starts again after the briefing: nothing has arrived since.
        wait_for(lambda: "seeds/000_" not in live.read_text("utf-8"), 20, "the live view after the briefing")
        live_view = live.read_bytes()
    finally:
        service.stop()  # what SIGTERM does
    briefing_html = Path(made.html_path).read_bytes()
    assert latest.read_bytes() == briefing_html
    assert live.read_bytes() == live_view  # the stop rewrote no page

    clock.move_to(london(2024, 3, 4, 9, 0))
    for _ in range(2):  # a restart shows what was there, and so does the stop after it
        service, runs = started(settings)
        try:
            nothing_more_runs(service, runs)
        finally:
            service.stop()
        assert latest.read_bytes() == briefing_html
        assert b"Nothing to report" not in latest.read_bytes()
        assert "seeds/000_" not in live.read_text("utf-8")  # still the live view since the briefing

    # The live view still follows new articles between briefings; latest.html stays the briefing.
    service, runs = started(settings)
    try:
        (project / "seeds" / "late.txt").write_text(news_text("late arrival"), encoding="utf-8")
        wait_for(lambda: "seeds/late.txt" in live.read_text("utf-8"), 20, "the live view of the new article")
    finally:
        service.stop()
    assert "seeds/late.txt" in live.read_text("utf-8")
    assert latest.read_bytes() == briefing_html


WRAPPER = """
import datetime as dt
import sys

import time_machine

from briefing.cli import main

with time_machine.travel(dt.datetime.fromisoformat(sys.argv[1]), tick=True):
    sys.exit(main(sys.argv[2:]))
"""
"""``briefing`` with its wall clock set to ``argv[1]`` (and ticking from there)."""

CONFIG = """
timezone = "Europe/London"
[service]
quiet_seconds = 0.3
rescan_seconds = 1.0
refresh_seconds = 0.2
[schedules.daily]
cron = "0 7 * * *"
recipients = ["desk@example.org"]
[email]
host = "127.0.0.1"
port = {port}
security = "none"
sender = "briefing@example.org"
retry_delay = 0.05
"""


def test_sigkill_during_the_first_briefing_three_times_then_it_is_made_whole_and_mailed_once(
    project: Path, tmp_path: Path, seed_copy: Path
) -> None:
    script = tmp_path / "at.py"
    script.write_text(WRAPPER, encoding="utf-8")
    env = {name: value for name, value in os.environ.items() if not name.startswith("BRIEFING_")}
    settings_file = project / "briefing.toml"

    def run_at(moment: dt.datetime) -> subprocess.Popen[bytes]:
        with (tmp_path / "service.log").open("ab") as sink:
            process = subprocess.Popen(
                [sys.executable, str(script), moment.astimezone(dt.UTC).isoformat(), "run"],
                cwd=project,
                env=env,
                stdout=sink,
                stderr=sink,
            )
        wait_for(lambda: running_service(project / "reports") is not None, 60, "the service to start")
        return process

    def kill_while_briefing(process: subprocess.Popen[bytes], runs_before: int) -> None:
        wait_for(lambda: len(briefing_runs(settings)) > runs_before, 60, "the briefing to start")
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
        assert briefings(settings) == [], "the kill came too late: the briefing was made"

    with smtp_server() as server:
        settings_file.write_text(CONFIG.format(port=server.port), encoding="utf-8")
        settings = load_settings(settings_file, env={})
        first = run_at(london(2024, 3, 4, 6, 59, 57))  # the service starts 3 s before Monday's 07:00
        wait_for(lambda: len(first_seen(settings)) == 1, 60, "the seed to be stored")
        kill_while_briefing(first, 0)
        # Restarted on Tuesday after its 07:00 (the service manager was slow): killed again, during the catch-up.
        kill_while_briefing(run_at(london(2024, 3, 5, 7, 30)), 1)
        kill_while_briefing(run_at(london(2024, 3, 5, 7, 31)), 2)
        last = run_at(london(2024, 3, 5, 7, 32))
        try:
            wait_for(lambda: len(briefings(settings)) == 1, 60, "the briefing")
            wait_for(lambda: len(server.handler.received) == 1, 30, "its digest")
        finally:
            last.send_signal(signal.SIGTERM)
            assert last.wait(timeout=30) == 0
        [made] = briefings(settings)
        assert made.articles == 1 and made.period.start <= first_seen(settings)[0]  # Monday's article is in it
        assert made.html_path is not None  # and SIGTERM left latest.html showing it (issue 17)
        assert (project / "reports" / "latest.html").read_bytes() == Path(made.html_path).read_bytes()
        assert made.created_at.astimezone(settings.tz).date() == dt.date(2024, 3, 5)
        assert len(server.handler.received) == 1
        statuses = [status for status, _ in briefing_runs(settings)]
        assert statuses == ["interrupted", "interrupted", "interrupted", "ok"]
        log = (tmp_path / "service.log").read_text(encoding="utf-8")
        assert log.count("the daily briefing due 2024-03-04 07:00 GMT was not made (stopped, killed or failed)") == 3
