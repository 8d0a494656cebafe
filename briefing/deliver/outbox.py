"""The delivery loop: due outbox rows are claimed, sent over one connection, and their outcomes recorded.

Each row is one recipient of one briefing's digest and moves
``pending -> sending -> sent`` (or ``failed``, or back to ``pending`` with a later
``next_attempt_at`` after a temporary error). A row is ``sending`` only from the
moment the end of its content (the final ``.`` of DATA, which commits the message)
goes out until the server's answer is recorded. So after a crash, a ``pending``
row was certainly not delivered (also when the crash came in the middle of the
content) and is simply tried again, while a ``sending`` row may or may not have
arrived and is marked failed with that reason instead of being sent twice (at
most one copy per recipient).

Claims: a run marks the rows it takes with its owner (host, pid, random token) so
that the service and ``briefing send`` never send the same row at once. A claim
whose process is gone (or whose lease ran out) is abandoned and recovered.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import socket
import time
from collections.abc import Callable, Collection, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from briefing.config.addresses import AddressError, check_address
from briefing.deliver.digest import address_message, new_message_id
from briefing.deliver.smtp import DeliveryError
from briefing.store import Delivery, DeliveryStatus, Store

OutboxRow = tuple[str, str, DeliveryStatus, str | None]
"""``(recipient, message_id, status, error)`` as :meth:`Store.enqueue_deliveries` takes it."""

log = logging.getLogger(__name__)

LEASE = dt.timedelta(hours=1)
"""How long a claim holds when its owner cannot be checked (another host); a dead local owner is seen at once."""

POLL_SECONDS = 0.2
"""How often a waiting run looks again when the rows it waits for are held by another run."""

INTERRUPTED = "interrupted while the message was being sent; it may have arrived, so it is not sent again"

HELD_PATIENCE = dt.timedelta(minutes=5)
"""How long a waiting run waits for rows another live run holds before leaving them to it."""

BATCH = 100
"""Rows sent over one connection before it is closed and a new batch claimed."""


class Connection(Protocol):
    def send(self, sender: str, recipient: str, message: bytes, on_transmit: Callable[[], None]) -> str: ...


Connect = Callable[[], AbstractContextManager[Connection]]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with a cap on the wait and on the number of attempts."""

    max_attempts: int = 6
    delay: float = 60.0
    max_delay: float = 1800.0

    def wait_after(self, attempts: int) -> dt.timedelta:
        """The wait before attempt ``attempts + 1``: delay, 2 x delay, 4 x delay ... at most max_delay."""
        return dt.timedelta(seconds=min(self.delay * 2 ** max(attempts - 1, 0), self.max_delay))


@dataclass
class RunStats:
    """What one delivery run did."""

    sent: int = 0
    failed: int = 0
    deferred: int = 0


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def deliver(
    store: Store,
    connect: Connect,
    sender: str,
    policy: RetryPolicy,
    *,
    wait_for: Collection[int] = (),
    clock: Callable[[], dt.datetime] = utcnow,
    sleep: Callable[[float], None] = time.sleep,
) -> RunStats:
    """Send every due outbox row; then, while any row in ``wait_for`` is still pending, wait for it and retry."""
    owner = _owner()
    stats = RunStats()
    recover_abandoned(store, clock())
    messages: dict[int, bytes] = {}
    held_since: dt.datetime | None = None
    while True:
        now = clock()
        batch = store.claim_deliveries(owner, now, now + LEASE, BATCH)
        if batch:
            held_since = None
            _send_batch(store, connect, sender, policy, owner, batch, messages, stats, clock)
            continue
        due = store.next_delivery_due(list(wait_for)) if wait_for else None
        if due is None:
            return stats
        recover_abandoned(store, clock())  # a run holding what we wait for may have died meanwhile
        pause = (due - clock()).total_seconds()
        if pause <= 0:  # due, but another live run holds it: wait a while, then leave it to that run
            held_since = held_since or now
            if now - held_since > HELD_PATIENCE:
                log.warning("another delivery run still holds digests this one waits for; leaving them to it")
                return stats
        sleep(pause if pause > 0 else POLL_SECONDS)


def outbox_rows(briefing_id: int, sender: str, recipients: Sequence[str]) -> list[OutboxRow]:
    """The rows to enqueue: one per distinct recipient, each with a Message-ID made now (and stored).

    ``Desk@Example.org`` is ``desk@example.org``: mail systems treat addresses
    without regard to case, and a second copy is worse than a strict reading of
    RFC 5321. An invalid address becomes a failed row with the reason, never sent.
    """
    rows: dict[str, OutboxRow] = {}
    for raw in recipients:
        recipient = raw.strip()
        key = recipient.lower()
        if key in rows:
            continue
        message_id = new_message_id(briefing_id, sender)
        try:
            check_address(recipient)
        except AddressError as exc:
            rows[key] = (recipient, message_id, "failed", f"not sent: {exc}")
            continue
        rows[key] = (recipient, message_id, "pending", None)
    return list(rows.values())


