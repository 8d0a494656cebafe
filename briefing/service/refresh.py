"""The service's refresher: ``reports/live.html`` rewritten after new articles, at most once per interval.

It runs in its own thread so that rendering a large live view never holds up the
ingest worker; a burst of files gives a few rewrites, not one each. It writes only
the live view: ``latest.html`` and ``latest.pdf`` are the briefing made last (issue 17).
"""

from __future__ import annotations

import logging
import threading
import time

from briefing.config import Settings
from briefing.pipeline import refresh_live
from briefing.service.wakeable import Wakeable

log = logging.getLogger("briefing.service")  # one logger for the whole service, as its log lines have always named it


class Refresher(Wakeable):
    """The ``briefing-refresh`` thread's work: :meth:`run` rewrites the live view whenever :meth:`want` asks.

    Only a :meth:`want` makes a refresh: :meth:`finish` ends the thread after the
    refresh still owed, if any, so stopping the service rewrites no file that nothing
    new has changed (issue 17 point 4).
    """

    def __init__(self, settings: Settings, render_lock: threading.Lock) -> None:
        super().__init__()  # want(): new or re-analysed articles, a briefing made, the service started
        self.settings = settings
        self._render_lock = render_lock  # shared with scheduled briefings: one render at a time

    def run(self) -> None:
        """Refresh when asked, until :meth:`finish`."""
        interval = self.settings.service.refresh_seconds
        last_end, last_took = 0.0, 0.0
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._wanted or self._finishing)
                if not self._wanted:
                    return
                # Gather a burst: at most one refresh per interval, and at most a quarter of the time refreshing
                # (a large live view takes a while to render, and it shares the interpreter with the ingest worker).
                wait = last_end + max(interval, 3 * last_took) - time.monotonic()
                if wait > 0:
                    self._changed.wait_for(lambda: self._finishing, timeout=wait)
                self._wanted = False
            started = time.monotonic()
            try:
                with self._render_lock:
                    count = refresh_live(self.settings)
                log.debug("live.html refreshed: %d article(s)", count)
            except Exception:
                log.exception("refreshing live.html failed")
            last_end = time.monotonic()
            last_took = last_end - started
