"""Reading files in a child process with a time limit and a memory limit.

A reader parses untrusted bytes with libraries (YAML, HTML, e-mail, JSON) that can be
made to take minutes or gigabytes by a file of a few hundred bytes. So files are read
in one long-lived child process that limits its own address space (``RLIMIT_AS``)
and that the parent kills when a read takes longer than the time limit. Either way
the parent gets the file's items or a :class:`ReadError` with the reason, and goes on
with the next file; the child is started again, lazily, for the next read.

The child is started once per process and set of limits (starting Python and its
parsing libraries costs about half a second), then serves read after read: a round
trip adds about 2 ms per file (pickling the articles, waking two processes). It ignores SIGINT and SIGTERM, which
a terminal or a service manager sends to the whole process group: the parent
decides when to stop, and the child ends when its pipe to the parent closes, also
when the parent is killed.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from briefing.ingest.base import ReadError

START_SECONDS = 120.0
"""How long the reader process may take to start (Python and the parsing libraries, on a busy machine)."""

EXIT_MEMORY = 3
"""The reader process's exit status after it ran out of memory (see :mod:`briefing.ingest.reader_worker`)."""


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """How long, and how much memory, reading one file may take."""

    seconds: float = 30.0
    memory_mb: int = 1024


class _Child:
    """The reading process (``python -m briefing.ingest.reader_worker``) and the parent's ends of its two pipes."""

    def __init__(self, limits: ReadLimits) -> None:
        self.owner = os.getpid()
        self.ready = False
        to_child, from_parent = os.pipe()
        to_parent, from_child = os.pipe()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "briefing.ingest.reader_worker",
                str(to_child),
                str(from_child),
                str(limits.memory_mb),
            ],
            pass_fds=(to_child, from_child),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
        os.close(to_child)
        os.close(from_child)
        self.requests = Connection(from_parent, readable=False)
        self.replies = Connection(to_parent, writable=False)

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        self.requests.close()
        self.replies.close()
        if self.alive():
            self.process.kill()
        self.process.wait(timeout=5)


_lock = threading.Lock()
_children: dict[ReadLimits, _Child] = {}


def read_in_child(path: Path, limits: ReadLimits, options: dict[str, Any]) -> list[Any]:
    """:func:`briefing.ingest.read_items` of ``path`` with ``options``, run in the limited child.

    Raises :class:`ReadError` when the file is refused, or when reading it passes a limit.
    A child killed by a signal (the kernel's OOM killer, an operator, a crash in a C
    parser) is not blamed on the file at once: a fresh child reads it once more, and
    only a second death on the same file is its failure, so a kill from outside never
    costs a good article.
    """
    for attempt in (1, 2):
        try:
            outcome, value = _read_once(path, limits, options)
        except _Killed as killed:
            if attempt == 1:
                continue
            raise ReadError(
                f"the reader process was killed twice on this file (signal {-killed.code}; memory limit"
                f" {limits.memory_mb} MB, setting read_memory_mb)"
            ) from None
        if outcome == "ok":
            items: list[Any] = value
            return items
        raise value
    raise AssertionError("unreachable")  # pragma: no cover


class _Killed(Exception):
    """The child died by a signal while reading."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _read_once(path: Path, limits: ReadLimits, options: dict[str, Any]) -> tuple[str, Any]:
    """One read in the child: its ``(outcome, value)`` reply; :class:`_Killed` if a signal ended it."""
    with _lock:
        child = _children.get(limits)
        if child is None or not child.alive():
            if child is not None:
                _drop(limits)
            child = _children[limits] = _Child(limits)
        if not child.ready:
            _wait_until_ready(child, limits)
        try:
            child.requests.send((path, options))
            if not child.replies.poll(limits.seconds):
                _drop(limits)
                raise ReadError(
                    f"reading stopped after {limits.seconds:g} s, the time limit (setting read_timeout_seconds)"
                )
            outcome, value = child.replies.recv()
        except (EOFError, OSError):  # the child died: out of memory, killed, or crashed on this file
            try:
                code = child.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                code = None
            _drop(limits)
            if code is not None and code < 0:
                raise _Killed(code) from None
            raise ReadError(
                f"reading needed more than {limits.memory_mb} MB of memory, the limit (setting read_memory_mb)"
                if code is None or code == EXIT_MEMORY
                else f"the reader process ended unexpectedly (status {code})"
            ) from None
        if outcome == "memory":  # the child ends itself: what failed half-way may have left it in a bad state
            _drop(limits)
            raise ReadError(
                f"reading needed more than {limits.memory_mb} MB of memory, the limit (setting read_memory_mb)"
            )
    return outcome, value


def _wait_until_ready(child: _Child, limits: ReadLimits) -> None:
    """Wait for a new child to load (starting is not reading: the time limit counts from then).

    A child that cannot start is no file's fault: :class:`OSError`, which callers treat
    like a disk error (the file is tried again later).
    """
    try:
        if child.replies.poll(START_SECONDS):
            child.replies.recv()
            child.ready = True
            return
        problem = f"did not start within {START_SECONDS:g} s"
    except (EOFError, OSError):
        problem = f"ended while starting (status {child.process.poll()})"
    _drop(limits)
    raise OSError(f"the reader process {problem}")


def _drop(limits: ReadLimits) -> None:
    """Stop the child for ``limits`` (the caller holds the lock); the next read starts a new one."""
    child = _children.pop(limits, None)
    if child is not None and child.owner == os.getpid():  # a forked copy of this process leaves it alone
        child.stop()


@atexit.register
def _stop_all() -> None:
    with _lock:
        for limits in list(_children):
            _drop(limits)
