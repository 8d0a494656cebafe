"""The (date, candidate word) pairs of a sentence that the anchor scorer weighs, each described by features.

General features only: how far apart the date and the word are, on which side,
how many verbs, commas or clause words lie between, the word's class, ending and
the word before it, whether our lexicon knows it as an event, whether it is the
sentence's main verb, the preposition and grain of the date, whether the date
stands in the word's own phrase or opens a "when" clause the word is the verb of.
No word of any training text is a feature, only our own closed word lists
(:mod:`briefing.nlp.eventwords`). :mod:`briefing.nlp.eventanchors` scores them.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from briefing.nlp.eventfilters import phrase_holding
from briefing.nlp.eventtokens import Token, Trigger
from briefing.nlp.eventwords import (
    DETERMINERS,
    LIGHT_VERBS,
    NOT_EVENTS,
    PLANNING,
    PREPOSITIONS,
    REPORTING,
    RESCHEDULING,
    words,
)
from briefing.nlp.postags import lexicon
from briefing.nlp.timex.values import value_end, value_start

MAX_GAP = 14
"""Words between a date and a candidate beyond which the candidate is not looked at (20 weighs a quarter more
pairs for 0.005 more cross-validated precision at the same recall: time that the 3 ms bar has not to spare)."""
REFERENCE_GAP = 8
"""The same for "now", "currently" and "recently", which stand near the verb they date ("now owns"): fewer
candidates to weigh in the many sentences that hold one."""
_MARKERS = words("to will would shall should could can may might must not n't has have had was were is are be been")
_CLOSED = NOT_EVENTS | LIGHT_VERBS | REPORTING | PLANNING | RESCHEDULING
"""Our own word lists whose words are features by themselves ("said", "held", "expected")."""
_PREVIOUS = _MARKERS | DETERMINERS | PREPOSITIONS | words("and or but that which who when after before")
_CLAUSE_WORDS = words("that which who whom when where while because although though but ; if unless")
_NEW_CLAUSE = frozenset({"but", ";"})
"""Words a date never reaches across: "filed in March, but on May 2 the parties agreed" dates the agreeing."""
_PARTS = frozenset({",", "as"})
"""Besides clause words, what parts a sentence's clauses: a date's further word stands in its first word's clause."""
_FUTURE_MARKERS = words("will would to shall 'll expected due set scheduled plans")
_PAST_MARKERS = words("was were had did been")
_QUOTES = frozenset({'"', "“", "”", "``", "''"})


@dataclass(frozen=True, slots=True)
class DatedSpan:
    """A time expression of the sentence as the scorer sees it: its value and its span in the sentence."""

    value: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Pair:
    """A date (its order among the sentence's dates) and a candidate event word, described."""

    order: int
    trigger: Trigger
    features: tuple[str, ...]
    clause: int = 0
    """Which clause of the sentence the word stands in (clause words and commas counted before it)."""


