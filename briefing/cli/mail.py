"""``briefing send``: a stored briefing's digest by e-mail, a dry run into .eml files, or the outbox's retries.

Apart from the other commands because it alone talks to :mod:`briefing.delivery`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from briefing.cli.exits import EXIT_INPUT, EXIT_OK, EXIT_USAGE
from briefing.config import Settings
from briefing.delivery import DeliveryConfigError, deliver_outbox, find_briefing, preview_digest, send_digest


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
            folder = args.output or (Path(record.html_path).parent if record.html_path else Path.cwd())
            for path in preview_digest(settings, record, recipients, folder):
                print(f"wrote {path}")
            return EXIT_OK
        result = send_digest(
            settings, record, recipients, skip_if_nothing_new=False, retry_failed=True, wait=not args.no_wait
        )
    except DeliveryConfigError as exc:
        print(f"briefing: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"{result.subject} (briefing of {made})")
    if result.note:
        print(f"  note: {result.note}")
    for row in result.already_sent:
        when = row.sent_at.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M %Z") if row.sent_at else "earlier"
        print(f"  already sent  {row.recipient} on {when}; not sent twice")
    for row in result.deliveries:
        if row.status == "sent":
            print(f"  sent          {row.recipient}")
        elif row.status == "pending":
            retry = row.next_attempt_at.astimezone(settings.tz).strftime("%H:%M:%S %Z")
            print(f"  will retry    {row.recipient} at {retry}: {row.last_error}")
        else:
            print(f"  failed        {row.recipient}: {row.last_error}")
    return EXIT_OK if result.ok else EXIT_INPUT
