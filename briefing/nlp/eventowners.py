"""Whose event an event noun names: a possessive before it, or the subject a fronted phrase leads to.

"Ushpiz's visit" is Ushpiz's; "the Fed's next policy meeting" the Fed's; in
"In his keynote address on Friday, Jane Doe said ..." and "At a press conference
on Friday, the ministers agreed ..." the phrase that opens the sentence belongs
to the subject after its comma.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefing.nlp.eventwords import DETERMINERS, PREPOSITIONS, ROLE_WORDS, words
from briefing.nlp.postags import common_class, lexicon, tag

if TYPE_CHECKING:  # eventtitles defines the token and uses this module
    from briefing.nlp.eventtokens import Token

AUXILIARIES = words("is are was were has have had will would could can may might must should did does do be been")
_OPENING_PREPOSITIONS = words("in at during after before following on")
"""Prepositions a sentence opens with to set the scene of its subject's act: "In his speech, ..."."""
_SUBJECT_WORDS = 6
"""Words after the comma a subject's name may take ("the European Central Bank's president")."""
_COMPOUND_WORDS = 2
"""Nouns before an event noun that may name its kind ("car bomb attack")."""
_COUNTS = words("one two three four five six seven eight nine ten twelve half")
_UNITS = words("minute hour day week month year mile kilometre kilometer")
"""Units a count before an event noun measures it in ("a three day work stoppage"): no kind of event."""


def possessor(tokens: list[Token], index: int, in_time: list[bool]) -> str | None:
    """ "Ushpiz's visit", "the Fed's next policy meeting" -> the owner (but "Thursday's hearing" has none)."""
    at = before_modifiers(tokens, index)
    if at < 0 or in_time[at]:
        return None
    cut = 2  # "Globex's", "Globex’s"
    if _bare_apostrophe(tokens, at):  # "Nordvals' birthday": the apostrophe is a word of its own
        at, cut = at - 1, 0
    owner = tokens[at]
    if not (cut == 0 or owner.lower.endswith(_POSSESSIVE_ENDS)):
        return None
    if not owner.text[0].isupper():  # "the judge's ruling" -> "the judge": a role owns its act too
        role = owner.lower[: len(owner.lower) - cut]
        return f"the {role}" if role in ROLE_WORDS and at and tokens[at - 1].lower == "the" else None
    run = [owner]
    for token in reversed(tokens[:at]):
        if not token.text[0].isupper() or not token.text[0].isalpha():
            break
        run.insert(0, token)
    words = [t.text for t in run]
    words[-1] = words[-1][: len(words[-1]) - cut]
    while len(words) > 1 and words[0].lower() in DETERMINERS:
        words.pop(0)  # "The Fed's next meeting" opening a sentence
    return " ".join(words)


_POSSESSIVE_ENDS = ("'s", "’s")
_APOSTROPHES = ("'", "’")


def _bare_apostrophe(tokens: list[Token], at: int) -> bool:
    """ "Nordvals' birthday": an apostrophe after a name ending in s, not the close of a quote ("the 'Atlas'")."""
    if tokens[at].text not in _APOSTROPHES or at == 0 or not tokens[at - 1].text.endswith("s"):
        return False
    return not any(t.text in _APOSTROPHES for t in tokens[max(0, at - 5) : at - 1])


_DESCRIBING_WORDS = 3
"""Adjectives and nouns before an event noun a bare title takes: "the annual general meeting"."""
_OPENERS = DETERMINERS | PREPOSITIONS | words("into onto with without amid among against about")
"""Words a noun phrase follows: where the words describing an event noun begin."""
_VAGUE = words(
    "such other same own only many several few more most much all both each every any some next previous latest coming"
)
"""Words that say which or how many, not what kind: no title keeps them ("the next decision")."""
_MAX_BETWEEN_OWNER = 3
POSSESSIVE_PRONOUNS = words("its their his her")
PUBLISHING = words("report reports publish publishes post posts present presents unveil unveils deliver delivers")
"""Verbs whose object is the subject's own: "Nvidia will report quarterly earnings" -> Nvidia's."""
_NOT_MODIFIERS = DETERMINERS | PREPOSITIONS | AUXILIARIES | PUBLISHING | words("and or but not to")
_NOT_DESCRIBING = _NOT_MODIFIERS | _VAGUE


def before_modifiers(tokens: list[Token], index: int) -> int:
    """The index of the word before the event word at ``index`` and the few words that describe it
    ("next", "policy", "two-day"): where its owner would stand."""
    at = index - 1
    while at >= 0 and index - at <= _MAX_BETWEEN_OWNER and _plain_modifier(tokens[at]):
        at -= 1
    return at


