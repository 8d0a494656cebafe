"""The ``briefing analyze --json`` shape (see docs/analysis-contract.md), both ways.

The store keeps analyses in this same shape, so what a user sees from
``analyze`` is exactly what briefings are composed from.
"""

from __future__ import annotations

import math
from typing import Any

from briefing.model import Actor, Analysis, Article, Event, KeyPoint, Span, TimeExpression, When


def article_record(article: Article, analysis: Analysis) -> dict[str, Any]:
    """One article's JSON object: its fields, then what the analysis found."""
    return {
        "source": article.source,
        "id": article.id,
        "title": article.title,
        "date": article.date.isoformat(),
        "date_inferred": article.date_inferred,
        "url": article.url,
        "text": article.text,
        **analysis_record(analysis),
    }


def analysis_record(analysis: Analysis) -> dict[str, Any]:
    """The analysis part of the contract: key points, actors, times, events, sentences."""
    return {
        "key_points": [
            {"text": k.text, "start": k.start, "end": k.end, "score": k.score if math.isfinite(k.score) else 0.0}
            for k in analysis.key_points
        ],
        "actors": [
            {
                "name": a.name,
                "kind": a.kind,
                "role": a.role,
                "affiliation": a.affiliation,
                "aliases": list(a.aliases),
                "mentions": [{"start": m.start, "end": m.end} for m in a.mentions],
            }
            for a in analysis.actors
        ],
        "times": [
            {
                "text": t.text,
                "start": t.start,
                "end": t.end,
                "type": t.type,
                "value": t.value,
                **({"end_value": t.end_value} if t.end_value else {}),
                **({"mod": t.mod} if t.mod else {}),
            }
            for t in analysis.times
        ],
        "events": [
            {
                "title": e.title,
                "start": e.start.value if e.start else None,
                "end": e.end.value if e.end else None,
                "status": e.status,
                "actors": list(e.actors),
                "evidence": {"start": e.evidence.start, "end": e.evidence.end} if e.evidence else None,
                "kind": e.kind,
                "trigger": {"start": e.trigger.start, "end": e.trigger.end} if e.trigger else None,
                "notable": e.notable,
            }
            for e in analysis.events
        ],
        "sentences": [{"start": s.start, "end": s.end} for s in analysis.sentences],
    }


def analysis_from_record(article_id: str, record: dict[str, Any]) -> Analysis:
    """An :class:`Analysis` back from its JSON object."""
    return Analysis(
        article_id=article_id,
        key_points=tuple(KeyPoint(k["text"], k["start"], k["end"], k["score"]) for k in record.get("key_points", ())),
        actors=tuple(
            Actor(
                name=a["name"],
                kind=a["kind"],
                role=a.get("role"),
                affiliation=a.get("affiliation"),
                aliases=tuple(a.get("aliases", ())),
                mentions=tuple(Span(m["start"], m["end"]) for m in a.get("mentions", ())),
            )
            for a in record.get("actors", ())
        ),
        times=tuple(
            TimeExpression(t["text"], t["start"], t["end"], t["type"], t["value"], t.get("end_value"), t.get("mod"))
            for t in record.get("times", ())
        ),
        events=tuple(event_from_record(e) for e in record.get("events", ())),
        sentences=tuple(Span(s["start"], s["end"]) for s in record.get("sentences", ())),
    )


def event_from_record(e: dict[str, Any]) -> Event:
    """An :class:`Event` back from its JSON object."""
    return Event(
        title=e["title"],
        start=When.parse(e.get("start")),
        end=When.parse(e.get("end")),
        status=e["status"],
        actors=tuple(e.get("actors", ())),
        evidence=Span(e["evidence"]["start"], e["evidence"]["end"]) if e.get("evidence") else None,
        kind=e.get("kind"),
        trigger=Span(e["trigger"]["start"], e["trigger"]["end"]) if e.get("trigger") else None,
        notable=e.get("notable", True),
    )
