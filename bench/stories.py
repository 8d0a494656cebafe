"""Stories as events: B-cubed precision, recall and F1 of story grouping on MEANTIME.

    .venv/bin/python -m bench.stories ../shared/eval/meantime [--labels bench/meantime_stories.txt] [--bottom-line]

Every English MEANTIME development article (60 Wikinews files, two topics) is read as
briefing reads an article (title, creation date, body), analysed, and grouped into stories
by ``group_articles``. The reference grouping is ``bench/meantime_stories.txt`` (how it was
labelled is written at its top). B-cubed: for each article, precision is the share of its
story (as grouped) that truly reports its event, recall the share of its event's articles
found in its story; both averaged over articles. ``--squeeze-days 7`` re-dates the articles,
in order, into one week, so that the date window no longer separates one topic's articles.
``--bottom-line`` prints the bottom line
and the first stories of one briefing of all of them, as a reader would see them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from bench.meantime import load_document
from briefing.compose import compose
from briefing.compose.stories import group_articles
from briefing.model import Article, Period, StoredArticle
from briefing.nlp import analyse

LABELS = Path(__file__).with_name("meantime_stories.txt")


def read_articles(root: Path, squeeze_days: int = 0) -> list[StoredArticle]:
    """The MEANTIME files as stored articles: title (first line), creation date, body.

    With ``squeeze_days``, the articles keep their order in time but are re-dated into that
    many days (2004-2011 squeezed into a week): articles of one topic then fall inside the
    same-event window, and only what they report can keep them apart.
    """
    stored = []
    for path in sorted(root.glob("intra-doc_annotation/*/*.xml")):
        lines = [line for line in load_document(path).text.split("\n") if line.strip()]
        dct = [t for t in ET.parse(path).getroot().iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"]
        if dct:
            date = dt.date.fromisoformat((dct[0].get("value") or "")[:10])
        else:  # two files lack the annotation; their date line says it ("April 27, 2005")
            date = dt.datetime.strptime(lines[1].strip(), "%B %d, %Y").date()
        title, body = lines[0], "\n".join(lines[2:])
        seen = dt.datetime.combine(date, dt.time(12), tzinfo=dt.UTC)
        article = Article(
            id=hashlib.sha256(body.encode()).hexdigest(),
            source=path.stem,
            title=title,
            date=date,
            text=body,
            fetched_at=seen,
            meta={"publisher": "wikinews"},
        )
        stored.append(StoredArticle(article, analyse(article), (path.stem,), seen))
    if squeeze_days:
        order = sorted(range(len(stored)), key=lambda i: (stored[i].article.date, stored[i].article.source))
        first = stored[order[0]].article.date
        for rank, i in enumerate(order):
            item = stored[i]
            date = first + dt.timedelta(days=rank * squeeze_days // len(order))
            seen = dt.datetime.combine(date, dt.time(12), tzinfo=dt.UTC)
            stored[i] = StoredArticle(
                replace(item.article, date=date, fetched_at=seen), item.analysis, item.sources, seen
            )
    return stored


def read_labels(path: Path, names: Sequence[str]) -> list[int]:
    """Each article's reference story number (articles not listed are stories of their own)."""
    story = {name: index for index, name in enumerate(names)}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if line.strip() and not line.startswith("#"):
            for name in line.split():
                story[name] = len(names) + number
    return [story[name] for name in names]


def b_cubed(predicted: Sequence[int], gold: Sequence[int]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering (one cluster id per item)."""
    n = len(gold)
    precision = recall = 0.0
    for i in range(n):
        same_pred = [j for j in range(n) if predicted[j] == predicted[i]]
        same_gold = [j for j in range(n) if gold[j] == gold[i]]
        both = sum(gold[j] == gold[i] for j in same_pred)
        precision += both / len(same_pred)
        recall += both / len(same_gold)
    precision, recall = precision / n, recall / n
    return precision, recall, 2 * precision * recall / (precision + recall)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.stories", description=__doc__.split("\n")[0])
    parser.add_argument("meantime", type=Path, help="../shared/eval/meantime")
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--bottom-line", action="store_true", help="print a briefing's bottom line")
    parser.add_argument("--squeeze-days", type=int, default=0, help="re-date the articles, in order, into N days")
    args = parser.parse_args(argv)
    stored = read_articles(args.meantime, args.squeeze_days)
    names = [s.article.source for s in stored]
    gold = read_labels(args.labels, names)
    predicted = [0] * len(stored)
    for number, group in enumerate(group_articles(stored)):
        for index in group:
            predicted[index] = number
    p, r, f = b_cubed(predicted, gold)
    print(f"{len(stored)} articles, {len(set(gold))} reference stories, {len(set(predicted))} grouped")
    print(f"B-cubed precision {p:.3f}, recall {r:.3f}, F1 {f:.3f}")
    for number in sorted(set(predicted)):
        members = [names[i] for i in range(len(stored)) if predicted[i] == number]
        if len(members) > 1:
            print("  grouped:", ", ".join(members))
    if args.bottom_line:
        end = max(s.article.date for s in stored) + dt.timedelta(days=1)
        now = dt.datetime.combine(end, dt.time(8), tzinfo=dt.UTC)
        start = dt.datetime.combine(min(s.article.date for s in stored), dt.time(0), tzinfo=dt.UTC)
        briefing = compose(stored, [], Period(start, now), created_at=now)
        by_id = {s.article.id: s.article for s in stored}
        print("\nBottom line:")
        for point in briefing.bottom_line:
            article = by_id[point.article_id]
            print(f"  - {point.text}  [{article.date}, {article.title}]")
        print("\nFirst stories:")
        for story in briefing.stories[:8]:
            print(f"  {story.date} {story.title} ({len(story.article_ids)} article(s))")


if __name__ == "__main__":
    main()
