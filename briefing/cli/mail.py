"""``briefing send``: a stored briefing's digest by e-mail, a dry run into .eml files, or the outbox's retries.

Apart from the other commands because it alone talks to :mod:`briefing.deliver.send`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from briefing.cli.exits import EXIT_INPUT, EXIT_OK, EXIT_USAGE
from briefing.config import Settings
from briefing.deliver.send import DeliveryConfigError, deliver_outbox, find_briefing, preview_digest, send_digest
from briefing.printable import printable


def cmd_send(args: argparse.Namespace, settings: Settings) -> int:
    """``briefing send``: the digest now, to ``--to`` or the schedule's recipients; failed rows are tried again."""
    try:
        if args.pending:
            stats = deliver_outbox(settings)
            print(f"outbox: {stats.sent} sent, {stats.deferred} to retry later, {stats.failed} failed")
            return EXIT_OK if not stats.failed else EXIT_INPUT
        record = find_briefing(settings, args.briefing)
        if record is None:
            when = f" made on {args.briefing}" if args.briefing else ""
            print(f"briefing: no briefing{when} to send; run `briefing generate` first", file=sys.stderr)
            return EXIT_INPUT
        schedule = settings.schedules.get(record.schedule) if record.schedule else None
        recipients = args.to or (schedule.recipients if schedule else [])
        made = record.created_at.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M %Z")
        if args.dry_run:
            if not recipients:
                print(
                    "briefing: warning: no recipients (give --to or set the schedule's recipients);"
                    " the preview has no To: header",
                    file=sys.stderr,
                )
            folder = args.output or (Path(record.html_path).parent if record.html_path else Path.cwd())
            for path in preview_digest(settings, record, recipients, folder):
                print(f"wrote {printable(path)}")
            return EXIT_OK
        result = send_digest(
            settings, record, recipients, skip_if_nothing_new=False, retry_failed=True, wait=not args.no_wait
        )
    except DeliveryConfigError as exc:
        print(f"briefing: {printable(exc)}", file=sys.stderr)
        return EXIT_USAGE
    print(f"{printable(result.subject)} (briefing of {made})")  # servers' replies and names are shown escaped
    if result.note:
        print(f"  note: {printable(result.note)}")
    for row in result.already_sent:
        when = row.sent_at.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M %Z") if row.sent_at else "earlier"
        print(f"  already sent  {printable(row.recipient)} on {when}; not sent twice")
    for row in result.deliveries:
        if row.status == "sent":
            print(f"  sent          {printable(row.recipient)}")
        elif row.status == "pending":
            retry = row.next_attempt_at.astimezone(settings.tz).strftime("%H:%M:%S %Z")
            print(f"  will retry    {printable(row.recipient)} at {retry}: {printable(row.last_error)}")
        else:
            print(f"  failed        {printable(row.recipient)}: {printable(row.last_error)}")
    return EXIT_OK if result.ok else EXIT_INPUT
