"""A connection that drops in the middle of DATA against one that drops after the final dot.

Only a loss after the whole message and its final ``.`` went out may mean "it may have arrived"
(failed, never resent). A server that stops reading in the middle of the content cannot have the
message: the delivery is retried, as for any lost connection. A real SMTP server on 127.0.0.1
(tests/rawsmtp.py) does the dropping; the digest fits in the socket buffers, so the client's
``sendall`` succeeds and the drop only shows when the reply is read.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefing.deliver.send import find_briefing, send_digest
from tests.mailserver import mail_settings
from tests.rawsmtp import raw_smtp_server


def outbox_row(project: Path) -> sqlite3.Row:
    with sqlite3.connect(project / ".briefing" / "state.db") as db:
        db.row_factory = sqlite3.Row
        [row] = db.execute("SELECT * FROM outbox").fetchall()
        return row


@pytest.mark.parametrize("drop", ["lines", "lines-late"])
def test_a_server_that_aborts_after_20_lines_of_the_message_gets_it_again(briefed_project: Path, drop: str) -> None:
    """``lines``: the server is gone before the final "." would go out; ``lines-late``: it goes while the client
    waits for the reply, having sent the "." into a connection whose reader never reached it."""
    with raw_smtp_server([(drop, 20)]) as server:
        settings = mail_settings(briefed_project, server)  # type: ignore[arg-type]
        record = find_briefing(settings)
        assert record is not None
        result = send_digest(settings, record, ["desk@example.org"])
        assert server.connections == 2
        assert server.content_lines_read[0] == 20  # the first attempt really was cut mid-message
        assert len(server.received) == 1  # the retry delivered it, once
    assert [d.status for d in result.deliveries] == ["sent"]
    row = outbox_row(briefed_project)
    assert (row["status"], row["attempts"], row["maybe_delivered"]) == ("sent", 2, 0)


def test_a_server_that_reads_the_whole_message_and_drops_before_replying_may_have_it(
    briefed_project: Path,
) -> None:
    with raw_smtp_server([("after-dot", 0)]) as server:
        settings = mail_settings(briefed_project, server)  # type: ignore[arg-type]
        record = find_briefing(settings)
        assert record is not None
        result = send_digest(settings, record, ["desk@example.org"])
        assert server.connections == 1  # not sent again: the server may have queued it
        assert server.content_lines_read[0] > 20
    assert [d.status for d in result.deliveries] == ["failed"]
    row = outbox_row(briefed_project)
    assert (row["status"], row["attempts"], row["maybe_delivered"]) == ("failed", 1, 1)
    assert "may have arrived" in row["last_error"]


def test_a_sender_killed_in_the_middle_of_the_content_leaves_the_digest_to_send_again(
    briefed_project: Path,
) -> None:
    """Killed while a large digest is still going out (the server stopped reading after 20 lines): the final "."
    never left, so the next run sends the digest, once, instead of calling it "may have arrived"."""
    pdf = briefed_project / "reports" / "big.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + os.urandom(8 * 1024 * 1024))  # far more than any socket buffer holds
    with sqlite3.connect(briefed_project / ".briefing" / "state.db") as db:
        db.execute("UPDATE briefings SET pdf_path = ?", (str(pdf),))
    with raw_smtp_server([("stall", 20)], rcvbuf=4096) as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
        env.update(
            {
                "BRIEFING_TIMEZONE": "Europe/London",
                "BRIEFING_EMAIL__HOST": server.host,
                "BRIEFING_EMAIL__PORT": str(server.port),
                "BRIEFING_EMAIL__SECURITY": "none",
                "BRIEFING_EMAIL__SENDER": "briefing@example.org",
                "BRIEFING_EMAIL__MAX_ATTACHMENT_MB": "20",
                "BRIEFING_EMAIL__TIMEOUT": "60",
            }
        )
        sender = subprocess.Popen(
            [sys.executable, "-m", "briefing", "send", "--to", "desk@example.org"],
            cwd=briefed_project,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while not server.content_lines_read:
            assert sender.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.5)  # the sender fills the buffers and blocks in the middle of the content
        sender.send_signal(signal.SIGKILL)
        sender.wait()
        server.release.set()
        assert outbox_row(briefed_project)["status"] == "pending"  # not "sending": the end never went out

        settings = mail_settings(briefed_project, server, max_attachment_mb=20)  # type: ignore[arg-type]
        record = find_briefing(settings)
        assert record is not None
        result = send_digest(settings, record, ["desk@example.org"], retry_failed=True)
        assert [d.status for d in result.deliveries] == ["sent"]
        assert len(server.received) == 1 and len(server.received[0]) > 8 * 1024 * 1024
    row = outbox_row(briefed_project)
    assert (row["status"], row["maybe_delivered"]) == ("sent", 0)
