"""The service's e-mail outbox: retried when ``email.retry_delay`` says, also for mail ``briefing send`` queued.

A real aiosmtpd server that answers 451 (greylisting) first, the real service and
scheduler under the time-machine clock of ``test_service_schedule``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import time_machine

from briefing.cli import main
from briefing.pipeline import generate_briefing
from briefing.service.jobs import OUTBOX_JOB, OUTBOX_SECONDS
from tests.mailserver import smtp_server
from tests.test_service import rows, service_settings, wait_for
from tests.test_service_schedule import clock, london, started

__all__ = ["clock"]  # the time-machine fixture, shared with the schedule tests

GREYLISTED = "451 4.7.1 Greylisted, try again later"


def outbox(project: Path) -> list[tuple[str, int]]:
    return rows(service_settings(project), "SELECT status, attempts FROM outbox ORDER BY id")


def test_a_deferred_digest_is_retried_after_retry_delay_not_a_minute_later(
    project: Path, clock: time_machine.Coordinates, seed_copy: Path
) -> None:
    with smtp_server() as server:
        server.handler.rcpt_replies["desk@example.org"] = [GREYLISTED]
        settings = service_settings(
            project,
            schedules={"daily": {"cron": "0 7 * * *", "recipients": ["desk@example.org"]}},
            **{
                "email.host": "127.0.0.1",
                "email.port": server.port,
                "email.security": "none",
                "email.sender": "briefing@example.org",
                "email.retry_delay": 5,
            },
        )
        service, runs = started(settings)
        try:
            wait_for(lambda: rows(settings, "SELECT COUNT(*) FROM articles")[0][0] == 1, 20, "the seed to be stored")
            clock.move_to(london(2024, 3, 4, 7, 0, 1))
            runs.wait(1)
            wait_for(lambda: outbox(project) == [("pending", 1)], 20, "the greylisted attempt")
            assert server.handler.received == []

            clock.shift(7)  # past the 5 s retry delay, well before a minute
            service.scheduler.wakeup()
            wait_for(lambda: len(server.handler.received) == 1, 10, "the retry, 5 s after the first attempt")
            assert outbox(project) == [("sent", 2)]
            wait_for(lambda: service.scheduler.get_job(OUTBOX_JOB) is None, 10, "the outbox job to end, empty")
        finally:
            service.stop()


def test_mail_queued_by_send_no_wait_is_retried_by_the_service_without_any_recipients_configured(
    project: Path,
    clock: time_machine.Coordinates,
    seed_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with smtp_server() as server:
        server.handler.rcpt_replies["reader@example.org"] = [GREYLISTED]
        (project / "briefing.toml").write_text(
            'timezone = "Europe/London"\n[email]\nhost = "127.0.0.1"\n'
            f'port = {server.port}\nsecurity = "none"\nsender = "briefing@example.org"\nretry_delay = 5\n',
            encoding="utf-8",
        )
        monkeypatch.chdir(project)
        settings = service_settings(
            project,
            schedules={"daily": {"cron": "0 7 * * *"}},  # no schedule has recipients
            **{
                "email.host": "127.0.0.1",
                "email.port": server.port,
                "email.security": "none",
                "email.sender": "briefing@example.org",
            },
        )
        generate_briefing(settings)
        service, _ = started(settings)
        try:
            assert main(["send", "--no-wait", "--to", "reader@example.org"]) == 0
            capsys.readouterr()
            assert outbox(project) == [("pending", 1)] and server.handler.received == []

            clock.shift(OUTBOX_SECONDS + 1)  # the service looks into the outbox at least this often
            service.scheduler.wakeup()
            wait_for(lambda: len(server.handler.received) == 1, 15, "the service to retry the queued mail")
            assert server.handler.received[0].rcpt_tos == ("reader@example.org",)
            assert outbox(project) == [("sent", 2)]
        finally:
            service.stop()
