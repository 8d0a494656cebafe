"""Sample briefings for looking at the report: the seed with the actors and events it states,
and plausible extras for a large briefing.

On a branch where the analysis does not yet fill actors, events and relations,
these builders put in values made by hand (for the seed: facts its text
states) or generated from the articles (for many articles), so the report's
design can be seen and measured with every section full.

    .venv/bin/python -m bench.sample OUT_DIR [--seeds DIR] [--as-of 2022-02-21]

writes OUT_DIR/briefing.html and OUT_DIR/briefing.pdf of the enriched seed briefing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import sys
import zoneinfo
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from briefing.compose import compose
from briefing.compose.bottom_line import bottom_line
from briefing.ingest import ReadError, read_articles, scan_folder
from briefing.model import (
    ActorEntry,
    Article,
    Briefing,
    CalendarEntry,
    Failure,
    Period,
    Relation,
    StoredArticle,
    When,
)
from briefing.nlp import AnalysisOptions, analyse

LONDON = zoneinfo.ZoneInfo("Europe/London")


def stored_articles(articles: Sequence[Article], arrived: dt.datetime) -> list[StoredArticle]:
    """The articles analysed as ingest would store them."""
    return [StoredArticle(a, analyse(a, AnalysisOptions()), (a.source,), arrived) for a in articles]


def read_folder(folder: Path) -> tuple[list[Article], list[Failure]]:
    """Every article under ``folder`` read by briefing's own readers; bad files become failures."""
    articles: list[Article] = []
    failures: list[Failure] = []
    for candidate in scan_folder(folder):
        try:
            articles += read_articles(candidate.path, max_bytes=5 * 1024 * 1024, source=candidate.path.name)
        except ReadError as exc:
            failures.append(Failure(candidate.path.name, str(exc), dt.datetime.now(dt.UTC)))
    return articles, failures


def seed_briefing(seeds: Path, as_of: dt.datetime) -> Briefing:
    """The seed folder's briefing as of ``as_of``, with the actors, events and meetings the seed states."""
    articles, failures = read_folder(seeds)
    stored = stored_articles(articles, as_of - dt.timedelta(hours=2))
    period = Period(as_of - dt.timedelta(days=7), as_of)
    briefing = compose(stored, failures, period, created_at=as_of)
    if not articles:
        return briefing
    seed = articles[0].id
    today = as_of.date()

    def event(title: str, start: str, end: str | None, actors: tuple[str, ...]) -> CalendarEntry:
        first = dt.date.fromisoformat(start) if len(start) == 10 else None
        days = (first - today).days if first else None
        status = "upcoming" if first and first > today else "past"
        return CalendarEntry(title, When(start), When.parse(end), status, days, actors, (seed,))

    calendar = (
        event("Alon Ushpiz visits Turkey", "2021-12", None, ("Alon Ushpiz",)),
        event("Cavusoglu: no normalisation at the expense of the Palestinians", "2022-02", None, ("Mevlut Cavusoglu",)),
        event(
            "Turkish delegation meets Israeli officials in Jerusalem",
            "2022-02-17",
            None,
            ("Ibrahim Kalin", "Sadat Onal", "Alon Ushpiz", "Eyal Shviki"),
        ),
        event("Turkish officials meet Mahmoud Abbas", "2022-02-17", None, ("Ibrahim Kalin", "Mahmoud Abbas")),
        event("Isaac Herzog's visit to Turkey", "2022-03-09", "2022-03-10", ("Isaac Herzog", "Tayyip Erdogan")),
    )
    people = (
        ("Ibrahim Kalin", "person", "top foreign policy adviser", "Turkish Presidency", 4),
        ("Isaac Herzog", "person", "President", "Israel", 4),
        ("Mevlut Cavusoglu", "person", "Foreign Minister", "Turkey", 2),
        ("Alon Ushpiz", "person", "Director-General", "Israeli Foreign Ministry", 2),
        ("Tayyip Erdogan", "person", "President", "Turkey", 1),
        ("Sadat Onal", "person", "Deputy Foreign Minister", "Turkey", 1),
        ("Eyal Shviki", "person", "CEO", "Israeli President's Office", 1),
        ("Mahmoud Abbas", "person", "President", "Palestinian Authority", 2),
        ("Turkey", "country", None, None, 8),
        ("Israel", "country", None, None, 7),
        ("Israeli Foreign Ministry", "organization", None, "Israel", 2),
        ("Jerusalem", "location", None, None, 2),
    )
    actors = tuple(ActorEntry(n, k, r, a, m, (seed,)) for n, k, r, a, m in people)  # type: ignore[arg-type]
    pairs = (
        ("Ibrahim Kalin", "Alon Ushpiz", 1),
        ("Ibrahim Kalin", "Eyal Shviki", 1),
        ("Sadat Onal", "Alon Ushpiz", 1),
        ("Sadat Onal", "Eyal Shviki", 1),
        ("Ibrahim Kalin", "Sadat Onal", 2),
        ("Ibrahim Kalin", "Isaac Herzog", 2),
        ("Sadat Onal", "Isaac Herzog", 1),
        ("Ibrahim Kalin", "Mahmoud Abbas", 2),
        ("Sadat Onal", "Mahmoud Abbas", 1),
        ("Isaac Herzog", "Tayyip Erdogan", 2),
        ("Alon Ushpiz", "Eyal Shviki", 1),
    )
    relations = tuple(Relation(a, b, w, (seed,)) for a, b, w in pairs)
    stories = tuple(replace(s, actors=("Ibrahim Kalin", "Isaac Herzog", "Sadat Onal")) for s in briefing.stories)
    return replace(
        briefing,
        stories=stories,
        actors=actors,
        calendar=calendar,
        relations=relations,
        previous_at=as_of - dt.timedelta(days=5),
        bottom_line=bottom_line(stories),
    )


