"""Hostile input for the sentence splitter: each case must finish within 2 s.

    .venv/bin/python -m bench.hostile

Prints the CPU time (splitting, then splitting and key points), the sentence count and the longest sentence for unclosed HTML,
100,000 characters without punctuation, 10,000 repeated quote marks and a few other
shapes known to make rule-based splitters backtrack. Needs no corpus.
"""

from __future__ import annotations

import time

from briefing.nlp.keypoints import key_points
from briefing.nlp.sentences import split_sentences

LIMIT_SECONDS = 2.0

CASES: dict[str, str] = {
    "unclosed HTML (100k chars)": '<div class="story"><p>Breaking <a href="http://x.example/'
    + '<span class="a">text ' * 5000,
    "100,000 chars without punctuation": ("word " * 20_000)[:100_000],
    "10,000 repeated quote marks": '"' * 10_000,
    "10,000 quote marks with spaces": '" ' * 10_000,
    "10,000 curly quotes and apostrophes": "“’" * 5_000,
    "100,000 full stops": "." * 100_000,
    "20,000 abbreviations (Mr. Mr. ...)": "Mr. " * 20_000,
    "one 100,000-letter token": "a" * 100_000,
    "50,000 ellipses": "..." * 50_000,
    "10,000 short lines": "Header line\n" * 10_000,
}


def main() -> None:
    worst = 0.0
    print("| input | characters | sentences | longest | split: CPU s | + key points: CPU s |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, text in CASES.items():
        began = time.process_time()
        sentences = split_sentences(text)
        took = time.process_time() - began
        key_points(sentences, 3)
        total = time.process_time() - began
        worst = max(worst, total)
        assert all(text[s.start : s.end] == s.text for s in sentences)
        longest = max((len(s.text) for s in sentences), default=0)
        print(f"| {name} | {len(text):,} | {len(sentences):,} | {longest:,} | {took:.3f} | {total:.3f} |")
    verdict = "within" if worst <= LIMIT_SECONDS else "OVER"
    print(f"\nslowest case {worst:.3f} s: {verdict} the {LIMIT_SECONDS:.0f} s limit")


if __name__ == "__main__":
    main()