def pairs(
    tokens: Sequence[Token],
    classes: Sequence[str],
    dates: Sequence[DatedSpan | None],
    candidates: Sequence[Trigger],
    in_time: Sequence[bool],
    heads: Sequence[int | None],
    anchor: str,
    rule: set[tuple[int, int]],
) -> list[Pair]:
    """Every (date, candidate) pair within :data:`MAX_GAP` words; ``None`` dates are skipped. ``rule``
    holds the (date's order, word index) pairs the nearest-word rule chooses."""
    eligible = sum(1 for d in dates if d is not None)
    if not eligible:
        return []  # a sentence whose dates are all durations or yardsticks has no pair: nothing to count
    ends = [t.end for t in tokens]
    starts = [t.start for t in tokens]
    lowers = [t.lower for t in tokens]
    texts = [t.text for t in tokens]
    verbs = _prefix([c == "V" and w not in NOT_EVENTS for c, w in zip(classes, lowers, strict=True)])
    commas = _prefix([t == "," for t in texts])
    clauses = _prefix([w in _CLAUSE_WORDS for w in lowers])
    parts = _prefix([w in _CLAUSE_WORDS or w in _PARTS for w in lowers])
    ands = _prefix([w == "and" for w in lowers])
    quotes = _prefix([t in _QUOTES for t in texts])
    times = _prefix(in_time)
    breaks = _prefix([w in _NEW_CLAUSE for w in lowers])
    untimed = [not t for t in in_time]
    main = _main_verb(tokens, classes, in_time)
    known = lexicon()
    how_many = f"dates={min(eligible, 3)}"
    found: list[Pair] = []
    own: dict[int, tuple[str, ...]] = {}  # each candidate's features of its own, whatever the date
    for order, date in enumerate(dates):
        if date is None:
            continue
        first = bisect.bisect_right(ends, date.start)
        last = max(first, bisect.bisect_left(starts, date.end) - 1)
        before = lowers[first - 1] if first and in_time[first - 1] else ""
        prep = before if before in PREPOSITIONS else "-"
        grain = _grain(date.value)
        opening = sum(1 for t in texts[:first] if t.isalpha()) <= 1
        when = _when(date.value, anchor)
        near = _near(candidates, in_time, breaks, first, last, REFERENCE_GAP if grain == "ref" else MAX_GAP)
        ranks: dict[int, int] = {}
        side_ranks: dict[int, int] = {}
        counted: dict[str, int] = {"L": 0, "R": 0}
        class_ranks: dict[int, int] = {}
        for order_near, (_, c) in enumerate(near):
            side = "L" if c.index < first else "R"
            ranks[c.index], side_ranks[c.index] = order_near, counted[side]
            counted[side] += 1
            key = side + classes[c.index]
            class_ranks[c.index] = counted.get(key, 0)
            counted[key] = class_ranks[c.index] + 1
        for gap, c in near:
            i = c.index
            side = "L" if i < first else "R"
            lo, hi = (i + 1, first) if side == "L" else (last + 1, i)
            cls = classes[i]
            if i not in own:
                own[i] = _own_features(tokens, classes, c, known, heads)
            form = own[i][0]
            rank = f"{side}{min(side_ranks[i], 3)}"
            bucket = _bucket(gap)
            kind = "lex" if c.notable else "any"
            nth = f"nth={side}{cls}{min(class_ranks[i], 2)}"
            feats = [
                *own[i][1:],
                f"gap={side}{bucket}",
                f"gap={side}{bucket}|{cls}",
                nth,
                f"{nth}|{kind}",
                f"rank={rank}",
                f"all={min(ranks[i], 3)}",
                f"cls={cls}|{side}",
                f"cls={cls}|{rank}",
                f"kind={kind}|{rank}",
                f"verbs={min(verbs[hi] - verbs[lo], 2)}|{side}",
                f"commas={min(commas[hi] - commas[lo], 2)}|{side}",
                f"clause={min(clauses[hi] - clauses[lo], 1)}|{side}",
                f"and={min(ands[hi] - ands[lo], 1)}|{side}",
                f"quote={min(quotes[hi] - quotes[lo], 1)}",
                f"time={min(times[hi] - times[lo], 1)}|{side}",
                f"grain={grain}|{cls}",
                f"grain={grain}|{side}",
                f"prep={prep}|{side}",
                f"prep={prep}|{cls}",
                how_many,
                f"tense={when}|{form}",
                f"tense={when}|{form}|{side}",
            ]
            between = "".join(sorted(set(itertools.compress(classes[lo:hi], untimed[lo:hi]))))
            feats.append(f"path={between or '-'}|{side}")
            if heads[order] == i:  # the noun this date stands before: "last week's deadly blasts"
                feats.extend(("described", f"described|{cls}"))
            if side == "R" and _opens_when(lowers, lo, hi):
                feats.append(f"when|{cls}")  # "since 2001, when the boom began": the date's own clause
            phrase = phrase_holding(tokens, classes, in_time, i, first)  # "the sale of the unit in August"
            if phrase is not None:
                feats.append(f"phrase={phrase}")
            if (order, i) in rule:
                feats.extend(("rule", f"rule|{cls}", f"rule|{kind}", f"rule|{grain}"))
            if date.value == anchor:
                feats.append(f"today|{cls}")
            if i == main:
                feats.extend((f"main|{side}", f"main|{side}|{opening}", f"main|{grain}"))
            found.append(Pair(order, c, tuple(feats), parts[i]))
    return found


def _near(
    candidates: Sequence[Trigger], in_time: Sequence[bool], breaks: list[int], first: int, last: int, reach: int
) -> list[tuple[int, Trigger]]:
    """The candidates a date at words ``first..last`` reaches, with their gaps, nearest first: outside the
    date, within ``reach`` words, no clause break between."""
    near = []
    for c in candidates:
        i = c.index
        if in_time[i]:
            continue
        gap = first - i if i < first else i - last
        if gap <= reach and not _between(breaks, i, first, last):
            near.append((gap, c))
    near.sort(key=operator.itemgetter(0))
    return near


