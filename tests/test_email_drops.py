"""A connection that drops in the middle of DATA against one that drops after the final dot.

Only a loss after the whole message and its final ``.`` went out may mean "it may have arrived"
(failed, never resent). A server that stops reading in the middle of the content cannot have the
message: the delivery is retried, as for any lost connection. A real SMTP server on 127.0.0.1
(tests/rawsmtp.py) does the dropping; the digest fits in the socket buffers, so the client's
``sendall`` succeeds and the drop only shows when the reply is read.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from briefing.delivery import find_briefing, send_digest
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
