"""The service's alerter: watchlist alerts raised and delivered within moments of an article being stored.

Its own thread, woken by the ingest worker after each new article (and at start,
for what was stored while the service was down); between wakes it sleeps until the
next alert retry is due, or :data:`LOOK_SECONDS` at most. Alert e-mails left in the
outbox are also sent by the outbox job, and claims keep the two from sending a row twice.
"""

from __future__ import annotations

import datetime as dt
import logging

from briefing.config import Settings
from briefing.service.wakeable import Wakeable
from briefing.store import open_store
from briefing.watchlists.alerting import deliver_alerts, raise_alerts

log = logging.getLogger("briefing.service")

LOOK_SECONDS = 60.0
"""Longest sleep between two looks (articles another process stored, rows left by a failed run)."""


class Alerter(Wakeable):
    """The ``briefing-alerts`` thread's work: :meth:`run` until :meth:`finish`; :meth:`want` wakes it."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings

    def run(self) -> None:
        """Check and deliver when woken or when a retry is due, until :meth:`finish`."""
        pause = 0.0
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._wanted or self._finishing, timeout=pause)
                if self._finishing:
                    return
                self._wanted = False
            try:
                created = raise_alerts(self.settings)
                stats = deliver_alerts(self.settings)
                if created or stats.sent or stats.failed or stats.deferred:
                    log.info(
                        "alerts: %d new, %d sent, %d failed, %d waiting to retry",
                        created,
                        stats.sent,
                        stats.failed,
                        stats.deferred,
                    )
            except Exception:  # an alert problem must never stop the service
                log.exception("watchlist alerts failed; trying again in %.0f s", LOOK_SECONDS)
            pause = self._until_due()

    def _until_due(self) -> float:
        """Seconds until the next alert row is due (for a retry), at most :data:`LOOK_SECONDS`."""
        try:
            with open_store(self.settings) as store:
                due = [d for c in ("webhook", "email") if (d := store.outbox_due(c, alerts_only=True)) is not None]
        except Exception:
            return LOOK_SECONDS
        if not due:
            return LOOK_SECONDS
        return min(LOOK_SECONDS, max(0.05, (min(due) - dt.datetime.now(dt.UTC)).total_seconds()))
