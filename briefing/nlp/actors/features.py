"""Features of a token for the name tagger: the word, its shape, its clusters, the gazetteer, the rules' guess.

Training (``bench/train_tagger.py``) and tagging use this one module, so the model sees
at run time exactly the features it was trained on. What a word says about itself (its
lower case, shape, affixes, word clusters, gazetteer lists) is computed once per distinct word and
cached; a token's features are then its own, its neighbours' (two either side, under a
position prefix) and what only its place in the sentence and article can say (first
word, headline, written in lower case elsewhere in the article, the rules' guess).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from briefing.nlp.actors.clusters import clusters
from briefing.nlp.actors.gazetteer import Gazetteer, gazetteer
from briefing.nlp.actors.tokens import Token, Vocabulary, is_initial

_UPPER = re.compile(r"[A-Z]+")
_LOWER = re.compile(r"[a-z]+")
_DIGIT = re.compile(r"[0-9]+")
_OTHER_UPPER = re.compile(r"[^\W\d_a-z]+")
_WORD_CACHE = 100_000


def shape(word: str) -> str:
    """ "Xx" for "London", "X.X." for "U.S.", "d-d" for "1996-08": runs of a class kept once."""
    short = _DIGIT.sub("d", _LOWER.sub("x", _UPPER.sub("X", word)))
    return _OTHER_UPPER.sub("X", short)[:8]


def _gazetteer_flags(word: str, g: Gazetteer) -> list[str]:
    lower = word.lower()
    flags = []
    if word in g.countries:
        flags.append("country")
    if word in g.demonyms:
        flags.append("demonym")
    if word in g.places:
        flags.append("place")
    if word in g.given_names:
        flags.append("given")
    if lower in g.role_heads:
        flags.append("rolehead")
    if lower in g.role_modifiers:
        flags.append("rolemod")
    if lower in g.honorifics:
        flags.append("honorific")
    if word in g.organisation_words:
        flags.append("orgword")
    if word in g.place_words:
        flags.append("placeword")
    if lower in g.not_names:
        flags.append("notname")
    if word in g.acronyms:
        flags.append("acronym")
    if word in g.things:
        flags.append("thing")
    if word in g.groups:
        flags.append("group")
    if word.isupper() and len(word) > 1:
        title = word.title()  # "LONDON" in an all-caps headline is "London"
        if title in g.countries or title in g.places:
            flags.append("capsplace")
        if title in g.given_names:
            flags.append("capsgiven")
    return flags


@lru_cache(maxsize=_WORD_CACHE)
def word_features(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What a word says about itself: (its own features, the short form its neighbours see)."""
    g = gazetteer()
    lower = word.lower()
    form = shape(word)
    flags = _gazetteer_flags(word, g)
    own = [
        "w=" + lower,
        "s=" + form,
        "p2=" + lower[:2],
        "p3=" + lower[:3],
        "x2=" + lower[-2:],
        "x3=" + lower[-3:],
        "x4=" + lower[-4:],
        "len=" + str(min(len(word), 8)),
    ]
    seen = ["w=" + lower, "s=" + form, *("g=" + flag for flag in flags)]
    own.extend("g=" + flag for flag in flags)
    own.extend("c=" + i for i in clusters(lower))  # the word's clusters learned from unlabelled news
    return tuple(own), tuple(seen)


@lru_cache(maxsize=_WORD_CACHE)
def _neighbour(word: str, offset: str) -> tuple[str, ...]:
    return tuple(offset + feature for feature in word_features(word)[1])


_EDGE = {offset: (offset + "edge",) for offset in ("-2:", "-1:", "+1:", "+2:")}


def sentence_features(
    tokens: Sequence[Token],
    words: Vocabulary,
    headline: bool,
    upper_sentence: bool,
    rules: Sequence[str],
    known: dict[str, tuple[str, ...]],
    window: range | None = None,
) -> list[list[str]]:
    """The features of the tokens of one sentence (of ``window`` only, if given); ``headline`` and
    ``upper_sentence`` say whether it is Title Case or all capitals, ``rules`` is the rules' BIO tag per token, ``known`` what the article says about a word
    (:func:`briefing.nlp.actors.tagger.article_kinds`)."""
    n = len(tokens)
    texts = [t.text for t in tokens]
    found: list[list[str]] = []
    for i in window if window is not None else range(n):
        token = tokens[i]
        own = word_features(token.text)[0]
        features = ["bias", *own, "r=" + rules[i]]
        features += _neighbour(texts[i - 1], "-1:") if i > 0 else _EDGE["-1:"]
        features += _neighbour(texts[i - 2], "-2:") if i > 1 else _EDGE["-2:"]
        features += _neighbour(texts[i + 1], "+1:") if i + 1 < n else _EDGE["+1:"]
        features += _neighbour(texts[i + 2], "+2:") if i + 2 < n else _EDGE["+2:"]
        features.append("-1:r=" + (rules[i - 1] if i > 0 else "edge"))
        features.append("+1:r=" + (rules[i + 1] if i + 1 < n else "edge"))
        if token.word and token.cap:
            features.extend(known.get(token.text, ()))
            if i > 0 and "alone" in known.get(texts[i - 1], ()):
                features.append("-1:alone")
            if i + 1 < n and "alone" in known.get(texts[i + 1], ()):
                features.append("+1:alone")
            if is_initial(tokens, i):
                features.append("initial")
            if headline:
                features.append("headline")
            if upper_sentence:
                features.append("caps")
            if token.text in words.capitalised:
                features.append("cap-elsewhere")
            if token.lower in words.lower:
                features.append("lower-elsewhere")
            elif token.text.isupper() and token.text.capitalize() in words.capitalised:
                features.append("title-elsewhere")  # "REUTERS" in a headline, "Reuters" in the text
        found.append(features)
    return found
