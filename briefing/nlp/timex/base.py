"""The shapes the rules share: a rule, what it found, and the context it resolves in."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from briefing.model import TimexType
from briefing.nlp.timex import values as v
from briefing.nlp.timex.tense import tense_near
from briefing.nlp.timex.values import Tense

_WORD = re.compile(r"[\w'’.-]+")


@dataclass(frozen=True, slots=True)
class Found:
    """A resolved expression; ``span`` (sentence offsets) when it is not the whole match."""

    type: TimexType
    value: str
    end_value: str | None = None
    mod: str | None = None
    span: tuple[int, int] | None = None
    refocus: bool = True
    """False for a comparison ("the year-ago quarter"): the article's focus stays where it was."""
    cue: str = ""
    """What chose a weekday's week ("tense:past", "rel:next"...): read by the analysis bench only."""


@dataclass(slots=True)
class Focus:
    """What the article has dated so far: the reference of "that day", "the year-ago quarter".

    ``sentence`` is the index of the sentence being tagged; ``*_at`` say in which
    sentence each reference was last set, so that a comparison can prefer one
    made close by.
    """

    date: str | None = None
    quarter: str | None = None
    report: str | None = None
    """The first quarter the article names: the one a company report is about ("the year-earlier
    period", "the 1989 period" refer to it even after a comparison with another quarter)."""
    sentence: int = 0
    date_at: int = -99
    quarter_at: int = -99

    def near_quarter(self, back: int = 1) -> str | None:
        """The quarter last named in this sentence or the ``back`` before it."""
        return self.quarter if self.sentence - self.quarter_at <= back else None

    def near_date(self, back: int = 0) -> str | None:
        return self.date if self.sentence - self.date_at <= back else None


@dataclass(slots=True)
class Context:
    """One sentence being tagged, with the article's anchor date and focus."""

    anchor: dt.date
    sentence: str
    focus: Focus
    _tenses: dict[tuple[int, int], Tense] = field(default_factory=dict)

    def tense(self, match: re.Match[str]) -> Tense:
        key = match.span()
        if key not in self._tenses:
            self._tenses[key] = tense_near(self.sentence, *key)
        return self._tenses[key]

    def word_before(self, position: int) -> str:
        """The word just before ``position``, lower-cased ("" at the sentence start)."""
        words = _WORD.findall(self.sentence, max(0, position - 40), position)
        return words[-1].lower().replace("’", "'") if words else ""

    def word_after(self, position: int) -> str:
        """The word just after ``position`` as written ("" at the sentence end)."""
        found = _WORD.search(self.sentence, position, position + 40)
        return found.group() if found else ""


Resolver = Callable[[re.Match[str], Context], Found | None]


@dataclass(frozen=True, slots=True)
class Rule:
    """One kind of expression: a pattern (named groups for its parts) and how to resolve a match."""

    name: str
    pattern: str
    resolve: Resolver
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", re.compile(self.pattern, re.IGNORECASE))


def focus_day(ctx: Context) -> dt.date | None:
    """The day the article last talked about, if it named one."""
    if ctx.focus.date and v.granularity(ctx.focus.date) in ("day", "time"):
        return v.value_start(ctx.focus.date[:10])
    return None
