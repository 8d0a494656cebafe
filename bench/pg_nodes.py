"""Two ``briefing run`` nodes sharing one PostgreSQL store at the issue's size: 500 files into each folder,
100 of them the same articles in both, the leader SIGKILLed midway (the test runs 100 and 20).

    .venv/bin/python -m bench.pg_nodes [--each 500] [--shared 100]

Starts a throw-away PostgreSQL server and an SMTP server (the tests' own), runs
:func:`tests.pgnodes.run_two_nodes` and prints what it checks: articles and sources
stored against those expected, each per-minute briefing made once (and by which node),
the digests sent and received, and how long the takeover took after the SIGKILL.
"""

from __future__ import annotations

import argparse
import datetime as dt

from tests.mailserver import smtp_server
from tests.pgnodes import run_two_nodes
from tests.pgserver import binaries, throwaway_cluster


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--each", type=int, default=500)
    parser.add_argument("--shared", type=int, default=100)
    args = parser.parse_args()
    found = binaries()
    if found is None:
        raise SystemExit("PostgreSQL is not installed (initdb, pg_ctl): apt-get install postgresql")
    with throwaway_cluster(found, "bench-pg-nodes-") as (cluster, work):
        with smtp_server() as mail:
            outcome = run_two_nodes(work, cluster.database(), cluster.password, mail, args.each, args.shared)
        minutes = {dt.datetime.fromisoformat(c).replace(second=0, microsecond=0) for c, _ in outcome.briefings}
        print(
            f"articles {outcome.articles} (expected {outcome.expected_articles}),"
            f" sources {outcome.sources} (expected {outcome.expected_sources})"
        )
        for created, html in outcome.briefings:
            node = "east" if "/east/" in html else "west" if "/west/" in html else "?"
            print(f"  briefing {created} by {node}")
        print(
            f"briefings {len(outcome.briefings)}, scheduled times {len(minutes)} (each made once:"
            f" {len(minutes) == len(outcome.briefings)})"
        )
        print(
            f"digests: {outcome.sent_rows} sent rows for {outcome.with_articles} briefings with articles;"
            f" {len(outcome.messages)} messages received, {len(set(outcome.messages))} distinct"
        )
        print(f"takeover {outcome.took_over_seconds:.2f} s after the SIGKILL; timings {outcome.timings}")


if __name__ == "__main__":
    main()
