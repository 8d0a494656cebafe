"""Which event word a date places: a small learned scorer over (date, word) pairs of a sentence.

A dated sentence has several verbs and event nouns; the date belongs to one or
two of them ("Globex said on Monday it filed for bankruptcy protection": the
saying). Each pair of a date and a candidate word is described by general
features (:mod:`briefing.nlp.eventpairs`) and scored; a date's candidates and
the choice "none of them" share one softmax, so that a date no word of its
sentence happens at ("sales of $154 million last year") can date nothing. Its
weights are data (``data/eventanchors.json``), rebuilt by
``bench.train_eventanchors`` from TimeML's event-to-date links with a fixed
seed; no word of the training text is a feature, only the closed word lists of
:mod:`briefing.nlp.eventwords`. A date keeps the lexicon word that claims it
unless the model gives that word too little chance (then the date is decided as
an unclaimed one: "condemned the bombing on Thursday" dates the condemning), or
else its best word when the model is sure enough and a further word of that
word's clause when the model is sure of that one too; a word takes one date.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

from briefing.nlp.eventpairs import Pair
from briefing.nlp.eventtokens import Trigger
from briefing.nlp.eventwords import LIGHT_VERBS, NOT_EVENTS, PLANNING, RESCHEDULING

NONE = "none"
"""The feature that scores a date's choice of no word at all (most dates of news text date no event there:
"sales of $154 million last year", "down 4.5% from the previous Friday")."""
_POINTERS = NOT_EVENTS | LIGHT_VERBS | PLANNING | RESCHEDULING
"""Verbs that point at an event or carry it ("held", "set for", "was"), never taking its date from it."""


@dataclass(frozen=True, slots=True)
class AnchorModel:
    """Feature weights of the scorer and the probabilities a word must reach.

    A date's candidates and the choice "none of them" (the weight of :data:`NONE`)
    share one softmax: a word's probability is the chance that it, rather than
    another word of the sentence or nothing, is what the date places.
    """

    weights: dict[str, float]
    threshold: float
    """Probability a date's best word needs to be its event."""
    second: float
    """Probability each further word of a date needs ("said on Monday it had agreed": both can be dated)."""
    overrule: float = 2.0
    """Probability another verb needs, and more than the lexicon word's, to take a date that word claims
    ("condemned the bombing of the embassies on Thursday": the condemning); above 1, every claim stands."""

    def score(self, features: Sequence[str]) -> float:
        get = self.weights.get
        total = 0.0
        for feature in features:
            total += get(feature, 0.0)
        return total

    def probabilities(self, candidates: Sequence[Sequence[str]]) -> list[float]:
        """The probability of each of a date's candidates (described by its features) and, last, of none."""
        scores = [self.score(c) for c in candidates] + [self.weights.get(NONE, 0.0)]
        top = max(scores)
        exps = [math.exp(max(-30.0, s - top)) for s in scores]
        total = sum(exps)
        return [e / total for e in exps]


@functools.cache
def shipped_model() -> AnchorModel:
    """The model shipped in ``data/eventanchors.json``."""
    path = resources.files(__package__).joinpath("data/eventanchors.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    overrule = float(data.get("overrule", 2.0))
    return AnchorModel(dict(data["weights"]), float(data["threshold"]), float(data["second"]), overrule)


def choose(
    found: Sequence[Pair],
    model: AnchorModel,
    claimed: Mapping[int, Pair] | None = None,
    firm: Collection[int] = (),
) -> list[Pair]:
    """The pairs kept, a word dated once. A date the lexicon's nearest event word claims (``claimed``,
    by the date's order) keeps that word alone, its title saying what happens then, unless a verb of the
    sentence is likelier and has ``model.overrule`` or more ("the council condemned the bombing of the
    embassies on Thursday": the condemning); then the date is decided as an unclaimed one. A date whose
    order is in ``firm`` stands in its word's own phrase ("the talks on Monday") and keeps it. Any other date keeps
    its most probable word above ``model.threshold`` and each further word of that word's clause above
    ``model.second`` ("shares jumped and closed higher on Tuesday": both)."""
    claims = claimed or {}
    by_date: dict[int, list[Pair]] = {}
    for pair in found:
        by_date.setdefault(pair.order, []).append(pair)
    scored: list[tuple[bool, float, int, Pair]] = []
    for order, group in by_date.items():
        claim = claims.get(order)
        chances = [] if claim is not None and order in firm else model.probabilities([p.features for p in group])[:-1]
        if claim is not None and (not chances or not _overruled(group, chances, claim, model.overrule)):
            scored.append((False, 0.0, order, claim))
            continue
        first: Pair | None = None
        for k in sorted(range(len(group)), key=lambda k: -chances[k]):
            if first is None and chances[k] < model.threshold:
                break
            if first is None or (group[k].clause == first.clause and chances[k] >= model.second):
                scored.append((True, -chances[k], order, group[k]))
                first = first or group[k]
    scored.sort(key=lambda s: (s[0], s[1], s[2]))
    taken: set[int] = set()
    kept: list[Pair] = []
    for *_, pair in scored:
        if pair.trigger.index not in taken:
            taken.add(pair.trigger.index)
            kept.append(pair)
    return kept


def _overruled(group: Sequence[Pair], chances: Sequence[float], claim: Pair, overrule: float) -> bool:
    """Another verb of the sentence, one that names a happening (not "held", "set", "was"), is likelier than
    the word that claims the date and has ``overrule`` or more."""
    mine = chances[group.index(claim)]
    return any(
        chance >= overrule and chance > mine and _rival(pair.trigger)
        for pair, chance in zip(group, chances, strict=False)
    )


def _rival(trigger: Trigger) -> bool:
    return trigger.verb and not trigger.notable and trigger.title not in _POINTERS
