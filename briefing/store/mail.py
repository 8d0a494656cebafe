"""E-mail: each briefing's digest (built once) and the outbox, one row per briefing and recipient.

Rows are claimed by a delivery run before sending and updated only while held,
so two runs never send the same row, and a row that may have gone out is never
sent again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from briefing.store.core import StoreCore
from briefing.store.timestamps import from_iso, iso

DeliveryStatus = Literal["pending", "sending", "sent", "failed"]


@dataclass(frozen=True, slots=True)
class StoredDigest:
    """A briefing's e-mail digest as built once: the MIME message without ``To`` and ``Message-ID``."""

    briefing_id: int
    subject: str
    message: bytes
    note: str | None
    nothing_new: bool
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Delivery:
    """One outbox row: a briefing's digest for one recipient, and how sending it went."""

    id: int
    briefing_id: int
    recipient: str
    message_id: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: dt.datetime
    claimed_by: str | None
    lease_until: dt.datetime | None
    last_code: int | None
    last_error: str | None
    sent_at: dt.datetime | None
    maybe_delivered: bool = False


class MailMixin(StoreCore):
    """The ``digests`` and ``outbox`` tables: what to send, to whom, and how sending went."""

    def save_digest(self, digest: StoredDigest) -> StoredDigest:
        """Keep a briefing's digest; the first one stored wins, so every recipient and retry gets the same message."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO digests (briefing_id, subject, message, note, nothing_new, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(briefing_id) DO NOTHING",
                (
                    digest.briefing_id,
                    digest.subject,
                    digest.message,
                    digest.note,
                    int(digest.nothing_new),
                    iso(digest.created_at),
                ),
            )
        stored = self.digest(digest.briefing_id)
        assert stored is not None
        return stored

    def digest(self, briefing_id: int) -> StoredDigest | None:
        row = self._db.execute("SELECT * FROM digests WHERE briefing_id = ?", (briefing_id,)).fetchone()
        if row is None:
            return None
        return StoredDigest(
            row["briefing_id"],
            row["subject"],
            bytes(row["message"]),
            row["note"],
            bool(row["nothing_new"]),
            from_iso(row["created_at"]),
        )

    def enqueue_deliveries(
        self,
        briefing_id: int,
        rows: list[tuple[str, str, DeliveryStatus, str | None]],
        now: dt.datetime,
    ) -> list[Delivery]:
        """Add ``(recipient, message_id, status, error)`` rows unless that recipient already has one
        for this briefing (the idempotency key, case-insensitive); returns every recipient's row, old or new."""
        stamp = iso(now)
        with self.transaction() as db:
            for recipient, message_id, status, error in rows:
                db.execute(
                    "INSERT INTO outbox (briefing_id, recipient, message_id, status, next_attempt_at, last_error,"
                    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    f" ON CONFLICT {self.outbox_key} DO NOTHING",
                    (briefing_id, recipient, message_id, status, stamp, error, stamp, stamp),
                )
        wanted = {recipient.lower() for recipient, *_ in rows}
        return [d for d in self.deliveries(briefing_id=briefing_id) if d.recipient.lower() in wanted]

    def deliveries(self, briefing_id: int | None = None, ids: list[int] | None = None) -> list[Delivery]:
        query, params = "SELECT * FROM outbox", []
        if briefing_id is not None:
            query, params = query + " WHERE briefing_id = ?", [briefing_id]
        rows = self._db.execute(query + " ORDER BY id", params).fetchall()
        wanted = set(ids) if ids is not None else None
        return [_delivery(row) for row in rows if wanted is None or row["id"] in wanted]

    def claim_deliveries(self, owner: str, now: dt.datetime, lease_until: dt.datetime, limit: int) -> list[Delivery]:
        """Mark up to ``limit`` due, unclaimed pending rows as ``owner``'s to send, oldest due first."""
        with self.transaction() as db:
            rows = db.execute(
                "UPDATE outbox SET claimed_by = ?, lease_until = ?, updated_at = ? WHERE id IN (SELECT id FROM outbox"
                " WHERE status = 'pending' AND claimed_by IS NULL AND next_attempt_at <= ?"
                f" ORDER BY next_attempt_at, id LIMIT ?{self.claim_lock}) RETURNING *",
                (owner, iso(lease_until), iso(now), iso(now), limit),
            ).fetchall()
        return sorted((_delivery(row) for row in rows), key=lambda d: (d.next_attempt_at, d.id))

    def mark_sending(self, delivery_id: int, owner: str, now: dt.datetime) -> None:
        """The message is about to be transmitted: from here on its fate is unknown until the server answers."""
        self._update_claimed(delivery_id, owner, "status = 'sending', updated_at = ?", (iso(now),))

    def finish_delivery(
        self,
        delivery_id: int,
        owner: str,
        status: DeliveryStatus,
        now: dt.datetime,
        *,
        code: int | None = None,
        error: str | None = None,
        next_attempt_at: dt.datetime | None = None,
        attempted: bool = True,
        maybe_delivered: bool = False,
    ) -> None:
        """Record an attempt's outcome and give the row up (``pending`` rows wait for ``next_attempt_at``).

        ``maybe_delivered`` marks a failure after the message went out unconfirmed: never sent again."""
        self._update_claimed(
            delivery_id,
            owner,
            "status = ?, attempts = attempts + ?, maybe_delivered = ?, last_code = ?, last_error = ?,"
            " next_attempt_at = coalesce(?, next_attempt_at), sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END,"
            " claimed_by = NULL, lease_until = NULL, updated_at = ?",
            (
                status,
                int(attempted),
                int(maybe_delivered),
                code,
                error,
                iso(next_attempt_at) if next_attempt_at else None,
                status,
                iso(now),
                iso(now),
            ),
        )

    def release_deliveries(self, owner: str, now: dt.datetime) -> None:
        """Give up ``owner``'s claims on rows it did not try (they stay pending, no attempt counted)."""
        with self.transaction() as db:
            db.execute(
                "UPDATE outbox SET claimed_by = NULL, lease_until = NULL, updated_at = ?"
                " WHERE claimed_by = ? AND status = 'pending'",
                (iso(now), owner),
            )

    def claimed_deliveries(self) -> list[Delivery]:
        """Rows some delivery run holds (or held when it died)."""
        rows = self._db.execute("SELECT * FROM outbox WHERE claimed_by IS NOT NULL ORDER BY id").fetchall()
        return [_delivery(row) for row in rows]

    def requeue_delivery(self, delivery_id: int, now: dt.datetime) -> bool:
        """A failed row becomes pending again (same Message-ID); rows that were sent, or may have been
        (``maybe_delivered``), are never sent twice."""
        with self.transaction() as db:
            changed = db.execute(
                "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, updated_at = ?"
                " WHERE id = ? AND status = 'failed' AND maybe_delivered = 0 AND claimed_by IS NULL",
                (iso(now), iso(now), delivery_id),
            ).rowcount
        return bool(changed)

    def next_delivery_due(self, ids: list[int]) -> dt.datetime | None:
        """When the earliest of these rows that is still pending is due, or None if none is."""
        due = [d.next_attempt_at for d in self.deliveries(ids=ids) if d.status == "pending"]
        return min(due) if due else None

    def outbox_due(self) -> dt.datetime | None:
        """When the outbox next needs a delivery run: its earliest pending row's time, or None when nothing waits.

        A row caught ``sending`` counts as due at once: if its run died, the next run settles it.
        """
        row = self._db.execute(
            "SELECT MIN(CASE WHEN status = 'sending' THEN updated_at ELSE next_attempt_at END) FROM outbox"
            " WHERE status IN ('pending', 'sending')"
        ).fetchone()
        return from_iso(row[0]) if row and row[0] else None

    def delivery_counts(self) -> dict[str, int]:
        rows = self._db.execute("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status")
        return {row["status"]: row["n"] for row in rows}

    def _update_claimed(self, delivery_id: int, owner: str, assignments: str, params: tuple[object, ...]) -> None:
        with self.transaction() as db:
            changed = db.execute(
                f"UPDATE outbox SET {assignments} WHERE id = ? AND claimed_by = ?", (*params, delivery_id, owner)
            ).rowcount
        if not changed:
            raise RuntimeError(f"outbox row {delivery_id} is no longer held by this delivery run")


def _delivery(row: Any) -> Delivery:
    return Delivery(
        id=row["id"],
        briefing_id=row["briefing_id"],
        recipient=row["recipient"],
        message_id=row["message_id"],
        status=row["status"],
        attempts=row["attempts"],
        next_attempt_at=from_iso(row["next_attempt_at"]),
        claimed_by=row["claimed_by"],
        lease_until=from_iso(row["lease_until"]) if row["lease_until"] else None,
        last_code=row["last_code"],
        last_error=row["last_error"],
        sent_at=from_iso(row["sent_at"]) if row["sent_at"] else None,
        maybe_delivered=bool(row["maybe_delivered"]),
    )
