"""Build the word clusters shipped as ``briefing/nlp/actors/data/clusters.txt.gz``.

    .venv/bin/python -m bench.word_clusters ../shared/eval/cnndm/train-lowercased.jsonl

Learns from unlabelled, lowercased news only (the CNN/DailyMail training pool, none of
it an evaluation text): word vectors by gensim's word2vec (skip-gram), then k-means
(scikit-learn) on the unit-length vectors of the most frequent words, once for each
granularity in ``--k``. The file holds, per word, only its cluster ids: no text of
the corpus. One worker and a fixed ``SEED`` make the build repeatable.

The corpus is tokenized as briefing's own tokenizer cuts cased text ("u.s." one token,
"'s" split off), so the words looked up at tagging time are the words learned here.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from briefing.nlp.actors.clusters import DATA, key
from briefing.nlp.actors.tokens import TOKEN

SEED = 20261205
OUT = Path(__file__).resolve().parent.parent / "briefing" / "nlp" / "actors" / DATA
_TOKEN = re.compile(TOKEN.pattern, re.VERBOSE | re.IGNORECASE)
PREFIXES = "abcdefgh"


def sentences(path: Path) -> Iterator[list[str]]:
    """The lowercased, tokenized sentences (one per line of each article) of a JSON Lines file."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            for sentence in json.loads(line)["article"].splitlines():
                words = [key(w.lower()) for w in _TOKEN.findall(sentence)]
                if words:
                    yield words


def main(argv: list[str] | None = None) -> int:
    from gensim.models import Word2Vec
    from sklearn.cluster import KMeans

    parser = argparse.ArgumentParser(prog="python -m bench.word_clusters", description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="lowercased news, JSON Lines with an 'article' field")
    parser.add_argument("--words", type=int, default=50_000, help="the most frequent words kept")
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--window", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--k", default="64,256,1024", help="cluster counts, coarsest first")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)

    started = time.process_time()
    corpus = list(sentences(args.corpus))
    counts = Counter(w for s in corpus for w in s)
    print(f"{len(corpus)} sentences, {sum(counts.values())} tokens, {len(counts)} distinct")
    model = Word2Vec(
        corpus,
        vector_size=args.dim,
        window=args.window,
        min_count=args.min_count,
        sg=1,
        negative=5,
        epochs=args.epochs,
        workers=1,
        seed=SEED,
    )
    print(f"word2vec in {time.process_time() - started:.0f} s")
    vocabulary = [w for w, _ in counts.most_common() if w in model.wv.key_to_index][: args.words]
    vectors = model.wv[vocabulary]
    vectors /= (vectors**2).sum(axis=1, keepdims=True) ** 0.5
    ks = [int(k) for k in args.k.split(",")]
    labels = []
    for k in ks:
        started = time.process_time()
        labels.append(KMeans(n_clusters=k, n_init=1, random_state=SEED).fit_predict(vectors))
        print(f"k-means k={k} in {time.process_time() - started:.0f} s")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("wb") as file, gzip.GzipFile("", "wb", fileobj=file, mtime=0) as raw:
        # no name nor time in the header: the same words give the same bytes
        raw.write((" ".join(PREFIXES[: len(ks)]) + "\n").encode())
        for index, word in enumerate(vocabulary):
            if " " in word or not word:
                continue
            ids = " ".join(str(found[index]) for found in labels)
            raw.write(f"{word} {ids}\n".encode())
    print(f"{len(vocabulary)} words: {args.out} ({args.out.stat().st_size / 1e3:.0f} kB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
