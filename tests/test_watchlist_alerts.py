"""Watchlist alerts under ``briefing run``: a real SMTP server (aiosmtpd) and a real webhook receiver
(``http.server``) on 127.0.0.1, real files dropped into ``seeds/``, the real service and store.

Each alert is delivered once per article and watchlist, within seconds, and once only across a
restart, also one that kills a real ``briefing run`` between claiming the alert and sending it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from briefing.config import Settings, load_settings
from briefing.service import Service
from briefing.service.lock import running_service
from tests.mailserver import MailServer, smtp_server
from tests.test_service import rows, service_settings, wait_for
from tests.webhookserver import Receiver, webhook_receiver

MATCHING = """Title: {title}
Date: 2022-02-16

Officials in the port city said on Monday that Globex Inc. won the harbour contract worth 40 million euros.
Jane Doe, the chief executive of Globex, said the work would start in the spring and last two years.
The company will hold a meeting with the city council on March 3 to sign the deal.
Natural gas terminals are part of the plan, the council said.
"""

OTHER = """Title: School budget approved
Date: 2022-02-16

The council approved the school budget on Tuesday after a long debate.
Teachers welcomed the decision, and the mayor said new classrooms would open next year.
"""

HOSTILE_TITLE = '<script>alert(1)</script> Globex & "quotes" <img src=x onerror=alert(2)>'


def alert_settings(project: Path, mail: MailServer, hook: Receiver, **overrides: Any) -> Settings:
    return service_settings(
        project,
        **{
            "service.quiet_seconds": 0.3,
            "email.host": "127.0.0.1",
            "email.port": mail.port,
            "email.security": "none",
            "email.sender": "briefing@example.org",
            "email.retry_delay": 0.1,
            "email.retry_max_delay": 0.2,
            "email.timeout": 5,
        },
        watchlists={
            "harbour deals": {
                "actors": ["Jane Doe", "Initech"],
                "keywords": ["natural gas"],
                "recipients": ["desk@example.org"],
                "webhook": hook.url,
            },
            "schools": {"keywords": ["zebra crossing"], "recipients": ["schools@example.org"]},
        },
        **overrides,
    )


def drop(project: Path, name: str, text: str) -> None:
    part = project / "seeds" / f"{name}.part"
    part.write_text(text, encoding="utf-8")
    part.rename(project / "seeds" / name)


def outbox(settings: Settings) -> list[tuple[Any, ...]]:
    return rows(settings, "SELECT channel, recipient, status, claimed_by FROM outbox WHERE alert_id IS NOT NULL")


def test_a_matching_article_is_alerted_once_by_email_and_webhook_within_seconds(project: Path) -> None:
    with smtp_server() as mail, webhook_receiver() as hook:
        settings = alert_settings(project, mail, hook)
        with Service(settings):
            time.sleep(0.5)
            dropped = time.monotonic()
            drop(project, "globex.txt", MATCHING.format(title="Globex wins harbour contract"))
            drop(project, "school.txt", OTHER)
            wait_for(lambda: len(hook.posts) == 1 and len(mail.handler.received) == 1, 20, "the alert")
            took = time.monotonic() - dropped
            wait_for(lambda: rows(settings, "SELECT COUNT(*) FROM alert_checks")[0][0] == 2, 10, "both checked")
            time.sleep(1.5)  # more looks: nothing more is sent
        with Service(settings):  # a restart sends nothing again
            time.sleep(2.0)
    print(f"alert delivered {took:.2f} s after the file landed (quiet period 0.3 s)")
    assert took < 5.0, f"the alert took {took:.1f} s"
    [post] = hook.posts
    assert post.path == "/hooks/briefing" and post.headers["content-type"].startswith("application/json")
    body = post.json
    assert body["watchlist"] == "harbour deals"
    assert body["matched"] == {"actors": ["Jane Doe"], "keywords": ["natural gas"]}
    assert body["article"]["title"] == "Globex wins harbour contract" and body["article"]["date"] == "2022-02-16"
    assert body["id"] == f"{body['article']['id']}:harbour deals"
    assert any("Jane Doe" in point for point in body["article"]["key_points"])
    [received] = mail.handler.received
    assert received.rcpt_tos == ("desk@example.org",)
    message = received.message
    assert message["Subject"] == "Briefing alert: harbour deals: Globex wins harbour contract"
    assert "Jane Doe" in message.get_body(preferencelist=("plain",)).get_content()
    assert [(c, s) for c, _, s, _ in outbox(settings)] == [("email", "sent"), ("webhook", "sent")]
    assert rows(settings, "SELECT COUNT(*) FROM alerts")[0][0] == 1


def test_article_text_in_an_alert_is_escaped_in_the_email_and_the_json(project: Path) -> None:
    with smtp_server() as mail, webhook_receiver() as hook:
        settings = alert_settings(project, mail, hook)
        with Service(settings):
            drop(project, "hostile.txt", MATCHING.format(title=HOSTILE_TITLE))
            wait_for(lambda: len(hook.posts) == 1 and len(mail.handler.received) == 1, 20, "the alert")
    raw = hook.posts[0].body
    assert b"<" not in raw and b">" not in raw and b"&" not in raw  # inert in any page that shows it
    assert json.loads(raw)["article"]["title"] == HOSTILE_TITLE  # yet the same text once decoded
    message = BytesParser(policy=policy.default).parsebytes(mail.handler.received[0].data)
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;" in html
    assert message["Subject"] == f"Briefing alert: harbour deals: {HOSTILE_TITLE}"  # a header is text, not markup


def test_a_busy_webhook_is_tried_again_and_a_307_is_followed_but_a_redirect_to_a_file_is_not(project: Path) -> None:
    with smtp_server() as mail, webhook_receiver() as hook:
        hook.replies = [(503, {}), (307, {"Location": "/hooks/moved"}), (204, {})]
        settings = alert_settings(project, mail, hook)
        with Service(settings):
            drop(project, "globex.txt", MATCHING.format(title="Globex wins harbour contract"))
            wait_for(lambda: len(hook.posts) == 3, 20, "a retry and a redirect")
            time.sleep(1.0)
        assert [p.path for p in hook.posts] == ["/hooks/briefing", "/hooks/briefing", "/hooks/moved"]
        assert hook.posts[0].body == hook.posts[2].body  # the very same alert each time
        assert [(c, s) for c, _, s, _ in outbox(settings)] == [("email", "sent"), ("webhook", "sent")]

    with smtp_server() as mail, webhook_receiver() as hook:
        hook.replies = [(307, {"Location": "file:///etc/passwd"}), (302, {"Location": "/elsewhere"})]
        other = project.parent / "second"
        (other / "seeds").mkdir(parents=True)
        (other / "reports").mkdir()
        settings = alert_settings(other, mail, hook)
        with Service(settings):
            drop(other, "globex.txt", MATCHING.format(title="Globex wins harbour contract"))
            wait_for(lambda: [s for c, _, s, _ in outbox(settings) if c == "webhook"] == ["failed"], 20, "refusal")
            time.sleep(0.5)
        assert len(hook.posts) == 1  # the file: address was never followed, nor tried again
        [error] = rows(settings, "SELECT last_error FROM outbox WHERE channel = 'webhook'")
        assert "non-http(s)" in error[0]


CONFIG = """
timezone = "Europe/London"
[service]
quiet_seconds = 0.3
rescan_seconds = 2
[schedules.daily]
cron = "0 7 * * *"
[email]
host = "127.0.0.1"
port = {port}
security = "none"
sender = "briefing@example.org"
retry_delay = 0.1
[watchlists.energy]
keywords = ["natural gas"]
recipients = ["desk@example.org"]
webhook = "{url}"
"""


def test_killed_between_claiming_an_alert_and_sending_it_the_restart_delivers_it_once(project: Path) -> None:
    """A real ``briefing run`` is SIGKILLed with the alert's rows claimed and nothing sent; the next run sends
    each once (the dead claim is recovered), and a third run sends nothing."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFING_", "TEST_BRIEFING_"))}
    log = project / "service.log"

    def run(**extra: str) -> subprocess.Popen[bytes]:
        with log.open("ab") as sink:
            process = subprocess.Popen(
                [sys.executable, "-m", "briefing", "run"], cwd=project, env={**env, **extra}, stdout=sink, stderr=sink
            )
        wait_for(lambda: running_service(project / "reports") is not None, 60, "the service to start")
        return process

    with smtp_server() as mail, webhook_receiver() as hook:
        (project / "briefing.toml").write_text(CONFIG.format(port=mail.port, url=hook.url), encoding="utf-8")
        settings = load_settings(project / "briefing.toml", env={})
        first = run(TEST_BRIEFING_PAUSE_BEFORE_SEND="1")
        time.sleep(1.0)
        drop(project, "gas.txt", MATCHING.format(title="Gas terminal for the harbour"))
        wait_for(lambda: "paused with outbox rows claimed" in log.read_text(), 60, "the claim")
        first.send_signal(signal.SIGKILL)
        assert first.wait(timeout=30) == -signal.SIGKILL
        claimed = outbox(settings)
        assert sorted((c, s) for c, _, s, _ in claimed) == [("email", "pending"), ("webhook", "pending")]
        assert any(owner for *_, owner in claimed)  # held by the dead process
        assert hook.posts == [] and mail.handler.received == []

        second = run()
        try:
            wait_for(lambda: len(hook.posts) == 1 and len(mail.handler.received) == 1, 30, "the alert")
        finally:
            second.send_signal(signal.SIGTERM)
            assert second.wait(timeout=30) == 0
        third = run()
        time.sleep(3.0)
        third.send_signal(signal.SIGTERM)
        assert third.wait(timeout=30) == 0
        assert len(hook.posts) == 1 and len(mail.handler.received) == 1
        assert sorted((c, s, o) for c, _, s, o in outbox(settings)) == [
            ("email", "sent", None),
            ("webhook", "sent", None),
        ]


