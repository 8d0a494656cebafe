"""Word classes for event finding: verb, common noun, proper noun, adjective, adverb, other.

A lexicon learned from news (``data/postags.json``, rebuilt by
``bench.train_postags`` from the CoNLL-2003 part-of-speech column) gives each
known word its classes, most frequent first; a few context rules pick between a
word's noun and verb readings ("the vote" / "will vote"); unknown words go by
their form. A dictionary look-up a word: fast enough to run on every dated
sentence, where a statistical tagger would cost more than the rest of the analysis.
Classes: ``V`` verb, ``N`` common noun, ``P`` proper noun, ``J`` adjective,
``R`` adverb, ``O`` anything else.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from importlib import resources

from briefing.nlp.eventwords import words

_NOUN_BEFORE = words("the a an this that these those his her its their our my your every each no some any another such")
"""After these a word reads as a noun: "the vote", "its merger"."""
_OBJECTS = words("him her them us me")
"""After a word that may be an adjective or a verb, these make it the verb: "subpoenaed him"."""
_VERB_BEFORE = words(
    """to will would can could may might must shall should not n't did does do 'll 'd he she they we i you who
    which that never also"""
)
"""After these a word reads as a verb: "will vote", "they vote", "to merge"."""


@functools.cache
def lexicon() -> dict[str, str]:
    """Lower-cased word -> its classes, most frequent first ("vote": "NV")."""
    path = resources.files(__package__).joinpath("data/postags.json")
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return data


def common_class(word: str) -> str:
    """The first class of a lower-case word's readings, its name reading left out ("court": "N"), or ""
    for a word the lexicon does not know: how :func:`tag` reads it without context."""
    return lexicon().get(word, "").replace("P", "")[:1]


def tag(words: Sequence[str], lowers: Sequence[str] | None = None) -> list[str]:
    """The class of each word of a sentence (tokens as written, punctuation included). ``lowers``, when
    given, are the words already lower-cased with a plain apostrophe (as :class:`~briefing.nlp.eventtokens.Token`
    keeps them), so that they are not lower-cased again."""
    known = lexicon()
    tags: list[str] = []
    if lowers is None:
        lowers = [word.lower().replace("’", "'") for word in words]
    for index, (word, lower) in enumerate(zip(words, lowers, strict=True)):
        classes = known.get(lower)
        capital = word[:1].isupper()
        if classes is None:
            tags.append(_by_form(word, lower, capital and index > 0))
            continue
        if not capital or index == 0:
            classes = classes.replace("P", "") or "N"  # "will" is not Will, "Apple" opening a sentence may be
        elif "P" in classes:
            tags.append("P")
            continue
        if classes[:1] == "J" and "V" in classes and index + 1 < len(lowers) and lowers[index + 1] in _OBJECTS:
            tags.append("V")  # "subpoenaed him": a participle with a pronoun object is a verb
            continue
        if len(classes) > 1 and "V" in classes and "N" in classes and index:
            before = lowers[index - 1]
            if before in _NOUN_BEFORE or before.endswith("'s") or (tags[-1] in "J" and before not in _VERB_BEFORE):
                tags.append("N")
                continue
            if before in _VERB_BEFORE:
                tags.append("V")
                continue
        tags.append(classes[0])
    return tags


def _by_form(word: str, lower: str, capital: bool) -> str:
    """A word the lexicon does not know: a capital mid-sentence is a name; else by its ending."""
    if capital and word.isalnum():
        return "P"  # "G7", "Globex"
    if not word[:1].isalpha() or any(c.isdigit() for c in word):
        return "O"
    if lower.endswith(("ed", "ing", "ise", "ize", "ised", "ized")):
        return "V"
    if lower.endswith("ly"):
        return "R"
    if lower.endswith(("ous", "ful", "ive", "able", "ible", "al", "ic")):
        return "J"
    return "N"
