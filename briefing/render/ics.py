"""The calendar as iCalendar (RFC 5545), so analysts can subscribe to it.

Written with the ``icalendar`` library, which is maintained and implements the
RFC's text escaping, 75-octet line folding and CRLF line ends; writing that by
hand is where home-made exporters break. Each entry's UID comes from the event's
identity (the first article that reported it), so a subscribed calendar updates
an event in place when a later export moves its date (SEQUENCE counts the moves).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

import icalendar

from briefing import __version__
from briefing.model import CalendarEntry, When
from briefing.render.files import atomic_write
from briefing.render.timevalues import clock_label, describe, moved

PRODID = f"-//briefing//briefing {__version__}//EN"


def calendar_ics(
    entries: Sequence[CalendarEntry],
    stamp: dt.datetime,
    sources: Mapping[str, str] | None = None,
    name: str = "briefing: upcoming events",
) -> bytes:
    """An iCalendar document of the dated entries (undated plans cannot be placed and are left out).

    ``stamp`` is the export time (DTSTAMP); ``sources`` names articles by id for
    the descriptions.
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for entry in entries:
        event = _vevent(entry, stamp.astimezone(dt.UTC), sources or {})
        if event is not None:
            calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def write_ics(
    entries: Sequence[CalendarEntry], path: Path, stamp: dt.datetime, sources: Mapping[str, str] | None = None
) -> int:
    """Write the entries to ``path`` atomically; the number of events written."""
    data = calendar_ics(entries, stamp, sources)
    atomic_write(path, data)
    return data.count(b"BEGIN:VEVENT")


def _vevent(entry: CalendarEntry, stamp: dt.datetime, sources: Mapping[str, str]) -> icalendar.Event | None:
    start = entry.start
    if not start:
        return None
    first, last = start.first, (entry.end or start).last
    if start.grain == "other" or first is None or last is None or last >= dt.date.max:
        return None
    event = icalendar.Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp)
    event.add("summary", entry.title)
    if start.moment is not None and not entry.end:
        event.add("dtstart", start.moment)  # written as UTC ("...Z"): the article said which zone
    else:  # a day, or a clock whose zone the article did not say: a floating time would lie, a day does not
        event.add("dtstart", first)
        event.add("dtend", max(last, first) + dt.timedelta(days=1))  # DTEND of a day event is exclusive
    event.add("sequence", entry.moves)
    event.add("status", "CONFIRMED" if start.on_a_day else "TENTATIVE")
    if entry.kind:
        event.add("categories", [entry.kind])
    event.add("description", _description(entry, start, sources))
    return event


def _description(entry: CalendarEntry, start: When, sources: Mapping[str, str]) -> str:
    lines = []
    if not start.on_a_day:
        lines.append(f"Date as reported: {describe(start)} (the exact day is not known).")
    elif start.grain == "time" and start.moment is None and clock_label(start):
        lines.append(f"Time as reported: {clock_label(start)} (the article gave no time zone).")
    if entry.moved_from:
        lines.append(moved(entry.moved_from, start)[:1].upper() + moved(entry.moved_from, start)[1:] + ".")
    if entry.evidence:
        lines.append(f"“{entry.evidence}”")  # what the event rests on, in the article's words
    if entry.actors:
        lines.append("Actors: " + ", ".join(entry.actors))
    named = [sources.get(a, a) for a in entry.article_ids]
    lines.append("Reported by: " + "; ".join(named))
    return "\n".join(lines)
