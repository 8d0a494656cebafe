"""One ``briefing run`` per state file and per reports folder: advisory locks next to each.

Two services on one state file would both make each scheduled briefing and mail
each digest twice, so the state file's lock (``<state_file>.run.lock``) is taken
first; the reports folder's (``reports/.briefing-run.lock``) keeps two services
with separate state files from writing the same ``live.html``, ``latest.*`` and archive.

A lock is the kernel's (``flock``), not the file's existence: it is released
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
    fcntl = None  # type: ignore[assignment]  # no such module off Unix: None says so, and mypy types a module never None

LOCK_NAME = ".briefing-run.lock"


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds a reports folder: the process id and when it started, as it wrote them."""

    pid: int | None
    started_at: str | None


class AlreadyRunning(Exception):
    """Another ``briefing run`` uses the same state file or serves the same reports folder."""

    def __init__(self, path: Path, holder: Holder, what: str | None = None) -> None:
        self.path = path
        self.holder = holder
        who = f"pid {holder.pid}" if holder.pid else "another process"
        since = f", running since {holder.started_at}" if holder.started_at else ""
        what = what or f"serves the reports folder {path.parent}"
        option = "state_file" if path.name.endswith(STATE_LOCK_SUFFIX) else "reports_dir"
        super().__init__(
            f"another `briefing run` ({who}{since}) already {what}; "
            f"stop it first, or give this one another {option} (lock: {path})"
        )


def lock_path(reports_dir: Path) -> Path:
    """The lock file of a reports folder."""
    return reports_dir / LOCK_NAME


STATE_LOCK_SUFFIX = ".run.lock"


def state_lock_path(state_file: Path) -> Path:
    """The lock file of a state file: beside it, named after it (two state files in one folder lock apart).

    The path is resolved first, so a state file reached through a symbolic link has the same lock.
    """
    real = state_file.resolve()
    return real.with_name(real.name + STATE_LOCK_SUFFIX)


class InstanceLock:
    """One single-instance lock file (a reports folder's by default). Use as a context manager or acquire/release."""

    def __init__(self, reports_dir: Path, path: Path | None = None, what: str | None = None) -> None:
        self.path = path or lock_path(reports_dir)
        self._what = what
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
                    raise AlreadyRunning(self.path, read_holder(self.path), self._what) from None
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


class ServiceLock:
    """What ``briefing run`` holds while it runs: its state file's lock, then its reports folder's."""

    def __init__(self, state_file: Path, reports_dir: Path) -> None:
        self._state_file = state_file
        self._reports_dir = reports_dir
        self._state = InstanceLock(reports_dir, state_lock_path(state_file), f"uses the state file {state_file}")
        self._reports = InstanceLock(reports_dir)

    def acquire(self) -> None:
        """Take both locks or raise :class:`AlreadyRunning`, naming what the other service holds."""
        try:
            self._state.acquire()
        except AlreadyRunning as exc:
            if running_service(self._reports_dir) == exc.holder:  # the same service: say it holds both
                what = f"uses the state file {self._state_file} and serves the reports folder {self._reports_dir}"
                raise AlreadyRunning(exc.path, exc.holder, what) from None
            raise
        try:
            self._reports.acquire()
        except BaseException:
            self._state.release()
            raise

    def release(self) -> None:
        self._reports.release()
        self._state.release()


def read_holder(path: Path) -> Holder:
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        data = {}
    pid = data.get("pid")
    return Holder(pid if isinstance(pid, int) else None, data.get("started_at"))


def running_service(reports_dir: Path, state_file: Path | None = None) -> Holder | None:
    """The ``briefing run`` serving ``reports_dir`` (or using ``state_file``, when given), or None when there is none."""
    if state_file is not None:
        holder = _holder(state_lock_path(state_file))
        if holder is not None:
            return holder
    return _holder(lock_path(reports_dir))


def _holder(path: Path) -> Holder | None:
    """Who holds the lock file ``path``, or None when nobody does."""
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
