"""The calendar: events merged across the articles that report them, judged against the briefing date.

Reports are taken oldest article first. A report joins an entry when it is the
same kind of event with much the same title (and no conflicting actors), and
either its date overlaps the entry's, or one of the two has no date yet, or
the entry was still a plan and the later article gives it another date: then
the date moves ("moved from March 9 to March 12") and the later article wins.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from briefing.model import CalendarEntry, Event, EventStatus, ReportedEvent, StoredArticle, When

PLAN_DAYS = 60
"""An undated plan stays in the calendar this many days after the last article that mentions it."""
MOVE_DAYS = 183
"""A later article can move a planned event's date by at most this many days and still be the same event."""

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    {"of", "to", "in", "with", "the", "a", "an", "and", "on", "for", "at", "by", "from", "over", "about", "its", "his"}
    | {"her", "their"}
)


def reported_events(stored: Iterable[StoredArticle]) -> list[ReportedEvent]:
    """Every notable event of the given articles (those a calendar lists), with the article that reports it."""
    return [
        ReportedEvent(event, s.article.id, s.article.date, s.first_seen, s.article.title, _sentence(s, event))
        for s in stored
        for event in s.analysis.events
        if event.notable
    ]


def _sentence(stored: StoredArticle, event: Event) -> str:
    span = event.evidence
    return " ".join(stored.article.text[span.start : span.end].split()) if span else ""


def still_ahead(report: ReportedEvent, today: dt.date) -> bool:
    """An undated plan, or an event that has not ended by ``today`` and that its article did not tell as done."""
    event = report.event
    if event.start is None:
        return event.status == "upcoming"
    last = (event.end or event.start).last
    return last is not None and last >= today and not _told_done(report)


def _told_done(report: ReportedEvent) -> bool:
    """The article told the event as past within its period: "made a surprise trip to Iraq this week" is over,
    though the week is not."""
    first = report.event.start.first if report.event.start else None
    return report.event.status == "past" and first is not None and first <= report.article_date


def build_calendar(reports: Sequence[ReportedEvent], today: dt.date) -> tuple[CalendarEntry, ...]:
    """Calendar entries from event reports, by date (undated plans last), judged against ``today``."""
    drafts: list[_Draft] = []
    index: dict[tuple[str | None, str], list[_Draft]] = {}  # (kind, title word) -> drafts holding it
    for report in _unique(sorted(reports, key=_report_order)):
        kind, words = report.event.kind, _content(report.event.title, report.event.kind)
        keys = [(kind, w) for w in words] or [(kind, "")]
        candidates = {id(d): d for key in keys for d in index.get(key, ())}.values()
        ranked = sorted(candidates, key=lambda d: d.similarity(words), reverse=True)
        draft = next((d for d in ranked if d.accepts(report, d.similarity(words))), None)
        if draft is None:
            draft = _Draft.start_with(report)
            drafts.append(draft)
        else:
            draft.add(report)
        for key in [(kind, w) for w in draft.words] or [(kind, "")]:
            if draft not in index.setdefault(key, []):
                index[key].append(draft)
    entries = [d.entry(today) for d in drafts if d.current(today)]
    return tuple(sorted(entries, key=_entry_order))


def _report_order(report: ReportedEvent) -> tuple[dt.date, dt.datetime, str]:
    moment = report.reported_at or dt.datetime.combine(report.article_date, dt.time(), dt.UTC)
    return report.article_date, moment, report.article_id


def _unique(reports: Iterable[ReportedEvent]) -> Iterable[ReportedEvent]:
    """The same article's same event once, however many queries it came from."""
    seen: set[tuple[str, str, When | None]] = set()
    for report in reports:
        key = (report.article_id, report.event.title, report.event.start)
        if key not in seen:
            seen.add(key)
            yield report


def _entry_order(entry: CalendarEntry) -> tuple[int, dt.date, str]:
    start = entry.start.first if entry.start else None
    return (0, start, entry.title) if start else (1, dt.date.max, entry.title)


def _content(title: str, kind: str | None) -> frozenset[str]:
    words = _WORD.findall(title.lower().replace("’s", "").replace("'s", ""))
    return frozenset(w for w in words if w not in _STOP and w != (kind or "").lower())


_PRECISION = ("century", "decade", "year", "half", "season", "quarter", "month", "week", "day", "time")


def _precision(value: When | None) -> int:
    unit = ("week" if value.grain == "weekend" else value.grain) if value else None
    return _PRECISION.index(unit) if unit in _PRECISION else -1


