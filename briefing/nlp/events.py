"""Events: what happened or will happen, dated by the article's time expressions.

A sentence yields an event when an event word ("visit", "met", "talks") sits
next to a dated time expression, or when a plan is announced without a date
("is expected to visit", "the planned summit"). The title is made from the
sentence: the event's noun, who takes part, and what follows the event word
("Visit of Israeli President Isaac Herzog to Turkey"). The status is judged
against the article date, with the tense of the sentence deciding for a period
that holds that date ("will meet this week" is upcoming).
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from briefing.model import Actor, Event, EventStatus, Sentence, Span, TimeExpression
from briefing.nlp.eventwords import (
    AMBIGUOUS_NOUNS,
    CANCELLED,
    COMPOUND_HEADS,
    EVENT_NOUNS,
    EVENT_VERBS,
    PLANNED,
    PLANNING,
    ROLE_WORDS,
)
from briefing.nlp.timex.tense import tense_near
from briefing.nlp.timex.values import value_end, value_start

_TOKEN = re.compile(r"\w[\w'’.&-]*\w|\w|[^\w\s]")
_MAX_GAP = 12
_MAX_TIMES = 12  # dated expressions looked at in one sentence (a run-on "sentence" can hold thousands)
_MAX_CLAUSE = 40  # words looked back for an event word's subject
_BETWEEN_CLAUSES = frozenset({"that", "which", "who", ";", "but"})
_PLAN_HINT = re.compile(r"(?i)\b(?:" + "|".join(sorted(PLANNING | PLANNED)) + r")\b")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_MAX_TITLE_WORDS = 14

# Words that end the part of a sentence a title is made from.
_STOP_WORDS = _words(
    """that which who whom whose where when while during after before because as since until according amid despite
    but although though if unless whether said says say told is are was were will would has have had be been being
    could should may might can set scheduled due expected planned aimed aiming seeking hoping so and or says told
    tells insisted added claims claimed sees saw heard hears believes thinks he she they it we i you"""
)
_PREPOSITIONS = _words("on in at by from for during until till through since before after of to over")
_DETERMINERS = _words("the a an its his her their our this that these those")
_SKIPPED_ADVERBS = _words("also again separately briefly jointly reportedly formally officially then")
_FUNCTION_TAIL = _words("of to in on at for with and or the a an by from as its his her their")
# A verb's object is the event's theme ("Signing of the treaty"), or its goal ("Visit to Turkey").
_THEME_PREP = {"Signing": "of", "Launch": "of", "Approval": "of", "Ratification": "of", "Release": "of",
               "Arrest": "of", "Election": "of", "Opening": "of", "Invasion": "of", "Attack": "on",
               "Withdrawal": "of", "Appointment": "of", "Summit": "of", "Inauguration": "of", "Killing": "of"}  # fmt: skip
_GOAL_PREP = {"Visit": "to", "Trip": "to", "Meeting": "with", "Talks": "with", "Arrival": "in", "Departure": "from"}


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower().replace("’", "'")


@dataclass(frozen=True, slots=True)
class _Trigger:
    index: int
    title: str
    verb: bool


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
    for sentence, sentence_times in zip(sentences, grouped, strict=True):
        for event in _sentence_events(sentence, sentence_times, actors, anchor):
            key = (event.kind, event.start or event.title.lower())
            if key not in seen:
                seen.add(key)
                events.append(event)
    return events


def _sentence_events(
    sentence: Sentence, times: list[TimeExpression], actors: Sequence[Actor], anchor: dt.date
) -> Iterator[Event]:
    if not times and _PLAN_HINT.search(sentence.text) is None:
        return  # neither dated nor announcing a plan: most sentences, skipped cheaply
    tokens = [_Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(sentence.text)]
    triggers = _triggers(tokens)
    if not triggers:
        return
    spans = [(t.start - sentence.start, t.end - sentence.start) for t in times]
    in_time = _time_tokens(tokens, spans)
    names = _actor_names(actors, sentence)
    used: set[int] = set()
    for time, span in itertools.islice(zip(times, spans, strict=True), _MAX_TIMES):
        first = value_start(time.value)
        if time.type not in ("DATE", "TIME") or (first is None and time.value != "FUTURE_REF"):
            continue
        trigger = _nearest(triggers, tokens, span, in_time)
        if trigger is None or trigger.index in used:
            continue
        used.add(trigger.index)
        title = _title(tokens, trigger, in_time, actors, sentence)
        if first is None:  # "in the coming weeks": ahead, no date
            yield _event(title, trigger, None, None, "upcoming", names, sentence)
            continue
        tense = tense_near(sentence.text, *span)
        yield _event(title, trigger, time.value, time.end_value, _status(time, anchor, tense), names, sentence)
    if any(t.lower in CANCELLED for t in tokens):
        return
    plans = (t for t in triggers if t.index not in used and _planned(tokens, t))
    for trigger in itertools.islice(plans, _MAX_TIMES):
        title = _title(tokens, trigger, in_time, actors, sentence)
        yield _event(title, trigger, None, None, "upcoming", names, sentence)


def _event(
    title: str,
    trigger: _Trigger,
    start: str | None,
    end: str | None,
    status: EventStatus,
    names: tuple[str, ...],
    sentence: Sentence,
) -> Event:
    return Event(
        title=title,
        start=start,
        end=end,
        status=status,
        actors=names,
        evidence=Span(sentence.start, sentence.end),
        kind=trigger.title,
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
    return {"future": "upcoming", "past": "past"}.get(tense, "ongoing")  # type: ignore[return-value]


# -- triggers --------------------------------------------------------------------------------


def _triggers(tokens: list[_Token]) -> list[_Trigger]:
    found = []
    for index, token in enumerate(tokens):
        word = token.lower
        if word in EVENT_NOUNS and _next(tokens, index) not in COMPOUND_HEADS:
            ambiguous = word in AMBIGUOUS_NOUNS or word in EVENT_VERBS
            nominal = not ambiguous or _noun_context(tokens, index) or _next(tokens, index) in ("of", "by")
            if nominal and (word != "release" or _next(tokens, index) == "of"):
                found.append(_Trigger(index, EVENT_NOUNS[word], verb=False))
                continue
        if (
            word in EVENT_VERBS
            and not token.text[0].isupper()
            and (not index or tokens[index - 1].lower not in _DETERMINERS)
        ):
            found.append(_Trigger(index, EVENT_VERBS[word], verb=True))
    return found


def _noun_context(tokens: list[_Token], index: int) -> bool:
    """A determiner, possessive or plan word just before, or a name: "the final", "Barcelona final"."""
    before = tokens[max(0, index - 2) : index]
    if before and before[-1].lower in _VERB_MARKERS:
        return False  # "to visit", "will vote"
    if before and before[-1].text[:1].isupper() and before[-1].start > 0:
        return True
    words = [t.lower for t in before]
    return any(w in _DETERMINERS or w.endswith("'s") or w in PLANNED or w.endswith("-day") for w in words)


def _next(tokens: list[_Token], index: int) -> str:
    return tokens[index + 1].lower if index + 1 < len(tokens) else ""


def _planned(tokens: list[_Token], trigger: _Trigger) -> bool:
    """ "is expected to visit", "plans to hold talks", "the planned visit", "the upcoming summit"."""
    i = trigger.index
    words = [t.lower for t in tokens[max(0, i - 3) : i]]
    words = [""] * (3 - len(words)) + words  # the three words before the event word
    if not trigger.verb:
        return any(w in PLANNED for w in words)
    if words[2] != "to":
        return False
    if words[0:2] == ["be", "held"]:
        return True
    return words[1] in PLANNING and words[0] not in ("was", "were", "had", "been")


def _nearest(
    triggers: list[_Trigger], tokens: list[_Token], span: tuple[int, int], in_time: list[bool]
) -> _Trigger | None:
    """The event word a time expression dates: the closest, preferring one before it."""
    ends = [t.end for t in tokens]
    first = bisect.bisect_right(ends, span[0])
    last = max(first, bisect.bisect_left([t.start for t in tokens], span[1]) - 1)
    opens_sentence = sum(1 for t in tokens[:first] if t.text.isalpha()) <= 1
    best: tuple[int, _Trigger] | None = None
    for trigger in triggers:
        if in_time[trigger.index]:
            continue
        if trigger.index < first:
            gap = first - trigger.index
        else:
            gap = trigger.index - last + (0 if opens_sentence else 3)
            if gap <= _MAX_GAP and any(t.lower in _BETWEEN_CLAUSES for t in tokens[last + 1 : trigger.index]):
                continue
        if gap <= _MAX_GAP and (best is None or gap < best[0]):
            best = (gap, trigger)
    return best[1] if best else None


def _time_tokens(tokens: list[_Token], spans: list[tuple[int, int]]) -> list[bool]:
    """Which tokens belong to a time expression, or are the preposition that introduces one."""
    marks = [False] * len(tokens)
    ends = [t.end for t in tokens]
    for start, end in spans:
        i = bisect.bisect_right(ends, start)
        while i < len(tokens) and tokens[i].start < end:
            marks[i] = True
            i += 1
    for i in range(len(tokens) - 1):
        if not marks[i] and marks[i + 1] and tokens[i].lower in _PREPOSITIONS:
            marks[i] = True
    return marks


# -- titles ----------------------------------------------------------------------------------


def _title(
    tokens: list[_Token], trigger: _Trigger, in_time: list[bool], actors: Sequence[Actor], sentence: Sentence
) -> str:
    """A short title from the sentence: the event's noun, its participants and what follows."""
    rest = _complement(tokens, trigger.index + 1, in_time)
    parts = [trigger.title]
    if trigger.verb:
        agents = _agents(tokens, trigger.index, in_time, actors, sentence)
        if _passive(tokens, trigger.index):  # "Alshammari was arrested": who it happened to
            theme = _THEME_PREP.get(trigger.title, "of")
            return _clean([trigger.title, *([theme, " and ".join(agents)] if agents else []), *rest])
        if rest and rest[0].lower() not in _PREPOSITIONS and rest[0].lower() != "with":
            theme = _THEME_PREP.get(trigger.title)
            if theme:
                parts += [theme, *rest] + (["by", " and ".join(agents)] if agents else [])
                return _clean(parts)
            rest = [_GOAL_PREP.get(trigger.title, ""), *rest]
        if agents:
            parts += ["of", " and ".join(agents)]
    else:
        modifiers = _proper_modifiers(tokens, trigger.index)
        if modifiers:
            parts = [*modifiers, tokens[trigger.index].text.lower()]
        owner = _possessor(tokens, trigger.index)
        if owner and not (rest and rest[0].lower() == "of"):
            parts += ["of", owner]
    return _clean(parts + rest)


