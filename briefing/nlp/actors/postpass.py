"""What the tagger's names mean once the whole article is in view.

The tagger labels one sentence at a time, from what it learned on other news. Three
things only the article as a whole, or a general rule of English, can settle:

- **One name, one reading across the article** (the "label consistency" of the named
  entity literature): where the tagger named a word sequence in one sentence and
  passed over the very same name elsewhere ("upheld Boeing's protest" after "Boeing
  said"), the name is a name there too, of the same kind.
- **A maker's name before a model designation is the model's name**: "the Acme 320",
  "two Globex A7s" name aircraft, cars or engines, not the company (CoNLL-2003 tags such
  names whole as MISC; MEANTIME as products), so the company gets no mention there; nor
  does a name before a noun for a kind of product ("Acme jets", "the Globex Air laptops").
- **What kind of thing a name is, said just before it**: "airline", "magazine" or
  "manufacturer" right before a name make it an organisation whatever its words look
  like ("national airline Aer Foo", "German magazine Der Blatt").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence

from briefing.nlp.actors.mentions import Mention
from briefing.nlp.actors.tokens import Token, is_initial

MODEL = re.compile(r"^(?:[A-Z]{1,3}-?)?[0-9]{2,4}[A-Za-z]{0,3}$")
"""A model designation after a maker's name: "737", "737s", "A320", "MD-11", "320neo"."""
LETTERED = re.compile(r"^[A-Z]{1,3}-?[0-9]{1,4}[a-z]{0,3}$")
"""A designation that opens with letters ("A7", "MD-11"): no word, no number, no year."""
YEAR_WORD = re.compile(r"^(?:1[89]|20)[0-9]{2}s?$")
"""A year as a word ("1998", "2010s"): never a model designation."""
_ORDINAL = re.compile(r"^[0-9]+(?:st|nd|rd|th)$")
_NOT_AFTER_MODEL = frozenset(
    {"percent", "per", "million", "billion", "m", "bn", "pct", "and", "or", "not", "for", "all", "of", "to", "in", "at"}
)
"""After a number, these make it an amount, a share or a score ("Kent 108 for 3", "Acme 150 million"),
not a model; so does anything but a word or a quote."""

_QUOTES = frozenset({'"', "“", "'", "‘"})

ORGANISATION_NOUNS = frozenset(
    {
        "agency", "airline", "automaker", "bank", "brewer", "broadcaster", "carmaker", "chipmaker",
        "company", "conglomerate", "consortium", "daily", "firm", "insurer", "lender", "magazine", "manufacturer",
        "newspaper", "publisher", "retailer", "subsidiary", "supplier", "weekly",
    }
)  # fmt: skip
"""Lower-case nouns for kinds of organisation: one right before a name makes it an organisation
("airline Aer Foo"). Words that also come before people's names or things ("group", "party", "union":
"party leader Jo Bloggs"; "carrier": an aircraft carrier's name) are left out."""


def names_a_model(tokens: Sequence[Token], last: int) -> bool:
    """Whether the token after a name (at ``last``) is a model designation: "Acme 320", not "Acme 2012"."""
    following = last + 1
    if following >= len(tokens) or tokens[following].start != tokens[last].end + 1:
        return False
    text = tokens[following].text
    if not MODEL.match(text) or YEAR_WORD.match(text) or _ORDINAL.match(text):
        return False
    if not text.isdigit():
        return True  # letters make it a designation wherever it stands: "five Acme 320s", "Acme A7"
    after = tokens[following + 1] if following + 1 < len(tokens) else None
    if after is None or after.lower in _NOT_AFTER_MODEL:
        return False
    return (after.word and not after.cap) or after.text in _QUOTES  # "the Acme 320 jet", 'Acme 320 "Star"'


