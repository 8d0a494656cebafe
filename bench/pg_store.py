"""The PostgreSQL store beside SQLite: 10,000 articles ingested with 2 workers into each, and the weekly compose.

    .venv/bin/python -m bench.pg_store ../shared/eval/bbc-summary/articles ../shared/eval/cnndm/dev.jsonl \\
        [--count 10000] [--workers 2]

Builds the corpus of ``bench.scale`` (distinct articles, dated over the past week) in a
throw-away folder, starts a throw-away PostgreSQL server there (``tests.pgserver``: the
tests' cluster, fsync off as for tests; as the ``postgres`` user when run as root), and
for each backend, in a fresh project: ``ingest_folder`` with ``--workers`` analysis
processes (wall time, articles per second); the store's share of the weekly briefing
(``articles`` of the week: every article with its analysis), the weekly compose itself
(``collect_and_compose``, that read included) and the calendar's query (``events_ahead``
over everything), each timed on a store opened for it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import time
from pathlib import Path

from bench.corpus import load_bases, write_corpus
from briefing.config import Settings, load_settings
from briefing.model import Period
from briefing.pipeline import collect_and_compose, ingest_folder
from briefing.store import open_store
from tests.pgserver import binaries, throwaway_cluster


def project(root: Path, corpus: list[Path], workers: int, state_url: str | None) -> Settings:
    seeds = root / "seeds"
    seeds.mkdir(parents=True)
    for path in corpus:
        shutil.copy(path, seeds / path.name)
    (root / "reports").mkdir()
    overrides: dict[str, object] = {
        "base_dir": str(root),
        "timezone": "UTC",
        "schedules": {"weekly": {"cron": "0 8 * * mon"}},
        "analysis.workers": workers,
    }
    if state_url:
        overrides["state_url"] = state_url
    return load_settings(env={}, overrides=overrides)


def measure(settings: Settings) -> dict[str, float]:
    began = time.perf_counter()
    report = ingest_folder(settings)
    ingest = time.perf_counter() - began
    now = dt.datetime.now(dt.UTC)
    week = Period(now - dt.timedelta(days=7), now)
    began = time.perf_counter()
    with open_store(settings) as store:  # the store's share of the weekly briefing: the week's articles
        collected = store.articles(week)
    collect = time.perf_counter() - began
    began = time.perf_counter()
    with open_store(settings) as store:
        events = store.events_ahead(now.date(), since=now.date() - dt.timedelta(days=400))
    calendar = time.perf_counter() - began
    began = time.perf_counter()
    try:
        with open_store(settings) as store:
            stored, _briefing = collect_and_compose(store, week, now)
        compose, in_briefing = time.perf_counter() - began, len(stored)
    except Exception as exc:  # compose's own failure is no store's: report it, keep the store's figures
        print(f"compose failed ({type(exc).__name__}: {exc})", flush=True)
        compose, in_briefing = float("nan"), 0
    return {
        "stored": len(report.new),
        "ingest": ingest,
        "per_second": len(report.new) / ingest,
        "collect": collect,
        "collected": len(collected),
        "compose": compose,
        "in_briefing": in_briefing,
        "calendar": calendar,
        "events": len(events),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="+", type=Path)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    found = binaries()
    if found is None:
        raise SystemExit("PostgreSQL is not installed (initdb, pg_ctl): apt-get install postgresql")
    with throwaway_cluster(found, "bench-pg-") as (cluster, work):
        corpus = write_corpus(load_bases(args.corpora), work / "corpus", args.count, dt.date.today())
        results = {}
        for name in ("sqlite", "postgresql"):
            url = cluster.database("bench") if name == "postgresql" else None
            results[name] = measure(project(work / name, corpus, args.workers, url))
            print(name, {k: round(v, 2) for k, v in results[name].items()}, flush=True)
        print(f"\n{args.count} articles, {args.workers} workers, load average {os.getloadavg()[0]:.1f}")
        print(
            "| store | ingest + analysis | articles/s | the week's articles read | weekly compose (read included)"
            " | calendar query (events) |"
        )
        print("|---|---:|---:|---:|---:|---:|")
        for name, r in results.items():
            print(
                f"| {name} | {r['ingest']:.1f} s | {r['per_second']:.0f} | {r['collect']:.2f} s ({r['collected']:,.0f})"
                f" | {r['compose']:.2f} s ({r['in_briefing']:,.0f}) | {r['calendar'] * 1000:.0f} ms ({r['events']:,.0f}) |"
            )


if __name__ == "__main__":
    main()
