"""TLS and login: nothing secret leaves before the server is trusted, and the password is never written down."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from briefing.config import ConfigError, load_settings
from briefing.deliver.send import DeliveryConfigError, find_briefing, send_digest
from briefing.store import BriefingRecord
from tests.mailserver import ThrowawayCA, mail_settings, make_test_ca, smtp_server

PASSWORD = "s3cret-Pa55word-for-tests"
LOGIN = "briefing-bot"


@pytest.fixture(scope="module")
def test_ca(tmp_path_factory: pytest.TempPathFactory) -> ThrowawayCA:
    return make_test_ca(tmp_path_factory.mktemp("ca"))


@pytest.fixture
def password_env(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("BRIEFING_SMTP_PASSWORD", PASSWORD)
    return PASSWORD


def record_of(project: Path) -> BriefingRecord:
    record = find_briefing(mail_settings(project))
    assert record is not None
    return record


def state_dump(project: Path) -> str:
    with sqlite3.connect(project / ".briefing" / "state.db") as db:
        return "\n".join(
            str(tuple(row)) for table in ("outbox", "digests") for row in db.execute(f"SELECT * FROM {table}")
        )


def test_starttls_with_an_untrusted_certificate_fails_before_auth(
    briefed_project: Path, test_ca: ThrowawayCA, password_env: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with smtp_server(tls=test_ca, credentials=(LOGIN, PASSWORD)) as server:
        settings = mail_settings(briefed_project, server, security="starttls", username=LOGIN)
        result = send_digest(settings, record_of(briefed_project), ["desk@example.org"])
        assert server.handler.auth_attempts == []  # no credentials left the client
        assert server.handler.rcpt_attempts == [] and server.handler.received == []
    [row] = result.deliveries
    assert row.status == "failed" and row.attempts == 1  # a trust problem needs a fix, not retries
    assert "not trusted" in (row.last_error or "") and "email.ca_file" in (row.last_error or "")
    assert PASSWORD not in caplog.text and PASSWORD not in state_dump(briefed_project)


def test_starttls_with_the_test_ca_configured_succeeds_and_logs_in(
    briefed_project: Path, test_ca: ThrowawayCA, password_env: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with smtp_server(tls=test_ca, credentials=(LOGIN, PASSWORD)) as server:
        settings = mail_settings(
            briefed_project, server, security="starttls", username=LOGIN, ca_file=str(test_ca.ca_file)
        )
        result = send_digest(settings, record_of(briefed_project), ["desk@example.org"])
        assert server.handler.auth_attempts == [(LOGIN, PASSWORD)]
        assert [r.rcpt_tos for r in server.handler.received] == [("desk@example.org",)]
    assert [d.status for d in result.deliveries] == ["sent"]
    assert PASSWORD not in caplog.text and PASSWORD not in state_dump(briefed_project)
    assert PASSWORD not in repr(settings) and PASSWORD not in repr(settings.email)


def test_implicit_tls_verifies_the_certificate_too(briefed_project: Path, test_ca: ThrowawayCA) -> None:
    with smtp_server(tls=test_ca, implicit_tls=True) as server:
        untrusted = send_digest(
            mail_settings(briefed_project, server, security="tls"), record_of(briefed_project), ["a@example.org"]
        )
        assert untrusted.deliveries[0].status == "failed" and server.handler.received == []
        trusted = send_digest(
            mail_settings(briefed_project, server, security="tls", ca_file=str(test_ca.ca_file)),
            record_of(briefed_project),
            ["b@example.org"],
        )
        assert trusted.deliveries[0].status == "sent"
        assert [r.rcpt_tos for r in server.handler.received] == [("b@example.org",)]


def test_a_server_without_starttls_is_refused_rather_than_used_in_clear_text(
    briefed_project: Path, password_env: str
) -> None:
    with smtp_server() as server:  # plain SMTP only
        settings = mail_settings(briefed_project, server, security="starttls", username=LOGIN)
        result = send_digest(settings, record_of(briefed_project), ["desk@example.org"])
        assert server.handler.auth_attempts == [] and server.handler.received == []
    assert "does not offer STARTTLS" in (result.deliveries[0].last_error or "")


def test_the_password_comes_only_from_the_environment(tmp_path: Path, briefed_project: Path) -> None:
    config = tmp_path / "briefing.toml"
    config.write_text('[email]\nusername = "bot"\npassword = "hunter2"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="password_env") as caught:
        load_settings(config, env={})
    assert "hunter2" not in str(caught.value)
    # The password variable (default or renamed) is not mistaken for an unknown setting.
    config.write_text('[email]\nusername = "bot"\npassword_env = "BRIEFING_MAIL_SECRET"\n', encoding="utf-8")
    settings = load_settings(config, env={"BRIEFING_MAIL_SECRET": "x", "BRIEFING_SMTP_PASSWORD": "y"})
    assert settings.email.password_env == "BRIEFING_MAIL_SECRET"
    with pytest.raises(ConfigError, match="BRIEFING_EMAIL__PASSWORD"):
        load_settings(env={"BRIEFING_EMAIL__PASSWORD": "hunter2"})
    with pytest.raises(ConfigError, match="clear text"):
        load_settings(env={"BRIEFING_EMAIL__SECURITY": "none", "BRIEFING_EMAIL__USERNAME": "bot"})
    # A login without its password is a settings error before anything is queued.
    settings = mail_settings(briefed_project, None, security="starttls", username=LOGIN)
    with pytest.raises(DeliveryConfigError, match="BRIEFING_SMTP_PASSWORD"):
        send_digest(settings, record_of(briefed_project), ["desk@example.org"])


def test_a_wrong_password_fails_once_without_retries_or_leaks(
    briefed_project: Path, test_ca: ThrowawayCA, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("BRIEFING_SMTP_PASSWORD", "not-the-password")
    with smtp_server(tls=test_ca, credentials=(LOGIN, PASSWORD)) as server:
        settings = mail_settings(
            briefed_project, server, security="starttls", username=LOGIN, ca_file=str(test_ca.ca_file)
        )
        result = send_digest(settings, record_of(briefed_project), ["desk@example.org"])
        # One login (smtplib tries each mechanism the server offers, PLAIN then LOGIN), and no retry.
        assert 1 <= len(server.handler.auth_attempts) <= 2 and server.handler.received == []
    [row] = result.deliveries
    assert (row.status, row.attempts, row.last_code) == ("failed", 1, 535)
    assert "not-the-password" not in caplog.text and "not-the-password" not in state_dump(briefed_project)