def _proper_modifiers(tokens: list[_Token], index: int) -> list[str]:
    """ "the NATO summit" -> ["NATO"]: names written right before an event noun."""
    out: list[str] = []
    for token in reversed(tokens[:index]):
        if not token.text[0].isupper() or token.lower.endswith("'s") or token.start == 0:
            break
        out.insert(0, token.text)
    return out


def _complement(tokens: list[_Token], start: int, in_time: list[bool]) -> list[str]:
    out: list[str] = []
    for i in range(start, len(tokens)):
        token = tokens[i]
        word = token.lower
        if in_time[i]:
            continue
        if not out and word in _SKIPPED_ADVERBS:
            continue
        if not (token.text[0].isalnum() or word[:2] == "'s") or word in _STOP_WORDS or len(out) >= 9:
            break
        if word.endswith("ed") and len(word) > 4 and (not out or out[-1].lower() not in _DETERMINERS):
            break  # a verb: the event's phrase is over ("the hearing heard that ...")
        if word == "to" and i + 1 < len(tokens) and _infinitive(tokens[i + 1]):
            break
        out.append(token.text)
    return out


def _infinitive(token: _Token) -> bool:
    """ "to mend ties" (a purpose clause ends the title), not "to Turkey" or "to the talks"."""
    word = token.lower
    return token.text[0].islower() and word not in _DETERMINERS and not word[0].isdigit()


