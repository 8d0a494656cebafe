"""Watchlist alerts: one per article and watchlist, the articles already checked, and how far checking got.

An alert and its outbox rows (one per recipient, one for the webhook) are stored in
the transaction that marks its article checked, so a crash leaves either the whole
alert queued or the article still unchecked; ``UNIQUE (article_id, watchlist)`` makes
a second check of the same article raise nothing twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from briefing.model import StoredArticle
from briefing.store.articles import stored_article_of_row
from briefing.store.core import StoreCore
from briefing.store.timestamps import from_iso, iso


@dataclass(frozen=True, slots=True)
class NewAlert:
    """An alert to store: what an article matched in a watchlist, the messages built once, and where they go."""

    article_id: str
    watchlist: str
    subject: str
    message: bytes
    """The e-mail, without ``To`` and ``Message-ID`` (added per recipient, as for digests)."""
    payload: str
    """The webhook's JSON body."""
    emails: tuple[tuple[str, str], ...] = ()
    """``(recipient, message_id)`` for each address alerted."""
    webhook: tuple[str, str] | None = None
    """``(url, delivery id)`` when the watchlist has a webhook."""


@dataclass(frozen=True, slots=True)
class StoredAlert:
    id: int
    article_id: str
    watchlist: str
    subject: str
    message: bytes
    payload: str
    created_at: dt.datetime


class AlertsMixin(StoreCore):
    """The ``alerts``, ``alert_checks`` and ``alert_scan`` tables, and the alerts' outbox rows."""

    def alerts_checked_until(self, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        """When articles were first checked against the watchlists, and up to when they were checked since.

        The first call starts checking at ``now``: articles stored before watchlists were first checked
        raise no alert, however late they are looked at."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO alert_scan (id, started_at, checked_until) VALUES (1, ?, ?) ON CONFLICT DO NOTHING",
                (iso(now), iso(now)),
            )
            row = db.execute("SELECT started_at, checked_until FROM alert_scan WHERE id = 1").fetchone()
        return from_iso(row[0]), from_iso(row[1])

    def unchecked_articles(self, since: dt.datetime, limit: int) -> list[StoredArticle]:
        """Current articles first stored at ``since`` or later and not yet checked, oldest first."""
        query = (
            f"SELECT a.*, n.data AS analysis, (SELECT {self.paths_agg} FROM sources s"
            " WHERE s.article_id = a.id) AS paths FROM articles a JOIN analyses n ON n.article_id = a.id"
            " WHERE a.first_seen >= ? AND NOT EXISTS (SELECT 1 FROM alert_checks c WHERE c.article_id = a.id)"
            " AND NOT EXISTS (SELECT 1 FROM superseded x WHERE x.article_id = a.id)"
            " ORDER BY a.first_seen, a.id LIMIT ?"
        )
        return [stored_article_of_row(row) for row in self._db.execute(query, (iso(since), limit))]

    def record_alerts(
        self, checked: list[str], alerts: list[NewAlert], checked_until: dt.datetime | None, now: dt.datetime
    ) -> list[int]:
        """Store the new alerts with their outbox rows and mark ``checked`` articles done, in one transaction.

        Returns the ids of the alerts stored now (an article and watchlist alerted before adds nothing)."""
        stamp = iso(now)
        created = []
        with self.transaction() as db:
            for alert in alerts:
                row = db.execute(
                    "INSERT INTO alerts (article_id, watchlist, subject, message, payload, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(article_id, watchlist) DO NOTHING RETURNING id",
                    (alert.article_id, alert.watchlist, alert.subject, alert.message, alert.payload, stamp),
                ).fetchone()
                if row is None:
                    continue
                created.append(int(row[0]))
                targets = [("email", *pair) for pair in alert.emails]
                if alert.webhook is not None:
                    targets.append(("webhook", *alert.webhook))
                for channel, recipient, message_id in targets:
                    db.execute(
                        "INSERT INTO outbox (alert_id, channel, recipient, message_id, status, next_attempt_at,"
                        " created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)"
                        f" ON CONFLICT {self.alert_outbox_key} DO NOTHING",
                        (row[0], channel, recipient, message_id, stamp, stamp, stamp),
                    )
            db.executemany(
                "INSERT INTO alert_checks (article_id, checked_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                [(article_id, stamp) for article_id in checked],
            )
            if checked_until is not None:
                db.execute("UPDATE alert_scan SET checked_until = ? WHERE id = 1", (iso(checked_until),))
        return created

    def alert(self, alert_id: int) -> StoredAlert | None:
        row = self._db.execute("SELECT * FROM alerts WHERE id = ?", (alert_id,)).fetchone()
        if row is None:
            return None
        return StoredAlert(
            row["id"],
            row["article_id"],
            row["watchlist"],
            row["subject"],
            bytes(row["message"]),
            row["payload"],
            from_iso(row["created_at"]),
        )

    def alerts(self) -> list[StoredAlert]:
        rows = self._db.execute("SELECT id FROM alerts ORDER BY id").fetchall()
        return [a for row in rows if (a := self.alert(row[0])) is not None]
