"""The digest as it arrives: parts, PDF, headers, escaping, subject, attachment limit, skipping, dry run."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import sqlite3
from email import policy
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.cli import main
from briefing.compose.edition import edit
from briefing.config import ScheduleSettings, Settings
from briefing.deliver.digest import DigestOptions, build_digest, subject_line, summarize
from briefing.deliver.send import find_briefing, send_digest
from briefing.model import Briefing, BriefingPoint, CalendarEntry, Period, Story, When
from tests.conftest import BRIEFING_NOW, TRICKY_TITLE
from tests.mailserver import mail_settings, smtp_server


def outbox(project: Path) -> list[sqlite3.Row]:
    with sqlite3.connect(project / ".briefing" / "state.db") as db:
        db.row_factory = sqlite3.Row
        return db.execute("SELECT * FROM outbox ORDER BY id").fetchall()


def test_digest_arrives_with_text_html_and_pdf_and_the_right_headers(briefed_project: Path) -> None:
    recipients = ["desk@example.org", "head@example.org"]
    with smtp_server() as server:
        settings = mail_settings(briefed_project, server, report_url="https://intranet.example.org/briefings")
        record = find_briefing(settings, dt.date(2022, 2, 18))
        assert record is not None
        result = send_digest(settings, record, recipients)
        received = list(server.handler.received)

    assert [d.status for d in result.deliveries] == ["sent", "sent"]
    assert len(received) == 2
    rows = {row["recipient"]: row for row in outbox(briefed_project)}
    message_ids = set()
    for recipient, delivery in zip(recipients, received, strict=True):
        # The envelope: our sender, exactly one recipient per message (nobody sees the others).
        assert delivery.mail_from == "briefing@example.org"
        assert delivery.rcpt_tos == (recipient,)
        message = delivery.message

        # Headers.
        assert message["Subject"] == "Briefing 2022-02-18: 3 new stories, 3 upcoming events"
        assert message["From"] == "Briefing <briefing@example.org>"
        assert message["To"] == recipient
        assert message["Cc"] is None and message["Bcc"] is None
        assert message["Auto-Submitted"] == "auto-generated"
        sent_at = parsedate_to_datetime(message["Date"])
        assert sent_at.tzinfo is not None
        assert abs((dt.datetime.now(dt.UTC) - sent_at).total_seconds()) < 120
        assert re.fullmatch(r"<briefing\.\d+\.[0-9a-f]{20}@example\.org>", message["Message-ID"])
        assert message["Message-ID"] == rows[recipient]["message_id"]  # the stored one, made once
        message_ids.add(message["Message-ID"])
        for name in ("Subject", "From", "To", "Date", "Message-ID"):
            assert len(message.get_all(name)) == 1

        # Structure: mixed(alternative(text, html), pdf).
        assert message.get_content_type() == "multipart/mixed"
        assert [part.get_content_type() for part in message.walk()] == [
            "multipart/mixed",
            "multipart/alternative",
            "text/plain",
            "text/html",
            "application/pdf",
        ]
        assert all(byte < 128 for byte in delivery.data)  # 7-bit clean: no 8BITMIME needed

        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        pdf_part = next(part for part in message.iter_attachments() if part.get_content_type() == "application/pdf")
        assert pdf_part.get_filename() == "briefing-2022-02-18-0700.pdf"
        pdf = PdfReader(io.BytesIO(pdf_part.get_content()))
        pdf_text = " ".join("".join(page.extract_text() for page in pdf.pages).split())
        assert "Officials in the port city announced a new plan for the harbour on Monday." in pdf_text

        # Content: the bottom line, every story's key points, events, the report link; escaped only in HTML.
        for part in (text, html):
            assert "Bottom line" in part or "BOTTOM LINE" in part
            assert "Upcoming events" in part or "UPCOMING EVENTS" in part
            assert "https://intranet.example.org/briefings/2022-02-18/briefing-0700.html" in part
        assert TRICKY_TITLE in text
        assert "AT&amp;T &lt;b&gt;deal&lt;/b&gt; &amp; &#34;quotes&#34;" in html
        assert "<b>deal</b>" not in html
        assert "&amp;" not in text and "&lt;" not in text
        assert "The council will vote on the final harbour budget next month." in " ".join(text.split())
        assert "The council will vote on the final harbour budget next month." in html
        assert "attached as a PDF" in text
    assert len(message_ids) == 2  # one Message-ID per recipient


def story(title: str, is_new: bool = True, article: str = "a1") -> Story:
    return Story(
        title=title,
        date=dt.date(2022, 2, 17),
        points=(BriefingPoint(f"{title} happened.", 1.0, article, is_new),),
        article_ids=(article,),
        is_new=is_new,
    )


def event(title: str, start: str, status: str = "upcoming", article: str = "a1") -> CalendarEntry:
    return CalendarEntry(title, When(start), None, status, 20, ("Herzog",), (article,))  # type: ignore[arg-type]


def a_briefing(stories: tuple[Story, ...], calendar: tuple[CalendarEntry, ...] = ()) -> Briefing:
    created = dt.datetime(2022, 2, 17, 7, 0, tzinfo=dt.UTC)
    briefing = Briefing(
        created_at=created,
        period=Period(created - dt.timedelta(days=1), created),
        stories=stories,
        sources=(),
        failures=(),
        calendar=calendar,
    )
    return edit(briefing)  # compose's choices: the stories shown, the bottom line


def test_subject_says_the_date_and_what_is_new() -> None:
    briefing = a_briefing(
        (story("Visit", article="a1"), story("Talks", article="a2"), story("Deal", article="a3"), story("Old", False)),
        (event("Herzog visits Ankara", "2022-03-09", article="a1"), event("Summit", "2022-01-01", "past")),
    )
    assert subject_line("Briefing", dt.date(2022, 2, 17), summarize(briefing)) == (
        "Briefing 2022-02-17: 3 new stories, 1 upcoming event"
    )
    quiet = a_briefing((story("Old", False),))
    assert summarize(quiet).nothing_new
    assert subject_line("Daily", dt.date(2022, 2, 17), summarize(quiet)) == "Daily 2022-02-17: nothing new"

    digest = build_digest(briefing, None, DigestOptions(sender="b@example.org"), BRIEFING_NOW)
    text = digest.message.get_body(("plain",)).get_content()
    html = digest.message.get_body(("html",)).get_content()
    assert "Wed 9 Mar 2022 (in 20 days): Herzog visits Ankara" in text
    assert "Summit" not in text  # past events are not upcoming
    assert "Herzog visits Ankara" in html and "in 20 days" in html
    assert "1 earlier story also in the report." in text
    assert "The PDF could not be made" in text  # no PDF: said, not silently missing
    assert [p.get_content_type() for p in digest.message.walk()] == [
        "multipart/alternative",
        "text/plain",
        "text/html",
    ]


def test_a_pdf_over_the_size_limit_is_left_out_and_the_mail_says_so(briefed_project: Path) -> None:
    with smtp_server() as server:
        settings = mail_settings(briefed_project, server, max_attachment_mb=0.001)
        record = find_briefing(settings)
        assert record is not None
        result = send_digest(settings, record, ["desk@example.org"])
        [delivery] = server.handler.received
    message = delivery.message
    assert "application/pdf" not in [part.get_content_type() for part in message.walk()]
    text = message.get_body(("plain",)).get_content()
    assert "The PDF is not attached" in text and "limit" in text
    assert "not attached" in message.get_body(("html",)).get_content()
    assert result.note and "PDF not attached" in result.note


def test_nothing_new_skips_the_scheduled_digest_but_not_an_explicit_send(briefed_project: Path) -> None:
    briefing = a_briefing((story("Old", is_new=False),))
    with smtp_server() as server:
        settings = mail_settings(briefed_project, server)
        record = find_briefing(settings)
        assert record is not None
        skipped = send_digest(settings, record, ["desk@example.org"], briefing=briefing)
        assert skipped.skipped and "nothing new" in skipped.skipped
        assert server.handler.received == [] and outbox(briefed_project) == []
        sent = send_digest(settings, record, ["desk@example.org"], skip_if_nothing_new=False)
        assert sent.skipped is None and len(server.handler.received) == 1
        assert server.handler.received[0].message["Subject"] == "Briefing 2022-02-17: nothing new"


def test_dry_run_writes_an_eml_and_sends_nothing(
    briefed_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(briefed_project)
    monkeypatch.setenv("BRIEFING_TIMEZONE", "Europe/London")
    out = briefed_project / "preview"
    status = main(["send", "--briefing", "2022-02-18", "--to", "me@example.org", "--dry-run", "--output", str(out)])
    assert status == 0
    [eml] = sorted(out.glob("*.eml"))
    assert str(eml) in capsys.readouterr().out
    message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    assert message["To"] == "me@example.org"
    assert message["Subject"] == "Briefing 2022-02-18: 3 new stories, 3 upcoming events"
    assert message["Message-ID"] and message["Date"]
    assert "application/pdf" in [part.get_content_type() for part in message.walk()]
    assert outbox(briefed_project) == []  # nothing queued, nothing sent
    with sqlite3.connect(briefed_project / ".briefing" / "state.db") as db:
        assert db.execute("SELECT COUNT(*) FROM digests").fetchone()[0] == 0


def test_a_scheduled_briefing_is_mailed_to_its_recipients_and_a_quiet_one_is_skipped(briefed_project: Path) -> None:
    from briefing.deliver.send import SendResult
    from briefing.pipeline import GenerateResult, generate_briefing
    from briefing.store import Store

    def send_scheduled_digest(settings: Settings, result: GenerateResult, schedule: str) -> SendResult | None:
        """What the service does after a scheduled briefing: its digest to the schedule's recipients, if any."""
        recipients = settings.schedules[schedule].recipients if schedule in settings.schedules else []
        if not recipients or result.briefing_id is None:
            return None
        with Store(settings.state_path) as store:
            record = store.briefing(result.briefing_id)
        assert record is not None
        return send_digest(settings, record, recipients, briefing=result.briefing, wait=False)

    with smtp_server() as server:
        settings = mail_settings(briefed_project, server).model_copy(
            update={
                "schedules": {
                    "daily": ScheduleSettings(cron="0 7 * * *", recipients=["desk@example.org", "boss@example.org"])
                }
            }
        )
        period = Period(BRIEFING_NOW - dt.timedelta(days=3), BRIEFING_NOW + dt.timedelta(minutes=1))
        result = generate_briefing(settings, period, now=BRIEFING_NOW + dt.timedelta(minutes=1), schedule="daily")
        sent = send_scheduled_digest(settings, result, "daily")
        assert sent is not None and [d.status for d in sent.deliveries] == ["sent", "sent"]
        html = server.handler.received[0].message.get_body(("html",)).get_content()
        assert "Daily intelligence briefing" in html and "recipients of the daily briefing" in html

        # The next morning nothing arrived: the briefing is made, the digest is not sent.
        quiet_period = Period(period.end, period.end + dt.timedelta(days=1))
        quiet = generate_briefing(settings, quiet_period, now=quiet_period.end, schedule="daily")
        skipped = send_scheduled_digest(settings, quiet, "daily")
        assert skipped is not None and skipped.skipped
        assert len(server.handler.received) == 2
        assert send_scheduled_digest(settings, quiet, "weekly") is None  # no recipients: nothing to do


