"""What the calendar costs with a big store: ``Store.events_ahead`` and ``build_calendar``.

    .venv/bin/python -m bench.calendar_store ../shared/eval/cnndm/train-lowercased.jsonl [--articles 10000]

Fills a throw-away SQLite store with ``--articles`` articles made from the
corpus texts (reused as needed), dated over the past 400 days, each with the
time expressions and events briefing finds in it (key points are left out:
they do not matter here). Then times, in wall-clock and CPU time, the query
that hands the calendar the events that may still lie ahead, and the merge.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

from briefing.compose.calendar import build_calendar, still_ahead
from briefing.model import Analysis, Article
from briefing.nlp.events import extract_events
from briefing.nlp.sentences import split_sentences
from briefing.nlp.timex import tag_times
from briefing.store import FileVersion, Store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.calendar_store", description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="JSON Lines file of articles (an 'article' or 'text' field)")
    parser.add_argument("--articles", type=int, default=10_000, help="articles to store")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2015, 6, 1), help="briefing date")
    args = parser.parse_args(argv)
    texts = [json.loads(line).get("article") or "" for line in args.corpus.read_text(encoding="utf-8").splitlines()]
    texts = [t for t in texts if t.strip()]
    if not texts:
        print(f"no articles in {args.corpus}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        store_path = Path(folder) / "state.db"
        started = time.perf_counter()
        with Store(store_path) as store:
            for n in range(args.articles):
                text = texts[n % len(texts)]
                date = args.today - dt.timedelta(days=n % 400)
                identity = hashlib.sha256(f"{n}|{text}".encode()).hexdigest()
                article = Article(identity, f"seeds/{n}.txt", text[:60], date, text)
                sentences = split_sentences(text)
                times = tag_times(text, sentences, date)
                events = extract_events(text, sentences, times, [], date)
                analysis = Analysis(identity, times=tuple(times), events=tuple(events))
                now = dt.datetime.combine(date, dt.time(12), dt.UTC)
                store.save_article(article, analysis, "bench", FileVersion(len(text), n), now)
        filled = time.perf_counter() - started
        size = store_path.stat().st_size / 1e6
        with Store(store_path) as store:
            wall, cpu = time.perf_counter(), time.process_time()
            reports = store.events_ahead(args.today, since=args.today - dt.timedelta(days=400))
            query_wall, query_cpu = time.perf_counter() - wall, time.process_time() - cpu
        wall, cpu = time.perf_counter(), time.process_time()
        entries = build_calendar([r for r in reports if still_ahead(r, args.today)], args.today)
        merge_wall, merge_cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{args.articles} articles stored in {filled:.0f} s ({size:.0f} MB)")
    print(f"events_ahead:   {query_wall * 1000:.0f} ms wall, {query_cpu * 1000:.0f} ms CPU, {len(reports)} reports")
    print(f"build_calendar: {merge_wall * 1000:.0f} ms wall, {merge_cpu * 1000:.0f} ms CPU, {len(entries)} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
