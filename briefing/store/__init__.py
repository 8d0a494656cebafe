"""The state store: one SQLite file holding articles, analyses, files, failures and briefings.

    core.py        the connection, immediate write transactions, WAL, the schema and its migrations
    articles.py    articles by content hash, analyses, sources (file versions), failures
    files.py       files read whole (done), and the earlier versions edited files superseded
    briefings.py   the briefings that were made (or attempted)
    runs.py        the service's job log
    mail.py        e-mail digests and the outbox (one delivery per briefing and recipient)
    timestamps.py  the one text form of every stored timestamp

:class:`Store` is composed of one mixin per record module, each owning its own SQL;
every name the rest of the code imports from ``briefing.store`` is re-exported here.
"""

from __future__ import annotations

from briefing.model import FileVersion
from briefing.store.articles import ArticlesMixin
from briefing.store.briefings import BriefingRecord, BriefingsMixin
from briefing.store.core import BUSY_TIMEOUT_MS, MIGRATIONS
from briefing.store.files import FilesMixin, Superseded
from briefing.store.mail import Delivery, DeliveryStatus, MailMixin, StoredDigest
from briefing.store.runs import RunRecord, RunsMixin

__all__ = [
    "BUSY_TIMEOUT_MS",
    "MIGRATIONS",
    "BriefingRecord",
    "Delivery",
    "DeliveryStatus",
    "FileVersion",
    "RunRecord",
    "Store",
    "StoredDigest",
    "Superseded",
]


class Store(ArticlesMixin, FilesMixin, BriefingsMixin, RunsMixin, MailMixin):
    """Access to the state file. One instance per thread; open as a context manager."""
