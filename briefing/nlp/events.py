"""Events: what happened or will happen, dated by the article's time expressions.

A sentence yields an event when an event word ("visit", "met", "files", "step
down": :mod:`briefing.nlp.eventtriggers`) sits next to a dated time expression,
or when a plan is announced without a date ("is expected to visit", "the
planned summit"). Every other verb a date places is listed too, not notable
("shares fell on Monday"). Negated, conditional and compared mentions are no
events (:mod:`briefing.nlp.eventfilters`). A date goes to its nearest event
word, never across another verb; the lexicon's words claim first. The title
says who did what (:mod:`briefing.nlp.eventtitles`); the event keeps its
sentence and its word's span. The status is judged against the article date,
with the tense of the sentence deciding for a period that holds that date
("will meet this week" is upcoming).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import itertools
import re
from collections.abc import Iterator, Sequence

from briefing.model import Actor, Event, EventStatus, Sentence, Span, TimeExpression
from briefing.nlp.eventfilters import (
    conditional,
    denied,
    modified_noun,
    modifier_participle,
    yardstick,
)
from briefing.nlp.eventtitles import Token, Trigger, clause_title, make_title
from briefing.nlp.eventtriggers import NOT_CLAUSE_EVENTS, find_clause_verbs, find_triggers, planned
from briefing.nlp.eventwords import (
    CANCELLED,
    PLANNED,
    PLANNING,
    PREPOSITIONS,
    RESCHEDULING,
)
from briefing.nlp.postags import tag
from briefing.nlp.timex import tense_near, value_end, value_start
from briefing.nlp.timex.values import with_zone

_TOKEN = re.compile(r"\w[\w'’.&-]*\w|\w|[^\w\s]")
_MAX_GAP = 12
_MAX_TIMES = 12  # dated expressions looked at in one sentence (a run-on "sentence" can hold thousands)
_BETWEEN_CLAUSES = frozenset({"that", "which", "who", ";", "but"})
_NEW_CLAUSE = frozenset({"but", ";"})
"""Words that start another clause: "filed in March, but on May 2 the parties agreed" dates the agreeing."""
_PLAN_HINT = re.compile(r"(?i)\b(?:" + "|".join(sorted(PLANNING | PLANNED)) + r")\b")


_NOT_BLOCKING = NOT_CLAUSE_EVENTS | RESCHEDULING
"""Verbs a date reaches across to its event: auxiliaries, plan words, "runs from", "takes place", "be held"."""


def extract_events(
    text: str,
    sentences: Sequence[Sentence],
    times: Sequence[TimeExpression],
    actors: Sequence[Actor],
    anchor: dt.date,
) -> list[Event]:
    """The events of an article whose date is ``anchor``, in text order, each once.

    ``times`` are the article's time expressions (from :func:`briefing.nlp.timex.tag_times`);
    ``actors`` may be empty; those with a mention in an event's sentence are its actors.
    """
    starts = [s.start for s in sentences]
    grouped: list[list[TimeExpression]] = [[] for _ in sentences]
    for time in times:
        index = bisect.bisect_right(starts, time.start) - 1
        if index >= 0:
            grouped[index].append(time)
    events: list[Event] = []
    seen: set[tuple[str | None, str]] = set()
    mentioned = _MentionIndex(actors)
    for sentence, sentence_times in zip(sentences, grouped, strict=True):
        for event in _sentence_events(sentence, sentence_times, mentioned, anchor):
            key = (event.kind, event.start or event.title.lower()) if event.notable else ("", str(event.trigger))
            if key not in seen:
                seen.add(key)
                events.append(event)
    return events


class _MentionIndex:
    """The article's actor mentions by offset, so that a sentence finds its actors without a scan.

    A long text has thousands of actors and events; scanning every mention for every
    event's sentence would cost their product.
    """

    def __init__(self, actors: Sequence[Actor]) -> None:
        self._actors = actors
        self._marks = sorted((m.start, index, m) for index, actor in enumerate(actors) for m in actor.mentions)
        self._starts = [start for start, _, _ in self._marks]

    def in_sentence(self, sentence: Sentence) -> list[Actor]:
        """The actors mentioned in ``sentence``, in article order, with only their mentions in it."""
        lo = bisect.bisect_left(self._starts, sentence.start)
        hi = bisect.bisect_left(self._starts, sentence.end)
        spans: dict[int, list[Span]] = {}
        for _, index, span in self._marks[lo:hi]:
            spans.setdefault(index, []).append(span)
        return [dataclasses.replace(self._actors[i], mentions=tuple(spans[i])) for i in sorted(spans)]


def _sentence_events(
    sentence: Sentence, times: list[TimeExpression], mentioned: _MentionIndex, anchor: dt.date
) -> Iterator[Event]:
    if not times and _PLAN_HINT.search(sentence.text) is None:
        return  # neither dated nor announcing a plan: most sentences, skipped cheaply
    tokens = [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(sentence.text)]
    triggers = [t for t in find_triggers(tokens) if not denied(tokens, t)]
    classes = tag([t.text for t in tokens]) if times else []
    spans = [(t.start - sentence.start, t.end - sentence.start) for t in times]
    in_time = _time_tokens(tokens, spans)
    heads = [modified_noun(tokens, classes, span, in_time) for span in spans] if times else []
    clause_verbs = (
        [t for t in find_clause_verbs(tokens, triggers, classes, heads) if not denied(tokens, t)] if times else []
    )
    blocking = {
        i
        for i, c in enumerate(classes)
        if c == "V" and tokens[i].lower not in _NOT_BLOCKING and not modifier_participle(tokens, classes, i)
    }
    if not triggers and not clause_verbs:
        return
    actors = mentioned.in_sentence(sentence)
    dated = list(itertools.islice(zip(times, spans, strict=True), _MAX_TIMES))
    # The lexicon's event words claim their dates first, as if no other verb stood there; then a
    # date's nearest other verb dates its own clause too, when it stands closer than the claimant.
    claims = _claims(dated, triggers, tokens, in_time, blocking, heads)
    gaps = {order: gap for gap, order, _ in claims.values()}
    for index, (gap, order, trigger) in _claims(dated, clause_verbs, tokens, in_time, blocking, heads).items():
        if gap < gaps.get(order, _MAX_GAP + 1):
            claims[index] = (gap, order, trigger)
    used = set(claims)
    for _, order, trigger in sorted(claims.values(), key=lambda claim: claim[1]):
        time, span = dated[order]
        make = make_title if trigger.notable else clause_title
        if value_start(time.value) is None:  # "in the coming weeks": ahead, no date
            title = make(tokens, trigger, in_time, actors, sentence, True)
            yield _event(
                title, trigger, None, None, "upcoming", _actor_names(actors, sentence, title), sentence, tokens
            )
            continue
        status = _status(time, anchor, tense_near(sentence.text, *span))
        title = make(tokens, trigger, in_time, actors, sentence, status == "upcoming")
        start = with_zone(time.value, time.text)  # "16:15 UTC" is a moment a calendar can place
        yield _event(
            title, trigger, start, time.end_value, status, _actor_names(actors, sentence, title), sentence, tokens
        )
    if any(t.lower in CANCELLED for t in tokens):
        return
    # A word inside a time expression is no plan ("scheduled in early March": a month, not a march).
    plans = (t for t in triggers if t.index not in used and not in_time[t.index] and planned(tokens, t))
    for trigger in itertools.islice(plans, _MAX_TIMES):
        title = make_title(tokens, trigger, in_time, actors, sentence, True)
        yield _event(title, trigger, None, None, "upcoming", _actor_names(actors, sentence, title), sentence, tokens)


def _claims(
    dated: list[tuple[TimeExpression, tuple[int, int]]],
    triggers: list[Trigger],
    tokens: list[Token],
    in_time: list[bool],
    blocking: set[int],
    heads: list[int | None],
) -> dict[int, tuple[int, int, Trigger]]:
    """Each time expression dates its nearest event word; an event word claimed by several goes to the
    closest ("which cut rates earlier this month, is due to announce its next decision on December 19":
    the decision is on December 19). Token index -> (gap, time's order, event word)."""
    claims: dict[int, tuple[int, int, Trigger]] = {}
    if not triggers:
        return claims
    for order, (time, span) in enumerate(dated):
        if time.type not in ("DATE", "TIME") or (value_start(time.value) is None and time.value != "FUTURE_REF"):
            continue
        if yardstick(tokens, span) or conditional(tokens, bisect.bisect_right([t.end for t in tokens], span[0])):
            continue
        head = heads[order] if order < len(heads) else None
        described = next((t for t in triggers if t.index == head), None)  # "the third-quarter loss"
        nearest = (0, described) if described else _nearest(triggers, tokens, span, in_time, blocking)
        if nearest is not None:
            gap, trigger = nearest
            if trigger.index not in claims or gap < claims[trigger.index][0]:
                claims[trigger.index] = (gap, order, trigger)
    return claims


def _event(
    title: str,
    trigger: Trigger,
    start: str | None,
    end: str | None,
    status: EventStatus,
    names: tuple[str, ...],
    sentence: Sentence,
    tokens: list[Token],
) -> Event:
    word = tokens[trigger.index]
    return Event(
        title=title,
        start=start,
        end=end,
        status=status,
        actors=names,
        evidence=Span(sentence.start, sentence.end),
        kind=trigger.title if trigger.notable else None,
        trigger=Span(sentence.start + word.start, sentence.start + word.end),
        notable=trigger.notable,
    )


def _status(time: TimeExpression, anchor: dt.date, tense: str) -> EventStatus:
    """Upcoming, ongoing or past against the article date; the tense decides inside the period."""
    first = value_start(time.value)
    last = value_end(time.end_value or time.value) or first
    if first is None or last is None:
        return "upcoming"
    if first > anchor:
        return "upcoming"
    if last < anchor:
        return "past"
    if time.end_value:
        return "ongoing"  # "the summit runs from February 16 to 18", read on the 17th
    by_tense: dict[str, EventStatus] = {"future": "upcoming", "past": "past"}
    return by_tense.get(tense, "ongoing")


# -- triggers --------------------------------------------------------------------------------


def _nearest(
    triggers: list[Trigger], tokens: list[Token], span: tuple[int, int], in_time: list[bool], blocking: set[int]
) -> tuple[int, Trigger] | None:
    """The event word a time expression dates, with its distance: the closest, preferring one before it,
    and never across another verb ("the bombing, which they condemned on Friday": the condemning)."""
    ends = [t.end for t in tokens]
    first = bisect.bisect_right(ends, span[0])
    last = max(first, bisect.bisect_left([t.start for t in tokens], span[1]) - 1)
    opens_sentence = sum(1 for t in tokens[:first] if t.text.isalpha()) <= 1
    best: tuple[int, Trigger] | None = None
    for trigger in triggers:
        if in_time[trigger.index]:
            continue
        between = range(trigger.index + 1, first) if trigger.index < first else range(last + 1, trigger.index)
        if any(j in blocking or tokens[j].lower in _NEW_CLAUSE for j in between):
            continue
        if trigger.index < first:
            gap = first - trigger.index
        else:
            gap = trigger.index - last + (0 if opens_sentence else 3)
            if gap <= _MAX_GAP and any(t.lower in _BETWEEN_CLAUSES for t in tokens[last + 1 : trigger.index]):
                continue
        if gap <= _MAX_GAP and (best is None or gap < best[0]):
            best = (gap, trigger)
    return best


def _time_tokens(tokens: list[Token], spans: list[tuple[int, int]]) -> list[bool]:
    """Which tokens belong to a time expression, or are the preposition that introduces one."""
    marks = [False] * len(tokens)
    ends = [t.end for t in tokens]
    for start, end in spans:
        i = bisect.bisect_right(ends, start)
        while i < len(tokens) and tokens[i].start < end:
            marks[i] = True
            i += 1
    for i in range(len(tokens) - 1):
        if not marks[i] and marks[i + 1] and tokens[i].lower in PREPOSITIONS:
            marks[i] = True
    return marks


def _actor_names(actors: Sequence[Actor], sentence: Sentence, title: str) -> tuple[str, ...]:
    """The actors the event's title names: who takes part, not everyone in the sentence (in "Anna Berg
    said the market would open", the market opens; Anna Berg only speaks)."""
    named = []
    for actor in actors:
        texts = {sentence.text[m.start - sentence.start : m.end - sentence.start] for m in actor.mentions}
        texts |= {actor.name, actor.name.split()[-1]}  # "Deputy Foreign Minister Sadat Onal" -> "Sadat Onal"
        if any(text and re.search(rf"(?<!\w){re.escape(text)}(?!\w)", title) for text in texts):
            named.append(actor.name)
    return tuple(named)
