"""The PostgreSQL backend: one database that several services (ingest nodes, a standby) write at once.

The record modules' SQL runs here as it is: their ``?`` and ``:name`` parameters
become psycopg's, rows read by index and by column name as in SQLite, and
``INSERT ... ON CONFLICT`` keeps an article stored once however many nodes store
it at the same moment (its id is the hash of its text). Where the dialects differ,
:class:`PostgresCore` says so: outbox rows are claimed ``FOR UPDATE SKIP LOCKED``,
an article's file names are joined by ``string_agg``, and the calendar reads an
``events`` table (one ``jsonb`` row per event, indexed by how far ahead it reaches)
that is written in the same transaction as each analysis.

Connections come from one pool per database and process (``psycopg_pool``): the
service opens a store for each job, and a new server connection each time would
cost more than the job's queries. The schema carries its version in
``schema_version``; opening migrates it forward (under an advisory lock, so two
nodes starting together migrate once), and refuses a database whose schema is newer
than this briefing. The password comes from the environment (``BRIEFING_PGPASSWORD``,
or libpq's own ``PGPASSWORD`` and ``~/.pgpass``), never from the URL.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.rows import RowMaker
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from briefing.model import Analysis, ReportedEvent
from briefing.store.articles import events_ahead_bounds, reported_event
from briefing.store.core import StoreCore, StoreRefused
from briefing.store.database import Database
from briefing.store.password import state_password
from briefing.store.postgres_schema import PG_MIGRATIONS
from briefing.store.sqlite import Store
from briefing.store.timestamps import iso

POOL_SIZE = 8
"""Connections a process keeps at most: the service's threads each open a store for a job."""
CONNECT_SECONDS = 10
"""How long connecting to the server may take before the store is refused."""
WAIT_SECONDS = 30.0
"""How long a thread waits for a pooled connection when all are in use."""
MIGRATE_LOCK = 0x62726965_66696E67  # "briefing": the advisory lock two nodes migrating at once take in turn

_PARAM = re.compile(r"'(?:[^']|'')*'|\?|:(\w+)|%")


@lru_cache(maxsize=512)
def to_psycopg(sql: str) -> str:
    """The record modules' SQL (``?``, ``:name``) in psycopg's parameter style; quoted text is left alone."""

    def swap(match: re.Match[str]) -> str:
        token = match.group(0)
        if token.startswith("'"):
            return token.replace("%", "%%")
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        if match.group(1):
            return f"%({match.group(1)})s"
        return token

    return _PARAM.sub(swap, sql)


class Row(tuple[Any, ...]):
    """A row read like ``sqlite3.Row``: by position, or by column name."""

    names: dict[str, int]

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self.names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self.names)


def _rows(cursor: psycopg.Cursor[Any]) -> RowMaker[Row]:
    names = {column.name: i for i, column in enumerate(cursor.description or ())}

    def make(values: Sequence[Any]) -> Row:
        row = Row(values)
        row.names = names
        return row

    return make


class Connection:
    """A psycopg connection that runs the record modules' SQL (see :func:`to_psycopg`)."""

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw

    def execute(self, sql: str, parameters: Sequence[Any] | Mapping[str, Any] = (), /) -> psycopg.Cursor[Row]:
        cursor = self.raw.cursor(row_factory=_rows)
        return cursor.execute(to_psycopg(sql), parameters)

    def executemany(self, sql: str, parameters: Any, /) -> psycopg.Cursor[Row]:
        cursor = self.raw.cursor(row_factory=_rows)
        cursor.executemany(to_psycopg(sql), parameters)
        return cursor


def shown_url(url: str) -> str:
    """The URL as logs and ``briefing status`` show it: never a password, even one put there by mistake."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def connect_kwargs() -> dict[str, Any]:
    """What every connection needs beside the URL: the password from the environment, if set there."""
    password = state_password()
    return {"password": password} if password else {}


_pools: dict[str, ConnectionPool[psycopg.Connection[Any]]] = {}
_pools_lock = threading.Lock()


def _pool(url: str) -> ConnectionPool[psycopg.Connection[Any]]:
    """This process's pool for ``url``, opened on first use, once the schema is checked (and migrated)."""
    with _pools_lock:
        pool = _pools.get(url)
        if pool is None or pool.closed:
            with _connect(url) as raw:  # one connection first: a wrong password fails at once, not after retries
                migrate(raw, url)
            pool = ConnectionPool(
                url,
                kwargs={"autocommit": True, **connect_kwargs()},
                min_size=1,
                max_size=POOL_SIZE,
                timeout=WAIT_SECONDS,
                open=True,
                name="briefing-store",
            )
            _pools[url] = pool
        return pool


def _connect(url: str) -> psycopg.Connection[Any]:
    """A connection of its own (not pooled), or :class:`StoreRefused` saying why there is none."""
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_SECONDS, **connect_kwargs())
    except psycopg.OperationalError as exc:
        reason = " ".join(str(exc).split())  # libpq's reason (never the password)
        raise StoreRefused(
            f"cannot connect to the PostgreSQL store {shown_url(url)} ({reason}); check that the server runs,"
            " state_url, and the password in BRIEFING_PGPASSWORD"
        ) from None


