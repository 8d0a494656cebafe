"""The nearest-word rule for which event word a date places, a feature of the learned scorer.

Each date goes to its nearest event word, preferring one before it, never across
another verb or into another clause; the lexicon's words claim first, and a
closer other verb dates its own clause too. The scorer
(:mod:`briefing.nlp.eventanchors`) weighs the rule's choice beside its other
features, so that it learns where the rule is wrong ("said on Monday" with an
event word after it, a date no word of the sentence happens at).
"""

from __future__ import annotations

import bisect
import itertools

from briefing.nlp.eventfilters import modifier_participle
from briefing.nlp.eventtokens import Token, Trigger
from briefing.nlp.eventtriggers import NOT_CLAUSE_EVENTS, takes_place
from briefing.nlp.eventwords import OCCURRING, RESCHEDULING
from briefing.nlp.postags import lexicon

_MAX_GAP = 12
_SET_OFF = 6
"""Words before a date a comma may stand at to open the phrase the date closes: "The bill, proposed in 1993,"."""
_BETWEEN_CLAUSES = frozenset({"that", "which", "who", ";", "but"})
_SUBORDINATING = frozenset({"after", "before", "while", "since", "when", "despite"})
"""Words that, before an -ing verb, open a clause of another time: "after being arrested"."""
_NEW_CLAUSE = frozenset({"but", ";"})
"""Words that start another clause: "filed in March, but on May 2 the parties agreed" dates the agreeing."""
_NOT_BLOCKING = NOT_CLAUSE_EVENTS | RESCHEDULING
"""Verbs a date reaches across to its event: auxiliaries, plan words, "runs from", "takes place", "be held"."""


def nearest_claims(
    spans: list[tuple[int, int] | None],
    triggers: list[Trigger],
    clause_verbs: list[Trigger],
    tokens: list[Token],
    classes: list[str],
    in_time: list[bool],
    heads: list[int | None],
) -> set[tuple[int, int]]:
    """The (date's order, word index) pairs the rule chooses; ``None`` spans date nothing."""
    blocking = {
        i
        for i, c in enumerate(classes)
        if c == "V"
        and tokens[i].lower not in _NOT_BLOCKING
        and not modifier_participle(tokens, classes, i)
        and not takes_place(tokens, i)
    }
    claims = _claims(spans, triggers, tokens, in_time, blocking, heads)
    gaps = {order: gap for gap, order, _ in claims.values()}
    hosts = {order: trigger for _, order, trigger in claims.values()}
    for index, (gap, order, trigger) in _claims(spans, clause_verbs, tokens, in_time, blocking, heads).items():
        if order in hosts and _purpose_of(tokens, hosts[order], trigger.index):
            continue  # "will hold a summit to discuss trade on Monday": the summit is on Monday
        if gap < gaps.get(order, _MAX_GAP + 1):
            claims[index] = (gap, order, trigger)
    return {(order, index) for index, (_, order, _) in claims.items()}


def _claims(
    spans: list[tuple[int, int] | None],
    triggers: list[Trigger],
    tokens: list[Token],
    in_time: list[bool],
    blocking: set[int],
    heads: list[int | None],
) -> dict[int, tuple[int, int, Trigger]]:
    """Each date claims its nearest event word; a word claimed by several goes to the closest ("which cut
    rates earlier this month, is due to announce its next decision on December 19": the decision is on
    December 19). Token index -> (gap, date's order, event word)."""
    claims: dict[int, tuple[int, int, Trigger]] = {}
    if not triggers:
        return claims
    for order, span in enumerate(spans):
        if span is None:
            continue
        head = heads[order] if order < len(heads) else None
        described = next((t for t in triggers if t.index == head), None)  # "the third-quarter loss"
        nearest = (0, described) if described else _nearest(triggers, tokens, span, in_time, blocking)
        if nearest is not None:
            gap, trigger = nearest
            if trigger.index not in claims or gap < claims[trigger.index][0]:
                claims[trigger.index] = (gap, order, trigger)
    return claims


