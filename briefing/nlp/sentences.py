"""Sentence splitting for news, offline, with offsets into the article text.

syntok segments by rules (abbreviations such as "Mr.", "U.S.", "Dec. 12", "No. 10",
quotes, ellipses), needs no model data, and runs in linear time on hostile input
(unclosed HTML, long unpunctuated runs, thousands of quote marks: each well under a
second for 100,000 characters); pysbd was measured 7x slower and is known to
backtrack on such input.

Two guards around it, both keeping every sentence a verbatim slice of the text:
- In text that is not hard-wrapped, a line break ends a sentence even without a full
  stop: headlines, datelines, captions and list items are lines of their own, and must
  not be glued to the sentence that follows.
- A break syntok makes right after a month or a title abbreviation is undone when what
  follows cannot start a sentence there: "Jan. | 28-29" (syntok keeps "Jan. 28" but
  not a day range) and "Gov. | Kathy Hochul" at the start of a sentence.
- A dateline opening a line ("LONDON (Reuters) -", "WASHINGTON —", "(CNN) --") is left
  out of the sentence it heads: it says where the story was filed, and must not open a
  key point (syntok sometimes makes it a "sentence" of its own and the dash the start
  of the next).
- A "sentence" longer than :data:`MAX_SENTENCE` characters (an unpunctuated dump, a
  table flattened to text) is cut at word boundaries, so that no key point is a wall
  of text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import syntok.segmenter as segmenter

from briefing.model import Sentence

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_LINE_BREAK = re.compile(r"\n\s*")
_SPACE = re.compile(r"\s+")

MAX_SENTENCE = 1000
"""Longest sentence kept whole, in characters; longer runs are cut at a space."""

WRAP_WIDTH = 100
"""Text whose lines are all shorter than this, most of them ending mid-sentence, is taken
as hard-wrapped: a single line break inside it is not a sentence boundary."""

_LINE_END = re.compile(r"""[.!?:;'"’”)\]]\s*$""")

_MONTH_ABBREVIATION = re.compile(r"(?<![\w.])(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.$")
"""A month abbreviation ending a piece: no sentence starts with the day number that follows it."""
_TITLE_ABBREVIATION = re.compile(
    r"(?<![\w.])(?:Gov|Sen|Rep|Gen|Lt|Col|Capt|Sgt|Cpl|Adm|Cmdr|Maj|Brig|Dr|Mr|Mrs|Ms|Prof|Rev|Fr|Supt|Insp|Atty|Pres)\.$"
)
"""A title abbreviation ending a piece: it belongs to the name that follows, never ends a sentence."""
_DATELINE = re.compile(
    r"""(?:
        (?P<place>[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3})   # LONDON, NEW YORK, ST. LOUIS
        (?:,\s*[A-Z][\w.]*(?:\s+[\w.]+){0,2}?)?                # , Dec 3 / , Ukraine
        \s*(?:\(\s*[A-Z][\w.&'’ ]{0,30}\))?                     # (Reuters)
        \s*(?:--?|—|–)
      | \(\s*[A-Z][\w.&'’ ]{0,30}\)\s*(?:--?|—|–)?              # (CNN) --
    )\s*(?=[A-Z"“‘']|$)""",
    re.VERBOSE,
)
"""Where a story was filed, before its first words: not part of its first sentence."""
_DAY_START = re.compile(r"\d{1,2}(?:st|nd|rd|th)?(?:\s*[-–—]\s*\d{1,2})?\b")
_NAME_START = re.compile(r"[A-Z]")


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` in order, each a verbatim slice ``text[start:end]``.

    A sentence runs from its first token to the start of the next sentence, less
    trailing whitespace, so offsets stay exact even where syntok normalises a
    token's value (a hyphenated line break, "n't").
    """
    sentences: list[Sentence] = []
    for block_start, block_end in _blocks(text):
        block = text[block_start:block_end]
        starts = [tokens[0].offset for paragraph in segmenter.analyze(block) for tokens in paragraph if tokens]
        starts = _undo_abbreviation_breaks(block, starts)
        starts = _after_dateline(block, starts)
        for index, start in enumerate(starts):
            stop = starts[index + 1] if index + 1 < len(starts) else len(block)
            chunk = block[start:stop].rstrip()
            if chunk:
                sentences.extend(_capped(chunk, block_start + start))
    return sentences


def _undo_abbreviation_breaks(block: str, starts: list[int]) -> list[int]:
    """``starts`` less those right after a month abbreviation before a day, or a title before a name."""
    kept: list[int] = []
    for start in starts:
        if kept:
            before = block[kept[-1] : start].rstrip()
            after = block[start : start + 12]
            if (_MONTH_ABBREVIATION.search(before) and _DAY_START.match(after)) or (
                _TITLE_ABBREVIATION.search(before) and _NAME_START.match(after)
            ):
                continue
        kept.append(start)
    return kept


def _after_dateline(block: str, starts: list[int]) -> list[int]:
    """``starts`` with the first sentence beginning after a dateline that opens the block, if any."""
    if not starts:
        return starts
    match = _DATELINE.match(block, starts[0])
    if match is None:
        return starts
    if match["place"] and len(match["place"]) < 4 and "(" not in match.group():
        return starts  # "EU - China summit", "I — for one": too short for a place with no agency
    if match.end() >= len(block):
        return []  # a line that is only a dateline ("LONDON (Reuters) -" above the story)
    return [match.end(), *(start for start in starts[1:] if start > match.end())]


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """Spans of ``text`` that syntok segments on its own: lines, unless the text is hard-wrapped."""
    if _hard_wrapped(text):
        yield 0, len(text)
        return
    begin = 0
    for match in _LINE_BREAK.finditer(text):
        if match.start() > begin:
            yield begin, match.start()
        begin = match.end()
    if begin < len(text):
        yield begin, len(text)


def _hard_wrapped(text: str) -> bool:
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 2:
        return True
    if any(len(line) >= WRAP_WIDTH for line in lines):
        return False
    open_ends = sum(not _LINE_END.search(line) for line in lines[:-1])
    return open_ends > (len(lines) - 1) / 2


def _capped(chunk: str, offset: int) -> Iterator[Sentence]:
    """``chunk`` as one sentence, or cut into pieces of at most MAX_SENTENCE characters.

    Each cut is at the last space (any whitespace: a tab, a thin or ideographic space)
    in the second half of the window, else after the last punctuation there, and
    inside a word only when one "word" fills the whole half.
    """
    while len(chunk) > MAX_SENTENCE:
        cut = _cut_point(chunk)
        head = chunk[:cut].rstrip()
        yield Sentence(head, offset, offset + len(head))
        rest = chunk[cut:]
        skipped = len(rest) - len(rest.lstrip())
        chunk, offset = rest.lstrip(), offset + cut + skipped
    if chunk:
        yield Sentence(chunk, offset, offset + len(chunk))


def _cut_point(chunk: str) -> int:
    """Where to cut ``chunk`` (longer than MAX_SENTENCE): a word boundary in its second half if there is one."""
    window = chunk[MAX_SENTENCE // 2 : MAX_SENTENCE + 1]
    for pattern in (_ANY_SPACE, _AFTER_PUNCTUATION):
        found = [m.end() for m in pattern.finditer(window) if m.end() <= MAX_SENTENCE - MAX_SENTENCE // 2]
        if found:
            return MAX_SENTENCE // 2 + found[-1]
    return MAX_SENTENCE


_ANY_SPACE = re.compile(r"(?<=\S)(?=\s)")
_AFTER_PUNCTUATION = re.compile(r"(?<=[^\w\s])(?=\w)")
_SENTENCE_END = re.compile(r"""[.!?…:;'"’”)\]\-–—]$""")


def fragment_sides(text: str, start: int, end: int) -> tuple[bool, bool]:
    """Whether ``text[start:end]`` (a sentence from :func:`split_sentences`) is a piece of a longer one.

    (before, after): the sentence it belongs to goes on before ``start`` or after
    ``end``, on the same line, with no sentence end between. Only the MAX_SENTENCE
    guard makes such pieces; a briefing shows them with an ellipsis on the cut side
    so that a reader knows the quote is not the whole sentence.
    """
    piece = text[start:end]
    if not piece:
        return False, False
    follows = text[end : end + 40]
    after = bool(follows.strip()) and "\n" not in follows[: len(follows) - len(follows.lstrip())]
    after = after and not _SENTENCE_END.search(piece)
    leads = text[max(0, start - 40) : start]
    before = bool(leads.strip()) and "\n" not in leads[len(leads.rstrip()) :]
    before = before and not _SENTENCE_END.search(leads.rstrip())
    return before, after


def words(text: str) -> list[str]:
    """The words of a sentence (letters and digits, inner apostrophes kept)."""
    return _WORD.findall(text)
