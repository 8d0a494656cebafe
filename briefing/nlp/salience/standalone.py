"""Whether a sentence can stand alone as a key point, and which sentence states the headline.

A key point is read out of its article, next to points of other articles. Two kinds of
sentence mislead there:

- a quotation without its speaker ("And we will see it through."): the reader cannot
  tell who says it. It may be a point only with the speaker in it or attached
  ('..., Jane Doe said'; 'the minister told reporters'); a bare pronoun ("she said")
  names nobody and is not enough;
- a figure whose owner is only a pronoun ("It lost $400 million."): next to another
  company's point it reads as that company's figure. It may be a point only right
  after the sentence it leans on, which then must be a point too.

The headline's fact is what a reader expects first: :func:`title_statement` finds the
sentence that best states an article's title (its distinctive words, and every figure
it gives), which :func:`briefing.nlp.salience.rank` then makes the first point unless a
point already states it.

Everything works on lower-cased tokens, so it reads the lower-cased training articles
and cased news alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from briefing.nlp.salience.features import content_terms, tokens

_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|(?<!\w)'[^']*'(?!\w)")
_OPEN_QUOTE = re.compile(r"^\W{0,3}[\"“‘']")


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SPEECH = _word_set(
    "said says say told tells according added adding explained claimed insisted warned "
    "confirmed stated wrote admitted argued denied asked replied recalled noted declared "
    "announced continued urged"
)
_NOBODY = _word_set(
    "i me we us you he him she her they them it one who which that this the a an and but "
    "also then later again yesterday today tonight on in at to of earlier monday tuesday wednesday "
    "thursday friday saturday sunday week"
)
"""Words beside a verb of speech that do not name a speaker."""
_PRONOUN_OWNER = _word_set("it its they their this these that those")
_OWNER_NOUNS = _word_set("company firm group bank business carrier airline maker insurer lender retailer")
_SPOKEN_END = (".", ",", "!", "?", ";", ":", "…", "-", "—")
"""How quoted speech ends inside its marks ('"We will win," she said'); a quoted title does not."""
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


def _speaker_named(outside: str) -> bool:
    """A verb of speech with at least one word that could name who speaks."""
    words = tokens(outside)
    return any(w in _SPEECH for w in words) and any(w not in _SPEECH and w not in _NOBODY for w in words)


def _opens(text: str, at: int) -> bool:
    """Whether the quote mark at ``at`` opens a quotation (else it closes one)."""
    mark = text[at]
    if mark in "“‘":
        return True
    if mark in "”’":
        return False
    before = text[at - 1] if at else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    return (before.isspace() or before in ":(—–-") and not after.isspace()


def is_unattributed_quote(text: str) -> bool:
    """A quotation (or a piece of one) whose speaker is neither in it nor attached to it."""
    stripped = text.strip()
    marks = [i for i, c in enumerate(stripped) if c in '"“”']
    if len(marks) % 2:  # a quotation running on into the next sentence, or in from the last one
        last = marks[-1]
        outside = stripped[:last] if _opens(stripped, last) else stripped[last + 1 :]
        return not _speaker_named(_QUOTED.sub(" ", outside))
    if not _OPEN_QUOTE.match(stripped):
        return False  # not a quotation, or one quoted inside the writer's own sentence
    opening = _QUOTED.search(stripped)
    spoken = opening is None or opening.group()[:-1].rstrip().endswith(_SPOKEN_END)
    if not spoken and opening is not None and 2 * len(opening.group()) < len(stripped):
        return False  # a quoted name opening the writer's sentence ('"Furious 7" is about to make history')
    return not _speaker_named(_QUOTED.sub(" ", stripped))


def leans_on_previous(text: str) -> bool:
    """A figure whose owner is only "it", "they", "the company"...: it needs the sentence before it."""
    words = tokens(text)
    if not words or not any(w[0].isdigit() for w in words):
        return False
    if words[0] in _PRONOUN_OWNER:
        return True
    return words[0] == "the" and len(words) > 1 and words[1] in _OWNER_NOUNS


def figures(text: str) -> set[str]:
    """The numbers a text gives, written without thousands separators ("1,900" and "1900" agree)."""
    return {m.group().replace(",", "") for m in _FIGURE.finditer(text)}


def _coverage(wanted: set[str], text: str, rarity: Callable[[str], float]) -> float:
    """The share of the title's words (figures aside), weighted by rarity, that ``text`` uses."""
    total = sum(rarity(t) for t in wanted)
    return sum(rarity(t) for t in wanted & set(content_terms(tokens(text)))) / total if total else 0.0


def _title_words(title: str) -> set[str]:
    return {t for t in content_terms(tokens(title)) if not t[0].isdigit()}


def title_statement(
    title: str, texts: Sequence[str], allowed: Sequence[bool], rarity: Callable[[str], float]
) -> tuple[int, float] | None:
    """The sentence that best states the title, with the share of the title it covers.

    Covered share: the title's distinctive words (figures aside) found in the sentence,
    weighted by their rarity; only a sentence covering a quarter of them states the title.
    Among those, one that gives every figure of the title beats one that does not, then
    the larger share, then the earlier (the lead usually states the headline). None without
    a title, or when no sentence covers a quarter of it.
    """
    wanted = _title_words(title)
    if not wanted:
        return None
    numbers = figures(title)
    best: tuple[tuple[bool, float], int] | None = None
    for index, (text, ok) in enumerate(zip(texts, allowed, strict=True)):
        covered = round(_coverage(wanted, text, rarity), 2) if ok else 0.0
        if covered < 0.25:
            continue
        key = (numbers <= figures(text), covered)
        if best is None or key > best[0]:
            best = (key, index)
    return None if best is None else (best[1], best[0][1])


def states_title(title: str, text: str, rarity: Callable[[str], float], share: float) -> bool:
    """Whether ``text`` states the title as fully as the best sentence does (figures included)."""
    wanted = _title_words(title)
    if not wanted or not figures(title) <= figures(text):
        return False
    return _coverage(wanted, text, rarity) >= share - 0.01
