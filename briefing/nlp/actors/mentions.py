"""Name mentions in a sentence: runs of capitalised tokens, split into titles and names.

A run is a stretch of capitalised tokens, joined across the small words that occur
inside names ("Bank of England", "Mohammed bin Salman", "European Aeronautic Defence
and Space Company", "President's Office"). A run is then split where news puts a
title before a name: "Israeli President Isaac Herzog" is the demonym "Israeli", the
title "President" and the name "Isaac Herzog"; "Foreign Ministry Director-General
Alon Ushpiz" is an organisation, a title and a name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from briefing.nlp.actors.gazetteer import Gazetteer
from briefing.nlp.actors.tokens import POSSESSIVE, Token, Vocabulary, is_headline, is_initial

PARTICLES = frozenset(
    {"de", "da", "van", "von", "der", "den", "bin", "ibn", "al", "el", "del", "di", "du", "dos", "das", "le", "la"}
)
OF_WORDS = frozenset({"of", "for", "on"})


@dataclass(slots=True)
class Mention:
    """One name in the text, with what its surroundings say about it."""

    start: int
    end: int
    text: str
    sentence: int
    first: int
    """Index of the name's first token in its sentence."""
    last: int
    """Index of the name's last token in its sentence."""
    kind: str | None = None
    """"person", "organization", "country" or "location" once known."""
    shown: str | None = None
    """The name to show for a country or place ("U.S." -> "United States")."""
    title_first: int | None = None
    """Index of the first token of a title or description before the name, in the same run."""
    title_start: int | None = None
    """Where the mention's span starts when a bare title leads it ("President Isaac Herzog")."""
    extent_start: int | None = None
    """Where the mention's span starts when a description of the organisation leads it
    ("aircraft maker Acme", the noun phrase whose head is the name: MEANTIME's extent)."""
    extent_end: int | None = None
    """Where the mention's span ends when the place's region follows it ("Lyon, France")."""
    role: str | None = None
    country: str | None = None
    """An affiliation the text states (demonym, possessive, country prefix)."""
    organisation: Mention | None = None
    """The organisation a role belongs to ("Foreign Ministry" for its director-general)."""
    possessor: Mention | None = None
    """The actor whose role this is ("Erdogan's adviser")."""
    partner: Mention | None = None
    """The mention this one is coordinated with ("Kalin and ... Sadat Onal"), sharing its country."""
    demonym: bool = False
    """A nationality adjective ("Turkish"): stands for a country, but is no name of it."""
    evidence: set[str] = field(default_factory=set)
    """Why the kind was chosen (for tests and debugging)."""


def _accepts(tokens: Sequence[Token], index: int, headline: bool, words: Vocabulary, g: Gazetteer) -> bool:
    """Whether a capitalised token may be (part of) a name where it stands."""
    token = tokens[index]
    if not token.cap or any(c.isdigit() for c in token.text) or token.text in g.acronyms:
        return False
    if "'" in token.text or "’" in token.text:
        head = token.lower.replace("’", "'").split("'")[0]
        if head in g.not_names or token.lower.endswith(("n't", "n’t")):
            return False  # "I'm", "Don't", "It's"
    if "-" in token.text and token.text.rsplit("-", 1)[1].islower() and token.lower not in g.role_heads:
        return False  # "Intel-based", "EADS-led": adjectives made from names
    if token.lower in g.not_names and not (len(token.text) > 1 and token.text.isupper()):
        return False  # "Us" and "It" are no names, "US" is one
    if index + 1 < len(tokens) and tokens[index + 1].text == "$" and tokens[index + 1].start == token.end:
        return False  # "US$40", "A$": a currency
    if not headline and not is_initial(tokens, index):
        return True
    # Capitalised by position: a name only with other evidence.
    text = token.text
    if text in g.countries or text in g.demonyms or text in g.places or text in g.given_names:
        return True
    if g.is_role_word(token.lower) or text in g.organisation_words:
        return True
    if text in words.capitalised:
        return True
    if text.lower() in words.lower or (len(text) > 1 and text[1:].islower() and text.lower() in words.lower):
        return False
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    if headline or following is None or not following.cap or following.lower in g.not_names:
        return False
    # "Actual Airbus employees": the next word is a name on its own elsewhere, this one is not.
    return following.text not in words.capitalised


def runs(tokens: Sequence[Token], words: Vocabulary, g: Gazetteer) -> list[tuple[int, int]]:
    """Index ranges ``[first, last]`` of the capitalised runs of a sentence."""
    headline = is_headline(tokens)
    found: list[tuple[int, int]] = []
    n = len(tokens)
    i = 0
    while i < n:
        forced = _gazetteer_end(tokens, i, g)
        if forced is None and not _accepts(tokens, i, headline, words, g):
            i += 1
            continue
        first = last = i
        j = i + 1
        while j < n:
            if (forced is not None and j <= forced) or _accepts(tokens, j, headline, words, g):
                last = j
                j += 1
                continue
            joined = _connector(tokens, first, last, j, headline, words, g)
            if joined is None:
                break
            last = joined
            j = joined + 1
        if last + 1 < n and _is_model(tokens[last + 1]) and tokens[last + 1].start - tokens[last].end <= 1:
            # "Boeing 787 Dreamliner", "Airbus A380": a product, no actor.
            last += 1
            while last + 1 < n and tokens[last + 1].cap:
                last += 1
        else:
            found.append((first, last))
        i = last + 1
    return found