def without_model_makers(
    tokens: Sequence[Token], chosen: Sequence[Mention], prose: Callable[[], bool], indexes: Collection[str] = ()
) -> list[Mention]:
    """The mentions less organisations (or supposed people) named only as the maker of a model.

    Only in running text (``prose`` says whether the sentence is; asked only when a name is in
    doubt): in a results table a name followed by a number is a team and its score; and not the
    first word of a stock index the article names ("NRX 50" of "NRX 50 Index")."""
    makers = {
        id(m)
        for m in chosen
        if not m.demonym
        and m.kind in ("organization", "person")
        and m.text.split()[0] not in indexes
        and (
            names_a_model(tokens, m.last)
            or ends_in_model(tokens, m)
            or follows_a_model(tokens, m)
            or (m.last + 1 < len(tokens) and tokens[m.last + 1].lower in PRODUCT_NOUNS)
        )
    }
    if not makers or not prose():
        return list(chosen)
    return [m for m in chosen if id(m) not in makers]


PRODUCT_NOUNS = frozenset(
    {
        "aircraft", "airliner", "airliners", "jet", "jets", "jetliner", "jetliners", "plane", "planes", "engine",
        "engines", "car", "cars", "truck", "trucks", "vehicle", "vehicles", "laptop", "laptops", "notebook",
        "notebooks", "computer", "computers", "tablet", "tablets", "phone", "phones", "smartphone", "smartphones",
        "handset", "handsets", "processor", "processors", "chip", "chips", "software", "device", "devices",
    }
)  # fmt: skip
"""Lower-case nouns for kinds of manufactured product: a name right before one names the product, or
modifies it; either way the maker is not acting there ("twelve Acme jets"). Our own list of common
English words; "player" and the like are left out (a team's players are the team's)."""


def follows_a_model(tokens: Sequence[Token], mention: Mention) -> bool:
    """A one-word name right after a model designation names the model: "the Acme 320 Skyrider".
    (Not in a list of players and their scores: "Jo Bloggs 65, Ann Other 66".)"""
    before = mention.first - 1
    if before < 0 or mention.last != mention.first or tokens[before].end + 1 != tokens[mention.first].start:
        return False
    if mention.last + 1 < len(tokens) and tokens[mention.last + 1].text[:1].isdigit():
        return False
    text = tokens[before].text
    designation = bool(MODEL.match(text) or LETTERED.match(text))
    return designation and not YEAR_WORD.match(text) and not _ORDINAL.match(text)


def ends_in_model(tokens: Sequence[Token], mention: Mention) -> bool:
    """A name whose last word is a model designation with letters ("Acme A7", "Acme 320s"): a product."""
    text = tokens[mention.last].text
    return (
        mention.last > mention.first
        and (bool(LETTERED.match(text)) or bool(MODEL.match(text)))
        and not text.isdigit()
        and not YEAR_WORD.match(text)
        and not _ORDINAL.match(text)
    )


def organisation_by_noun(
    tokens: Sequence[Token],
    mention: Mention,
    people: dict[str, set[str]] | None = None,
    given_names: Collection[str] = (),
) -> bool:
    """ "national airline Aer Foo": a noun for a kind of organisation right before the name; not a
    given name nor a word of another person's name in the article (``people``, from
    :func:`person_words`: "told the newspaper Garcia had left" after "Carlos Garcia")."""
    if mention.first == 0 or tokens[mention.first - 1].lower not in ORGANISATION_NOUNS:
        return False
    people = people or {}
    return not any(word in given_names or people.get(word, set()) - {mention.text} for word in mention.text.split())


