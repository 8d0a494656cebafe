"""``briefing migrate``: the store's schema brought up to date, or a store copied into another (``--from``/``--to``)."""

from __future__ import annotations

import argparse
import sqlite3

from briefing.cli.exits import EXIT_OK, EXIT_USAGE
from briefing.config import Settings
from briefing.printable import printable
from briefing.store import MIGRATIONS, open_store
from briefing.store.copy import copy_store, open_url


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    """Migrate the configured store, or copy ``--from`` into ``--to`` and print each table's counts and checksums."""
    if bool(args.source) != bool(args.target):
        print("briefing: migrate copies a store only with both --from and --to", flush=True)
        return EXIT_USAGE
    if args.source:
        with open_url(args.source) as source, open_url(args.target) as target:
            print(f"copying {printable(source.location)} into {printable(target.location)}")
            tables = copy_store(source, target)
        print(f"{'table':<12} {'from':>8} {'to':>8}  checksum (sha256, first 16)  same")
        for t in tables:
            mark = "yes" if t.same else f"NO (to: {t.target_checksum[:16]})"
            print(f"{t.table:<12} {t.source_rows:>8} {t.target_rows:>8}  {t.source_checksum[:16]}            {mark}")
        if all(t.same for t in tables):
            print(f"all {len(tables)} tables copied whole: {sum(t.target_rows for t in tables)} rows")
            return EXIT_OK
        print("briefing: some tables differ after the copy (see above)")
        return 1
    if settings.state_url:
        from briefing.store.postgres import migrate_url

        before, after = migrate_url(settings.state_url)
    else:
        before = _sqlite_version(settings)
        with open_store(settings) as store:
            after = store.schema_version
        after = max(after, len(MIGRATIONS))
    with open_store(settings) as store:
        where = store.location
    done = "up to date" if before == after else f"migrated from version {before}"
    print(f"store {printable(where)}: schema version {after} ({done})")
    return EXIT_OK


def _sqlite_version(settings: Settings) -> int:
    if not settings.state_path.exists():
        return 0
    with sqlite3.connect(settings.state_path) as db:
        return int(db.execute("PRAGMA user_version").fetchone()[0])