def _agents(
    tokens: list[_Token], index: int, in_time: list[bool], actors: Sequence[Actor], sentence: Sentence
) -> list[str]:
    """Who does it: the names of the subject before the event word (actors when known).

    The subject is looked for in the event word's clause, before its first
    auxiliary or verb ("Hampton was taken to John Peter Smith Hospital but died"
    -> Hampton); failing that, a name that opens the sentence ("Kayahan, one of
    Turkey's best-loved singers, died"). Of several names only those joined by
    "and" or a comma to the last one count ("Reality TV star Jade Goody").
    """
    first = _clause_start(tokens, index)
    stop = next((i for i in range(first, index) if _verbal(tokens[i])), index)
    runs = _name_runs(tokens, first, stop, in_time)
    if not runs:
        opening = _name_runs(tokens, 0, min(index, 8), in_time)
        runs = opening[:1] if opening and opening[0][0] <= 1 else []
    if actors:
        named = _actors_in(actors, sentence, tokens, runs)
        if named:
            return named
    chosen = runs[-1:]
    for run in reversed(runs[:-1]):
        between = [t.lower for t in tokens[run[1] : chosen[0][0]]]
        if between not in (["and"], [","], [",", "and"]) or len(chosen) == 3:
            break
        chosen.insert(0, run)
    names = [_name(tokens[start:end]) for start, end in chosen]
    return [n for n in names if n]