def test_send_command_help_and_exit_codes(
    briefed_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(briefed_project)
    for name in [n for n in os.environ if n.startswith("BRIEFING_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("BRIEFING_TIMEZONE", "Europe/London")
    with pytest.raises(SystemExit) as exit_:
        main(["send", "--help"])
    assert exit_.value.code == 0
    assert "--dry-run" in capsys.readouterr().out
    assert main(["send"]) == 2  # an on-demand briefing has no schedule, so no recipients
    assert "no recipients" in capsys.readouterr().err
    assert main(["send", "--briefing", "2021-01-01", "--to", "a@example.org"]) == 1
    assert "no briefing made on 2021-01-01" in capsys.readouterr().err
    monkeypatch.setenv("BRIEFING_EMAIL__USERNAME", "bot")
    assert main(["send", "--to", "a@example.org"]) == 2  # a login without its password variable
    assert "BRIEFING_SMTP_PASSWORD" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["send", "--briefing", "18/02/2022"])
    assert exit_.value.code == 2


def test_the_digest_says_dates_in_words_sorted_by_the_day_they_start() -> None:
    """Raw TIMEX3 values ("2022-W11", "2022-SU") sort wrongly as text and mean nothing to a reader."""
    calendar = (
        event("Harbour festival", "2022-SU", article="a1"),
        event("Council weekend retreat", "2022-W10-WE", article="a1"),
        event("Budget week", "2022-W11", article="a1"),
        event("Vote on the bridge", "2022-03-09T16:00Z", article="a1"),
        event("Trade fair", "2022-03", article="a1"),
    )
    briefing = a_briefing((story("Visit", article="a1"),), calendar)
    digest = build_digest(briefing, None, DigestOptions(sender="b@example.org"), BRIEFING_NOW)
    text = " ".join(digest.message.get_body(("plain",)).get_content().split())
    html = digest.message.get_body(("html",)).get_content()
    for raw in ("2022-SU", "2022-W10-WE", "2022-W11", "2022-03-09T16:00Z", "2022-03 "):
        assert raw not in text and raw not in html
    shown = [
        "March 2022",
        "Wed 9 Mar 2022, 16:00 UTC",
        "weekend of 12–13 Mar 2022",
        "week of 14 Mar 2022",
        "summer 2022",
    ]
    for label in shown:
        assert label in text and label in html
    assert [text.index(label) for label in shown] == sorted(text.index(label) for label in shown)


def test_a_long_digest_shows_the_first_stories_and_counts_the_rest() -> None:
    briefing = a_briefing(tuple(story(f"Story {n}", article=f"a{n}") for n in range(5)))
    digest = build_digest(briefing, None, DigestOptions(sender="b@example.org", max_stories=2), BRIEFING_NOW)
    text = digest.message.get_body(("plain",)).get_content()
    listed = text.split("NEW STORIES")[1]
    assert "Story 0" in listed and "Story 1" in listed and "Story 4 happened." not in listed
    assert "3 more new stories in the full report." in text
    assert "BOTTOM LINE" in text and "Story 2 happened. (Story 2)" in text  # the briefing's bottom line, whole
