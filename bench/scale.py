"""Scale: 1,000 to 10,000 articles through the whole pipeline, and a path past one machine.

    .venv/bin/python -m bench.scale ../shared/eval/bbc-summary/articles ../shared/eval/cnndm/dev.jsonl \\
        [--sizes 1000,5000,10000] [--workers N] [--sample 300] [--dask-articles 1000] [--drops 5]

Builds a corpus of distinct articles (:mod:`bench.corpus`: the real articles, then splices
of two) as seed files in a throw-away folder, never in the repository. For each size, in a
fresh project:

- ingest + analysis: ``ingest_folder`` with ``--workers`` worker processes (default: one
  per core), every article stored in its own transaction; wall time, articles per second,
  and CPU seconds of the whole process tree (this process, the worker pool);
- compose and render a weekly briefing of all of them (``collect_and_compose``, then
  ``render_briefing``: HTML and PDF, the PDF in its limited child process);
- the live view with every article in it (``refresh_live`` before any scheduled briefing:
  what ``briefing run`` rewrites after each new article when the current period holds them all);
- peak memory: the largest sum of resident memory over the whole process tree (this
  process, the forkserver, the workers, the PDF child), sampled 20 times a second; shared
  pages count once per process, so it overstates a little.

Then, in the same run:

- analysis cost per article: CPU time of the whole analysis (``analyse``: sentences, key
  points, actors, times, events) beside sumy's LexRank alone on the same articles'
  sentences (as ``bench.keypoints`` times it), in this process, over ``--sample`` articles;
- the same batch on a Dask cluster (a ``LocalCluster`` of ``--workers`` processes): the
  first ``--dask-articles`` articles ingested through ``--executor dask://...`` must store
  exactly the analyses the local run stored;
- latency at the largest size: the weekly briefing above is recorded as the ``weekly``
  schedule's, the service (``briefing run``, default settings) starts on the full store,
  and ``--drops`` new articles are dropped into ``seeds/`` one at a time; the time until
  the live view ``reports/live.html`` (the current period's briefing so far) names each is printed.

Wall times depend on what else the machine runs; CPU times much less so (both are shown,
with the load average).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from bench.corpus import load_bases, write_corpus
from briefing.batch.executors import default_workers
from briefing.config import Settings, load_settings
from briefing.ingest import read_articles
from briefing.model import Period
from briefing.nlp import analyse
from briefing.nlp.keypoints import key_points
from briefing.nlp.sentences import split_sentences
from briefing.pipeline import (
    analysis_options,
    collect_and_compose,
    generate_briefing,
    ingest_folder,
    refresh_live,
)
from briefing.render import render_briefing
from briefing.service import Service

POLL_SECONDS = 0.01


class TreeMonitor:
    """Samples the whole process tree: the peak of its summed resident memory, and its CPU seconds."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.root = psutil.Process()
        self.peak = 0
        self._cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _processes(self) -> list[psutil.Process]:
        try:
            return [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return [self.root]

    def sample(self) -> None:
        total = 0
        for process in self._processes():
            try:
                with process.oneshot():
                    total += process.memory_info().rss
                    times = process.cpu_times()
                    self._cpu[process.pid] = times.user + times.system
            except psutil.Error:
                continue
        self.peak = max(self.peak, total)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def cpu_seconds(self) -> float:
        return sum(self._cpu.values())

    def __enter__(self) -> TreeMonitor:
        self.sample()
        self._start_cpu = self.cpu_seconds()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    @property
    def cpu(self) -> float:
        return self.cpu_seconds() - self._start_cpu


@dataclass
class Row:
    size: int
    stored: int = 0
    ingest_wall: float = 0.0
    ingest_cpu: float = 0.0
    compose: float = 0.0
    render: float = 0.0
    render_cpu: float = 0.0
    pages: int = 0
    live: float = 0.0
    peak: int = 0
    notes: list[str] = field(default_factory=list)


def project_with(corpus: list[Path], root: Path, workers: int, executor: str = "processes") -> Settings:
    """A fresh project whose seeds are the first articles of the corpus (hard links, nothing copied)."""
    seeds = root / "seeds"
    seeds.mkdir(parents=True)
    for path in corpus:
        os.link(path, seeds / path.name)
    return load_settings(
        env={},
        overrides={
            "base_dir": str(root),
            "timezone": "UTC",
            "schedules": {"weekly": {"cron": "0 8 * * mon"}},
            "analysis.workers": workers,
            "analysis.executor": executor,
        },
    )


def run_size(corpus: list[Path], root: Path, workers: int) -> tuple[Row, Settings]:
    row = Row(len(corpus))
    settings = project_with(corpus, root, workers)
    with TreeMonitor() as monitor:
        began = time.perf_counter()
        report = ingest_folder(settings)
        row.ingest_wall = time.perf_counter() - began
    row.ingest_cpu, row.stored, row.peak = monitor.cpu, len(report.new), monitor.peak
    if report.failed:
        row.notes.append(f"{len(report.failed)} failed: {report.failed[:3]}")

    from briefing.store import Store

    now = dt.datetime.now(dt.UTC)
    period = Period(now - dt.timedelta(days=7), now)
    with TreeMonitor() as monitor:
        began = time.perf_counter()
        with Store(settings.state_path) as store:
            stored, briefing = collect_and_compose(store, period, now, max_stories=settings.report.max_stories)
        composed = time.perf_counter()
        rendered = render_briefing(briefing, settings.reports_path, settings=settings.report)
        row.compose, row.render = composed - began, time.perf_counter() - composed
    row.render_cpu, row.peak = monitor.cpu, max(row.peak, monitor.peak)
    if rendered.errors:
        row.notes.append(f"render errors: {rendered.errors}")
    if rendered.pdf_path:
        from pypdf import PdfReader

        row.pages = len(PdfReader(str(rendered.pdf_path)).pages)
    if len(stored) != row.stored:
        row.notes.append(f"the briefing holds {len(stored)} of {row.stored} articles")
    with TreeMonitor() as monitor:  # no scheduled briefing yet: the live view holds every article
        began = time.perf_counter()
        refresh_live(settings)
        row.live = time.perf_counter() - began
    row.peak = max(row.peak, monitor.peak)
    return row, settings


def analysis_cost(corpus: list[Path], sample: int) -> tuple[float, float, int]:
    """CPU ms per article: the whole analysis, and sumy LexRank alone on the same sentences."""
    step = max(1, len(corpus) // sample)
    articles = [read_articles(p, max_bytes=5_000_000)[0] for p in corpus[::step][:sample]]
    options = analysis_options(load_settings(env={}, overrides={}))
    for article in articles[:5]:  # load the models and word lists before timing
        analyse(article, options)
        key_points(split_sentences(article.text), 3, "lexrank")
    sentences = [split_sentences(a.text) for a in articles]

    def cpu(action: object, repeat: int = 3) -> float:
        best = float("inf")
        for _ in range(repeat):
            began = time.process_time()
            action()  # type: ignore[operator]
            best = min(best, time.process_time() - began)
        return best * 1000 / len(articles)

    whole = cpu(lambda: [analyse(a, options) for a in articles])
    lexrank = cpu(lambda: [key_points(s, 3, "lexrank") for s in sentences])
    return whole, lexrank, len(articles)


def dask_equality(corpus: list[Path], root: Path, workers: int, reference: Path) -> str:
    """Ingest ``corpus`` on a local Dask cluster; compare its analyses with those the local run stored."""
    try:
        from distributed import LocalCluster
    except ImportError:
        return "skipped: the dask extra is not installed (pip install -e '.[dask]')"
    with LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    ) as cluster:
        address = cluster.scheduler_address.removeprefix("tcp://")
        settings = project_with(corpus, root, workers, executor=f"dask://{address}")
        began = time.perf_counter()
        report = ingest_folder(settings)
        wall = time.perf_counter() - began
    with sqlite3.connect(settings.state_path) as db:
        on_cluster = db.execute("SELECT article_id, version, data FROM analyses ORDER BY article_id").fetchall()
    ids = [row[0] for row in on_cluster]
    with sqlite3.connect(reference) as db:
        local = db.execute(
            "SELECT article_id, version, data FROM analyses WHERE article_id IN (SELECT value FROM json_each(?))"
            " ORDER BY article_id",
            (json_list(ids),),
        ).fetchall()
    same = sum(a == b for a, b in zip(on_cluster, local, strict=False))
    verdict = "identical" if on_cluster == local and len(on_cluster) == len(report.new) else "DIFFERENT"
    return (
        f"{len(report.new):,} articles on a LocalCluster of {workers} worker processes in {wall:.1f} s"
        f" ({len(report.new) / wall:.0f}/s); analyses {verdict} to the local run's ({same:,} of {len(on_cluster):,})"
    )


def json_list(values: list[str]) -> str:
    import json

    return json.dumps(values)


def latency(settings: Settings, new_articles: list[Path], pause: float, timeout: float = 60.0) -> list[float]:
    """Drop each new article into seeds/ (renamed in whole) and time until the live view live.html names it."""
    staging = settings.base_dir / "staging"
    staging.mkdir(exist_ok=True)
    live = settings.reports_path / "live.html"
    times: list[float] = []
    with Service(settings):
        time.sleep(2 * settings.service.quiet_seconds + 1)  # let the start-up refresh finish
        for path in new_articles:
            name = f"drop-{path.name}"
            shutil.copy(path, staging / name)
            landed = time.perf_counter()
            os.replace(staging / name, settings.seeds_path / name)
            while f"seeds/{name}" not in _read(live):
                if time.perf_counter() - landed > timeout:
                    raise SystemExit(f"{name}: not in live.html after {timeout:.0f} s")
                time.sleep(POLL_SECONDS)
            times.append(time.perf_counter() - landed)
            print(f"  drop {len(times)}: {times[-1]:.2f} s", file=sys.stderr)
            time.sleep(pause)
    return times


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", type=Path, nargs="+", metavar="CORPUS_PATH", help="folders of .txt or .jsonl")
    parser.add_argument("--sizes", default="1000,5000,10000", help="article counts, comma-separated")
    parser.add_argument("--workers", type=int, default=default_workers(), help="worker processes (one per core)")
    parser.add_argument("--sample", type=int, default=300, help="articles timed for the analysis cost (300)")
    parser.add_argument("--dask-articles", type=int, default=1000, help="articles through the Dask cluster (0: none)")
    parser.add_argument("--drops", type=int, default=5, help="new articles dropped at the largest size (0: none)")
    parser.add_argument("--pause", type=float, default=1.5, help="seconds between drops")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="work in DIR and keep it (default: a temp folder)")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))

    work = args.keep or Path(tempfile.mkdtemp(prefix="briefing-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        began = time.perf_counter()
        bases = load_bases(args.corpora)
        corpus = write_corpus(bases, work / "corpus", max(sizes) + args.drops, dt.date.today())
        print(
            f"corpus: {len(corpus) - args.drops:,} distinct articles from {len(bases):,} real ones"
            f" (+{args.drops} to drop), written in {time.perf_counter() - began:.0f} s; {args.workers} workers;"
            f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
            file=sys.stderr,
        )
        rows: list[Row] = []
        largest: Settings | None = None
        for size in sizes:
            row, settings = run_size(corpus[:size], work / f"n{size}", args.workers)
            rows.append(row)
            largest = settings
            print(f"  {size:,}: done ({row.ingest_wall + row.compose + row.render:.0f} s)", file=sys.stderr)

        whole, lexrank, sampled = analysis_cost(corpus[: max(sizes)], args.sample)
        dask = "skipped (--dask-articles 0)"
        if args.dask_articles and largest is not None:
            dask = dask_equality(corpus[: args.dask_articles], work / "dask", args.workers, largest.state_path)
        drops: list[float] = []
        if args.drops and largest is not None:
            generate_briefing(largest, schedule="weekly")  # the archive was briefed; the live view starts after it
            drops = latency(largest, corpus[max(sizes) :], args.pause)
        print_report(rows, args.workers, whole, lexrank, sampled, dask, drops, largest)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept in {work}", file=sys.stderr)
    return 0


def print_report(
    rows: list[Row],
    workers: int,
    whole: float,
    lexrank: float,
    sampled: int,
    dask: str,
    drops: list[float],
    largest: Settings | None,
) -> None:
    print(f"\nScale, {workers} worker processes, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print(
        "| articles | ingest + analysis | articles/s | CPU s (all processes) | compose | render (HTML + PDF)"
        " | compose + render | PDF pages | live view, all in it | peak memory |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row.size:,} | {row.ingest_wall:.1f} s | {row.stored / row.ingest_wall:.0f} | {row.ingest_cpu:.1f} |"
            f" {row.compose:.1f} s | {row.render:.1f} s | {row.compose + row.render:.1f} s | {row.pages} |"
            f" {row.live:.1f} s | {row.peak / 2**20:,.0f} MiB |"
        )
    for row in rows:
        for note in row.notes:
            print(f"  note ({row.size:,}): {note}")
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        factor = last.size / first.size
        print(
            f"\ngrowth {first.size:,} -> {last.size:,} articles (x{factor:.0f}): ingest x{last.ingest_wall / first.ingest_wall:.1f},"
            f" ingest CPU x{last.ingest_cpu / first.ingest_cpu:.1f}, compose x{last.compose / first.compose:.1f},"
            f" compose + render x{(last.compose + last.render) / (first.compose + first.render):.1f}"
        )
    print(
        f"\nanalysis per article (CPU, one process, {sampled} articles): whole analysis {whole:.2f} ms,"
        f" sumy LexRank alone {lexrank:.2f} ms: ratio {whole / lexrank:.2f}"
    )
    print(f"\ndistributed: {dask}")
    if drops and largest is not None:
        ordered = sorted(drops)
        print(
            f"\nlatency with {rows[-1].size:,} stored (quiet period {largest.service.quiet_seconds:g} s):"
            f" one new article in seeds/ -> live.html names it: median {statistics.median(drops):.2f} s,"
            f" min {ordered[0]:.2f} s, max {ordered[-1]:.2f} s over {len(drops)} drops"
        )


if __name__ == "__main__":
    raise SystemExit(main())
