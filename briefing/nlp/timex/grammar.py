"""Regex building blocks for the rules, made from the lexicon, and the word-to-number helpers.

Month and weekday names are matched case-sensitively (capitalised or upper
case): news capitalises them, and that keeps "may", "march" and "sun" the verb
or noun. Everything else is matched without regard to case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from briefing.nlp.timex import lexicon

_Trie = dict[str, "_Trie"]
"""A trie of words: each character leads to the rest; ``""`` marks a word's end."""


def alternation(words: Iterable[str], case_sensitive: bool = False) -> str:
    """A regex matching any of ``words`` (longest first), spaces matching any whitespace.

    Built as a character trie ("day|days|decade" -> "d(?:ays?|ecade)"), so that a
    failed match costs one test per character instead of one per word: the
    rules' word lists are long, and this is where the tagger spends its time.
    """
    trie: _Trie = {}
    for word in set(words):
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    body = _trie_regex(trie)
    return f"(?-i:{body})" if case_sensitive else f"(?:{body})"


def _trie_regex(node: _Trie) -> str:
    terminal = "" in node
    branches = [_char(char) + _trie_regex(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if not terminal:
        return body
    single = len(body) == 1 or (len(body) == 2 and body[0] == "\\")
    return body + "?" if single else f"(?:{body})?"


def _char(char: str) -> str:
    if char == " ":
        return r"\s+"
    if char in "'’":
        return "['’]"
    return re.escape(char)


def _cased(words: Iterable[str]) -> list[str]:
    return [f for w in words for f in (w.title(), w.upper())]


_FULL_MONTHS = [w for w, n in lexicon.MONTHS.items() if len(w) > 4 or w in ("june", "july", "may")]
_ABBR_MONTHS = [w for w in lexicon.MONTHS if w not in _FULL_MONTHS]
MONTH_FULL = alternation(_cased(_FULL_MONTHS), case_sensitive=True)
MONTH = rf"(?:{MONTH_FULL}|{alternation(_cased(_ABBR_MONTHS), case_sensitive=True)}\.?)(?![\w-])"
"""A month name; abbreviations ("Sept.", "Dec") only where a day or year follows (rules ensure it)."""

_FULL_WEEKDAYS = [w for w in lexicon.WEEKDAYS if len(w) > 5]
_ABBR_WEEKDAYS = [w for w in lexicon.WEEKDAYS if len(w) <= 5 and w != "sun"]
WEEKDAY = (
    rf"(?:{alternation(_cased(_FULL_WEEKDAYS), case_sensitive=True)}(?:['’]s)?"
    rf"|{alternation(_cased(_ABBR_WEEKDAYS), case_sensitive=True)}\.)(?!\w)"
)
WEEKDAYS_PLURAL = alternation([w.title() + "s" for w in _FULL_WEEKDAYS], case_sensitive=True) + r"(?!\w)"

DAY_NUMBER = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\w%]|[.,:/]\d|\s*(?:percent|per\s+cent|%))"
_DAY_ORDINAL_WORDS = [w for w, n in lexicon.ORDINALS.items() if n > 0 and not w[0].isdigit()]
_TENS_ORDINAL = r"(?:twenty|thirty)[\s-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
DAY_WORD = rf"(?:{_TENS_ORDINAL}|twentieth|thirtieth|{alternation(_DAY_ORDINAL_WORDS)})(?!\w)"
DAY = rf"(?:{DAY_NUMBER}|{DAY_WORD})"

YEAR = r"(?<![\d$€£¥.,])(?:1[6-9]\d\d|20\d\d)(?!\d|,\d|\.\d|%|\s*(?:percent|per\s+cent))"
YEAR_SHORT = r"['’]\d\d(?!\w)"
SPOKEN_YEAR = r"nineteen[\s-](?:hundred|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?)|two\s+thousand(?:\s+and)?(?:\s+(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?))?"

_UNIT_WORDS = list(lexicon.UNITS) + list(lexicon.UNIT_PLURALS)
UNIT = alternation(_UNIT_WORDS) + r"(?!\w)"
UNIT_SINGULAR = alternation(lexicon.UNITS) + r"(?!\w)"

_SMALL = [w for w, n in lexicon.NUMBERS.items() if 0 < n < 20 and " " not in w and w not in ("a", "an")]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_DIGITS = r"\d{1,3}(?:,\d{3})*(?:\.\d+)?(?![\d,.]\d)"
NUMBER_WORD = rf"(?:{alternation(_TENS)}(?:[\s-]{alternation(_SMALL)})?|{alternation(_SMALL)}|a\s+dozen|dozen|a\s+couple(?:\s+of)?|couple\s+of|a\s+hundred|hundred)(?!\w)"
NUMBER = rf"(?:{_DIGITS}|{NUMBER_WORD}|an?(?!\w))"
VAGUE = r"(?:a\s+few|few|several|some|many|a\s+number\s+of|numerous|recent|a\s+couple)(?!\w)"
COUNT = rf"(?:{NUMBER}(?:\s+(?:to|or|-|–)\s+{NUMBER})?|{VAGUE})"

