"""The child side of :mod:`briefing.render.sandbox`: limit this process, then render one PDF.

Run as ``__main__`` with ``--parent PID ...`` by the parent only, through
:data:`briefing.render.sandbox.BOOTSTRAP` (which ties the child's life to the
parent's before anything is imported): the page comes on standard input, the PDF
goes to standard output. The tie is made again here (:func:`_die_with_parent`),
with a polling fallback where the kernel offers none. WeasyPrint and its libraries
are loaded first (a fixed, trusted cost; a library that cannot be mapped under a
tight limit would otherwise look like a missing one), then the limits are set,
then the page is read and laid out. A failure is one ``FAILED reason`` line on stderr and exit
status 3 (out of memory) or 4 (anything else).
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

EXIT_MEMORY = 3
EXIT_ERROR = 4


def _limit_self(memory_mb: int, cpu_seconds: int) -> None:
    """Limits for this process, set before any rendering (Unix; elsewhere only the parent's timeout holds)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not Unix
        return
    memory = memory_mb * 1024 * 1024
    for limit, value in (
        (resource.RLIMIT_AS, memory),
        (resource.RLIMIT_FSIZE, max(memory, 64 * 1024 * 1024)),
        (resource.RLIMIT_CPU, cpu_seconds),
        (resource.RLIMIT_CORE, 0),
    ):
        hard = resource.getrlimit(limit)[1]
        soft = value if hard == resource.RLIM_INFINITY else min(value, hard)
        # CPU: SIGXCPU at the soft limit, SIGKILL a second later should the signal be ignored
        top = soft + 1 if limit == resource.RLIMIT_CPU else soft
        resource.setrlimit(limit, (soft, top if hard == resource.RLIM_INFINITY else min(top, hard)))


PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Be killed when the parent dies, however it dies (SIGKILL included): no orphan keeps rendering.

    On Linux the kernel does it (``prctl(PR_SET_PDEATHSIG, SIGKILL)``): immediate,
    and nothing to run in this process. It fires when the parent *thread* that
    started this process ends; that thread waits in ``communicate()`` until this
    process ends, so only the parent's death ends it first. A parent that died
    before the call is caught by the check that follows. Elsewhere a thread polls
    the parent's id once a second.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        armed = sys.platform.startswith("linux") and libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        armed = False
    if os.getppid() != parent:
        os._exit(EXIT_ERROR)
    if not armed:

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1)
            os._exit(EXIT_ERROR)

        threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="briefing.render.pdf_worker", description="Render one PDF (internal).")
    parser.add_argument("--parent", type=int, required=True)
    parser.add_argument("--memory-mb", type=int, required=True)
    parser.add_argument("--cpu-seconds", type=int, required=True)
    parser.add_argument("--asset-dir", type=Path, action="append", default=[])
    args = parser.parse_args(argv)
    _die_with_parent(args.parent)
    # The PDF goes out on the real standard output; anything a library prints goes to stderr.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    from briefing.render.pdf import html_to_pdf

    # Layout makes millions of short-lived objects; Python's cyclic collector scanning them
    # cost about 15% of a 200-article PDF. This process is short-lived and memory-capped.
    gc.freeze()
    gc.set_threshold(100_000, 50, 50)
    _limit_self(args.memory_mb, args.cpu_seconds)
    try:
        pdf = html_to_pdf(sys.stdin.buffer.read().decode("utf-8"), args.asset_dir)
        out.write(pdf)
        out.flush()
    except MemoryError:
        print("FAILED out of memory", file=sys.stderr)
        return EXIT_MEMORY
    except Exception as exc:
        if isinstance(exc, OSError) and exc.errno == 12:  # ENOMEM from a C library
            print("FAILED out of memory", file=sys.stderr)
            return EXIT_MEMORY
        print(f"FAILED {type(exc).__name__}: {str(exc)[:500]}", file=sys.stderr)
        return EXIT_ERROR
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