def _nearest(
    triggers: list[Trigger], tokens: list[Token], span: tuple[int, int], in_time: list[bool], blocking: set[int]
) -> tuple[int, Trigger] | None:
    """The event word a time expression dates, with its distance: the closest, preferring one before it,
    and never across another verb ("the bombing, which they condemned on Friday": the condemning) or another
    time expression."""
    ends = [t.end for t in tokens]
    first = bisect.bisect_right(ends, span[0])
    last = max(first, bisect.bisect_left([t.start for t in tokens], span[1]) - 1)
    opens_sentence = sum(1 for t in tokens[:first] if t.text.isalpha()) <= 1
    best: tuple[int, Trigger] | None = None
    for trigger in triggers:
        if in_time[trigger.index]:
            continue
        between = range(trigger.index + 1, first) if trigger.index < first else range(last + 1, trigger.index)
        if any(
            (j in blocking and not _purpose_of(tokens, trigger, j)) or tokens[j].lower in _NEW_CLAUSE for j in between
        ):
            continue
        if any(in_time[j] for j in between if j != first - 1):  # (first - 1: the date's own "on")
            continue  # "available on June 17, two days before the phone launches": the launch is not on June 17
        if trigger.index < first and _happens_to_another(tokens, trigger, first):
            continue  # "approved the buyout that occurred in 2001": the buyout's date
        if (
            trigger.index < first
            and _infinitive_between(tokens, trigger.index, first)
            and not _purpose_ahead(tokens, trigger)
        ):
            continue  # "the decision to suspend talks over Christmas": the date is the suspending's
        if trigger.index < first:
            gap = first - trigger.index
        else:
            gap = trigger.index - last + (0 if opens_sentence else 3)
            after = tokens[last + 1 : trigger.index]
            if gap <= _MAX_GAP and any(t.lower in _BETWEEN_CLAUSES for t in after):
                continue
            if any(a.text == "," and b.lower in ("and", "or") for a, b in itertools.pairwise(after)):
                continue  # "was started in 1976, and launched the store in 2003": the date ends its clause
            if any(a.lower in _SUBORDINATING and b.lower.endswith("ing") for a, b in itertools.pairwise(after)):
                continue  # "due in court on 20 December after being arrested": the arrest was before
            if after and after[0].text == "," and any(t.text == "," for t in tokens[max(0, first - _SET_OFF) : first]):
                continue  # "The bill, proposed in 1993, has been approved": the date ends a phrase set off by commas
            if _infinitive_between(tokens, max(-1, first - _SET_OFF - 1), first):
                continue  # "The plan to build a plant in 2010 was approved": the date is the building's
            if _infinitive_after(tokens, trigger.index, first, blocking):
                continue  # "subpoenaed him Friday to testify": the subpoena is on Friday, the testimony later
        if gap <= _MAX_GAP and (best is None or gap < best[0]):
            best = (gap, trigger)
    return best


def _happens_to_another(tokens: list[Token], trigger: Trigger, first: int) -> bool:
    """A verb of happening ("occurred", "took place") stands between the event verb and the date: the date is
    that verb's subject's, a noun ("approved the buyout that took place in 2001"; "the blast in Nairobi
    occurred on Friday" keeps its noun)."""
    between = range(trigger.index + 1, first)
    return trigger.verb and any(tokens[j].lower in OCCURRING or takes_place(tokens, j) for j in between)


_PURPOSE_HOSTS = frozenset({"Meeting", "Summit", "Talks", "Conference", "Visit", "Trip", "Hearing", "Debate"})
"""Kinds of event a purpose clause hangs off, sharing its date: "a summit to discuss trade on Monday"."""
_MAX_PURPOSE = 6


def _hosts(trigger: Trigger) -> bool:
    return trigger.notable and trigger.title in _PURPOSE_HOSTS


def _purpose_ahead(tokens: list[Token], host: Trigger) -> bool:
    """A purpose clause of the gathering follows it: "a summit to discuss trade" (the first "to" after it)."""
    to = next(
        (j for j in range(host.index + 1, min(len(tokens) - 1, host.index + _MAX_PURPOSE)) if tokens[j].lower == "to"),
        None,
    )
    return to is not None and _purpose_of(tokens, host, to + 1)


def _purpose_of(tokens: list[Token], host: Trigger, verb: int) -> bool:
    """The verb opens a purpose clause ("to discuss") of the gathering before it: "a summit to discuss trade"."""
    if not _hosts(host) or not host.index < verb <= host.index + _MAX_PURPOSE or tokens[verb - 1].lower != "to":
        return False
    return not any(t.text in ",;:" for t in tokens[host.index + 1 : verb])


def _infinitive_between(tokens: list[Token], index: int, first: int) -> bool:
    """A "to" and a verb stand between the event word and the date after it: the date is that verb's clause's
    ("the decision to suspend talks over Christmas"), not "a visit to the plant on Monday"."""
    known = lexicon()
    return any(
        tokens[j].lower == "to"
        and tokens[j + 1].text.isalpha()
        and tokens[j + 1].text.islower()
        and known.get(tokens[j + 1].lower, "V")[:1] == "V"
        and tokens[j + 1].lower not in _NOT_BLOCKING  # "The trial is set to begin on Monday": the trial's date
        and not takes_place(tokens, j + 1)
        and not any(t.text in ",;:" for t in tokens[j + 1 : first])
        for j in range(index + 1, first - 1)
    )


_DEADLINES = frozenset({"until", "by", "before"})


def _infinitive_after(tokens: list[Token], index: int, first: int, blocking: set[int]) -> bool:
    """The event word after the date is a "to" clause's, and a verb stands just before the date: the date
    is that verb's ("subpoenaed him Friday to testify"), unless it is a deadline ("until Friday to sign")."""
    if tokens[index - 1].lower != "to" or (first and tokens[first - 1].lower in _DEADLINES):
        return False
    return any(j in blocking for j in range(max(0, first - 4), first))
