"""What time expressions and events cost per news article (the analysis speed budget).

    .venv/bin/python -m bench.events_speed ../shared/eval/cnndm/dev.jsonl [--date YYYY-MM-DD] [--repeat N]

Reads JSON Lines with an ``article`` (or ``text``) field, as in the cnndm
corpus; splits each article into sentences once (not timed, as in the
pipeline), then times ``tag_times`` and ``extract_events`` separately in CPU
time (``time.process_time``), best of ``--repeat`` passes. Prints milliseconds
per article, sentences per second, and how many expressions and events a news
article yields. The budget (BRIEF): times + events <= ~4 ms per ~30-sentence article.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path

from briefing.nlp.events import extract_events
from briefing.nlp.sentences import split_sentences
from briefing.nlp.timex import tag_times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.events_speed", description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="JSON Lines file of articles (cnndm/dev.jsonl)")
    parser.add_argument("--date", type=dt.date.fromisoformat, default=dt.date(2015, 4, 1), help="article date")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes; the best counts")
    args = parser.parse_args(argv)
    texts = []
    for line in args.corpus.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            texts.append(record.get("article") or record.get("text") or "")
    if not texts:
        print(f"no articles in {args.corpus}", file=sys.stderr)
        return 2
    articles = [(text, split_sentences(text)) for text in texts]
    sentences = sum(len(s) for _, s in articles)
    best_times = best_events = float("inf")
    found_times: list[int] = []
    found_events: list[int] = []
    for _ in range(max(1, args.repeat)):
        started = time.process_time()
        tagged = [tag_times(text, sents, args.date) for text, sents in articles]
        middle = time.process_time()
        events = [
            extract_events(text, sents, t, [], args.date) for (text, sents), t in zip(articles, tagged, strict=True)
        ]
        ended = time.process_time()
        best_times, best_events = min(best_times, middle - started), min(best_events, ended - middle)
        found_times, found_events = [len(t) for t in tagged], [len(e) for e in events]
    n = len(articles)
    print(
        f"{n} articles, {sentences} sentences ({sentences / n:.1f} a article), {statistics.mean(map(len, texts)):.0f} chars a article"
    )
    print(
        f"time expressions: {best_times / n * 1000:.2f} ms/article, {sentences / best_times:,.0f} sentences/s, {statistics.mean(found_times):.1f} a article"
    )
    print(f"events:           {best_events / n * 1000:.2f} ms/article, {statistics.mean(found_events):.1f} a article")
    print(f"together:         {(best_times + best_events) / n * 1000:.2f} ms/article (CPU time, best of {args.repeat})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
