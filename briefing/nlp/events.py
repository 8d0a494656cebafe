"""Events: what happened or will happen, dated by the article's time expressions.

A sentence yields an event when an event word ("visit", "met", "files", "step
down": :mod:`briefing.nlp.eventtriggers`) sits next to a dated time expression,
or when a plan is announced without a date ("is expected to visit", "the
planned summit"). Every other verb a date places is listed too, not notable
("shares fell on Monday"). Negated, conditional and compared mentions are no
events (:mod:`briefing.nlp.eventfilters`). A date goes to the nearest event
word of the lexicon, never across another verb (:mod:`briefing.nlp.eventnearest`);
a date no lexicon word claims goes to the word a learned scorer places it at
(:mod:`briefing.nlp.eventanchors`), or to none when the scorer is unsure. The title
says who did what (:mod:`briefing.nlp.eventtitles`), a pronoun standing for the one actor named before it
and a verb's kind following its subject ("the X100 flew" is a flight: :mod:`briefing.nlp.eventpronouns`);
the event keeps its sentence and its word's span. The status is judged against the article date,
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

from briefing.model import Actor, Event, EventStatus, Sentence, Span, TimeExpression, When
from briefing.nlp.eventanchors import AnchorModel, choose, shipped_model
from briefing.nlp.eventaspect import complement
from briefing.nlp.eventfilters import conditional, denied, in_own_phrase, modified_noun, yardstick
from briefing.nlp.eventnearest import nearest_claims
from briefing.nlp.eventpairs import DatedSpan, Pair, pairs
from briefing.nlp.eventpronouns import PRONOUNS, Before, thing_subject
from briefing.nlp.eventtitles import clause_title, make_title
from briefing.nlp.eventtokens import Token, Trigger, names_as_names, words_of
from briefing.nlp.eventtriggers import find_clause_verbs, find_triggers, planned, takes_place
from briefing.nlp.eventwords import CANCELLED, OCCURRING, PLANNED, PLANNING, PREPOSITIONS, THING_VERBS
from briefing.nlp.postags import tag
from briefing.nlp.timex import tense_near, value_end, value_start
from briefing.nlp.timex.grammar import alternation
from briefing.nlp.timex.values import with_zone

_MAX_TIMES = 12  # dated expressions looked at in one sentence (a run-on "sentence" can hold thousands)
_POINTERS = PLANNING | PLANNED | OCCURRING | frozenset({"according", "compared"})
"""Words that point at an event, a source or a yardstick ("planned to apply today", "occurred on Friday",
"according to", "compared with"), never one themselves."""
_MEASURED = frozenset({"Earnings", "Results"})
"""Event nouns that a period measures rather than dates: "earnings of $5 million for the year" is no release
in that year, so such a date is left to the scorer; a day still claims them ("earnings on Feb. 28")."""
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_REFERENCES = frozenset({"PRESENT_REF", "PAST_REF"})
"""Dates that name no period ("now", "recently"): they date a clause for the analysis ("Globex now owns 72%"),
and no calendar lists it, since it has no day to show or to drop once past."""
_PLAN_WORDS = PLANNING | PLANNED
_PLAN_HINT = re.compile(rf"(?i)\b(?=[{''.join(sorted({w[0] for w in _PLAN_WORDS}))}]){alternation(_PLAN_WORDS)}\b")
"""Whether an undated sentence names a plan at all. Most sentences pass this search, so it is kept cheap: a
word whose first letter starts no plan word is passed over at once, and the words are tried as a trie."""


def extract_events(
    text: str,
    sentences: Sequence[Sentence],
    times: Sequence[TimeExpression],
    actors: Sequence[Actor],
    anchor: dt.date,
    model: AnchorModel | None = None,
) -> list[Event]:
    """The events of an article whose date is ``anchor``, in text order, each once.

    ``times`` are the article's time expressions (from :func:`briefing.nlp.timex.tag_times`);
    ``actors`` may be empty; those with a mention in an event's sentence are its actors. ``model``
    decides which word a date places (the shipped one unless given: benches train others).
    """
    scorer = model or shipped_model()
    starts = [s.start for s in sentences]
    grouped: list[list[TimeExpression]] = [[] for _ in sentences]
    for time in times:
        index = bisect.bisect_right(starts, time.start) - 1
        if index >= 0:
            grouped[index].append(time)
    events: list[Event] = []
    seen: set[tuple[str | None, str]] = set()
    mentioned = _MentionIndex(actors)
    for number, (sentence, sentence_times) in enumerate(zip(sentences, grouped, strict=True)):
        previous = sentences[number - 1] if number else None
        for event in _sentence_events(sentence, previous, sentence_times, mentioned, anchor, scorer):
            key = (
                (event.kind, event.start.value if event.start else event.title.lower())
                if event.notable
                else ("", str(event.trigger))
            )
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


@dataclasses.dataclass(frozen=True, slots=True)
class _View:
    """A sentence read for events: its tokens and classes, event words, and dates as the scorer sees them."""

    tokens: list[Token]
    triggers: list[Trigger]
    in_time: list[bool]
    dated: list[tuple[TimeExpression, tuple[int, int]]]
    pairs: list[Pair]
    rule: set[tuple[int, int]] = dataclasses.field(default_factory=set)
    """(date's order, word index) pairs the nearest-word rule chooses."""
    own: set[int] = dataclasses.field(default_factory=set)
    """Orders of the dates that stand in their claiming noun's own phrase ("the talks on Monday")."""
    classes: list[str] = dataclasses.field(default_factory=list)
    """Each token's word class (only for a dated sentence)."""


def _read(sentence: Sentence, times: list[TimeExpression], anchor: dt.date) -> _View | None:
    """``None`` for a sentence neither dated nor announcing a plan (most sentences, skipped cheaply)."""
    if not times and _PLAN_HINT.search(sentence.text) is None:
        return None
    tokens = words_of(sentence.text)
    words = find_triggers(tokens)
    triggers = [t for t in words if not denied(tokens, t)]
    dated = list(itertools.islice(((t, (t.start - sentence.start, t.end - sentence.start)) for t in times), _MAX_TIMES))
    in_time = _time_tokens(tokens, [span for _, span in dated])
    dates = [_scored_date(tokens, time, span) for time, span in dated]
    if all(d is None for d in dates):  # no date, or only durations and yardsticks: no word to date
        return _View(tokens, triggers, in_time, dated, [])
    classes = names_as_names(tokens, tag([t.text for t in tokens], [t.lower for t in tokens]))
    heads = [modified_noun(tokens, classes, span, in_time) for _, span in dated]
    verbs = find_clause_verbs(tokens, triggers, classes, heads)
    clause_verbs = [t for t in verbs if not denied(tokens, t)]
    rule = nearest_claims(
        [(d.start, d.end) if d else None for d in dates], triggers, clause_verbs, tokens, classes, in_time, heads
    )
    taken = {t.index for t in words} | {t.index for t in verbs}  # a denied word is no candidate either
    others = _other_words(tokens, classes, taken)  # their negations are looked for once a date chose one
    found = pairs(tokens, classes, dates, triggers + clause_verbs + others, in_time, heads, anchor.isoformat(), rule)
    by_index = {t.index: t for t in triggers}
    own = {
        order
        for order, index in rule
        if index in by_index and in_own_phrase(tokens, by_index[index], dated[order][1], heads[order])
    }
    return _View(tokens, triggers, in_time, dated, found, rule, own, classes)


def _other_words(tokens: list[Token], classes: list[str], taken: set[int]) -> list[Trigger]:
    """Common nouns, auxiliaries and verbs after "to" that no list claims: candidates the scorer may still
    date ("a net loss in the third quarter", "had sales of $154 million last year", "to accede on Friday")."""
    return [
        Trigger(i, token.lower, verb=word_class == "V", notable=False)
        for i, (token, word_class) in enumerate(zip(tokens, classes, strict=True))
        if (word_class in "NV" or (i and tokens[i - 1].lower == "to"))  # the test most words fail, first
        and i not in taken
        and token.text.isalpha()
        and token.lower not in _POINTERS
        and (i == 0 or not token.text[0].isupper())
        and not takes_place(tokens, i)
    ]


def _scored_date(tokens: list[Token], time: TimeExpression, span: tuple[int, int]) -> DatedSpan | None:
    """The date as the scorer sees it, or ``None`` when it dates nothing: a duration, a set, a comparison's
    yardstick ("the biggest fall since 2001"), a condition ("if it is not agreed by June 1"). "Now" and
    "recently" date a clause too (:data:`_REFERENCES`)."""
    placed = value_start(time.value) is not None or time.value == "FUTURE_REF"
    if not (time.type in ("DATE", "TIME") and placed) and not (time.type == "DATE" and time.value in _REFERENCES):
        return None
    if yardstick(tokens, span) or conditional(tokens, bisect.bisect_right([t.end for t in tokens], span[0])):
        return None
    return DatedSpan(time.value, span[0], span[1])


def dated_pairs(
    sentence: Sentence, times: list[TimeExpression], anchor: dt.date
) -> list[tuple[TimeExpression, Pair, Span]]:
    """Every (date, candidate event word) pair the scorer weighs in ``sentence``, with the word's span in
    the article (for training the scorer)."""
    view = _read(sentence, times, anchor)
    if view is None:
        return []
    found = []
    for pair in view.pairs:
        word = view.tokens[pair.trigger.index]
        found.append((view.dated[pair.order][0], pair, Span(sentence.start + word.start, sentence.start + word.end)))
    return found


def _sentence_events(
    sentence: Sentence,
    previous: Sentence | None,
    times: list[TimeExpression],
    mentioned: _MentionIndex,
    anchor: dt.date,
    model: AnchorModel,
) -> Iterator[Event]:
    view = _read(sentence, times, anchor)
    if view is None or (not view.triggers and not view.pairs):
        return
    tokens, in_time = view.tokens, view.in_time
    actors = mentioned.in_sentence(sentence)
    before = None  # whom "he" or "their" may stand for
    if previous and any(t.lower in PRONOUNS for t in tokens):
        before = Before(previous, mentioned.in_sentence(previous))
    # A date the lexicon's nearest event word claims keeps it (a calendar's "election", not "held") when the
    # scorer does not find the word unlikely or the date stands in the word's own phrase ("the talks on
    # Monday"); the scorer decides the other dates, which of their words they place, and any further word.
    bodies = _bodies(tokens, actors, sentence)
    pairs = [p for p in view.pairs if p.trigger.index not in bodies]
    claimed = {
        p.order: p
        for p in pairs
        if p.trigger.notable
        and (p.order, p.trigger.index) in view.rule
        and not (p.trigger.title in _MEASURED and _DAY.match(view.dated[p.order][0].value) is None)
        and view.dated[p.order][0].value not in _REFERENCES  # the scorer decides what "now" dates
    }
    kept = [p for p in choose(pairs, model, claimed, view.own) if not denied(tokens, p.trigger)]
    kept = sorted(kept + _governed(kept, view), key=lambda p: (p.order, p.trigger.index))
    used = set()
    for pair in kept:
        trigger = _by_subject(tokens, pair.trigger, actors, sentence)
        time, span = view.dated[pair.order]
        if time.value in _REFERENCES and trigger.notable and planned(tokens, trigger):
            continue  # "Globex is now expected to file for bankruptcy": a plan, listed below
        used.add(trigger.index)
        if time.value in _REFERENCES:
            plain = dataclasses.replace(trigger, notable=False)  # "Globex now owns 72%": listed, in no calendar
            title = clause_title(tokens, plain, in_time, actors, sentence, False, before)
            status: EventStatus = "ongoing" if time.value == "PRESENT_REF" else "past"
            names = _actor_names(actors, sentence, title)
            yield _event(title, plain, time.value, None, status, names, sentence, tokens)
            continue
        make = make_title if trigger.notable else clause_title
        if value_start(time.value) is None:  # "in the coming weeks": ahead, no date
            title = make(tokens, trigger, in_time, actors, sentence, True, before)
            yield _event(
                title, trigger, None, None, "upcoming", _actor_names(actors, sentence, title), sentence, tokens
            )
            continue
        status = _status(time, anchor, tense_near(sentence.text, *span))
        title = make(tokens, trigger, in_time, actors, sentence, status == "upcoming", before)
        start = with_zone(time.value, time.text)  # "16:15 UTC" is a moment a calendar can place
        yield _event(
            title, trigger, start, time.end_value, status, _actor_names(actors, sentence, title), sentence, tokens
        )
    if any(t.lower in CANCELLED for t in tokens):
        return
    # A word inside a time expression is no plan ("scheduled in early March": a month, not a march).
    plans = (t for t in view.triggers if t.index not in used | bodies and not in_time[t.index] and planned(tokens, t))
    for trigger in itertools.islice(plans, _MAX_TIMES):
        trigger = _by_subject(tokens, trigger, actors, sentence)
        title = make_title(tokens, trigger, in_time, actors, sentence, True, before)
        yield _event(title, trigger, None, None, "upcoming", _actor_names(actors, sentence, title), sentence, tokens)


def _bodies(tokens: list[Token], actors: Sequence[Actor], sentence: Sentence) -> set[int]:
    """Event words that are an organisation's whole name here: "Congress returns on Monday" names the body, not a
    congress (a named event keeps its word: "the Global Builders Conference")."""
    spans = {(m.start - sentence.start, m.end - sentence.start) for a in actors for m in a.mentions}
    return {i for i, t in enumerate(tokens) if t.text[:1].isupper() and (t.start, t.end) in spans}


def _governed(kept: list[Pair], view: _View) -> list[Pair]:
    """The events the kept aspectual verbs govern, at the same date ("began selling its shares in May": the
    selling). A calendar entry only when the aspectual verb is none ("began talks", not "completed the sale")."""
    taken = {p.trigger.index for p in kept}
    governed = []
    for pair in kept:
        j = complement(view.tokens, view.classes, pair.trigger.index, view.in_time) if pair.trigger.verb else None
        if j is None or j in taken:
            continue
        for other in view.pairs:
            if other.order == pair.order and other.trigger.index == j and not denied(view.tokens, other.trigger):
                notable = other.trigger.notable and not pair.trigger.notable
                governed.append(dataclasses.replace(other, trigger=dataclasses.replace(other.trigger, notable=notable)))
                taken.add(j)
                break
    return governed


def _by_subject(tokens: list[Token], trigger: Trigger, actors: Sequence[Actor], sentence: Sentence) -> Trigger:
    """The event word with the kind its subject gives it: "The X100 flew" is a flight, not a trip."""
    kind = THING_VERBS.get(tokens[trigger.index].lower) if trigger.verb and trigger.notable else None
    if kind and thing_subject(tokens, trigger.index, actors, sentence):
        return dataclasses.replace(trigger, title=kind)
    return trigger


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
        start=When.parse(start),
        end=When.parse(end),
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