def _plain_modifier(token: Token) -> bool:
    """A lower-case word or a number that can stand between a possessive and its noun: "next", "annual",
    "policy", "his 2 hour speech"."""
    word = token.lower
    first = token.text[:1]
    return (first.islower() or first.isdigit()) and token.text.replace("-", "").isalnum() and word not in _NOT_MODIFIERS


def compound_modifiers(tokens: list[Token], index: int, in_time: list[bool]) -> list[str]:
    """The common nouns written right before an event noun that say what kind of event it is: "a press
    conference", "the car bomb attack" -> ["press"], ["car", "bomb"]; not a measure ("his 2 hour speech": [])."""
    start = index
    while start > 0 and index - start < _COMPOUND_WORDS:
        word = tokens[start - 1]
        if in_time[start - 1] or not (word.text.isalpha() and word.text.islower()) or word.lower in _NOT_MODIFIERS:
            break
        if (common_class(word.lower) or "N") != "N":
            break  # a word the lexicon does not know is read as a noun ("a campaign poster launch")
        start -= 1
    if start < index and tokens[start].lower in _UNITS and start > 0 and _counted(tokens[start - 1]):
        start += 1  # "a three day work stoppage": "day" measures it; "work" says what kind
    return [t.text for t in tokens[start:index]]


def describing_modifiers(tokens: list[Token], index: int, in_time: list[bool]) -> list[str]:
    """The adjectives and nouns between a determiner, a possessive, a preposition or a date and an event noun,
    for a title that would otherwise be its kind alone: "the annual general meeting", "Monday's deciding vote",
    "into mass protests", "the February 1974 general election" -> ["annual", "general"], ["deciding"],
    ["mass"], ["general"]; not vague words ("other", "such") nor counts."""
    start = index
    while start > 0 and index - start < _DESCRIBING_WORDS:
        word = tokens[start - 1]
        lower_word = word.text.islower() and word.text.replace("-", "").isalpha()
        if in_time[start - 1] or not lower_word or word.lower in _NOT_DESCRIBING:
            break
        if not {"J", "N"} & set(lexicon().get(word.lower, "N")) and not word.lower.endswith("ing"):
            break  # a word with no reading as an adjective or a noun ("snap" has one)
        start -= 1
    if start == 0 or start == index:
        return []
    opener = tokens[start - 1].lower
    opened = opener in _OPENERS or opener.endswith(("'s", "s'")) or in_time[start - 1]
    return [t.text for t in tokens[start:index]] if opened else []


def _counted(token: Token) -> bool:
    return token.text[:1].isdigit() or token.lower in _COUNTS


def fronted_owner(tokens: list[Token], index: int, in_time: list[bool]) -> str | None:
    """The subject after the comma that closes a phrase opening the sentence, when the event noun at
    ``index`` stands in that phrase: "In a press conference on Friday, Jane Doe said" -> "Jane Doe";
    "Five years after its launch, the service passed" -> "the service"."""
    comma = next((i for i in range(index + 1, len(tokens)) if tokens[i].text == ","), None)
    if comma is None or any(t.text in ",;:" or t.lower in AUXILIARIES for t in tokens[:index]):
        return None
    at = before_modifiers(tokens, index)
    if at >= 0 and in_time[at] and tokens[at].lower.endswith(("'s", "'")):
        return None  # "The day before last Tuesday's court hearing, Manuel went": a date owns the noun
    opening = [t.lower for t in tokens[: max(1, index)]]
    if not (opening[0] in _OPENING_PREPOSITIONS or any(w in _OPENING_PREPOSITIONS for w in opening[:4])):
        return None
    classes = tag([t.text for t in tokens[: comma + 1]])
    if any(classes[i] == "V" and not in_time[i] for i in range(index + 1, comma)):
        return None  # a clause, not a phrase: "After the meeting on Friday ended, ..."
    run: list[str] = []
    for k, token in enumerate(tokens[comma + 1 : comma + 1 + _SUBJECT_WORDS], start=comma + 1):
        if token.text == "." and run and tokens[k - 1].end == token.start:
            run[-1] += "."  # an abbreviation's full stop: "Mr. Novak"
            continue
        capital = token.text[:1].isupper() and token.text[0].isalpha()
        if capital and token.lower.endswith("'s"):
            return None  # "Apple Computer's music service": the subject is what the name owns
        if capital:
            run.append(token.text)
        elif run and token.lower in ROLE_WORDS and k + 1 < len(tokens) and tokens[k + 1].text[:1].isupper():
            run = []  # "Federal Reserve chairman Alan Greenspan": the person after the role, not the body before
        elif run or token.lower not in DETERMINERS:
            break
    if run:
        return " ".join(run)
    after = tokens[comma + 1 : comma + 3]
    if len(after) == 2 and after[0].lower in DETERMINERS and after[1].text.isalpha() and after[1].text.islower():
        return f"the {after[1].text}"  # "the service"
    return None