def _name_runs(tokens: list[_Token], first: int, stop: int, in_time: list[bool]) -> list[tuple[int, int]]:
    """Runs of capitalised words in ``tokens[first:stop]``, as (start, end) token indices."""
    runs: list[tuple[int, int]] = []
    start = None
    for i in range(first, stop + 1):
        capital = i < stop and tokens[i].text[:1].isupper() and tokens[i].text[0].isalpha() and not in_time[i]
        if capital and start is None:
            start = i
        elif not capital and start is not None:
            if _name(tokens[start:i]):
                runs.append((start, i))
            start = None
    return runs


def _actors_in(
    actors: Sequence[Actor], sentence: Sentence, tokens: list[_Token], runs: list[tuple[int, int]]
) -> list[str]:
    """The known actors mentioned in the subject's name runs."""
    spans = [(sentence.start + tokens[a].start, sentence.start + tokens[b - 1].end) for a, b in runs]
    found = [a.name for a in actors if any(lo <= m.start < hi for m in a.mentions for lo, hi in spans)]
    return list(dict.fromkeys(found))[-3:]


def _verbal(token: _Token) -> bool:
    word = token.lower
    return word in _AUXILIARIES or (word.endswith("ed") and len(word) > 4 and token.text[0].islower())


def _passive(tokens: list[_Token], index: int) -> bool:
    for i in range(index - 1, max(index - 4, -1), -1):
        word = tokens[i].lower
        if word in ("was", "were", "is", "are", "been", "be", "being", "got", "get", "gets"):
            return True
        if not (word.endswith("ly") or word in ("not", "also", "then", "later", "reportedly")):
            return False
    return False


def _clause_start(tokens: list[_Token], index: int) -> int:
    """Where the clause of the word at ``index`` begins: after the last comma, quote or clause word before it."""
    for i in range(index - 1, max(-1, index - _MAX_CLAUSE), -1):
        if tokens[i].lower in _CLAUSE_BREAKS or not tokens[i].text[0].isalnum():
            return i + 1
    return max(0, index - _MAX_CLAUSE + 1)


def _name(run: list[_Token]) -> str | None:
    """A person or body's name from capitalised words, less leading role words; None for a possessive."""
    if not run or run[-1].lower.endswith("'s"):
        return None
    words = [t.text for t in run]
    if run[0].lower in _COMMON_OPENERS:
        words.pop(0)  # "When Cameron visited ...", "For guests scheduled to ..."
    while len(words) > 1 and (words[0].lower().strip(".") in ROLE_WORDS or _demonym(words[0])):
        words.pop(0)
    if words and words[0].lower().strip(".") in ROLE_WORDS:
        return None
    if not words:
        return None
    return " ".join(words)


def _demonym(word: str) -> bool:
    """ "Israeli", "Turkish", "American": a nationality before a name, not part of it."""
    lower = word.lower()
    return lower.endswith(("ish", "ian", "ese", "eli", "ani", "ari", "qi", "an")) or lower in _DEMONYMS


_AUXILIARIES = _words("is are was were has have had will would could can may might must should did does do be been")
_VERB_MARKERS = _words("to will would shall should could can may might must did does do not n't 'll")
_CLAUSE_BREAKS = _words("that which who whom where when while after before because although though since whose")
_COMMON_OPENERS = _words(
    """the a an in on at but and it he she they we i you this that these those there his her their its our my
    after before when while during since as if although though however meanwhile also earlier later last next
    today yesterday tomorrow officials police authorities critics analysts experts sources residents voters
    both all some many most several one two three such other another each every no not so then now thus"""
)
_DEMONYMS = _words("french dutch greek thai swiss welsh irish czech")


def _possessor(tokens: list[_Token], index: int) -> str | None:
    """ "Ushpiz's visit" -> "Ushpiz"."""
    if index == 0:
        return None
    owner = tokens[index - 1]
    if not owner.lower.endswith("'s") or not owner.text[0].isupper():
        return None
    run = [owner]
    for token in reversed(tokens[: index - 1]):
        if not token.text[0].isupper() or not token.text[0].isalpha():
            break
        run.insert(0, token)
    words = [t.text for t in run]
    words[-1] = words[-1][:-2]
    return " ".join(words)


def _clean(parts: list[str]) -> str:
    words = " ".join(p for p in parts if p).split()[:_MAX_TITLE_WORDS]
    while len(words) > 1 and words[-1].lower() in _FUNCTION_TAIL:
        words.pop()
    title = " ".join(words).strip(" ,;:-")
    return title[:1].upper() + title[1:]


def _actor_names(actors: Sequence[Actor], sentence: Sentence) -> tuple[str, ...]:
    return tuple(a.name for a in actors if any(sentence.start <= m.start < sentence.end for m in a.mentions))
