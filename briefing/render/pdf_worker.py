"""The child side of :mod:`briefing.render.sandbox`: limit this process, then render one PDF.

Run as ``python -m briefing.render.pdf_worker --html IN --out OUT ...`` by the
parent only. WeasyPrint and its libraries are loaded first (a fixed, trusted
cost; a library that cannot be mapped under a tight limit would otherwise look
like a missing one), then the limits are set, then the page is read and laid out. A failure is one ``FAILED reason`` line on stderr and exit
status 3 (out of memory) or 4 (anything else).
"""

from __future__ import annotations

import argparse
import gc
import logging
import sys
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


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="briefing.render.pdf_worker", description="Render one PDF (internal).")
    parser.add_argument("--html", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--memory-mb", type=int, required=True)
    parser.add_argument("--cpu-seconds", type=int, required=True)
    parser.add_argument("--asset-dir", type=Path, action="append", default=[])
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    from briefing.render.pdf import html_to_pdf

    # Layout makes millions of short-lived objects; Python's cyclic collector scanning them
    # cost about 15% of a 200-article PDF. This process is short-lived and memory-capped.
    gc.freeze()
    gc.set_threshold(100_000, 50, 50)
    _limit_self(args.memory_mb, args.cpu_seconds)
    try:
        pdf = html_to_pdf(args.html.read_text(encoding="utf-8"), args.asset_dir)
        args.out.write_bytes(pdf)
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