def consistent(
    found: Sequence[Sequence[Mention]],
    chosen: Sequence[list[Mention]],
    typed: Callable[[Mention, str], Mention],
) -> None:
    """Add, in place, the names the tagger named somewhere in the article but passed over elsewhere.

    ``found`` are the rules' mentions per sentence, ``chosen`` the tagger's; where the rules
    found a name the tagger named elsewhere and nothing chosen overlaps it (and had a reason for it
    beyond a guess, or the tagger named it more than once: a product's name is capitalised too), it is chosen, with the kind the tagger gave
    that name most often (``typed`` gives a mention a tagger kind); a word of a person's full name
    ("Promise" of "Promise Tamang") is that person wherever it is named again."""
    kinds: dict[str, Counter[str]] = {}
    people = person_words(chosen)
    for mentions in chosen:
        for mention in mentions:
            kind = _TAGGER_KIND.get(mention.kind or "")
            if kind and not mention.demonym:
                kinds.setdefault(mention.text, Counter())[kind] += 1
    if not kinds:
        return
    for rules, mentions in zip(found, chosen, strict=True):
        taken = {i for m in mentions for i in range(m.first, m.last + 1)}
        added = False
        for mention in rules:
            votes = kinds.get(mention.text)
            if votes is None and mention.text in people:
                votes = _OF_A_PERSON  # "Promise" alone, never tagged so, after "Promise Kestrel"
            if (
                votes is None
                or mention.demonym
                or (mention.evidence & _NO_EVIDENCE and votes.total() < _NAMED_OFTEN)
                or any(i in taken for i in range(mention.first, mention.last + 1))
            ):
                continue
            mention.role = None
            mentions.append(typed(mention, "PER" if mention.text in people else votes.most_common(1)[0][0]))
            taken.update(range(mention.first, mention.last + 1))
            added = True
        if added:
            mentions.sort(key=lambda m: m.start)


def person_words(chosen: Sequence[Sequence[Mention]]) -> dict[str, set[str]]:
    """The first and last words of the people's names of several words in the article, each with
    those names; a name the article also gives another kind ("Acme Jones" a person once, a company
    twice) is left out."""
    kinds: dict[str, set[str | None]] = {}
    for mentions in chosen:
        for mention in mentions:
            kinds.setdefault(mention.text, set()).add(mention.kind)
    found: dict[str, set[str]] = {}
    for name, seen in kinds.items():
        words = name.split()
        if seen == {"person"} and len(words) > 1:
            for word in (words[0], words[-1]):
                found.setdefault(word, set()).add(name)
    return found


_NO_EVIDENCE = frozenset({"guess", "default"})
"""The rules' evidence for a kind chosen for want of any other: such a name is not named again."""
_NAMED_OFTEN = 2
"""A name the rules only guessed at is named again where the tagger named it at least this often."""
_OF_A_PERSON = Counter({"PER": _NAMED_OFTEN})
"""The tagger's votes a word of a person's full name has where the tagger never named it alone."""
_TAGGER_KIND = {"person": "PER", "organization": "ORG", "country": "LOC", "location": "LOC"}


DESCRIPTION_NOUNS = ORGANISATION_NOUNS | {"maker", "producer", "operator", "developer", "distributor"}
"""Nouns that may head a description before an organisation's name ("engine maker Acme")."""
CLOSED_WORDS = frozenset(
    {
        "a", "an", "the", "this", "that", "these", "those", "its", "their", "his", "her", "our", "your", "my",
        "of", "in", "on", "at", "by", "for", "from", "with", "to", "into", "over", "against", "between", "than",
        "and", "or", "but", "nor", "as", "which", "who", "whom", "whose", "when", "while", "where", "if",
        "is", "was", "are", "were", "be", "been", "has", "have", "had", "will", "would", "said", "says", "say",
        "not", "also", "rival", "both", "all", "each", "other", "another", "such",
    }
)  # fmt: skip
"""Words a description before a name never holds: determiners, prepositions, conjunctions, common verbs."""
MAX_DESCRIPTION = 4
"""At most this many words of description before an organisation's name."""


