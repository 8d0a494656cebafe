"""Whether two articles of one topic report the same event: what their leads say happened.

Two reports of one event share more than a topic. Their leads (the title and the first
sentence, where news says what happened) use the same event words once the names are
left out ("suspended trading" against "surged"), quote the same figures (a vote's tally,
a death toll) and put it on the same day ("on Tuesday", resolved against each article's
own date). Reports of two events of one topic share the names and the topic's words but
not those: a fall on Wednesday, a suspension, a surge on Saturday.

:func:`agreement` sums that evidence: the cosine of the leads' event words, plus
:data:`FIGURE_WEIGHT` when both leads give figures and share one (less :data:`FIGURE_CONFLICT`
when they share none), plus or minus :data:`DAY_WEIGHT` for the days their leads name, or their own dates when a lead names none (:data:`DAY_WEIGHT`;
then a day apart still agrees: "late on Tuesday" is reported on Wednesday). Figures that are
years say nothing about the event, so they are left out.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from briefing.model import StoredArticle
from briefing.nlp.salience import term_rarity
from briefing.nlp.salience.features import content_terms, tokens

FIGURE_WEIGHT = 0.25
"""Added when both leads give a figure and share one (a tally, a toll: strong evidence)."""

FIGURE_CONFLICT = 0.1
"""Taken away when both leads give figures and share none: weak evidence, since two leads of
one event may quote different facts (a time, a flight's length) where two events' differ."""

DAY_WEIGHT = 0.25
"""Added when both leads name a day and share one, taken away when they share none."""

_FIGURE = re.compile(r"(?<![\w.-])\d+(?:[.,]\d+)*")
"""A figure standing alone: not part of a name ("KSE-100", "A380", "iOS 5" still counts)."""
_DAY = re.compile(r"^\d{4}-\d\d-\d\d$")


@dataclass(frozen=True, slots=True)
class Lead:
    """What an article's lead says happened: its event words (unit weights), figures and days."""

    words: dict[str, float]
    figures: frozenset[str]
    days: frozenset[dt.date]
    named: bool  # whether the lead names its days (else its article's date stands in)


def lead_of(item: StoredArticle) -> Lead:
    """The lead of a stored article: its title and first sentence, the names left out.

    Names are the actors' and every word written as a name after a sentence's first word
    (in a title written in Title Case, only the actors'): lower-cased training text aside,
    briefing reads cased news, where case is the cheapest sign of a name.
    """
    article, analysis = item.article, item.analysis
    end = analysis.sentences[0].end if analysis.sentences else min(len(article.text), 300)
    text = f"{article.title}. {article.text[:end]}"
    names = {t for a in analysis.actors for name in (a.name, *a.aliases) for t in content_terms(tokens(name))}
    names |= _capitalised(article.text[:end])
    if not _title_case(article.title):
        names |= _capitalised(article.title)
    counts: dict[str, int] = {}
    for term in content_terms(tokens(text)):
        if term not in names and not term[0].isdigit():
            counts[term] = counts.get(term, 0) + 1
    weights = {t: (1 + math.log(c)) * term_rarity(t) for t, c in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    figures = {m.group().replace(",", "") for m in _FIGURE.finditer(text)}
    days = {dt.date.fromisoformat(t.value) for t in analysis.times if t.start < end and _DAY.match(t.value)}
    return Lead(
        {t: w / norm for t, w in weights.items()},
        frozenset(f for f in figures if not _is_year(f)),
        frozenset(days or {article.date}),  # a lead without a day reports news of its own day
        bool(days),
    )


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _capitalised(text: str) -> set[str]:
    """Words written as names inside a sentence ("A380", "iPod", "Dreamliner"), lower-cased:
    products and places that the actor list does not hold are a topic, not an event."""
    words = _WORD.findall(text)
    found = set()
    for index, word in enumerate(words):
        if index and (
            word[0].isupper()
            or any(c.isupper() for c in word[1:])
            or (word[0].isalpha() and any(c.isdigit() for c in word))
        ):
            found.update(content_terms(tokens(word)))
    return found


def _title_case(title: str) -> bool:
    """A Title Written Like This says nothing about which of its words are names."""
    words = [w for w in _WORD.findall(title) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) > 0.6 * len(words)


def _is_year(figure: str) -> bool:
    return len(figure) == 4 and figure.isdigit() and 1900 <= int(figure) <= 2100


def agreement(a: Lead, b: Lead) -> float:
    """Evidence that two leads report one event (see the module doc); about 0 for different events."""
    small, large = (a.words, b.words) if len(a.words) <= len(b.words) else (b.words, a.words)
    score = sum(w * large.get(t, 0.0) for t, w in small.items())
    if a.figures and b.figures:
        score += FIGURE_WEIGHT if a.figures & b.figures else -FIGURE_CONFLICT
    slack = 0 if a.named and b.named else 1  # an article's own date may be the day after the event
    near = any(abs((x - y).days) <= slack for x in a.days for y in b.days)
    return score + (DAY_WEIGHT if near else -DAY_WEIGHT)