def test_killed_while_the_receiver_holds_the_post_it_is_not_posted_again(project: Path) -> None:
    """The worst moment: the POST went out whole, the receiver has it, the service dies before the reply."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFING_", "TEST_BRIEFING_"))}
    with smtp_server() as mail, webhook_receiver() as hook:
        hook.hold = threading.Event()
        (project / "briefing.toml").write_text(CONFIG.format(port=mail.port, url=hook.url), encoding="utf-8")
        settings = load_settings(project / "briefing.toml", env={})
        first = subprocess.Popen(
            [sys.executable, "-m", "briefing", "run"], cwd=project, env=env, stderr=subprocess.DEVNULL
        )
        wait_for(lambda: running_service(project / "reports") is not None, 60, "the service to start")
        drop(project, "gas.txt", MATCHING.format(title="Gas terminal for the harbour"))
        wait_for(hook.seen.is_set, 60, "the POST")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        hook.hold.set()
        with Service(settings):
            wait_for(lambda: len(mail.handler.received) == 1, 30, "the e-mail alert")
            time.sleep(1.0)
    assert len(hook.posts) == 1
    [(status, maybe, error)] = rows(
        settings, "SELECT status, maybe_delivered, last_error FROM outbox WHERE channel = 'webhook'"
    )
    assert (status, maybe) == ("failed", 1) and "may have arrived" in error


def test_the_archive_raises_no_alert_and_each_new_article_raises_one_per_watchlist(project: Path) -> None:
    """The jobs the service runs, called by hand: stored before the first check, no alert; after, one."""
    from briefing.pipeline import ingest_folder
    from briefing.watchlists.alerting import deliver_alerts, raise_alerts

    with smtp_server() as mail, webhook_receiver() as hook:
        settings = alert_settings(project, mail, hook)
        drop(project, "old.txt", MATCHING.format(title="Globex wins an older contract") + "It was the first one.\n")
        ingest_folder(settings)
        assert raise_alerts(settings) == 0  # the first check starts from now: the archive is not alerted on
        drop(project, "new.txt", MATCHING.format(title="Globex wins harbour contract"))
        drop(project, "school.txt", OTHER)
        ingest_folder(settings)
        assert raise_alerts(settings) == 1
        assert raise_alerts(settings) == 0  # checked once
        stats = deliver_alerts(settings)
        assert (stats.sent, stats.failed) == (2, 0)
        assert deliver_alerts(settings).sent == 0
    assert [p.json["article"]["title"] for p in hook.posts] == ["Globex wins harbour contract"]
    assert [r.rcpt_tos for r in mail.handler.received] == [("desk@example.org",)]
