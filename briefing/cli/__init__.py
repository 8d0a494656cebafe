"""The command line: parses arguments, loads settings, calls a pipeline function, reports.

Exit status: 0 on success, 1 when some input failed, 2 for usage or configuration errors and for what
the machine stops (a damaged state store, a full disk, a folder that cannot be written): one line each.

    parser.py    the commands, their options and the types that check them
    commands.py  analyze, ingest, generate, calendar, status, run
    mail.py      send: a briefing's digest by e-mail, or the outbox's retries
    store.py     migrate: the store's schema, or a store copied into another
    serve.py     serve: the web view (briefing/web/)
    exits.py     the exit statuses every command returns
    errors.py    the one line that explains a damaged store, a full disk, an unwritable folder

The console script and ``python -m briefing`` call :func:`main`.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from briefing.cli.commands import cmd_analyze, cmd_calendar, cmd_generate, cmd_ingest, cmd_run, cmd_status
from briefing.cli.errors import describe_failure
from briefing.cli.exits import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, EXIT_USAGE
from briefing.cli.mail import cmd_send
from briefing.cli.parser import build_parser
from briefing.cli.serve import cmd_serve
from briefing.cli.store import cmd_migrate
from briefing.config import ConfigError, Settings, load_settings
from briefing.deliver.send import withhold_password
from briefing.printable import PrintableFormatter, printable
from briefing.render import TemplateError
from briefing.store import withhold_state_password

COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "analyze": cmd_analyze,
    "ingest": cmd_ingest,
    "generate": cmd_generate,
    "send": cmd_send,
    "status": cmd_status,
    "run": cmd_run,
    "calendar": cmd_calendar,
    "migrate": cmd_migrate,
    "serve": cmd_serve,
}
"""Each command's function, by the name the parser gives it."""


def main(argv: Sequence[str] | None = None) -> int:
    """Parse, load the settings, run one command; expected failures become a one-line message and an exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(PrintableFormatter("%(levelname)s %(name)s: %(message)s"))  # names may hold escapes
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, handlers=[handler])
    overrides: dict[str, object] = {}
    if getattr(args, "key_points", None):
        overrides["analysis.key_points"] = args.key_points
    if getattr(args, "days", None):
        overrides["briefing_days"] = args.days
    if getattr(args, "template", None):
        overrides["templates_dir"] = str(args.template.resolve())
    if getattr(args, "out", None):
        overrides["reports_dir"] = str(args.out.resolve())
    try:
        settings = load_settings(args.config, overrides=overrides)
    except ConfigError as exc:
        print(f"briefing: {exc}", file=sys.stderr)
        return EXIT_USAGE
    withhold_password(settings)  # no child process (PDF renderer, worker pool) inherits it
    withhold_state_password()  # nor the PostgreSQL store's
    try:
        return COMMANDS[args.command](args, settings)
    except TemplateError as exc:
        print(f"briefing: {printable(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:  # every article is its own transaction: what was stored stays
        print("\nbriefing: interrupted; what was stored is kept, and the next run carries on", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`briefing analyze --json ... | head -1`): stop quietly, with the status a
        # process ended by SIGPIPE has, as other command-line tools do. Whatever is still buffered goes nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except Exception as exc:  # the machine, not the input: a damaged store, a full disk, an unwritable folder
        message = describe_failure(exc, settings)
        if message is None:
            raise  # not an error anyone expects: a bug, and its traceback is what a bug report needs
        print(f"briefing: {message}", file=sys.stderr)
        return EXIT_USAGE
