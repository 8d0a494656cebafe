"""A corpus of any size of distinct news articles, made from real ones, for the scale benchmarks.

The evaluation corpora hold about 1,300 cased articles (BBC News Summary, CNN/DailyMail dev);
10,000 distinct ones are made from them: first every article as it is, then splices, each the
opening half of one article followed by the closing half of another (a different pair and a
different cut every time), so no two texts are the same and every text is real news prose of
the usual length. Each article gets a date in the week before ``today`` and a ``Title:`` header,
and is written as a ``.txt`` file in the seed format. Nothing here is written into the repository.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.ingest import content_id, normalise_text


@dataclass(frozen=True, slots=True)
class BaseArticle:
    title: str
    paragraphs: tuple[str, ...]


def load_bases(paths: Iterable[Path]) -> list[BaseArticle]:
    """Articles from folders of BBC-style ``.txt`` files (first line the title) or JSON Lines files."""
    bases: list[BaseArticle] = []
    for path in paths:
        if not path.exists():
            raise SystemExit(f"{path}: no such file or folder")
        if path.is_dir():
            for file in sorted(path.rglob("*.txt")):
                lines = [line.strip() for line in file.read_text(encoding="utf-8", errors="replace").splitlines()]
                lines = [line for line in lines if line]
                if len(lines) >= 3:
                    bases.append(BaseArticle(lines[0], tuple(lines[1:])))
        else:
            with path.open(encoding="utf-8") as records:
                for line in records:
                    if not line.strip():
                        continue
                    record = json.loads(line)
                    text = record.get("article") or record.get("text") or ""
                    paragraphs = tuple(p.strip() for p in text.splitlines() if p.strip())
                    if len(paragraphs) >= 3:
                        bases.append(BaseArticle(record.get("title") or "", paragraphs))
    if len(bases) < 2:
        raise SystemExit("the corpus needs at least two articles")
    return bases


def variants(bases: Sequence[BaseArticle], count: int, seed: int = 10) -> Iterator[tuple[str, tuple[str, ...]]]:
    """``count`` distinct (title, paragraphs): the bases first, then versions of them.

    A version keeps its base's lead and drops one or two later paragraphs (a different
    choice each time), as a republished or updated wire story does; so the corpus holds
    about as many stories as bases, each reported several times, the way a week of news
    from many outlets does. Distinct as briefing counts it: no two bodies have the same
    content hash (a republished article among the bases is used once).
    """
    rng = random.Random(seed)
    seen: set[str] = set()
    made = 0
    usable = []
    for base in bases:
        if made < count and _new(base.paragraphs, seen):
            made += 1
            usable.append(base)
            yield base.title, base.paragraphs
    while made < count:
        base = usable[rng.randrange(len(usable))]
        later = range(1, len(base.paragraphs))
        dropped = set(rng.sample(later, k=min(len(later) - 1, rng.choice((1, 2))))) if len(later) > 1 else set()
        body = tuple(p for i, p in enumerate(base.paragraphs) if i not in dropped)
        if dropped and _new(body, seen):
            made += 1
            yield base.title, body


def _new(paragraphs: tuple[str, ...], seen: set[str]) -> bool:
    key = content_id(normalise_text("\n\n".join(paragraphs)))
    if key in seen:
        return False
    seen.add(key)
    return True


def write_corpus(bases: Sequence[BaseArticle], folder: Path, count: int, today: dt.date) -> list[Path]:
    """Write ``count`` distinct articles into ``folder`` as seed files (``article-00000.txt`` ...), dated over
    the week before ``today``; returns their paths in order."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index, (title, paragraphs) in enumerate(variants(bases, count)):
        date = today - dt.timedelta(days=index % 7)
        header = f"Title: {title}\nDate: {date.isoformat()}\n\n" if title else f"Date: {date.isoformat()}\n\n"
        path = folder / f"article-{index:05d}.txt"
        path.write_text(header + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        written.append(path)
    return written
