"""The state store: articles, analyses, files, failures and briefings, in one SQLite file or a PostgreSQL database.

    core.py        the backend interface (StoreCore); SQLite's connection, immediate transactions, WAL, migrations
    postgres.py    the PostgreSQL backend: a pooled connection, its schema and migrations, its dialect
    leader.py      which of several services sharing a PostgreSQL store makes the scheduled briefings
    copy.py        ``briefing migrate --from --to``: a store copied into another, every table compared
    articles.py    articles by content hash, analyses, sources (file versions), failures
    files.py       files read whole (done), and the earlier versions edited files superseded
    briefings.py   the briefings that were made (or attempted)
    runs.py        the service's job log
    mail.py        e-mail digests and the outbox (one delivery per briefing and recipient)
    timestamps.py  the one text form of every stored timestamp
    sqlite.py      the SQLite store: the record mixins on SQLite's core
    password.py    the PostgreSQL password, kept from child processes

:class:`Store` is composed of one mixin per record module, each owning its own SQL;
every name the rest of the code imports from ``briefing.store`` is re-exported here.
:func:`open_store` opens the one the settings name (``state_url``, else ``state_file``).
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from briefing.model import FileVersion
from briefing.store.briefings import BriefingRecord
from briefing.store.core import BUSY_TIMEOUT_MS, MIGRATIONS, StoreCore, StoreRefused
from briefing.store.files import Superseded
from briefing.store.mail import Delivery, DeliveryStatus, StoredDigest
from briefing.store.password import withhold_state_password
from briefing.store.runs import RunRecord
from briefing.store.sqlite import Store

if TYPE_CHECKING:
    from briefing.config import Settings

__all__ = [
    "BUSY_TIMEOUT_MS",
    "MIGRATIONS",
    "STORE_ERRORS",
    "BriefingRecord",
    "Delivery",
    "DeliveryStatus",
    "FileVersion",
    "RunRecord",
    "Store",
    "StoreCore",
    "StoreRefused",
    "StoredDigest",
    "Superseded",
    "open_store",
    "withhold_state_password",
]


def _store_errors() -> tuple[type[Exception], ...]:
    try:
        import psycopg
    except ImportError:  # the PostgreSQL driver is optional
        return (sqlite3.Error,)
    return (sqlite3.Error, psycopg.Error)


STORE_ERRORS = _store_errors()
"""What a store raises when the database fails (a locked or damaged file, a server gone): retried or reported."""


def open_store(settings: Settings) -> Store:
    """The store the settings name: the PostgreSQL database of ``state_url`` if set, else the SQLite ``state_file``."""
    if settings.state_url:
        from briefing.store.postgres import PostgresStore

        return PostgresStore(settings.state_url)
    return Store(settings.state_path)
