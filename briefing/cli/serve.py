"""``briefing serve``: the web view of the briefings, until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import sys

from briefing.cli.exits import EXIT_OK, EXIT_USAGE
from briefing.config import Settings
from briefing.printable import printable


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the archive, briefings, search, actors, calendar and feed; a remote bind needs a token."""
    from briefing.web import UnsafeBind, serve  # Starlette and uvicorn load only for this command

    def started(url: str) -> None:
        print(f"briefing serve: {url} (Ctrl-C stops)", file=sys.stderr, flush=True)

    try:
        serve(settings, host=args.host, port=args.port, started=started)
    except UnsafeBind as exc:
        print(f"briefing: {printable(exc)}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK
