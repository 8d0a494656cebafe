"""Reliable delivery against a real SMTP server: retries, refusals, restarts, header injection, volume."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.config import ConfigError
from briefing.deliver.digest import DigestOptions, build_digest
from briefing.deliver.send import deliver_outbox, find_briefing, send_digest
from briefing.model import Briefing
from briefing.store import BriefingRecord
from tests.conftest import BRIEFING_NOW
from tests.mailserver import MailServer, mail_settings, smtp_server


def outbox(project: Path) -> dict[str, sqlite3.Row]:
    with sqlite3.connect(project / ".briefing" / "state.db") as db:
        db.row_factory = sqlite3.Row
        return {row["recipient"]: row for row in db.execute("SELECT * FROM outbox ORDER BY id")}


def record_of(project: Path) -> BriefingRecord:
    record = find_briefing(mail_settings(project))
    assert record is not None
    return record


def test_451_twice_then_accepted_is_delivered_exactly_once(briefed_project: Path) -> None:
    sleeps: list[float] = []
    with smtp_server() as server:
        server.handler.rcpt_replies["desk@example.org"] = ["451 4.7.1 Greylisted, try again", "451 4.3.0 Busy"]
        settings = mail_settings(briefed_project, server, retry_delay=0.05, retry_max_delay=1)
        result = send_digest(settings, record_of(briefed_project), ["desk@example.org"], sleep=_recording(sleeps))
        assert server.handler.rcpt_attempts == ["desk@example.org"] * 3
        assert len(server.handler.received) == 1
    [row] = outbox(briefed_project).values()
    assert (row["status"], row["attempts"], row["last_code"]) == ("sent", 3, 250)
    assert [d.status for d in result.deliveries] == ["sent"]
    assert sleeps[0] == pytest.approx(0.05, abs=0.03)  # exponential backoff: 0.05 s, then 0.1 s
    assert sleeps[1] == pytest.approx(0.1, abs=0.03)


def test_transient_errors_stop_at_the_cap_and_permanent_ones_are_not_retried(briefed_project: Path) -> None:
    with smtp_server() as server:
        server.handler.rcpt_replies["busy@example.org"] = ["452 4.2.2 Mailbox full"] * 10
        server.handler.rcpt_replies["gone@example.org"] = ["550 5.1.1 No such user"] * 10
        settings = mail_settings(briefed_project, server, max_attempts=3)
        result = send_digest(settings, record_of(briefed_project), ["busy@example.org", "gone@example.org"])
        assert server.handler.rcpt_attempts.count("busy@example.org") == 3
        assert server.handler.rcpt_attempts.count("gone@example.org") == 1
        assert server.handler.received == []
    rows = outbox(briefed_project)
    assert rows["busy@example.org"]["status"] == "failed"
    assert rows["busy@example.org"]["last_error"].startswith("gave up after 3 attempts: RCPT TO: 452 4.2.2")
    assert (rows["gone@example.org"]["attempts"], rows["gone@example.org"]["last_code"]) == (1, 550)
    assert not result.ok


def test_550_for_one_recipient_the_others_get_it_and_the_refusal_is_recorded(
    briefed_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(briefed_project)
    recipients = ["a@example.org", "nobody@example.org", "b@example.org"]
    with smtp_server() as server:
        server.handler.rcpt_replies["nobody@example.org"] = ["550 5.1.1 <nobody@example.org>: user unknown"]
        _cli_env(monkeypatch, server)
        status = main(["send", *(arg for r in recipients for arg in ("--to", r))])
        delivered = [r.rcpt_tos for r in server.handler.received]
    assert status == 1  # one delivery failed
    assert delivered == [("a@example.org",), ("b@example.org",)]
    rows = outbox(briefed_project)
    assert rows["nobody@example.org"]["status"] == "failed"
    assert rows["nobody@example.org"]["last_code"] == 550
    assert "user unknown" in rows["nobody@example.org"]["last_error"]
    assert rows["nobody@example.org"]["attempts"] == 1  # permanent: not retried
    assert {rows[r]["status"] for r in ("a@example.org", "b@example.org")} == {"sent"}
    out = capsys.readouterr().out
    assert "failed        nobody@example.org: RCPT TO: 550 5.1.1" in out
    assert main(["status"]) == 0
    assert "e-mail: 2 sent, 0 pending, 0 sending, 1 failed" in capsys.readouterr().out


def test_sending_again_never_sends_a_second_copy(briefed_project: Path) -> None:
    with smtp_server() as server:
        settings = mail_settings(briefed_project, server)
        record = record_of(briefed_project)
        send_digest(settings, record, ["desk@example.org"])
        again = send_digest(settings, record, ["desk@example.org", "Desk@EXAMPLE.org"], retry_failed=True)
        assert len(server.handler.received) == 1
    assert [d.recipient for d in again.already_sent] == ["desk@example.org"]
    assert again.deliveries == []


def test_restart_in_the_middle_of_retries_sends_no_duplicate(
    briefed_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`briefing send` is killed (SIGKILL) while it waits to retry a 451; the next run finishes the job once."""
    monkeypatch.chdir(briefed_project)
    with smtp_server() as server:
        server.handler.rcpt_replies["desk@example.org"] = ["451 4.7.1 Greylisted", "451 4.7.1 Greylisted"]
        env = _cli_env(monkeypatch, server, retry_delay="1.0")
        first = _spawn(briefed_project, env, "send", "--to", "desk@example.org")
        _wait_for(lambda: len(server.handler.rcpt_attempts) >= 1, first)
        time.sleep(0.3)  # now in its backoff wait
        first.send_signal(signal.SIGKILL)
        first.wait()
        assert server.handler.received == []
        row = outbox(briefed_project)["desk@example.org"]
        assert (row["status"], row["attempts"]) == ("pending", 1)

        monkeypatch.setenv("BRIEFING_EMAIL__RETRY_DELAY", "0.05")
        assert main(["send", "--to", "desk@example.org"]) == 0  # the restarted sender
        assert main(["send", "--to", "desk@example.org"]) == 0  # and once more, for good measure
        assert "already sent  desk@example.org" in capsys.readouterr().out
        assert server.handler.rcpt_attempts == ["desk@example.org"] * 3
        assert len(server.handler.received) == 1
    row = outbox(briefed_project)["desk@example.org"]
    assert (row["status"], row["attempts"], row["claimed_by"]) == ("sent", 3, None)


