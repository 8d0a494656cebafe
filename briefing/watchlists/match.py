"""Which articles and events a watchlist matches: pure functions over the stored analyses, no I/O.

An actor of the watchlist matches an article's actor when one of the article actor's
names (its canonical name or an alias) is the same name once case, spacing, "the", a
possessive and a legal form are set aside (:func:`briefing.nlp.actors.entities.base`):
"Globex" matches "Globex Inc.". A person also matches by the rule compose merges people
by: the same last name, and every word of the shorter name in the longer one ("Doe"
in an article matches "Jane Doe"; "John Doe" does not). An organisation's initials match
its acronym ("ACME"). A keyword matches as whole words, in any case, in the title or the
text; the words of a phrase may be split by any whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from briefing.model import Actor, StoredArticle
from briefing.nlp.actors.entities import base, initials

_ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,6}$")


def name_key(name: str) -> str:
    """The form two names are compared in: ``"the Globex Corp."`` -> ``"globex"``."""
    return " ".join(base(name).split()).casefold()


@dataclass(frozen=True, slots=True)
class Watchlist:
    """A watchlist as the settings define it (``[watchlists.<name>]``)."""

    name: str
    actors: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    webhook: str | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """What of a watchlist an article (or event) matched: the watchlist's own actor names and keywords."""

    watchlist: str
    actors: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.actors or self.keywords)

    @property
    def terms(self) -> tuple[str, ...]:
        return (*self.actors, *self.keywords)


class Matcher:
    """One watchlist, compiled once: :meth:`article` and :meth:`event` say what of it matches."""

    def __init__(self, watchlist: Watchlist) -> None:
        self.watchlist = watchlist
        self._keys = {name_key(a): a for a in watchlist.actors if name_key(a)}
        self._acronyms = {a: a for a in watchlist.actors if _ACRONYM.match(a)}
        self._keywords = [(k, _phrase(k)) for k in watchlist.keywords]

    @property
    def name(self) -> str:
        return self.watchlist.name

    def names(self, names: Iterable[str], person: bool = False, organisation: bool = False) -> list[str]:
        """The watchlist's actors that any of ``names`` (one actor's names) stands for."""
        found: dict[str, None] = {}
        for name in names:
            key = name_key(name)
            if key in self._keys:
                found[self._keys[key]] = None
            elif person and key:
                words = set(key.split())
                for watched, original in self._keys.items():
                    theirs = set(watched.split())
                    if watched.split()[-1] == key.split()[-1] and (words <= theirs or theirs <= words):
                        found[original] = None
            if organisation and len(name.split()) > 2 and (acronym := initials(name)) in self._acronyms:
                found[self._acronyms[acronym]] = None
        return list(found)

    def actors(self, actors: Iterable[Actor], extra: Mapping[str, Iterable[str]] | None = None) -> list[str]:
        """The watchlist's actors among ``actors``; ``extra`` adds names an actor is also known by (merged across
        articles), by the actor's name."""
        found: dict[str, None] = {}
        for actor in actors:
            names = [actor.name, *actor.aliases, *((extra or {}).get(actor.name, ()))]
            person, organisation = actor.kind == "person", actor.kind == "organization"
            found.update(dict.fromkeys(self.names(names, person, organisation)))
        return list(found)

    def keywords(self, *texts: str) -> list[str]:
        """The watchlist's keywords found as whole words in any of ``texts``."""
        return [keyword for keyword, pattern in self._keywords if any(pattern.search(t) for t in texts if t)]

    def article(self, stored: StoredArticle, extra: Mapping[str, Iterable[str]] | None = None) -> Match:
        """What of the watchlist the article matches (falsy when nothing does)."""
        return Match(
            self.name,
            tuple(self.actors(stored.analysis.actors, extra)),
            tuple(self.keywords(stored.article.title, stored.article.text)),
        )

    def event(self, actors: Iterable[str], *texts: str) -> Match:
        """What of the watchlist an event matches: its actors by name, its words in its title and sentence."""
        return Match(self.name, tuple(self.names(actors, person=True)), tuple(self.keywords(*texts)))


def _phrase(keyword: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in keyword.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def matchers(watchlists: Iterable[Watchlist]) -> list[Matcher]:
    return [Matcher(w) for w in watchlists]