def close_pools() -> None:
    """Close every pool this process opened (the tests and the benchmark start and stop servers)."""
    with _pools_lock:
        for pool in _pools.values():
            pool.close()
        _pools.clear()


class SchemaTooNew(StoreRefused):
    """The database was migrated by a newer briefing than this one."""


def schema_version(raw: psycopg.Connection[Any]) -> int:
    exists = raw.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return 0
    row = raw.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(raw: psycopg.Connection[Any], url: str) -> tuple[int, int]:
    """Bring the schema up to this briefing's version; returns (before, after). Refuses a newer schema."""
    with raw.transaction():
        raw.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK,))
        raw.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
        current = schema_version(raw)
        if current > len(PG_MIGRATIONS):
            raise SchemaTooNew(
                f"the store {shown_url(url)} has schema version {current}, newer than this briefing"
                f" ({len(PG_MIGRATIONS)}); upgrade briefing on this machine"
            )
        for version, script in enumerate(PG_MIGRATIONS[current:], start=current + 1):
            raw.execute(script.encode())
            raw.execute(
                "INSERT INTO schema_version (version, applied_at) VALUES (%s, %s)",
                (version, iso(dt.datetime.now(dt.UTC))),
            )
    return current, len(PG_MIGRATIONS)


class PostgresCore(StoreCore):
    """A connection from the database's pool, with PostgreSQL's dialect of the few statements that differ."""

    claim_lock = " FOR UPDATE SKIP LOCKED"
    outbox_key = "(briefing_id, lower(recipient))"
    alert_outbox_key = "(alert_id, lower(recipient))"
    paths_agg = "string_agg(s.path, chr(31))"

    def __init__(self, url: str) -> None:
        self.url = url
        self._pool = _pool(url)
        self._raw = self._pool.getconn()
        self._db = self._conn = Connection(self._raw)

    def close(self) -> None:
        if self._raw is not None:
            self._pool.putconn(self._raw)
            self._raw = None  # type: ignore[assignment]

    @property
    def location(self) -> str:
        return shown_url(self.url)

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        with self._raw.transaction():
            yield self._conn

    @property
    def schema_version(self) -> int:
        return schema_version(self._raw)

    def ids_copied(self, db: Database) -> None:
        for table in ("briefings", "outbox", "runs", "alerts"):
            db.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table}"
            )

    def _article_inserted(self, db: Database, article_id: str) -> None:
        return None  # the web view's search index is SQLite's (FTS5); briefing serve reads a SQLite store

    def _analysis_saved(self, db: Database, article_id: str, analysis: Analysis, record: dict[str, Any]) -> None:
        """The analysis's events, one row each, replace those of the article's earlier analysis."""
        db.execute("DELETE FROM events WHERE article_id = ?", (article_id,))
        rows = [_event_row(article_id, i, event) for i, event in enumerate(record.get("events") or ())]
        if rows:
            db.executemany(
                "INSERT INTO events (article_id, position, reaches, notable, evidence_start, evidence_end, data)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )


def _event_row(article_id: str, position: int, event: dict[str, Any]) -> tuple[Any, ...]:
    """An event as the ``events`` table holds it: how far ahead it reaches (None: a plan without a date)."""
    start, end = event.get("start"), event.get("end")
    reaches = None if start is None else str(end if end is not None else start)
    evidence = event.get("evidence") or {}
    notable = event.get("notable")
    data = Jsonb(event)
    return (
        article_id,
        position,
        reaches,
        notable is None or bool(notable),
        evidence.get("start"),
        evidence.get("end"),
        data,
    )


class PostgresStore(PostgresCore, Store):
    """The store in a PostgreSQL database (``state_url``): the same interface as the SQLite :class:`Store`."""

    def events_ahead(
        self, today: dt.date, since: dt.date, until: dt.date | None = None, received_by: dt.datetime | None = None
    ) -> list[ReportedEvent]:
        """As :meth:`Store.events_ahead`, from the ``events`` table: only events that may lie ahead are read."""
        bounds, params = events_ahead_bounds(today, since, until, received_by)
        rows = self._db.execute(
            "SELECT a.id, a.date, a.first_seen, a.title, e.data AS event,"
            " substr(a.text, e.evidence_start + 1, e.evidence_end - e.evidence_start) AS sentence"
            " FROM events e JOIN articles a ON a.id = e.article_id"
            " WHERE a.date >= ? AND e.notable AND (e.reaches IS NULL OR e.reaches >= ?)"
            " AND NOT EXISTS (SELECT 1 FROM superseded x WHERE x.article_id = a.id)"
            f"{bounds} ORDER BY a.date, a.first_seen, a.id, e.position",
            params,
        )
        return [reported_event(row, row["event"]) for row in rows]


def migrate_url(url: str) -> tuple[int, int]:
    """``briefing migrate``: the database at ``url`` brought up to this briefing's schema; returns (before, after)."""
    with _connect(url) as raw:
        return migrate(raw, url)
