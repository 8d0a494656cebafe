"""Which service makes the scheduled briefings when several share one store.

With SQLite there is one service per state file (its file lock), so it always leads.
With PostgreSQL, every node ingests, but only one makes the scheduled briefings,
mails their digests and writes ``latest.*`` and the archive: the one holding a
session-level advisory lock on a connection of its own. The server releases that
lock the moment the connection ends, so when the leading node dies (SIGKILL, a
crash, a power cut) the lock is free at once, and the next node to try takes it
over (the service tries every ``service.leader_seconds``). A connection that goes
silent without closing (a network cut) is ended by TCP keepalives after about
``KEEPALIVE_SECONDS``; the leader itself checks its connection each time too, and
stops scheduling when it is gone.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

log = logging.getLogger(__name__)

LEADER_LOCK = 0x62726965_66696E68  # the advisory lock of "makes the scheduled briefings"
KEEPALIVE_SECONDS = 30
"""How long a leader's connection may be silent (idle 10 s, then 4 probes 5 s apart) before the server drops it."""


class Leadership(Protocol):
    """Whether this service makes the scheduled briefings, and taking that role when it is free."""

    def acquire(self) -> bool:
        """Take the role if it is free (or keep it); True when this service holds it now."""
        ...

    def release(self) -> None: ...


class SoleLeader:
    """A store only one service uses (SQLite, under its file lock): that service always leads."""

    def acquire(self) -> bool:
        return True

    def release(self) -> None:
        return None


class AdvisoryLeader:
    """The role as a PostgreSQL advisory lock held by a dedicated session (not a pooled connection)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._conn: Any = None
        self.held = False

    def acquire(self) -> bool:
        import psycopg

        from briefing.store.postgres import connect_kwargs

        try:
            if self._conn is None or self._conn.closed:
                self.held = False
                self._conn = psycopg.connect(
                    self.url,
                    autocommit=True,
                    connect_timeout=10,
                    keepalives=1,
                    keepalives_idle=10,
                    keepalives_interval=5,
                    keepalives_count=4,
                    application_name="briefing-scheduler",
                    **connect_kwargs(),
                )
            if self.held:
                self._conn.execute("SELECT 1")  # still connected, so still holding it
            else:
                row = self._conn.execute("SELECT pg_try_advisory_lock(%s)", (LEADER_LOCK,)).fetchone()
                self.held = bool(row and row[0])
        except psycopg.Error as exc:
            if self.held:
                log.warning("lost the scheduler's connection to the store (%s): another service may take over", exc)
            self._drop()
        return self.held

    def release(self) -> None:
        if self._conn is not None and not self._conn.closed and self.held:
            try:
                self._conn.execute("SELECT pg_advisory_unlock(%s)", (LEADER_LOCK,))
            except Exception:  # closing the session releases it anyway
                log.debug("could not unlock the scheduler's lock; closing its session releases it")
        self._drop()

    def _drop(self) -> None:
        self.held = False
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:
                log.debug("closing the scheduler's connection failed", exc_info=True)
            self._conn = None


def leadership(state_url: str | None) -> Leadership:
    """The role as the store allows it: a shared PostgreSQL store elects one leader, a state file has one."""
    return AdvisoryLeader(state_url) if state_url else SoleLeader()