def _own_features(
    tokens: Sequence[Token], classes: Sequence[str], c: Trigger, known: dict[str, str], heads: Sequence[int | None]
) -> tuple[str, ...]:
    """The candidate's form (first), then its features that no date changes: class, ending, the word before."""
    i = c.index
    word, cls = tokens[i].lower, classes[i]
    previous = tokens[i - 1].lower if i else "^"
    feats = [
        _form(tokens, classes, i),
        "bias",
        f"cls={cls}",
        f"known={known.get(word, '?')}|{cls}",
        f"end={word[-3:] if len(word) > 4 else '-'}|{cls}",
        f"prev={previous if previous in _PREVIOUS else classes[i - 1] if i else '^'}|{cls}",
        f"kind={'lex' if c.notable else 'any'}|{cls}",
    ]
    if c.notable:
        feats.append(f"lex={c.title}")
    if word in _CLOSED:
        feats.append(f"word={word}")
    if i in heads:
        feats.append("head")
    if tokens[i].text[:1].isupper() and i:
        feats.append("capital")
    return tuple(feats)


def _opens_when(lowers: Sequence[str], lo: int, hi: int) -> bool:
    """The words from ``lo`` to the candidate (``hi``) open a "when" clause right after the date: the clause
    tells what happened then ("in 1968, when the Soviets invaded")."""
    start = lo + 1 if lo < hi and lowers[lo] == "," else lo
    return start < hi and lowers[start] == "when"


def _main_verb(tokens: Sequence[Token], classes: Sequence[str], in_time: Sequence[bool]) -> int:
    """The first verb of the sentence outside an opening phrase and a clause word: its main clause's verb."""
    for i, c in enumerate(classes):
        if tokens[i].lower in _CLAUSE_WORDS:
            return -1
        if c == "V" and not in_time[i] and tokens[i].lower not in _MARKERS:
            return i
    return -1


def _when(value: str, anchor: str) -> str:
    """Where the date lies against the article's date: before, after, or holding it."""
    first, last = value_start(value), value_end(value)
    if first is None or last is None:
        return "ref"
    if last.isoformat() < anchor:
        return "before"
    return "after" if first.isoformat() > anchor else "holds"


def _form(tokens: Sequence[Token], classes: Sequence[str], index: int) -> str:
    """The candidate's form as tense shows it: a past, a present, an -ing, a verb after "will" or "to", a noun."""
    if classes[index] != "V":
        return "noun" if classes[index] == "N" else "other"
    word = tokens[index].lower
    before = [t.lower for t in tokens[max(0, index - 3) : index]]
    if not _FUTURE_MARKERS.isdisjoint(before):
        return "ahead"
    if not _PAST_MARKERS.isdisjoint(before) or word.endswith("ed"):
        return "past"
    if word.endswith("ing"):
        return "ing"
    return "present" if word.endswith("s") else "base"


def _between(counts: list[int], index: int, first: int, last: int) -> int:
    """How many flagged words lie between the word at ``index`` and the date's words ``first..last``."""
    return counts[first] - counts[index + 1] if index < first else counts[index] - counts[last + 1]


_BUCKETS = (1, 2, 3, 5, 8, 12, 18)
"""The gaps that bound each gap feature's bucket: a gap of 4 or 5 words is "5"; beyond the last, "far"."""


def _bucket(gap: int) -> str:
    at = bisect.bisect_left(_BUCKETS, gap)  # the first bound the gap does not exceed
    return str(_BUCKETS[at]) if at < len(_BUCKETS) else "far"


def _grain(value: str) -> str:
    """How fine a date is: a year, a quarter, a month, a week, a day, a time, or a reference."""
    if value.endswith("_REF"):
        return "ref"
    if "T" in value[10:11]:
        return "time"
    if len(value) >= 10 and value[4] == "-" and value[7:8] == "-":
        return "day"
    if "-W" in value:
        return "week"
    if "-Q" in value or "-H" in value:
        return "quarter"
    if len(value) == 7 and value[4] == "-":
        return "month"
    if len(value) == 4 and value.isdigit():
        return "year"
    return "other"


def _prefix(flags: Iterable[bool]) -> list[int]:
    """Running counts of a sequence of flags: counts[j] - counts[i] is how many of flags[i:j] are set."""
    return list(itertools.accumulate(flags, operator.add, initial=0))
