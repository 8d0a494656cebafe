"""Near-duplicate detection and story grouping at scale: time at 1k, 5k and 10k articles, and recall.

    .venv/bin/python -m bench.dedup ../shared/eval/bbc-summary [--sizes 1000 5000 10000] [--datasketch]

The corpus is built from the BBC articles (title + body): the 1,114 originals, then
articles stitched from sentences of random other articles (so that no two are copies)
up to each size; then 5% of them get an injected near-duplicate: a copy with a new
headline, one paragraph dropped, 3-8% of the words replaced and a footer added (what a
republished or updated wire story looks like). Recall is the share of injected pairs
found, overall and among those whose true shingle Jaccard similarity is at least 0.5
(the definition of a near-duplicate here); "other pairs" are pairs found that were not injected (the BBC set itself holds
some duplicated articles). Times are CPU seconds (``time.process_time``).

``--datasketch`` also times the same MinHash/LSH with the datasketch library (if
installed), the alternative we measured before writing ours with numpy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import time
from collections.abc import Sequence
from pathlib import Path

from briefing.compose.dedup import THRESHOLD, near_duplicates, shingle_hashes
from briefing.compose.stories import group_articles
from briefing.model import Analysis, Article, StoredArticle

SEED = 7
FOOTERS = (
    "This story has been updated.",
    "Copyright 2005 Press Agency. All rights reserved.",
    "Additional reporting by staff correspondents.",
)


def originals(path: Path) -> list[tuple[str, str]]:
    articles = []
    for file in sorted((path / "articles").glob("*/*.txt")):
        title, _, body = file.read_bytes().decode("utf-8", "replace").partition("\n")
        articles.append((title.strip(), body.strip()))
    return articles


def build(pool: Sequence[tuple[str, str]], size: int, rng: random.Random) -> tuple[list[tuple[str, str]], set]:
    """``size`` distinct articles plus 5% injected near-duplicates (returned as index pairs)."""
    sentences = [s.strip() + "." for _, body in pool for s in body.split(". ") if len(s.split()) > 5]
    articles = list(pool[:size])
    while len(articles) < size:
        picked = rng.sample(sentences, rng.randint(10, 25))
        articles.append((" ".join(rng.sample(picked[0].split(), min(6, len(picked[0].split())))), " ".join(picked)))
    vocabulary = [w for s in rng.sample(sentences, 2000) for w in s.split()]
    injected = set()
    for original in rng.sample(range(size), size // 20):
        title, body = articles[original]
        paragraphs = [p for p in body.split("\n") if p.strip()]
        if len(paragraphs) > 3:
            paragraphs.pop(rng.randrange(1, len(paragraphs)))
        words = "\n".join(paragraphs).split(" ")
        rate = rng.uniform(0.03, 0.08)
        words = [rng.choice(vocabulary) if rng.random() < rate else w for w in words]
        articles.append((f"UPDATED: {title}", " ".join(words) + "\n" + rng.choice(FOOTERS)))
        injected.add((original, len(articles) - 1))
    return articles, injected


def stored(articles: Sequence[tuple[str, str]], rng: random.Random) -> list[StoredArticle]:
    start = dt.date(2005, 1, 1)
    out = []
    for title, body in articles:
        digest = hashlib.sha256(body.encode()).hexdigest()
        date = start + dt.timedelta(days=rng.randrange(60))
        article = Article(digest, "bench", title, date, body)
        out.append(StoredArticle(article, Analysis(digest), (), dt.datetime(2005, 3, 1, tzinfo=dt.UTC)))
    return out


def with_datasketch(texts: Sequence[str]) -> tuple[float, int]:
    import re

    from datasketch import MinHash, MinHashLSH

    word = re.compile(r"\w+")
    began = time.process_time()
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=128)
    hashes = []
    for index, text in enumerate(texts):
        words = word.findall(text.lower())
        minhash = MinHash(num_perm=128)
        minhash.update_batch([" ".join(words[k : k + 3]).encode() for k in range(max(len(words) - 2, 1))])
        hashes.append(minhash)
        lsh.insert(str(index), minhash)
    pairs = {
        (i, int(j))
        for i, m in enumerate(hashes)
        for j in lsh.query(m)
        if int(j) > i and m.jaccard(hashes[int(j)]) >= THRESHOLD
    }
    return time.process_time() - began, len(pairs)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.dedup", description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path, help="the bbc-summary folder")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--datasketch", action="store_true", help="also time datasketch's MinHash LSH")
    args = parser.parse_args()
    pool = originals(args.corpus)

    print(
        "| articles | near-duplicates: CPU s | per 1k articles | recall, injected | recall, injected J >= 0.5 |", end=""
    )
    print(" other pairs | stories (all links): CPU s | stories |" + (" datasketch: CPU s |" if args.datasketch else ""))
    print("|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if args.datasketch else ""))
    for size in args.sizes:
        rng = random.Random(SEED)
        articles, injected = build(pool, size, rng)
        texts = [f"{title}\n{body}" for title, body in articles]
        began = time.process_time()
        pairs = {(i, j) for i, j, _ in near_duplicates(texts)}
        seconds = time.process_time() - began
        recall = len(pairs & injected) / len(injected)
        shingles = {i: set(shingle_hashes(texts[i]).tolist()) for pair in injected for i in pair}
        near = {(i, j) for i, j in injected if len(shingles[i] & shingles[j]) / len(shingles[i] | shingles[j]) >= 0.5}
        near_recall = len(pairs & near) / max(len(near), 1)
        items = stored(articles, rng)
        began = time.process_time()
        groups = group_articles(items)
        story_seconds = time.process_time() - began
        row = (
            f"| {len(texts):,} | {seconds:.2f} | {1000 * seconds / len(texts):.2f} | {recall:.1%} | {near_recall:.1%} |"
            f" {len(pairs - injected)} | {story_seconds:.2f} | {len(groups):,} |"
        )
        if args.datasketch:
            ds_seconds, _ = with_datasketch(texts)
            row += f" {ds_seconds:.2f} |"
        print(row, flush=True)


if __name__ == "__main__":
    main()
