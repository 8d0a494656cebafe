"""From the tagger's labels to names: BIO spans, the extent a name can have, stock indexes.

The CRF labels tokens; what a name may start and end with (not a common lower-case word,
not a word capitalised only by its place) and that an index written in full ("NRX 50
Index") makes its short forms the same organisation are rules about names, kept here so
:mod:`briefing.nlp.actors.tagger` reads as the loop that asks the tagger and decides.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefing.nlp.actors.entities import INDEX_WORDS
from briefing.nlp.actors.gazetteer import Gazetteer
from briefing.nlp.actors.mentions import OF_WORDS, PARTICLES
from briefing.nlp.actors.tokens import Token, Vocabulary, is_initial
from briefing.nlp.postags import lexicon


def spans(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """(first, last, type) token ranges of a BIO label sequence."""
    found: list[tuple[int, int, str]] = []
    for i, label in enumerate(labels):
        if label == "O":
            continue
        kind = label[2:]
        if label.startswith("I-") and found and found[-1][1] == i - 1 and found[-1][2] == kind:
            found[-1] = (found[-1][0], i, kind)
        else:
            found.append((i, i, kind))
    return found


def index_number(tokens: Sequence[Token], i: int) -> bool:
    """A number of two to four digits that is not a year, right after a name."""
    if i >= len(tokens) or not tokens[i].text.isdigit() or not 2 <= len(tokens[i].text) <= 4:
        return False
    return not (len(tokens[i].text) == 4 and tokens[i].text[:2] in ("19", "20"))


_INSIDE = PARTICLES | OF_WORDS | {"and", "the", "&"}


def _common_word(token: Token) -> bool:
    """A word in lower case all through ("livery", "of"), not "iPhone" nor "de" of "de Gaulle"."""
    return token.word and token.text.islower() and token.lower not in PARTICLES


def _gerund(word: str) -> bool:
    """An -ing word that news writes as a verb or a noun, never as a name ("Making", "Following")."""
    lower = word.lower()
    return lower.endswith("ing") and "P" not in lexicon().get(lower, "P")


def sane_extent(
    tokens: Sequence[Token], first: int, last: int, words: Vocabulary, g: Gazetteer
) -> tuple[int, int] | None:
    """A tagged name as a name can be: it ends before a lower-case word that no name holds ("Apple unveils
    iPhone" in a headline is "Apple"), does not start with a word capitalised only by its place
    ("Actual Globex" opening a sentence) nor with a common lower-case word ("livery of Globex Air" is
    "Globex Air"), and is no event or law ("Developers Conference")."""
    while first < last and _common_word(tokens[first]):
        first += 1
    for k in range(first + 1, last + 1):
        token = tokens[k]
        if token.word and not token.cap and token.lower not in _INSIDE:
            last = k - 1
            break
    while last > first and (not tokens[last].word or tokens[last].lower in _INSIDE):
        last -= 1
    if tokens[last].text in g.things or not tokens[first].word:
        return None
    head = tokens[first].text
    if first < last and is_initial(tokens, first) and _gerund(head):
        first += 1  # "Making Tom Berg chairman surprised ...": a verb opening the sentence
    if (
        first < last
        and is_initial(tokens, first)
        and head not in words.capitalised
        and tokens[first + 1].text in words.capitalised
        and not (head in g.given_names or head in g.countries or head in g.demonyms or head in g.places)
        and head not in g.organisation_words
        and not g.is_role_word(tokens[first].lower)
    ):
        first += 1
    return first, last


def stock_indexes(tokenized: Sequence[Sequence[Token]]) -> dict[str, list[tuple[str, ...]]]:
    """Names of stock indexes the article writes in full ("NRX 50 Index"), without the index word,
    by their first word: so that "the NRX 50" later in the text is the same index."""
    found: dict[str, list[tuple[str, ...]]] = {}
    for tokens in tokenized:
        for i in range(2, len(tokens)):
            if tokens[i].text not in INDEX_WORDS or not index_number(tokens, i - 1):
                continue
            first = i - 1
            while first > 0 and i - 1 - first < 3 and tokens[first - 1].cap:
                first -= 1
            if first < i - 1:
                name = tuple(t.text for t in tokens[first:i])
                found.setdefault(name[0], []).append(name)
    return found


def label_indexes(tokens: Sequence[Token], labels: list[str], indexes: dict[str, list[tuple[str, ...]]]) -> None:
    """Label every full or short form of a known stock index as one organisation's name."""
    for i, token in enumerate(tokens):
        for name in indexes.get(token.text, ()):
            end = i + len(name)
            if tuple(t.text for t in tokens[i:end]) != name:
                continue
            if end < len(tokens) and tokens[end].text in INDEX_WORDS:
                end += 1
            labels[i:end] = ["B-ORG", *["I-ORG"] * (end - i - 1)]
