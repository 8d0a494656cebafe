"""``briefing serve``: the web view of the briefings, until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator

from briefing.cli.exits import EXIT_OK, EXIT_USAGE
from briefing.config import Settings
from briefing.printable import printable


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the archive, briefings, search, actors, calendar and feed; a remote bind needs a token."""
    from briefing.web import UnsafeBind, serve  # Starlette and uvicorn load only for this command

    if settings.state_url:
        print(f"briefing: {NOT_ON_POSTGRES}", file=sys.stderr)
        return EXIT_USAGE

    def started(url: str) -> None:
        print(f"briefing serve: {url} (Ctrl-C stops)", file=sys.stderr, flush=True)

    try:
        serve(settings, host=args.host, port=args.port, started=started)
    except UnsafeBind as exc:
        print(f"briefing: {printable(exc)}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


NOT_ON_POSTGRES = (
    "the web view reads a SQLite store (state_file) and its search index; it does not read a PostgreSQL"
    " store (state_url) yet"
)
"""Why ``serve`` refuses a PostgreSQL store (its search is SQLite FTS5) rather than open an unrelated file."""


class UnsafeBind(ValueError):
    """Stands for :class:`briefing.web.UnsafeBind` until the web view is imported (only when it is used)."""


@contextlib.contextmanager
def web_view_beside(settings: Settings) -> Iterator[None]:
    """``briefing run`` with ``serve.enabled``: the web view in a thread for as long as the service runs."""
    if not settings.serve.enabled:
        yield
        return
    if settings.state_url:
        raise UnsafeBind(NOT_ON_POSTGRES)
    from briefing import web

    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(web.beside(settings))
        except web.UnsafeBind as exc:
            raise UnsafeBind(str(exc)) from exc
        print(f"briefing run: the web view is at {url}", file=sys.stderr, flush=True)
        yield
