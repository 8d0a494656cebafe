"""One very long article: what the whole analysis costs as a text grows to the size limit.

    .venv/bin/python -m bench.long_text ../shared/eval/bbc-summary [--sizes 0.25,0.5,1,2,5]

Distinct corpus articles are joined into one text of each size (in megabytes of UTF-8,
cut at a line end) and analysed as `briefing ingest` would (`read_articles`, then
`analyse`), each size in a fresh process so that its peak memory (the process's maximum
resident set) is its own. Prints the sentence count, the wall time of reading and of the
analysis, and the peak memory. Time should grow about linearly with the size and memory
stay far from the machine's: any file under `max_file_mb` (5 MB by default) must be
analysed in bounded time and memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpora import read_corpus


def build(corpus: Path, megabytes: float, target: Path) -> None:
    """``target``: a dated text file of distinct corpus articles, ``megabytes`` long."""
    wanted = int(megabytes * 1024 * 1024)
    parts, size = ["date 2022-02-17"], 0
    while size < wanted:
        before = size
        for item in read_corpus(corpus):
            parts.append(f"{item.title}\n{item.text}")
            size += len(parts[-1].encode("utf-8")) + 2
            if size >= wanted:
                break
        if size == before:
            raise SystemExit(f"{corpus}: no articles")
    data = "\n\n".join(parts).encode("utf-8")[:wanted]
    target.write_bytes(data[: data.rfind(b"\n")])


def measure(path: Path) -> dict[str, float]:
    """Run in a child process: read and analyse ``path``."""
    from briefing.ingest import read_articles
    from briefing.nlp import analyse
    from briefing.nlp.sentences import split_sentences

    began = time.perf_counter()
    [article] = read_articles(path, max_bytes=64 * 1024 * 1024)
    read = time.perf_counter() - began
    began = time.perf_counter()
    analysis = analyse(article)
    took = time.perf_counter() - began
    return {
        "characters": len(article.text),
        "sentences": len(split_sentences(article.text)),
        "read": read,
        "analyse": took,
        "actors": len(analysis.actors),
        "events": len(analysis.events),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.long_text", description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path, help="cnndm/*.jsonl or the bbc-summary folder")
    parser.add_argument("--sizes", default="0.25,0.5,1,2,5", help="text sizes in MB, comma-separated")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child)))
        return
    print(f"{args.corpus}: one article of each size, analysed whole (wall time, peak resident memory)")
    print()
    print("| size | sentences | read s | analyse s | actors | events | peak MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for megabytes in (float(s) for s in args.sizes.split(",")):
            path = Path(folder) / f"long-{megabytes}.txt"
            build(args.corpus, megabytes, path)
            child = [sys.executable, "-m", "bench.long_text", str(args.corpus), "--child", str(path)]
            done = subprocess.run(child, capture_output=True, text=True)
            if done.returncode != 0:
                print(f"| {megabytes:g} MB | the analysis died (exit status {done.returncode}) | | | | | |")
                continue
            r = json.loads(done.stdout)
            print(
                f"| {megabytes:g} MB | {r['sentences']:,} | {r['read']:.2f} | {r['analyse']:.2f} | {r['actors']:,}"
                f" | {r['events']:,} | {r['peak_mb']:.0f} |"
            )


if __name__ == "__main__":
    main()