def with_extras(briefing: Briefing, articles: Sequence[Article]) -> Briefing:
    """Plausible actors, events and meetings generated from ``articles``, sized like a real briefing.

    Actor names are capitalised word pairs from the titles, events are the titles
    on dates around the article dates; it is about volume and shape, not truth.
    """
    today = briefing.created_at.date()
    names: dict[str, list[str]] = {}
    for article in articles:
        words = [w.strip(",.:;'\"()") for w in article.text.split()[:400]]
        for left, right in itertools.pairwise(words):
            if left[:1].isupper() and right[:1].isupper() and left.isalpha() and right.isalpha():
                names.setdefault(f"{left} {right}", []).append(article.id)
    top = sorted(names, key=lambda n: (-len(names[n]), n))[:80]
    kinds = ("person", "organization", "country", "location")
    actors = tuple(
        ActorEntry(
            n, kinds[i % 4], "spokesperson" if i % 4 == 0 else None, None, len(names[n]), tuple(dict.fromkeys(names[n]))
        )  # type: ignore[arg-type]
        for i, n in enumerate(top)
    )
    relations = tuple(
        Relation(top[i], top[j], 1 + (i + j) % 4, tuple(names[top[i]][:1]))
        for i in range(min(len(top), 24))
        for j in range(i + 1, min(len(top), 24))
        if (i * 7 + j * 3) % 11 == 0
    )
    calendar = []
    for n, article in enumerate(articles[:40]):
        offset = (n * 5) % 41 - 14
        start = today + dt.timedelta(days=offset)
        status = "upcoming" if offset > 0 else "ongoing" if offset == 0 else "past"
        calendar.append(
            CalendarEntry(
                article.title[:70],
                When(start.isoformat()),
                None,
                status,
                offset,
                tuple(top[n % len(top) : n % len(top) + 2]) if top else (),
                (article.id,),
            )
        )
    return replace(briefing, actors=actors, relations=relations, calendar=tuple(calendar))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.sample", description="Render the enriched seed briefing.")
    parser.add_argument("out", type=Path, help="folder for briefing.html and briefing.pdf")
    parser.add_argument("--seeds", type=Path, default=Path("seeds"))
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2022, 2, 21))
    parser.add_argument("--page-size", choices=("A4", "Letter"), default="A4")
    args = parser.parse_args(argv)

    from briefing.config import ReportSettings
    from briefing.render import render_html
    from briefing.render.sandbox import render_pdf
    from briefing.render.templating import template_dirs

    as_of = dt.datetime.combine(args.as_of, dt.time(7, 0), LONDON)
    briefing = seed_briefing(args.seeds, as_of)
    html, _ = render_html(briefing, settings=ReportSettings(page_size=args.page_size, organisation="Policy Unit"))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "briefing.html").write_text(html, encoding="utf-8")
    (args.out / "briefing.pdf").write_bytes(render_pdf(html, template_dirs(None)))
    print(f"wrote {args.out / 'briefing.html'} and {args.out / 'briefing.pdf'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
