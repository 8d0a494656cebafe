"""What the service's worker threads share: a wish to work now (:meth:`want`) and a wish to stop (:meth:`finish`)."""

from __future__ import annotations

import threading


class Wakeable:
    """A thread's work that sleeps until woken: subclasses' ``run`` waits on ``_changed`` for ``_wanted`` or
    ``_finishing`` (both read and written only while holding ``_changed``)."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._wanted = False  # guarded by _changed
        self._finishing = False  # guarded by _changed

    def want(self) -> None:
        """There is work: wake the thread."""
        with self._changed:
            self._wanted = True
            self._changed.notify_all()

    def finish(self) -> None:
        """Make ``run`` return (after the work already asked for)."""
        with self._changed:
            self._finishing = True
            self._changed.notify_all()