def recover_abandoned(store: Store, now: dt.datetime) -> list[Delivery]:
    """Rows claimed by runs that died: pending ones are freed, ``sending`` ones marked failed (fate unknown)."""
    recovered = []
    for delivery in store.claimed_deliveries():
        if delivery.claimed_by is None or not _abandoned(delivery, now):
            continue
        recovered.append(delivery)
        if delivery.status == "sending":
            log.warning("digest to %s was being sent when its run stopped; not resent", delivery.recipient)
            store.finish_delivery(
                delivery.id, delivery.claimed_by, "failed", now, error=INTERRUPTED, maybe_delivered=True
            )
        else:
            store.release_deliveries(delivery.claimed_by, now)
    return recovered


def _send_batch(
    store: Store,
    connect: Connect,
    sender: str,
    policy: RetryPolicy,
    owner: str,
    batch: list[Delivery],
    messages: dict[int, bytes],
    stats: RunStats,
    clock: Callable[[], dt.datetime],
) -> None:
    untried = list(batch)
    try:
        with connect() as connection:
            while untried:
                delivery = untried.pop(0)
                try:
                    message = _message_for(store, delivery, messages)
                    on_transmit = partial(_mark_sending, store, delivery.id, owner, clock)
                    reply = connection.send(sender, delivery.recipient, message, on_transmit)
                except DeliveryError as error:
                    _record_failure(store, owner, policy, delivery, error, clock(), stats)
                    if error.connection:
                        return  # the rest are released below and claimed again over a new connection
                    continue
                store.finish_delivery(delivery.id, owner, "sent", clock(), code=250, error=None)
                stats.sent += 1
                log.info("sent the digest of briefing %d to %s (%s)", delivery.briefing_id, delivery.recipient, reply)
    except DeliveryError as error:  # could not connect, secure or log in: every untried row shares the outcome
        for delivery in untried:
            _record_failure(store, owner, policy, delivery, error, clock(), stats)
        untried.clear()
    finally:
        _settle(store, owner, clock())


def _mark_sending(store: Store, delivery_id: int, owner: str, clock: Callable[[], dt.datetime]) -> None:
    store.mark_sending(delivery_id, owner, clock())


def _message_for(store: Store, delivery: Delivery, cache: dict[int, bytes]) -> bytes:
    if delivery.briefing_id not in cache:
        digest = store.digest(delivery.briefing_id)
        if digest is None:
            raise DeliveryError("permanent", f"no digest stored for briefing {delivery.briefing_id}")
        cache[delivery.briefing_id] = digest.message
    try:
        return address_message(cache[delivery.briefing_id], delivery.recipient, delivery.message_id)
    except AddressError as exc:
        raise DeliveryError("permanent", f"not a valid recipient: {exc}") from None


def _record_failure(
    store: Store,
    owner: str,
    policy: RetryPolicy,
    delivery: Delivery,
    error: DeliveryError,
    now: dt.datetime,
    stats: RunStats,
) -> None:
    attempts = delivery.attempts + 1
    if error.kind == "transient" and attempts < policy.max_attempts:
        retry_at = now + policy.wait_after(attempts)
        store.finish_delivery(
            delivery.id, owner, "pending", now, code=error.code, error=error.reason, next_attempt_at=retry_at
        )
        stats.deferred += 1
        log.warning(
            "digest to %s deferred (attempt %d of %d): %s; next try at %s",
            delivery.recipient,
            attempts,
            policy.max_attempts,
            error.reason,
            retry_at.isoformat(timespec="seconds"),
        )
        return
    reason = error.reason
    if error.kind == "transient":
        reason = f"gave up after {attempts} attempts: {reason}"
    store.finish_delivery(
        delivery.id, owner, "failed", now, code=error.code, error=reason, maybe_delivered=error.kind == "unknown"
    )
    stats.failed += 1
    log.error("digest to %s failed: %s", delivery.recipient, reason)


def _settle(store: Store, owner: str, now: dt.datetime) -> None:
    """Leave nothing claimed: untried rows go back to pending; a row caught mid-send by an
    unexpected error (a bug, Ctrl-C) is failed as unknown rather than risked twice."""
    for delivery in store.claimed_deliveries():
        if delivery.claimed_by == owner and delivery.status == "sending":
            store.finish_delivery(delivery.id, owner, "failed", now, error=INTERRUPTED, maybe_delivered=True)
    store.release_deliveries(owner, now)


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(6)}"


def _abandoned(delivery: Delivery, now: dt.datetime) -> bool:
    host, _, rest = (delivery.claimed_by or "").partition(":")
    pid_text = rest.partition(":")[0]
    expired = delivery.lease_until is None or delivery.lease_until <= now
    if host != socket.gethostname() or not pid_text.isdigit():
        return expired
    pid = int(pid_text)
    if pid == os.getpid():
        return expired
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # alive, owned by another user
    return expired
