"""Small builders of composed briefings for render tests (no store, no NLP needed).

The analysis that fills actors, events and relations is built elsewhere; these
builders let the report be tested with every section full, and with any text
in any field (markup, quotes, long names).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence

from briefing.compose.bottom_line import bottom_line
from briefing.model import (
    ActorEntry,
    Briefing,
    BriefingPoint,
    CalendarEntry,
    Failure,
    Period,
    Relation,
    SourceRef,
    Story,
    When,
)
from tests.conftest import news_text

LONDON = zoneinfo.ZoneInfo("Europe/London")
AT = dt.datetime(2022, 2, 21, 7, 0, tzinfo=LONDON)


def article_id(n: int) -> str:
    return f"{n:064x}"


def make_briefing(
    stories: int = 2,
    points: int = 3,
    titles: Sequence[str] = (),
    texts: Sequence[str] = (),
    url: str | None = "https://news.example.org/a",
    calendar: Sequence[CalendarEntry] = (),
    actors: Sequence[ActorEntry] = (),
    relations: Sequence[Relation] = (),
    failures: Sequence[Failure] = (),
    previous_at: dt.datetime | None = None,
    created_at: dt.datetime = AT,
) -> Briefing:
    """A briefing of ``stories`` one-article stories with ``points`` points each.

    ``titles`` and ``texts`` replace the first titles and point texts (in order).
    """
    built_stories: list[Story] = []
    sources: list[SourceRef] = []
    custom_texts = list(texts)
    for n in range(stories):
        aid = article_id(n + 1)
        title = titles[n] if n < len(titles) else f"Harbour plan number {n + 1} goes to a council vote"
        body = news_text(f"harbour {n + 1}", sentences=points).split(". ")
        story_points = []
        for k in range(points):
            text = custom_texts.pop(0) if custom_texts else body[k % len(body)].rstrip(".") + "."
            story_points.append(BriefingPoint(text, 1.0 - k / 10, aid, is_new=n % 2 == 0))
        day = created_at.date() - dt.timedelta(days=n % 5 + 1)
        built_stories.append(Story(title, day, tuple(story_points), (aid,), is_new=n % 2 == 0))
        sources.append(SourceRef(aid, title, day, False, (f"seeds/article-{n + 1}.txt",), url, "Example News"))
    return Briefing(
        created_at=created_at,
        period=Period(created_at - dt.timedelta(days=7), created_at),
        stories=tuple(built_stories),
        sources=tuple(sources),
        failures=tuple(failures),
        actors=tuple(actors),
        calendar=tuple(calendar),
        relations=tuple(relations),
        previous_at=previous_at,
        bottom_line=bottom_line(built_stories),
    )


def event(
    title: str,
    start: str | None,
    status: str = "upcoming",
    end: str | None = None,
    actors: Sequence[str] = ("Anna Berg",),
    days: int | None = None,
    moved_from: str | None = None,
    article: int = 1,
) -> CalendarEntry:
    if days is None and start and start[:4].isdigit() and len(start) == 10:
        days = (dt.date.fromisoformat(start) - AT.date()).days
    return CalendarEntry(
        title,
        When.parse(start),
        When.parse(end),
        status,  # type: ignore[arg-type]
        days,
        tuple(actors),
        (article_id(article),),
        When.parse(moved_from),
    )


def actor(
    name: str, kind: str = "person", role: str | None = None, affiliation: str | None = None, mentions: int = 1
) -> ActorEntry:
    return ActorEntry(name, kind, role, affiliation, mentions, (article_id(1),))  # type: ignore[arg-type]


def rich_briefing(**overrides: object) -> Briefing:
    """Every section full: events past and upcoming, actors, meetings, a failed file, a previous briefing."""
    values: dict[str, object] = {
        "stories": 3,
        "calendar": (
            event(
                "Council vote on the harbour budget",
                "2022-03-09",
                end="2022-03-10",
                actors=("Anna Berg", "City Council"),
            ),
            event("Public hearing on the harbour", "2022-02-28", moved_from="2022-02-24"),
            event("Harbour plan announced", "2022-02-14", status="past"),
            event("Regional funding talks", "2022-03", actors=("Regional Government",)),
            event("Construction starts", None),
        ),
        "actors": (
            actor("Anna Berg", role="Mayor", affiliation="City Council", mentions=5),
            actor("City Council", kind="organization", mentions=4),
            actor("Regional Government", kind="organization", mentions=2),
            actor("Norway", kind="country", mentions=1),
        ),
        "relations": (
            Relation("Anna Berg", "City Council", 3, (article_id(1),)),
            Relation("Anna Berg", "Regional Government", 1, (article_id(2),)),
            Relation("City Council", "Regional Government", 2, (article_id(2),)),
        ),
        "failures": (Failure("seeds/broken.txt", "binary file (not text)", AT - dt.timedelta(days=1)),),
        "previous_at": AT - dt.timedelta(days=1),
    }
    values.update(overrides)
    return make_briefing(**values)  # type: ignore[arg-type]
