"""One ``briefing run`` per reports folder: an advisory lock on ``reports/.briefing-run.lock``.

The lock is the kernel's (``flock``), not the file's existence: it is released
the moment the holding process ends, however it ends (SIGKILL, a crash, a power
cut), so a stale lock never blocks a restart. The file carries the holder's pid
and start time for the message a second instance prints. POSIX only.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # not POSIX: no `briefing run`, and nothing ever holds a lock
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".briefing-run.lock"


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds a reports folder: the process id and when it started, as it wrote them."""

    pid: int | None
    started_at: str | None


class AlreadyRunning(Exception):
    """Another ``briefing run`` serves the same reports folder."""

    def __init__(self, path: Path, holder: Holder) -> None:
        self.path = path
        self.holder = holder
        who = f"pid {holder.pid}" if holder.pid else "another process"
        since = f", running since {holder.started_at}" if holder.started_at else ""
        super().__init__(
            f"another `briefing run` ({who}{since}) already serves {path.parent}; "
            f"stop it first, or give this one another reports_dir (lock: {path})"
        )


def lock_path(reports_dir: Path) -> Path:
    return reports_dir / LOCK_NAME


class InstanceLock:
    """The single-instance lock of one reports folder. Use as a context manager or acquire/release."""

    def __init__(self, reports_dir: Path) -> None:
        self.path = lock_path(reports_dir)
        self._handle: IO[str] | None = None

    def acquire(self, attempts: int = 5) -> None:
        """Take the lock or raise :class:`AlreadyRunning`.

        A few quick retries cover a ``briefing status`` probing the lock at the same instant.
        """
        if fcntl is None:
            raise OSError("`briefing run` needs a POSIX system (Linux, macOS, BSD) for its single-instance lock")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held open for the lock's lifetime
        for attempt in range(attempts):
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if attempt == attempts - 1:
                    handle.close()
                    raise AlreadyRunning(self.path, read_holder(self.path)) from None
                time.sleep(0.05)
        handle.seek(0)
        handle.truncate()
        started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        handle.write(json.dumps({"pid": os.getpid(), "started_at": started}))
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is None:
            return
        try:
            self._handle.seek(0)
            self._handle.truncate()
            fcntl.flock(self._handle, fcntl.LOCK_UN)
        finally:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def read_holder(path: Path) -> Holder:
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        data = {}
    pid = data.get("pid")
    return Holder(pid if isinstance(pid, int) else None, data.get("started_at"))


def running_service(reports_dir: Path) -> Holder | None:
    """The ``briefing run`` serving ``reports_dir``, or None when there is none."""
    path = lock_path(reports_dir)
    if fcntl is None:
        return None
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        return None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return read_holder(path)
        fcntl.flock(handle, fcntl.LOCK_UN)
    return None
