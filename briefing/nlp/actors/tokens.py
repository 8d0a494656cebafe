"""Tokens of a sentence with their offsets, and what the whole article says about words.

Names are found by capitalisation, so the tokenizer keeps what a name is made of in
one token ("U.S.", "Director-General", "O'Leary", "Inc.") and splits the possessive
"'s" off ("Israel", "'s"), which both name patterns and roles rely on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from briefing.model import Sentence

TOKEN = re.compile(
    r"""(?:[A-Z]\.){2,}                                  # U.S., N.V.
    | (?:Mr|Mrs|Ms|Dr|Prof|Rev|St|Jr|Sr|Inc|Ltd|Corp|Co|Gen|Sen|Gov|Rep|Lt|Col|Sgt|Capt|Adm|Supt|Mt|Ft)\.
    | [A-Z]\.(?=\s+[A-Z])                                # a middle initial
    | \w+(?:[-&]\w+|['’](?!s\b)\w+)*                     # words: Director-General, O'Leary, AT&T
    | ['’]s\b                                            # the possessive
    | \S""",
    re.VERBOSE,
)
_WORD = re.compile(r"[^\W\d_]", re.UNICODE)
_STARTS_WORD: dict[str, bool] = {}
"""Whether a token that starts with this character is a word (a letter), learned as characters come."""
_MAX_STARTS = 5000
"""At most this many characters remembered: a text of every character there is stays within bounds."""
OPENERS = frozenset({'"', "“", "‘", "'", ":", "—", "–", "-", "…"})
POSSESSIVE = frozenset({"'s", "’s"})


class Token(NamedTuple):
    """A token: its text, offsets into the article, lower case, and whether it is capitalised.

    A named tuple, not a frozen dataclass: as immutable, and made three times as fast, which
    counts for the hundreds of tokens of every article (a quarter of the actor stage's time)."""

    text: str
    start: int
    end: int
    lower: str
    cap: bool
    word: bool


def tokenize(sentence: Sentence) -> list[Token]:
    """The tokens of one sentence, offsets into the article's text."""
    base = sentence.start
    tokens = []
    starts = _STARTS_WORD
    for match in TOKEN.finditer(sentence.text):
        text = match.group()
        start, end = match.span()
        word = starts.get(text[0])
        if word is None:  # whether a token is a word depends on its first character only
            word = _WORD.match(text) is not None
            if len(starts) < _MAX_STARTS:
                starts[text[0]] = word
        tokens.append(Token(text, base + start, base + end, text.lower(), word and text[0].isupper(), word))
    return tokens


def is_initial(tokens: Sequence[Token], index: int) -> bool:
    """A token is capitalised by position, not by being a name: the sentence's first word,
    or the first word after an opening quote, bracket, colon or dash."""
    for previous in range(index - 1, -1, -1):
        token = tokens[previous]
        if token.word or token.text[0].isdigit():
            return False
        if token.text in OPENERS:
            return True
    return True


def is_headline(tokens: Sequence[Token]) -> bool:
    """Title Case ("Apple Unveils New iPhone"): most longer words capitalised, so
    capitals say nothing about names and every capitalised word needs other evidence."""
    if tokens and tokens[-1].text in (".", "!", "?", '"', "”"):
        return False  # headlines carry no full stop; a sentence full of names does
    long_words = [t for t in tokens if t.word and len(t.text) > 3]
    return len(long_words) >= 3 and sum(t.cap for t in long_words) >= 0.7 * len(long_words)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Words the article itself writes in lower case, and capitalised words it uses mid-sentence."""

    lower: frozenset[str]
    capitalised: frozenset[str]


def vocabulary(sentences: Sequence[Sequence[Token]]) -> Vocabulary:
    """What the article says about its words. A sentence that opens with two capitalised
    words ("Lockheed Martin won") vouches for both, unless the article writes them in
    lower case elsewhere; so "Lockheed said" at a later sentence start is a name too."""
    lower: set[str] = set()
    capitalised: set[str] = set()
    openers: set[str] = set()
    for tokens in sentences:
        headline = is_headline(tokens)
        for index, token in enumerate(tokens):
            if not token.word:
                continue
            if not token.cap:
                lower.add(token.text)
            elif headline:
                continue
            elif not is_initial(tokens, index):
                capitalised.add(token.text)
            elif index + 1 < len(tokens) and tokens[index + 1].cap:
                openers.update((token.text, tokens[index + 1].text))
    capitalised.update(w for w in openers if w.lower() not in lower)
    return Vocabulary(frozenset(lower), frozenset(capitalised))
