"""The child side of :mod:`briefing.render.sandbox`: limit this process, then render PDFs.

Run as ``__main__`` with ``--parent PID ...`` by the parent only, through
:data:`briefing.render.sandbox.BOOTSTRAP` (which ties the child's life to the
parent's before anything is imported): requests come on standard input (a JSON
header line naming the sizes, the PDF variant and the CPU budget, then the page
and the attachments), answers go to standard output (a JSON header line, then the
PDF), one after another until the parent closes the pipe (:func:`serve`). The tie is made again here (:func:`_die_with_parent`),
with a polling fallback where the kernel offers none. WeasyPrint and its libraries
are loaded first (a fixed, trusted cost; a library that cannot be mapped under a
tight limit would otherwise look like a missing one), then the limits are set,
then pages are read and laid out. A failure is answered (status 3, out of memory, or 4,
anything else) and ends the process: the parent starts a fresh one for the next PDF.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import logging
import math
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

from briefing.render.pdf_types import PdfAttachment

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


MAX_HEADER = 1 << 20
"""Longest request header line the worker reads (the header only names sizes and options)."""


def read_request(stream: BinaryIO) -> tuple[dict[str, Any], str, tuple[PdfAttachment, ...]] | None:
    """One request from the parent: a JSON header line, then the page and the attachments; None at the end."""
    line = stream.readline(MAX_HEADER)
    if not line:
        return None
    header = json.loads(line)
    html = _read_exact(stream, int(header["html"])).decode("utf-8")
    attachments = tuple(
        PdfAttachment(str(item["name"]), _read_exact(stream, int(item["size"])), str(item["description"]))
        for item in header.get("attachments", ())
    )
    return header, html, attachments


def _read_exact(stream: BinaryIO, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise EOFError("the request ended early")
    return data


def write_response(
    out: BinaryIO, status: int, pdf: bytes = b"", reason: str = "", messages: Sequence[str] = ()
) -> None:
    """The answer: a JSON header line (status, size, reason, log lines), then the PDF."""
    header = {"status": status, "size": len(pdf), "reason": reason, "log": list(messages)[-50:]}
    out.write(json.dumps(header).encode("utf-8") + b"\n" + pdf)
    out.flush()


def _cpu_budget(seconds: int) -> None:
    """Allow this request ``seconds`` more of processor time: SIGXCPU ends the process past it.

    A warm worker's CPU time adds up over its renders, so the soft limit moves up
    by each request's budget from what it has used so far; the hard limit stays.
    """
    try:
        import resource
    except ImportError:  # pragma: no cover - not Unix
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = math.ceil(usage.ru_utime + usage.ru_stime)
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    soft = used + seconds if hard == resource.RLIM_INFINITY else min(used + seconds, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


class _Collect(logging.Handler):
    """Keeps the log lines of the request being rendered, for the answer."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} {record.name}: {record.getMessage()}"[:1000])


def serve(source: BinaryIO, out: BinaryIO, asset_dirs: Sequence[Path], max_renders: int) -> int:
    """Render requests one after another until the parent closes the pipe; stop at the first failure."""
    from briefing.render.pdf import html_to_pdf
    from briefing.render.pdf_types import PdfOptions

    collect = _Collect()
    logging.getLogger().addHandler(collect)
    for _ in range(max_renders):
        collect.lines = []
        try:
            request = read_request(source)
            if request is None:
                return 0
            header, html, attachments = request
            _cpu_budget(int(header["cpu_seconds"]))
            pdf = html_to_pdf(html, asset_dirs, PdfOptions(str(header["variant"]), attachments))
        except MemoryError:
            write_response(out, EXIT_MEMORY, reason="out of memory", messages=collect.lines)
            return EXIT_MEMORY
        except Exception as exc:
            if isinstance(exc, OSError) and exc.errno == 12:  # ENOMEM from a C library
                write_response(out, EXIT_MEMORY, reason="out of memory", messages=collect.lines)
                return EXIT_MEMORY
            write_response(out, EXIT_ERROR, reason=f"{type(exc).__name__}: {str(exc)[:500]}", messages=collect.lines)
            return EXIT_ERROR
        write_response(out, 0, pdf, messages=collect.lines)
        del pdf, html, attachments
        gc.collect()  # between renders, while the parent writes the files: the next page starts clean
    return 0


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="briefing.render.pdf_worker", description="Render PDFs (internal).")
    parser.add_argument("--parent", type=int, required=True)
    parser.add_argument("--memory-mb", type=int, required=True)
    parser.add_argument("--cpu-seconds", type=int, required=True)
    parser.add_argument("--max-renders", type=int, default=1)
    parser.add_argument("--asset-dir", type=Path, action="append", default=[])
    args = parser.parse_args(argv)
    _die_with_parent(args.parent)
    # The answers go out on the real standard output; anything a library prints goes to stderr.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    import briefing.render.pdf  # noqa: F401  (WeasyPrint and its libraries, before the limits)

    # Layout makes millions of short-lived objects; Python's cyclic collector scanning them
    # cost about 15% of a 200-article PDF. The worker collects between renders instead.
    gc.freeze()
    gc.set_threshold(100_000, 50, 50)
    _limit_self(args.memory_mb, args.cpu_seconds)
    return serve(sys.stdin.buffer, out, args.asset_dir, args.max_renders)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