PART_OF_DAY = r"(?:morning|afternoon|evening|night)(?!\w)"
TIMEZONE = r"(?-i:EST|EDT|CST|CDT|MST|MDT|PST|PDT|GMT|UTC|BST|CET|CEST|EET|IST|JST|ET|PT|CT)(?!\w)|local\s+time"
ZONES = {
    "UTC": "UTC", "GMT": "UTC", "BST": "+01:00", "CET": "+01:00", "CEST": "+02:00", "EET": "+02:00",
    "JST": "+09:00", "EST": "-05:00", "EDT": "-04:00", "CST": "-06:00", "CDT": "-05:00", "MST": "-07:00",
    "MDT": "-06:00", "PST": "-08:00", "PDT": "-07:00",
    "ET": "America/New_York", "CT": "America/Chicago", "PT": "America/Los_Angeles",
}  # fmt: skip
"""What a zone written after a clock means: a fixed offset, or a region whose offset depends on the date.
"IST" (India? Ireland? Israel?) and "local time" are left out: the clock stays without a zone."""
CLOCK = (
    r"(?:(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?\s*(?:a\.m\.?|p\.m\.?|am|pm)(?!\w)"
    r"|(?:[01]?\d|2[0-3]):[0-5]\d(?!\d|[:.,]\d|\s*(?:a\.m|p\.m|am\b|pm\b))"
    r"|noon|midnight|midday)"
)
APPROX = r"(?:about|around|approximately|roughly|some|nearly|almost|just\s+over|just\s+under|more\s+than|less\s+than|over|under|at\s+least|at\s+most|up\s+to|within|close\s+to)(?!\w)"
POINT = r"(?:early|late|mid|the\s+(?:beginning|start|end|middle|close|turn)\s+of|(?:the\s+)?end\s+of|the\s+(?:first|second|latter)\s+half\s+of|earlier|later)"
SEASON = alternation(lexicon.SEASONS) + r"(?!\w)"

APPROX_MODS: dict[str, str] = {
    "about": "APPROX", "around": "APPROX", "approximately": "APPROX", "roughly": "APPROX", "some": "APPROX",
    "nearly": "LESS_THAN", "almost": "LESS_THAN", "just under": "LESS_THAN", "less than": "LESS_THAN",
    "under": "LESS_THAN", "within": "EQUAL_OR_LESS", "up to": "EQUAL_OR_LESS", "at most": "EQUAL_OR_LESS",
    "more than": "MORE_THAN", "over": "MORE_THAN", "just over": "MORE_THAN", "at least": "EQUAL_OR_MORE",
    "close to": "APPROX",
}  # fmt: skip


def norm(text: str) -> str:
    """Lower case, one space between words, straight apostrophes."""
    return " ".join(text.lower().replace("’", "'").split())


def point_mod(text: str | None) -> str | None:
    """The TIMEX3 ``mod`` of a point modifier ("early" -> START, "the end of" -> END)."""
    if not text:
        return None
    word = norm(text).replace("-", "")
    if word in ("earlier", "the first half of"):
        return "START"
    if word in ("later", "the second half of", "the latter half of"):
        return "END"
    if word.startswith("mid") or "middle" in word:
        return "MID"
    if "turn" in word:
        return "END"
    return lexicon.POINT_MODIFIERS.get(word, "START" if word in ("early",) else "END")


def half_of(point: str | None) -> int | None:
    """1 for "the first half of", 2 for "the second/latter half of": a year's half is a period (H1), not a mod."""
    word = norm(point or "")
    if word.endswith("half of"):
        return 1 if "first" in word else 2
    return None


def number(text: str | None) -> int | float | None:
    """A count from digits or words: "24", "twenty-four", "a", "a couple of"; None for vague words."""
    if not text:
        return None
    word = norm(text).replace("-", " ").replace(",", "")
    if word.replace(".", "", 1).isdigit():
        return float(word) if "." in word else int(word)
    if word in lexicon.NUMBERS:
        return lexicon.NUMBERS[word]
    parts = word.split()
    if len(parts) == 2 and parts[0] in lexicon.NUMBERS and parts[1] in lexicon.NUMBERS:
        return lexicon.NUMBERS[parts[0]] + lexicon.NUMBERS[parts[1]]
    return None


def ordinal(text: str) -> int | None:
    """A day or rank from "9", "9th", "ninth", "twenty-first"."""
    word = norm(text).replace("-", " ")
    digits = re.match(r"\d+", word)
    if digits:
        return int(digits.group())
    if word in lexicon.ORDINALS:
        return lexicon.ORDINALS[word]
    parts = word.split()
    if len(parts) == 2 and parts[0] in lexicon.NUMBERS and parts[1] in lexicon.ORDINALS:
        return lexicon.NUMBERS[parts[0]] + lexicon.ORDINALS[parts[1]]
    return {"twentieth": 20, "thirtieth": 30}.get(word)


def month_number(text: str) -> int:
    return lexicon.MONTHS[norm(text).rstrip(".")]


def weekday_number(text: str) -> int:
    word = norm(text).rstrip(".")
    return lexicon.WEEKDAYS[word[:-2] if word.endswith("'s") else word]


def unit_name(text: str) -> str:
    """The singular unit of "years", "year", "Year"."""
    word = norm(text)
    return lexicon.UNIT_PLURALS.get(word, word)


def year_number(text: str, anchor_year: int) -> int:
    """A year from "2021", "'98" (nearest century), or "nineteen ninety-six"."""
    word = norm(text).replace("’", "'")
    if word.startswith("'"):
        short = int(word[1:])
        century = anchor_year // 100 * 100
        year = century + short
        return year - 100 if year > anchor_year + 20 else year
    if word.isdigit():
        return int(word)
    parts = word.replace("-", " ").split()
    if parts[0] == "nineteen":
        rest = number(" ".join(parts[1:])) if parts[1:] != ["hundred"] else 0
        return 1900 + int(rest or 0)
    tail = [p for p in parts[2:] if p != "and"]
    return 2000 + int(number(" ".join(tail)) or 0) if tail else 2000
