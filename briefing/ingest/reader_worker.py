"""The child side of :mod:`briefing.ingest.sandbox`: limit this process, then read file after file.

Run as ``python -m briefing.ingest.reader_worker REQUESTS_FD REPLIES_FD MEMORY_MB`` by
the parent only. The readers and their libraries are loaded first (a fixed, trusted
cost), then the address space is capped, then each request ``(path, options)`` gets
one reply: ``("ok", items)``, ``("error", exception)`` or ``("memory", None)``, after
which this process ends with :data:`EXIT_MEMORY` (an allocation that failed half-way
may have left it in a bad state). ``("ready", None)`` is sent first, once loaded, so that
the parent's time limit counts reading only. It ends when the parent closes the pipe.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Sequence
from multiprocessing.connection import Connection
from typing import Any


def main(argv: Sequence[str]) -> int:
    # A terminal's Ctrl-C and a service manager's SIGTERM reach the whole process group;
    # the parent decides when to stop, and this process ends when its pipe closes.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    requests, replies = Connection(int(argv[0]), writable=False), Connection(int(argv[1]), readable=False)
    from briefing.ingest import ReadError, read_items
    from briefing.ingest.sandbox import EXIT_MEMORY

    _limit_memory(int(argv[2]))
    replies.send(("ready", None))
    while True:
        try:
            path, options = requests.recv()
        except (EOFError, OSError):
            return 0
        try:
            reply: tuple[str, Any] = ("ok", read_items(path, **options))
        except MemoryError:
            reply = ("memory", None)
        except ReadError as exc:
            reply = ("error", exc)
        except Exception as exc:  # a bug on an odd file: the parent reports it like any reader failure
            reply = ("error", RuntimeError(f"{type(exc).__name__}: {exc}"))
        try:
            replies.send(reply)
        except MemoryError:
            return EXIT_MEMORY
        if reply[0] == "memory":
            return EXIT_MEMORY


def _limit_memory(memory_mb: int) -> None:
    """Cap this process's address space and forbid core dumps (Unix; elsewhere only the parent's timeout holds)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not Unix
        return
    for limit, value in ((resource.RLIMIT_AS, memory_mb * 1024 * 1024), (resource.RLIMIT_CORE, 0)):
        hard = resource.getrlimit(limit)[1]
        soft = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(limit, (soft, hard))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
