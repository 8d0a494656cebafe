"""Watching ``seeds/``: which files are ready to be read, and when.

Filesystem events (watchdog) and periodic rescans only *note* a path. The
:class:`QuietTracker` then takes a file only once its size and modification time
have not changed for a quiet period, so a file still being written is never read;
a file renamed into the folder is noted like a new one. What was already stored
(at the same size and mtime) is never handed out again.

Events are cheap to note (the observer thread only adds a path to a set); the
worker that waits on :meth:`QuietTracker.wait_ready` does the ``stat`` calls.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from briefing.ingest import Candidate, default_readers, examine, is_ignored, scan_folder
from briefing.store import FileVersion

log = logging.getLogger(__name__)

Clock = Callable[[], float]

WATCHED_EVENTS = frozenset({"created", "modified", "moved", "closed", "deleted"})
"""Event types that may change what is in the folder (opening or reading a file does not)."""


@dataclass(slots=True)
class _Pending:
    version: FileVersion
    stable_since: float


class QuietTracker:
    """Files noted in the seeds folder, handed out once quiet for ``quiet`` seconds.

    ``done`` maps a file's name (as the store names it) to the version already
    stored or failed; ``name_of`` turns a path into that name. Thread-safe.
    """

    def __init__(
        self,
        quiet: float,
        done: dict[str, FileVersion],
        name_of: Callable[[Path], str],
        clock: Clock = time.monotonic,
        root: Path | None = None,
    ) -> None:
        self.quiet = quiet
        self._done = dict(done)
        self._name_of = name_of
        self._clock = clock
        self._readers = default_readers()
        self._root = (root or Path("/")).resolve()  # symbolic links are followed only inside it
        self._noted: set[Path] = set()
        self._pending: dict[Path, _Pending] = {}
        self._cond = threading.Condition()
        self._closed = False

    # -- producers (observer thread, rescans) -------------------------------------------------

    def note(self, path: Path) -> None:
        """Something may have changed at ``path``: look at it soon."""
        with self._cond:
            self._noted.add(path)
            self._cond.notify_all()

    def note_all(self, paths: list[Path]) -> None:
        with self._cond:
            self._noted.update(paths)
            self._cond.notify_all()

    def close(self) -> None:
        """Wake and release every waiter; :meth:`wait_ready` then returns nothing."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    # -- the consumer (the ingest worker) -----------------------------------------------------

    def mark_done(self, name: str, version: FileVersion) -> None:
        """``name`` at ``version`` is stored (or failed): never hand it out again unless it changes."""
        with self._cond:
            self._done[name] = version

    def forget(self, names: set[str]) -> None:
        """The files ``names`` are gone: if one comes back, even unchanged, it is read again."""
        with self._cond:
            for name in names:
                self._done.pop(name, None)

    def is_known(self, path: Path) -> bool:
        """True while ``path`` waits to be looked at or to become quiet."""
        with self._cond:
            return path in self._pending or path in self._noted

    def is_done(self, name: str, version: FileVersion) -> bool:
        with self._cond:
            return self._done.get(name) == version

    def wait_ready(self, timeout: float | None = None) -> list[Candidate]:
        """Block until some files are ready (quiet), the timeout passes, or :meth:`close`; in name order."""
        deadline = None if timeout is None else self._clock() + timeout
        with self._cond:
            while not self._closed:
                self._look_at_noted()
                ready = self._take_quiet()
                if ready:
                    return ready
                wake = self._next_check()
                if deadline is not None:
                    wake = deadline if wake is None else min(wake, deadline)
                    if self._clock() >= deadline:
                        return []
                self._cond.wait(None if wake is None else max(wake - self._clock(), 0.0))
            return []

    def _look_at_noted(self) -> None:
        noted, self._noted = self._noted, set()
        now = self._clock()
        for path in noted:
            seen = self._look(path)
            if seen is None:
                self._pending.pop(path, None)  # gone, renamed away, or not a file to read
                continue
            version, is_folder = seen
            if is_folder:
                # A folder appeared or moved in: its files send no events of their own.
                self._noted.update(candidate.path for candidate in scan_folder(path, self._root))
                continue
            if self._done.get(self._name_of(path)) == version:
                self._pending.pop(path, None)
                continue
            pending = self._pending.get(path)
            if pending is None or pending.version != version:
                self._pending[path] = _Pending(version, now)
        if self._noted:  # files of folders that appeared: look at them on the next round
            self._look_at_noted()

    def _take_quiet(self) -> list[Candidate]:
        now = self._clock()
        ready = []
        for path, pending in list(self._pending.items()):
            if now - pending.stable_since < self.quiet:
                continue
            seen = self._look(path)
            if seen is None:
                del self._pending[path]
            elif seen[0] != pending.version:
                self._pending[path] = _Pending(seen[0], now)
            else:
                del self._pending[path]
                if self._done.get(self._name_of(path)) != pending.version:
                    ready.append(Candidate(path, pending.version.size, pending.version.mtime_ns))
        return sorted(ready, key=lambda c: str(c.path))

    def _look(self, path: Path) -> tuple[FileVersion, bool] | None:
        """The version of ``path`` as the scan sees it and whether it is a folder to look into; None if not a file."""
        found = examine(path, self._root, self._readers)
        return None if found is None else (FileVersion(found.size, found.mtime_ns), found.folder)

    def _next_check(self) -> float | None:
        if not self._pending:
            return None
        return min(p.stable_since for p in self._pending.values()) + self.quiet


class _SeedsHandler(FileSystemEventHandler):
    """Turns watchdog events under ``seeds/`` into notes for the tracker (the observer thread runs this)."""

    def __init__(self, root: Path, tracker: QuietTracker) -> None:
        self.root = root
        self.tracker = tracker

    def dispatch(self, event: FileSystemEvent) -> None:
        if event.event_type not in WATCHED_EVENTS:
            return
        target = getattr(event, "dest_path", "") or event.src_path
        path = Path(os.fsdecode(target))
        if event.event_type == "moved" and not self._ignored(Path(os.fsdecode(event.src_path))):
            self.tracker.note(Path(os.fsdecode(event.src_path)))  # renamed away: forget it
        if not self._ignored(path):
            self.tracker.note(path)

    def _ignored(self, path: Path) -> bool:
        try:
            parts = path.relative_to(self.root).parts
        except ValueError:
            return True  # moved out of the folder
        return not parts or any(is_ignored(part) for part in parts)


class SeedsWatcher:
    """A watchdog observer on ``seeds/`` (recursive) feeding a :class:`QuietTracker`."""

    def __init__(self, folder: Path, tracker: QuietTracker) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder.resolve()
        self._observer = Observer()
        self._observer.daemon = True
        self._observer.schedule(_SeedsHandler(self.folder, tracker), str(self.folder), recursive=True)

    def start(self) -> None:
        self._observer.start()

    def stop(self) -> None:
        self._observer.stop()
        self._observer.join(timeout=5)
