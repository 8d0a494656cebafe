"""How long from a file landing in ``seeds/`` to the live view ``reports/live.html`` containing it, under ``briefing run``.

Runs the real service (watchdog, the quiet period, the ingest worker, the
live.html refresher, APScheduler) in a throw-away project, with the default
settings unless overridden. The store is first filled with ``--preload`` articles
from the corpus (so live.html has a realistic size) and briefed once, as a running
service's last scheduled briefing would have (so each drop is new since then, and the
live view never leaves it out for an older story), then ``--drops`` other
files are dropped one at a time: each is written outside ``seeds/`` and renamed
in, so it lands whole at one instant, and ``live.html`` is polled until it
names the file; the next drop follows ``--pause`` seconds later. The quiet period is part of the latency by design (a file is
read only once it has stopped changing for ``service.quiet_seconds``).

    .venv/bin/python -m bench.latency ../shared/eval/bbc-summary/articles
    .venv/bin/python -m bench.latency ../shared/eval/cnndm/dev.jsonl --quiet-seconds 0.5

CORPUS_PATH is a folder of article files (any format briefing reads) or a JSON
Lines file whose objects have an ``article`` or ``text`` field.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from briefing.config import load_settings
from briefing.ingest import default_readers
from briefing.pipeline import generate_briefing, ingest_folder
from briefing.service import Service

POLL_SECONDS = 0.005


def corpus_texts(path: Path, limit: int) -> list[tuple[str, bytes]]:
    """Up to ``limit`` distinct (suffix, content) pairs from the corpus, spread evenly across it."""
    if not path.exists():
        raise SystemExit(f"{path}: no such file or folder")
    if path.is_file():
        items = []
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                text = record.get("article") or record.get("text") or ""
                if text.strip():
                    items.append((".txt", text.encode("utf-8")))
    else:
        suffixes = set(default_readers())
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
        items = [(p.suffix.lower(), p.read_bytes()) for p in files]
    # One copy of each text: the BBC set holds some articles twice, and a drop that repeats a stored
    # article is stored as a duplicate under the first file's name, so live.html would never name it.
    unique = {b" ".join(item[1].split()): item for item in reversed(items)}
    items = [item for item in items if unique.get(b" ".join(item[1].split())) is item]
    if len(items) < limit:
        raise SystemExit(f"{path}: {len(items)} articles, the benchmark needs {limit}")
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.latency", description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, metavar="CORPUS_PATH")
    parser.add_argument("--drops", type=int, default=20, help="files dropped and timed, one at a time (20)")
    parser.add_argument("--preload", type=int, default=100, help="articles stored before timing starts (100)")
    parser.add_argument("--quiet-seconds", type=float, help="override service.quiet_seconds (default: the setting's)")
    parser.add_argument("--refresh-seconds", type=float, help="override service.refresh_seconds")
    parser.add_argument(
        "--pause",
        type=float,
        default=1.5,
        help="seconds between one drop showing up and the next drop (1.5); drops closer than"
        " service.refresh_seconds share the refresher's rate limit",
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="give up on one drop after this many seconds")
    parser.add_argument("--keep", action="store_true", help="keep the temporary project (its path is printed)")
    args = parser.parse_args(argv)

    texts = corpus_texts(args.corpus, args.preload + args.drops)
    project = Path(tempfile.mkdtemp(prefix="briefing-latency-"))
    seeds, staging = project / "seeds", project / "staging"
    seeds.mkdir()
    staging.mkdir()
    overrides: dict[str, object] = {"base_dir": str(project), "schedules": {}}
    if args.quiet_seconds is not None:
        overrides["service.quiet_seconds"] = args.quiet_seconds
    if args.refresh_seconds is not None:
        overrides["service.refresh_seconds"] = args.refresh_seconds
    settings = load_settings(env={}, overrides=overrides)

    for index, (suffix, content) in enumerate(texts[: args.preload]):
        (seeds / f"preload-{index:04d}{suffix}").write_bytes(content)
    started = time.perf_counter()
    preloaded = ingest_folder(settings)
    generate_briefing(settings, formats=(".html",))
    print(
        f"preloaded and briefed {len(preloaded.new)} article(s) in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )

    live = settings.reports_path / "live.html"  # the live view; latest.html stays the briefing made last
    service = Service(settings)
    service.start()
    latencies: list[float] = []
    try:
        for index, (suffix, content) in enumerate(texts[args.preload :]):
            name = f"drop-{index:02d}{suffix}"
            (staging / name).write_bytes(content)
            landed = time.perf_counter()
            os.replace(staging / name, seeds / name)
            while f"seeds/{name}" not in _read(live):
                if time.perf_counter() - landed > args.timeout:
                    raise SystemExit(f"{name}: not in live.html after {args.timeout:.0f} s")
                time.sleep(POLL_SECONDS)
            latencies.append(time.perf_counter() - landed)
            print(f"  {name}: {latencies[-1]:.3f} s", file=sys.stderr)
            time.sleep(args.pause)
    finally:
        service.stop()
        if args.keep:
            print(f"project kept in {project}", file=sys.stderr)
        else:
            shutil.rmtree(project, ignore_errors=True)

    service_settings = settings.service
    print(
        f"seed-to-live.html latency over {len(latencies)} drops (quiet_seconds={service_settings.quiet_seconds:g},"
        f" refresh_seconds={service_settings.refresh_seconds:g}, {args.preload} articles already stored,"
        f" {args.pause:g} s between drops):"
    )
    ordered = sorted(latencies)
    print(
        f"  median {statistics.median(latencies):.3f} s   min {ordered[0]:.3f} s   max {ordered[-1]:.3f} s"
        f"   p90 {ordered[int(0.9 * (len(ordered) - 1))]:.3f} s"
    )
    print(f"  median minus the quiet period: {statistics.median(latencies) - service_settings.quiet_seconds:.3f} s")
    return 0


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


if __name__ == "__main__":
    raise SystemExit(main())