def _is_model(token: Token) -> bool:
    """A model number ("787", "A380", "737-800"), not a year or a count."""
    text = token.text
    if not any(c.isdigit() for c in text) or "," in text or "." in text:
        return False
    return not (len(text) == 4 and text.isdigit() and text[:2] in ("19", "20"))


def _gazetteer_end(tokens: Sequence[Token], i: int, g: Gazetteer) -> int | None:
    """The last index of the longest country or place name of several tokens starting at ``i``."""
    for parts in g.multiword.get(tokens[i].text, ()):
        end = i + len(parts) - 1
        if end < len(tokens) and all(tokens[i + k].text == part for k, part in enumerate(parts)):
            return end
    return None


def _next_run_end(tokens: Sequence[Token], j: int, headline: bool, words: Vocabulary, g: Gazetteer) -> int | None:
    """The last index of the capitalised stretch starting at ``j`` (None if ``j`` is not one)."""
    if j >= len(tokens) or not _accepts(tokens, j, headline, words, g):
        return None
    k = j
    while k + 1 < len(tokens) and _accepts(tokens, k + 1, headline, words, g):
        k += 1
    return k


def _connector(
    tokens: Sequence[Token], first: int, last: int, j: int, headline: bool, words: Vocabulary, g: Gazetteer
) -> int | None:
    """If ``tokens[j]`` joins the run ``[first, last]`` to a following stretch, that stretch's end."""
    token = tokens[j]
    lower = token.lower
    so_far = tokens[first : last + 1]
    if lower in PARTICLES or token.text == "&":
        return _next_run_end(tokens, j + 1, headline, words, g)
    if lower in OF_WORDS:
        if not any(t.text in g.organisation_words or t.text in g.place_words for t in so_far):
            return None
        k = j + 2 if j + 1 < len(tokens) and tokens[j + 1].lower == "the" else j + 1
        return _next_run_end(tokens, k, headline, words, g)
    if lower == "and":
        end = _next_run_end(tokens, j + 1, headline, words, g)
        if end is None or tokens[end].text not in g.organisation_words:
            return None
        text = " ".join(t.text for t in so_far)
        if any(t.text in g.organisation_words for t in so_far) or text in g.countries or text in g.places:
            return None
        return end
    if token.text in POSSESSIVE and last == first:
        owner = tokens[first].text
        if owner in g.countries or owner in g.places or owner in g.demonyms:
            return None
        end = _next_run_end(tokens, j + 1, headline, words, g)
        if end is not None and (g.is_role_word(tokens[first].lower) or end == j + 1):
            for k in range(j + 1, end + 1):
                if tokens[k].text in g.organisation_words or tokens[k].text in g.place_words:
                    return k
    return None


def _is_title_word(token: Token, g: Gazetteer) -> bool:
    return g.is_role_word(token.lower)


def _new(text: str, tokens: Sequence[Token], first: int, last: int, sentence: int, kind: str | None = None) -> Mention:
    start, end = tokens[first].start, tokens[last].end
    mention = Mention(start, end, text[start:end], sentence, first, last, kind)
    if kind:
        mention.evidence.add("form")
    return mention


def _place_or_country(mention: Mention, g: Gazetteer) -> Mention:
    """Mark a mention that the gazetteer knows as a country or a place."""
    name = mention.text
    if name in g.countries:
        mention.kind, mention.shown = "country", g.countries[name]
    elif name in g.places:
        mention.kind, mention.shown = "location", name
        mention.country = g.places[name] or None
    return mention


_WEATHER_NAMES = frozenset({"Storm", "Hurricane", "Typhoon", "Cyclone", "Tropical", "Tornado", "Blizzard"})


