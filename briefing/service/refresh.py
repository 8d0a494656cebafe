"""The service's refresher: ``reports/latest.html`` rewritten after new articles, at most once per interval.

It runs in its own thread so that rendering a large live view never holds up the
ingest worker; a burst of files gives a few rewrites, not one each.
"""

from __future__ import annotations

import logging
import threading
import time

from briefing.config import Settings
from briefing.pipeline import refresh_latest

log = logging.getLogger("briefing.service")  # one logger for the whole service, as its log lines have always named it


class Refresher:
    """The ``briefing-refresh`` thread's work: :meth:`run` rewrites the live view whenever :meth:`want` asks."""

    def __init__(self, settings: Settings, render_lock: threading.Lock, stopping: threading.Event) -> None:
        self.settings = settings
        self._render_lock = render_lock  # shared with scheduled briefings: one render at a time
        self._stopping = stopping
        self._wanted = threading.Event()

    def want(self) -> None:
        """Ask for a refresh; once the service is stopping, this wakes :meth:`run` for a last refresh and its end."""
        self._wanted.set()

    def run(self) -> None:
        """Refresh when asked, until the service stops (after one last refresh)."""
        interval = self.settings.service.refresh_seconds
        last_end, last_took = 0.0, 0.0
        while True:
            self._wanted.wait()
            if self._stopping.is_set() and not self._wanted.is_set():
                return
            # Gather a burst: at most one refresh per interval, and at most a quarter of the time refreshing
            # (a large live view takes a while to render, and it shares the interpreter with the ingest worker).
            wait = last_end + max(interval, 3 * last_took) - time.monotonic()
            if wait > 0 and not self._stopping.is_set():
                self._stopping.wait(wait)
            self._wanted.clear()
            started = time.monotonic()
            try:
                with self._render_lock:
                    count = refresh_latest(self.settings)
                log.debug("latest.html refreshed: %d article(s)", count)
            except Exception:
                log.exception("refreshing latest.html failed")
            last_end = time.monotonic()
            last_took = last_end - started
            if self._stopping.is_set():
                return