def _period(start: When | None, end: When | None) -> tuple[dt.date, dt.date] | None:
    first = start.first if start else None
    last = (end or start).last if start else None
    return (first, last) if first and last else None


@dataclass
class _Draft:
    """An entry being built: the reports merged so far and the date they settle on."""

    reports: list[ReportedEvent]
    start: When | None
    end: When | None
    moved_from: When | None = None
    moves: int = 0
    words: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def start_with(cls, report: ReportedEvent) -> _Draft:
        event = report.event
        return cls([report], event.start, event.end, words=_content(event.title, event.kind))

    @property
    def kind(self) -> str | None:
        return self.reports[0].event.kind

    @property
    def actors(self) -> set[str]:
        return {a for r in self.reports for a in r.event.actors}

    def similarity(self, words: frozenset[str]) -> float:
        """How alike the titles are (shared content words), 1.0 when one holds all of the other's."""
        if not words or not self.words:
            return 1.0 if not words and not self.words else 0.0
        if words <= self.words or self.words <= words:
            return 1.0
        return len(words & self.words) / len(words | self.words)

    def accepts(self, report: ReportedEvent, similarity: float) -> bool:
        event = report.event
        if event.kind != self.kind or (event.actors and self.actors and not set(event.actors) & self.actors):
            return False
        mine, theirs = _period(self.start, self.end), _period(event.start, event.end)
        if mine is None or theirs is None:
            return similarity >= 0.5 and bool(self.words)
        if mine[0] <= theirs[1] and theirs[0] <= mine[1]:
            return similarity >= 0.34
        planned = self.reports[-1].event.status == "upcoming"
        close = abs((theirs[0] - mine[0]).days) <= MOVE_DAYS
        return planned and close and similarity >= 0.5 and bool(self.words)

    def add(self, report: ReportedEvent) -> None:
        event = report.event
        self.reports.append(report)
        self.words = self.words | _content(event.title, event.kind)
        mine, theirs = _period(self.start, self.end), _period(event.start, event.end)
        if theirs is None:
            return
        if mine is None:
            self.start, self.end = event.start, event.end
        elif mine[0] <= theirs[1] and theirs[0] <= mine[1]:
            if _precision(event.start) > _precision(self.start):  # "in March", then "on March 9"
                self.start, self.end = event.start, event.end
        else:  # a later article moved the date
            self.moved_from, self.moves = self.start, self.moves + 1
            self.start, self.end = event.start, event.end

    def current(self, today: dt.date) -> bool:
        """Dated entries always count; an undated plan only while recent articles mention it."""
        return self.start is not None or (today - self.reports[-1].article_date).days <= PLAN_DAYS

    def entry(self, today: dt.date) -> CalendarEntry:
        first = self.reports[0]
        title = max((r.event.title for r in self.reports), key=lambda t: len(t.split()))
        actors = list(dict.fromkeys(a for r in self.reports for a in r.event.actors))
        uid = hashlib.sha1(f"{first.article_id}|{first.event.title}".encode()).hexdigest()[:20]
        return CalendarEntry(
            title=title,
            start=self.start,
            end=self.end,
            status=self.status(today),
            days_to_go=self.days_to_go(today),
            actors=tuple(actors),
            article_ids=tuple(dict.fromkeys(r.article_id for r in self.reports)),
            moved_from=self.moved_from,
            uid=f"{uid}@briefing",
            moves=self.moves,
            kind=self.kind,
            evidence=self._evidence(),
        )

    def _evidence(self) -> str:
        """The sentence of the latest report that gives the entry's date (the first report's, undated)."""
        dated = [r for r in self.reports if r.event.start == self.start and r.sentence]
        return (dated or [r for r in self.reports if r.sentence] or self.reports)[-1].sentence

    def status(self, today: dt.date) -> EventStatus:
        """Judged again against the briefing date: a planned visit whose date passed is no longer upcoming."""
        period = _period(self.start, self.end)
        if period is None:
            return "upcoming"
        if period[0] > today:
            return "upcoming"
        if period[1] < today:
            return "past"
        if period[0] == period[1] == today:
            return self.reports[-1].event.status if self.reports[-1].article_date == today else "ongoing"
        return "past" if _told_done(self.reports[-1]) else "ongoing"  # "made a trip this week": done

    def days_to_go(self, today: dt.date) -> int | None:
        if not self.start or not self.start.on_a_day:
            return None
        start = self.start.first
        return (start - today).days if start and start >= today else None