def describe(tokens: Sequence[Token], mention: Mention, demonyms: Collection[str]) -> None:
    """Widen an organisation's span over a description that leads it: "German magazine Der Blatt",
    "aircraft maker Acme". The description ends in a noun for a kind of organisation right before
    the name and reaches back over lower-case words and a nationality, never over a determiner,
    a preposition or a verb. The name itself (``mention.text``) stays the name."""
    head = mention.first - 1
    if mention.kind != "organization" or head < 0 or tokens[head].lower not in DESCRIPTION_NOUNS:
        return
    first = head
    while first > 0 and head - first < MAX_DESCRIPTION - 1:
        before = tokens[first - 1]
        opener = before.cap and is_initial(tokens, first - 1)  # "Aircraft maker Acme said" opening a sentence
        if (
            not before.word
            or before.lower in CLOSED_WORDS
            or (before.cap and before.text not in demonyms and not opener)
        ):
            break
        first -= 1
        if before.cap:
            break  # a nationality or the sentence's first word opens the description: "German magazine"
    mention.extent_start = tokens[first].start


def with_region(tokens: Sequence[Token], chosen: Sequence[Mention], regions: Callable[[Mention], bool]) -> None:
    """Widen a place's span over the region that follows it: "Lyon, France", "Springfield, Illinois"
    (one place named with its country or state). The region stays a mention of its own; a name in
    capitals (a dateline: "LYON, France") is left alone, and so is a list of places."""
    by_first = {m.first: m for m in chosen}
    for mention in chosen:
        region = by_first.get(mention.last + 2)
        if (
            region is None
            or mention.kind != "location"
            or tokens[mention.last + 1].text != ","
            or mention.text.isupper()
            or region.demonym
            or not regions(region)
        ):
            continue
        after = region.last + 1
        if after + 1 < len(tokens) and tokens[after].text == "," and (after + 1) in by_first:
            continue  # "Lyon, Paris, Rome": a list
        mention.extent_end = region.end
        if region.kind == "country" and not mention.country:
            mention.country = region.shown


def abbreviated_things(
    tokenized: Sequence[Sequence[Token]],
    rejected: Sequence[Sequence[tuple[int, int]]],
    chosen: Sequence[Sequence[Mention]],
    organisation_words: Collection[str] = (),
) -> set[str]:
    """Abbreviations the article gives for names that are no actors: "the Open Source Summit (OSS)"
    makes "OSS" an event wherever the article uses it. ``rejected`` are the capitalised runs the
    rules judged no actor (events, products, laws), per sentence; one the tagger named (``chosen``)
    is an actor after all, and so is one with a word of organisations' names in it
    ("Organisation of the Islamic Conference")."""
    found: set[str] = set()
    for tokens, runs, mentions in zip(tokenized, rejected, chosen, strict=True):
        for first, last in runs:
            if any(m.first <= last and m.last >= first for m in mentions) or any(
                t.text in organisation_words for t in tokens[first : last + 1]
            ):
                continue
            if last + 3 < len(tokens) and tokens[last + 1].text == "(" and tokens[last + 3].text == ")":
                short = tokens[last + 2].text
                if short.isupper() and len(short) > 1:
                    found.add(short)
    return found


def without_trailing_title(
    text: str, tokens: Sequence[Token], mention: Mention, heads: Collection[str], modifiers: Collection[str]
) -> None:
    """An organisation's name does not run on into a title after it: "the Acme Chief Executive Officer"
    is Acme's officer, and the name is "Acme". The title ends the name on a role's head (``heads``:
    "officer", "ceo"), is a run of role words (``modifiers``: "chief", "executive") and is either
    several words or an abbreviation ("Acme CEO"); "Red Star" or "Board of Trade" stay whole."""
    if mention.kind != "organization" or tokens[mention.last].lower not in heads:
        return
    last = mention.last
    while last > mention.first and (tokens[last].lower in heads or tokens[last].lower in modifiers):
        last -= 1
    title = tokens[last + 1 : mention.last + 1]
    if last == mention.last or tokens[last].lower in _INSIDE_NAMES or not tokens[last].word:
        return
    if len(title) == 1 and not (title[0].text.isupper() and len(title[0].text) > 1):
        return
    mention.last, mention.end = last, tokens[last].end
    mention.text = text[mention.start : mention.end]


_INSIDE_NAMES = frozenset({"of", "for", "and", "&", "the", "on"})