def test_killed_while_the_server_holds_the_message_it_is_not_sent_twice(
    briefed_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worst moment: the message went out, the server has it, the sender dies before the reply."""
    import threading

    with smtp_server() as server:
        server.handler.hold_data = threading.Event()
        env = _cli_env(monkeypatch, server)
        first = _spawn(briefed_project, env, "send", "--to", "desk@example.org")
        _wait_for(server.handler.data_seen.is_set, first)
        first.send_signal(signal.SIGKILL)
        first.wait()
        server.handler.hold_data.set()
        assert outbox(briefed_project)["desk@example.org"]["status"] == "sending"

        settings = mail_settings(briefed_project, server)
        for _ in range(2):  # the restarted service, then a user insisting with `briefing send`
            result = send_digest(settings, record_of(briefed_project), ["desk@example.org"], retry_failed=True)
            assert [d.status for d in result.deliveries] == ["failed"]
        assert len(server.handler.received) == 1
    row = outbox(briefed_project)["desk@example.org"]
    assert row["status"] == "failed" and row["maybe_delivered"] == 1
    assert "may have arrived" in row["last_error"]


def test_a_refused_connection_is_retried_and_delivered_by_the_outbox_later(briefed_project: Path) -> None:
    settings = mail_settings(briefed_project, None)  # port 9: nothing listens
    result = send_digest(settings, record_of(briefed_project), ["desk@example.org"], wait=False)
    [row] = result.deliveries
    assert row.status == "pending" and row.attempts == 1 and "cannot reach" in (row.last_error or "")
    with smtp_server() as server:
        time.sleep(0.1)  # the retry is due
        stats = deliver_outbox(mail_settings(briefed_project, server))
        assert stats.sent == 1 and len(server.handler.received) == 1
        assert deliver_outbox(mail_settings(briefed_project, server)).sent == 0


def test_cr_lf_in_a_subject_or_address_cannot_add_headers_or_recipients(
    briefed_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    evil = [
        "victim@example.org\r\nBcc: evil@example.org",
        "victim@example.org\nRCPT TO:<evil@example.org>",
        "victim@example.org>\r\nRCPT TO:<evil@example.org",
        "Victim <victim@example.org>, evil@example.org",
    ]
    with smtp_server() as server:
        settings = mail_settings(briefed_project, server)
        result = send_digest(settings, record_of(briefed_project), ["ok@example.org", *evil])
        assert [r.rcpt_tos for r in server.handler.received] == [("ok@example.org",)]
        assert server.handler.rcpt_attempts == ["ok@example.org"]
        message = server.handler.received[0].message
        assert sorted(message.keys()) == sorted(
            ["Subject", "From", "Date", "Auto-Submitted", "MIME-Version", "Content-Type", "To", "Message-ID"]
        )
        refused = {d.recipient: d for d in result.deliveries if d.status == "failed"}
        assert len(refused) == len(evil)
        assert all("not sent" in (d.last_error or "") for d in refused.values())

        # A subject prefix with CR/LF: refused by the settings, and by the email package if settings are bypassed.
        with pytest.raises(ConfigError, match="subject_prefix"):
            mail_settings(briefed_project, server, subject_prefix="Briefing\r\nBcc: evil@example.org")
        bypass = settings.model_copy(
            update={"email": settings.email.model_copy(update={"subject_prefix": "Hi\r\nBcc: evil@example.org"})}
        )
        with pytest.raises(ValueError, match="linefeed or carriage return"):
            send_digest(bypass, _fresh_record(briefed_project), ["ok2@example.org"])
        with pytest.raises(ValueError):
            build_digest(
                _composed(briefed_project),
                None,
                DigestOptions(sender="b@example.org", subject_prefix="X\nBcc: evil@example.org"),
                BRIEFING_NOW,
            )
        # And on the command line: a usage error, nothing sent.
        monkeypatch.chdir(briefed_project)
        _cli_env(monkeypatch, server)
        with pytest.raises(SystemExit) as exit_:
            main(["send", "--to", "a@example.org\r\nBcc: evil@example.org"])
        assert exit_.value.code == 2
        assert "line break" in capsys.readouterr().err
        assert len(server.handler.received) == 1
        assert "evil@example.org" not in server.handler.rcpt_attempts


def test_a_digest_to_fifty_recipients_makes_exactly_fifty_deliveries(briefed_project: Path) -> None:
    recipients = [f"reader{n:02d}@example.org" for n in range(50)]
    with smtp_server() as server:
        settings = mail_settings(briefed_project, server)
        started = time.perf_counter()
        result = send_digest(settings, record_of(briefed_project), recipients)
        elapsed = time.perf_counter() - started
        received = list(server.handler.received)
    assert len(received) == 50
    assert sorted(r.rcpt_tos[0] for r in received) == recipients
    assert all(len(r.rcpt_tos) == 1 for r in received)
    assert len({r.message["Message-ID"] for r in received}) == 50
    assert all(d.status == "sent" for d in result.deliveries)
    print(f"50 digests delivered in {elapsed:.2f} s")


# -- helpers ---------------------------------------------------------------------------------------


def _recording(sleeps: list[float]) -> Callable[[float], None]:
    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        time.sleep(seconds)

    return sleep


def _cli_env(monkeypatch: pytest.MonkeyPatch, server: MailServer, retry_delay: str = "0.05") -> dict[str, str]:
    """BRIEFING_* variables that point the CLI (in-process or a subprocess) at the test server."""
    for name in [n for n in os.environ if n.startswith("BRIEFING_")]:
        monkeypatch.delenv(name)
    values = {
        "BRIEFING_TIMEZONE": "Europe/London",
        "BRIEFING_EMAIL__HOST": server.host,
        "BRIEFING_EMAIL__PORT": str(server.port),
        "BRIEFING_EMAIL__SECURITY": "none",
        "BRIEFING_EMAIL__SENDER": "briefing@example.org",
        "BRIEFING_EMAIL__TIMEOUT": "5",
        "BRIEFING_EMAIL__RETRY_DELAY": retry_delay,
        "BRIEFING_EMAIL__RETRY_MAX_DELAY": "5",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return dict(os.environ)


def _spawn(project: Path, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "briefing", *args],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_for(condition: Callable[[], bool], process: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            raise AssertionError(f"briefing exited early: {process.stdout.read() if process.stdout else ''}")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError("timed out")
        time.sleep(0.02)


def _fresh_record(project: Path) -> BriefingRecord:
    """A second briefing record of the same files, so a new digest is built for it."""
    from briefing.store import Store

    record = record_of(project)
    with Store(project / ".briefing" / "state.db") as store:
        new_id = store.record_briefing(
            record.created_at, record.period, record.articles, record.html_path, record.pdf_path
        )
        fresh = store.briefing(new_id)
    assert fresh is not None
    return fresh


def _composed(project: Path) -> Briefing:
    from briefing.pipeline import collect_and_compose
    from briefing.store import Store

    record = record_of(project)
    with Store(project / ".briefing" / "state.db") as store:
        return collect_and_compose(store, record.period, record.created_at)[1]


def test_rows_held_by_another_live_run_are_not_touched_and_not_waited_for_forever(briefed_project: Path) -> None:
    import datetime as dt
    import socket

    from briefing.deliver.outbox import RetryPolicy, deliver, outbox_rows
    from briefing.store import Store

    now = dt.datetime(2022, 2, 18, 8, 0, tzinfo=dt.UTC)
    clock = [now]
    other = f"{socket.gethostname()}:{os.getppid()}:othertoken"  # our parent process: alive
    with Store(briefed_project / ".briefing" / "state.db") as store:
        [row] = store.enqueue_deliveries(1, outbox_rows(1, "b@example.org", ["desk@example.org"]), now)
        assert store.claim_deliveries(other, now, now + dt.timedelta(hours=1), 10)

        def connect() -> None:
            raise AssertionError("nothing may be sent: the row belongs to the other run")

        def sleep(seconds: float) -> None:
            clock[0] += dt.timedelta(seconds=max(seconds, 30))

        stats = deliver(
            store, connect, "b@example.org", RetryPolicy(), wait_for=[row.id], clock=lambda: clock[0], sleep=sleep
        )  # type: ignore[arg-type]
        assert (stats.sent, stats.failed) == (0, 0)
        assert clock[0] - now > dt.timedelta(minutes=5)  # it waited, then gave up waiting
        [held] = store.deliveries(ids=[row.id])
        assert (held.status, held.claimed_by) == ("pending", other)