def split_run(text: str, tokens: Sequence[Token], first: int, last: int, sentence: int, g: Gazetteer) -> list[Mention]:
    """The mentions one capitalised run holds: prefix (organisation, country), title, name."""
    run = tokens[first : last + 1]
    whole = text[run[0].start : run[-1].end]
    if whole in g.countries or whole in g.places:
        return [_place_or_country(_new(text, tokens, first, last, sentence), g)]
    if len(run) == 1 and run[0].text in g.demonyms:
        mention = _new(text, tokens, first, last, sentence, "country")
        mention.shown, mention.demonym = g.demonyms[run[0].text], True
        return [mention]
    if all(_is_title_word(t, g) for t in run) or run[-1].text in g.things:
        return []
    if len(run) > 1 and run[0].text in _WEATHER_NAMES:
        return []  # "Storm Darragh", "Hurricane Milton": weather, not an actor
    if len(run) == 1 and run[0].text in g.groups:
        return []

    split = _title_split(tokens, first, last, g)
    if split is None:
        return _plain_name(text, tokens, first, last, sentence, g)
    title_start, head = split
    found: list[Mention] = []
    name = _new(text, tokens, head + 1, last, sentence, "person")
    name.evidence.add("title")
    name.title_first = title_start
    possessed = first > 0 and tokens[first - 1].text in POSSESSIVE
    if title_start == first and not possessed and not any(t.text.isupper() for t in tokens[title_start : head + 1]):
        # "President Isaac Herzog" is a name with its title; "Israeli President Isaac
        # Herzog", "Turkey's Foreign Minister X" and "CEO X" are descriptions around a name.
        name.title_start = tokens[title_start].start
    role_start = title_start
    if title_start > first:
        prefix = _plain_name(text, tokens, first, title_start - 1, sentence, g)
        found.extend(prefix)
        if len(prefix) == 1:
            owner = prefix[0]
            if owner.kind == "country":
                name.country = owner.shown
            elif owner.kind == "location" and owner.country:
                name.country = owner.country
            else:
                owner.kind = owner.kind or "organization"
                owner.evidence.add("before a title")
                name.organisation = owner
                role_start = first
    role = text[tokens[role_start].start : tokens[head].end]
    if not all(t.lower in g.honorifics for t in tokens[title_start : head + 1]):
        name.role = role
    found.append(name)
    return found


def _title_split(tokens: Sequence[Token], first: int, last: int, g: Gazetteer) -> tuple[int, int] | None:
    """``(title_start, head)`` when the run is [prefix] title name, else None."""
    for head in range(last - 1, first - 1, -1):
        token = tokens[head]
        if token.lower not in g.role_heads and token.lower not in g.honorifics:
            continue
        rest = tokens[head + 1 : last + 1]
        if any(_is_title_word(t, g) or t.text in g.organisation_words or t.text in POSSESSIVE for t in rest):
            return None
        if rest[-1].text in g.place_words:
            return None
        title_start = head
        while title_start > first and _is_title_word(tokens[title_start - 1], g):
            title_start -= 1
        if len(rest) == 1 and not bare_title(tokens, first, head, g):
            return None  # "Star Fleet": a descriptive head alone is no title before one word
        return title_start, head
    return None


def bare_title(tokens: Sequence[Token], first: int, head: int, g: Gazetteer) -> bool:
    """Whether the role head ``tokens[head]``, with the words from ``first`` before it, may stand as a
    capitalised title before a name of one word: a titular head ("President Lee", "Gen. Moss"), or a
    descriptive one with a modifier before it ("World Champion Khan", "Chief Analyst Mills", "Globex
    Analyst Mills"); a descriptive head alone ("Star Fleet", "Analyst Mills") is no title."""
    if g.is_titular(tokens[head].lower):
        return True
    return any(
        t.word and ((t.cap and t.lower not in g.not_names) or t.lower in g.role_modifiers) for t in tokens[first:head]
    )


def _plain_name(
    text: str, tokens: Sequence[Token], first: int, last: int, sentence: int, g: Gazetteer
) -> list[Mention]:
    """A run without a title: one name, or a country or demonym before an organisation or name."""
    run = tokens[first : last + 1]
    last_word = run[-1].text
    whole = _new(text, tokens, first, last, sentence)
    if whole.text in g.countries or whole.text in g.places:
        return [_place_or_country(whole, g)]
    if len(run) == 1:
        if run[0].text in g.demonyms:
            whole.kind, whole.shown, whole.demonym = "country", g.demonyms[run[0].text], True
        return [whole]
    for index in range(first, last):
        # "President's Office Eyal Shviki", "BT Mike Rake": an organisation's name, then a person's.
        organisation = tokens[index].text in g.organisation_words or tokens[index].text.isupper()
        if organisation and tokens[index + 1].text in g.given_names:
            return [
                *_plain_name(text, tokens, first, index, sentence, g),
                *_plain_name(text, tokens, index + 1, last, sentence, g),
            ]
    country, country_end = _leading_country(text, tokens, first, last, g)
    if last_word in g.organisation_words or run[0].text in g.organisation_words:
        whole.kind = "organization"
        whole.evidence.add("organisation word")
        whole.country = country
        return [whole]
    if last_word in g.place_words:
        whole.kind = "location"
        whole.evidence.add("place word")
        return [whole]
    if country is not None and country_end < last:
        lead = _place_or_country(_new(text, tokens, first, country_end, sentence), g)
        if run[0].text in g.demonyms and lead.kind is None:
            lead.kind, lead.shown, lead.demonym = "country", country, True
        rest = _plain_name(text, tokens, country_end + 1, last, sentence, g)
        for mention in rest:
            mention.country = mention.country or country
        return [lead, *rest]
    return [whole]


def _leading_country(text: str, tokens: Sequence[Token], first: int, last: int, g: Gazetteer) -> tuple[str | None, int]:
    """The country a run starts with ("United States Air Force", "Israeli Knesset") and its last index."""
    for end in range(min(last, first + 3), first - 1, -1):
        name = text[tokens[first].start : tokens[end].end]
        if name in g.countries:
            return g.countries[name], end
        if end == first and name in g.demonyms:
            return g.demonyms[name], end
        if g.places.get(name):
            return g.places[name], end
    return None, first
