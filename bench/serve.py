"""How fast ``briefing serve`` answers with 10,000 stored articles: median and p95 per page.

The store is filled at the store level (``Store.save_article``) with synthetic articles and
analyses, so it builds in seconds rather than the hours a real analysis of 10,000 texts takes:
each article has a dozen sentences over a 3,000-word vocabulary, three key points, six to
ten actors drawn from 400 (a few very frequent, most rare: a Zipf law), roles, and an event
dated around today; articles are dated and arrive over the last 120 days. Then ~120 briefings
are recorded (with bottom lines) and one real briefing of the last day is composed and
rendered to HTML, which is the briefing page measured.

A real uvicorn server on a free loopback port answers; each page is asked ``--repeat`` times
(after two warm-up requests) over one keep-alive connection; the first request is shown apart (the
calendar merges every upcoming event once per store version and day, as ``briefing calendar`` does). The actor page is the most
reported actor's (the worst case); the search is for a word in about one article in ten.

    .venv/bin/python -m bench.serve [--articles 10000] [--repeat 40]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import http.client
import json
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from briefing.batch import analysis_options
from briefing.config import Settings, load_settings
from briefing.model import Actor, Analysis, Article, Event, KeyPoint, Period, Span, TimeExpression, When
from briefing.nlp import analysis_key
from briefing.pipeline import generate_briefing
from briefing.store import FileVersion, Store
from briefing.web import make_server

KINDS = ("person", "organization", "country", "location")
ROLES = ("Minister", "President", "spokesperson", "chief executive", "Director-General", "ambassador")
EVENT_WORDS = (("Visit", "visit"), ("Meeting", "meet"), ("Vote", "vote on"), ("Summit", "attend a summit in"))
LIMITS_MS = {"archive": 200, "briefing": 200, "actor": 200, "search": 100, "calendar": 200}


def words(rng: random.Random, count: int) -> list[str]:
    syllables = ["ka", "lo", "min", "ter", "vas", "ro", "pel", "dun", "shi", "gar", "nor", "bel", "tiv", "om", "rak"]
    vocabulary: set[str] = set()
    while len(vocabulary) < count:
        vocabulary.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(vocabulary)


def actor_pool(rng: random.Random, size: int = 400) -> list[tuple[str, str]]:
    first = ["Anna", "Omar", "Lena", "Yusuf", "Mara", "Ivan", "Chen", "Sofia", "Tariq", "Elif", "Jonas", "Amara"]
    last = ["Berg", "Haddad", "Novak", "Okafor", "Silva", "Tanaka", "Kovacs", "Moreau", "Petrov", "Lindqvist"]
    people = [(f"{a} {b}", "person") for a in first for b in last]  # 120
    others = [
        (f"{b}{suffix}", kind)
        for b in last
        for suffix, kind in (
            ("ia", "country"),
            ("stan", "country"),
            (" Group", "organization"),
            (" Council", "organization"),
            (" Bank", "organization"),
            ("ville", "location"),
            ("port", "location"),
            (" Valley", "location"),
        )
    ]  # 80
    names = people + others + [(f"{a} {b}-{c}", "person") for a in first for b in last[:5] for c in last[5:]][:size]
    rng.shuffle(names)
    return names[:size]


def synthetic(
    n: int, rng: random.Random, vocab: list[str], pool: list[tuple[str, str]], today: dt.date
) -> tuple[Article, Analysis, dt.datetime]:
    day = today - dt.timedelta(days=rng.randint(0, 119))
    weights = [1 / (rank + 1) for rank in range(len(pool))]
    chosen = list(dict.fromkeys(rng.choices(pool, weights=weights, k=10)))[: rng.randint(6, 10)]
    sentences: list[str] = []
    mentions: dict[str, list[Span]] = {name: [] for name, _ in chosen}
    text = ""
    for i in range(12):
        name, _ = chosen[i % len(chosen)]
        body = " ".join(rng.choice(vocab) for _ in range(rng.randint(8, 18)))
        sentence = f"{body.capitalize()} said {name} on {day:%B} {day.day}."
        start = len(text) + (1 if text else 0)
        text = f"{text} {sentence}" if text else sentence
        at = start + sentence.index(name)
        mentions[name].append(Span(at, at + len(name)))
        sentences.append(sentence)
    spans, at = [], 0
    for sentence in sentences:
        spans.append(Span(at, at + len(sentence)))
        at += len(sentence) + 1
    lead = chosen[0][0]
    word, verb = rng.choice(EVENT_WORDS)
    when = today + dt.timedelta(days=rng.randint(-30, 60))
    event_sentence = f"{lead} will {verb} {rng.choice(vocab).capitalize()} on {when:%B} {when.day}, {when.year}."
    event_start = len(text) + 1
    text = f"{text} {event_sentence}"
    mentions[lead].append(Span(event_start, event_start + len(lead)))
    spans.append(Span(event_start, len(text)))
    article_id = hashlib.sha256(f"{n}:{text}".encode()).hexdigest()
    article = Article(
        id=article_id,
        source=f"seeds/synthetic-{n:05d}.txt",
        title=" ".join(rng.choice(vocab) for _ in range(6)).capitalize(),
        date=day,
        text=text,
        meta={"publisher": rng.choice(["Harbour Herald", "Daily Ledger", "Wire Service", "Evening Post"])},
    )
    date_at = text.index(f"{when:%B} {when.day}, {when.year}")
    analysis = Analysis(
        article_id=article_id,
        key_points=tuple(KeyPoint(text[s.start : s.end], s.start, s.end, 0.5) for s in spans[:3]),
        actors=tuple(
            Actor(
                name,
                kind,  # type: ignore[arg-type]
                role=rng.choice(ROLES) if kind == "person" else None,
                affiliation=None,
                aliases=(name.split()[-1],) if kind == "person" else (),
                mentions=tuple(mentions[name]),
            )
            for name, kind in chosen
        ),
        times=(
            TimeExpression(
                f"{when:%B} {when.day}, {when.year}",
                date_at,
                date_at + len(f"{when:%B} {when.day}, {when.year}"),
                "DATE",
                when.isoformat(),
            ),
        ),
        events=(
            Event(
                title=f"{word} of {lead}",
                start=When(when.isoformat()),
                end=None,
                status="upcoming" if when > day else "past",
                actors=(lead,),
                evidence=spans[-1],
                kind=word,
            ),
        ),
        sentences=tuple(spans),
    )
    arrived = dt.datetime.combine(day, dt.time(6), dt.UTC) + dt.timedelta(minutes=rng.randint(0, 900))
    arrived = min(arrived, dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))  # nothing arrives in the future
    return article, analysis, arrived


def build(root: Path, count: int) -> tuple[Settings, dict[str, str]]:
    rng = random.Random(18)
    settings = load_settings(env={}, overrides={"base_dir": str(root), "timezone": "UTC"})
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    (root / "reports").mkdir(exist_ok=True)
    today = dt.datetime.now(dt.UTC).date()
    vocab, pool = words(rng, 3000), actor_pool(rng)
    version = analysis_key(analysis_options(settings))
    started = time.perf_counter()
    with Store(settings.state_path) as store:
        for n in range(count):
            article, analysis, arrived = synthetic(n, rng, vocab, pool, today)
            store.save_article(article, analysis, version, FileVersion(1000 + n, n), arrived)
        for back in range(120, 0, -1):  # a daily briefing for every day, as a schedule would have made
            made = dt.datetime.combine(today - dt.timedelta(days=back), dt.time(7), dt.UTC)
            store.record_briefing(
                made,
                Period(made - dt.timedelta(days=1), made),
                80,
                None,
                None,
                "daily",
                bottom_line=tuple(" ".join(rng.choice(vocab) for _ in range(14)) + "." for _ in range(3)),
            )
    print(f"stored {count:,} articles in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    now = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    result = generate_briefing(settings, Period(now - dt.timedelta(days=1), now), now=now, formats=(".html",))
    print(
        f"composed and rendered the briefing of {result.articles} articles in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    with Store(settings.state_path) as store:
        top = store._db.execute(
            "SELECT name, kind, count(*) AS n FROM article_actors GROUP BY name, kind ORDER BY n DESC LIMIT 1"
        ).fetchone()
        store._db.execute(  # the index's own word list: pick a word about one article in ten holds
            "CREATE VIRTUAL TABLE temp.search_words USING fts5vocab(main, article_search, row)"
        )
        word = store._db.execute(
            "SELECT term FROM temp.search_words WHERE doc <= ? AND term GLOB '[a-z][a-z]*' ORDER BY doc DESC LIMIT 1",
            (max(count // 10, 1),),
        ).fetchone()
    pages = {
        "archive": "/",
        "briefing": f"/briefing/{result.briefing_id}",
        "actor": "/actor?" + urlencode({"name": top["name"], "kind": top["kind"]}),
        "search": "/search?" + urlencode({"q": word[0] if word else vocab[0]}),
        "calendar": "/calendar",
    }
    print(f"actor page: {top['name']} ({top['n']:,} articles); search word: {pages['search']}", file=sys.stderr)
    return settings, pages


def measure(settings: Settings, pages: dict[str, str], repeat: int) -> dict[str, tuple[float, float, float, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = make_server(settings, "127.0.0.1", port)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    results = {}
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for name, path in pages.items():
            times = []
            size = 0
            for i in range(repeat + 2):
                started = time.perf_counter()
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
                took = time.perf_counter() - started
                if response.status != 200:
                    raise SystemExit(f"{path}: HTTP {response.status}")
                if i == 0:
                    first = took * 1000
                if i >= 2:
                    times.append(took * 1000)
                size = len(body)
            times.sort()
            p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
            results[name] = (statistics.median(times), p95, first, size)
        conn.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="build the project in DIR and keep it (default: a temporary folder)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as folder:
        root = args.keep or Path(folder)
        if (root / "pages.json").is_file():  # built by an earlier --keep run: measure again
            settings = load_settings(env={}, overrides={"base_dir": str(root), "timezone": "UTC"})
            pages = json.loads((root / "pages.json").read_text())
        else:
            settings, pages = build(root, args.articles)
            (root / "pages.json").write_text(json.dumps(pages))
        results = measure(settings, pages, args.repeat)
    print(f"\n{args.articles:,} articles stored; {args.repeat} requests per page\n")
    print("| page | median ms | p95 ms | limit ms | first request ms | size KB |")
    print("|---|---:|---:|---:|---:|---:|")
    failed = False
    for name, (median, p95, first, size) in results.items():
        limit = LIMITS_MS[name]
        failed |= p95 >= limit
        print(f"| {name} (`{pages[name]}`) | {median:.1f} | {p95:.1f} | {limit} | {first:.0f} | {size / 1024:.0f} |")
    print("\nThe first request of each page is the server's first (the calendar's merges every upcoming event,")
    print("as it does again after each change to the store); median and p95 are of the requests after two warm-ups.")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
