"""What follows an event word in its title: its object, its place, up to where its phrase ends.

"Globex will sell the unit to Acme" -> "the unit to Acme"; "the summit takes
place in Brussels" -> "in Brussels"; "a Birmingham, Ala., abortion clinic"
stays whole; a verb, a clause word or a purpose clause ("to mend ties") ends it.
"""

from __future__ import annotations

import itertools

from briefing.nlp.eventtokens import Token
from briefing.nlp.eventwords import DETERMINERS, WHEN_ADVERBS, words
from briefing.nlp.postags import common_class, lexicon

# Words that end the part of a sentence a title is made from.
_STOP_WORDS = words(
    """that which who whom whose where when while during after before because as since until according amid despite
    but although though if unless whether said says say told is are was were will would has have had be been being
    could should may might can set scheduled due expected planned aimed aiming seeking hoping so and or says told
    tells insisted added claims claimed sees saw heard hears believes thinks he she they it we i you"""
)
_EDGES = words("end start beginning close middle")
"""The parts of a period that "by the end of" names: a deadline, never an agent ("visited by the end of May")."""
_UNDER_WAY = words("starts begins opens runs continues resumes kicks off gets takes taking place happening occurring")
"""Verbs of an event getting going, skipped so that where it happens stays in the title."""
_SKIPPED_ADVERBS = words(
    "also again separately briefly jointly reportedly formally officially then alone together personally up twice once"
)
_TITLES_ABBREVIATED = words("Dr Mr Mrs Ms St Sen Rep Gov Gen Col Lt Sgt Prof Jr Sr")
"""Abbreviations written with a full stop inside a name: "Dr. Jane Doe"."""


def complement(tokens: list[Token], start: int, in_time: list[bool], as_role: bool = False) -> list[str]:
    """What follows the event word, up to the end of its phrase; ``as_role`` keeps "as Globex chief"."""
    out: list[str] = []
    skip_to = 0
    for i in range(start, len(tokens)):
        if i < skip_to:
            continue
        token = tokens[i]
        word = token.lower
        if in_time[i]:
            continue
        if as_role and not out and word == "as":
            out.append(token.text)
            continue
        if not out and word in _SKIPPED_ADVERBS:
            continue
        if (word in _UNDER_WAY and word != "place") or (
            word in ("place", "effect") and tokens[i - 1].lower in _UNDER_WAY
        ):
            continue  # "the summit takes place in Brussels" -> "Summit in Brussels"; "takes effect" likewise
        if word == "." and out and (("." in out[-1] and out[-1][-1:].isupper()) or out[-1] in _TITLES_ABBREVIATED):
            out[-1] += "."  # an abbreviation keeps its last full stop: "the U.S.", "Dr. Jane Doe"
            continue
        if word == "and" and "between" in out and "and" not in out:
            out.append(token.text)  # "between the union and the owners"
            continue
        if word == "and" and out and i + 1 < len(tokens) and _coordinated(out[-1], tokens[i + 1]):
            out.append(token.text)  # "the Immigration and Naturalization Service", "computer and electronics maker"
            continue
        if word == "," and out and out[-1][:1].isupper() and _place_then_comma(tokens, i + 1):
            place = list(itertools.takewhile(lambda t: t.text != ",", tokens[i + 1 : i + 4]))
            out[-1] += ","  # "a Birmingham, Ala., abortion clinic": a city and its state inside the phrase
            out.append("".join(t.text for t in place) + ",")
            skip_to = i + 2 + len(place)  # past the place and its closing comma
            continue
        if word == "%" and out and out[-1][-1:].isdigit():
            out[-1] += "%"  # "owns 72% of Acme", not "owns 72"
            continue
        initial = word == "." and bool(out) and len(out[-1]) == 1 and out[-1].isupper()
        if initial and i + 1 < len(tokens) and tokens[i + 1].text[:1].isupper():
            out[-1] += "."  # an initial inside a name: "John F. Kennedy airport"
            continue
        if not (token.text[0].isalnum() or word[:2] == "'s") or word in _STOP_WORDS or len(out) >= 9:
            break
        if word in WHEN_ADVERBS or (word == "by" and _period_edge(tokens, i + 1)):
            break  # "a meeting later on Tuesday", "visited by the end of Saturday": when, not what
        verb = (word.endswith("ed") and len(word) > 4) or (bool(out) and lexicon().get(word) == "V")
        past = verb and token.text.islower()  # a capitalised word is a name's: "Manchester United", "Stoke City"
        if past and (not out or out[-1].lower() not in DETERMINERS):
            break  # a verb: the event's phrase is over ("the hearing heard that ...", "the ruling showed that ...")
        if word == "to" and i + 1 < len(tokens) and _infinitive(tokens[i + 1]):
            break
        out.append(token.text)
    if len(out) > 1 and out[-1].endswith("ing") and out[-1].islower() and "V" in lexicon().get(out[-1], "V"):
        out.pop()  # "a form agreeing [to move]": a participle cut from what it governs says nothing
    return out


def _period_edge(tokens: list[Token], at: int) -> bool:
    """ "the end of", "the close of": the words from ``at`` name a part of a period."""
    following = [t.lower for t in tokens[at : at + 3]]
    return len(following) == 3 and following[0] in DETERMINERS and following[1] in _EDGES and following[2] == "of"


def _coordinated(before: str, after: Token) -> bool:
    """Two words "and" joins inside one phrase: both capitalised, a name going on ("Immigration and
    Naturalization"), or both common nouns ("computer and electronics maker")."""
    if before[:1].isupper() and after.text[:1].isupper():
        return before.isalpha() and after.text.isalpha()
    nouns = common_class(before.lower()) == "N" and common_class(after.lower) == "N"
    return nouns and before.islower() and after.text.islower()


def _place_then_comma(tokens: list[Token], at: int) -> bool:
    """ "Ala., abortion clinic": a capitalised place (an abbreviation keeps its full stop), a comma, then a
    lower-case noun or adjective of the phrase the place stands in."""
    if at >= len(tokens) or not (tokens[at].text.isalpha() and tokens[at].text[:1].isupper()):
        return False
    after = at + 2 if at + 1 < len(tokens) and tokens[at + 1].text == "." else at + 1
    if after + 1 >= len(tokens) or tokens[after].text != ",":
        return False
    following = tokens[after + 1]
    return (
        following.text.isalpha() and following.text.islower() and lexicon().get(following.lower, "")[:1] in ("N", "J")
    )


def _infinitive(token: Token) -> bool:
    """ "to mend ties" (a purpose clause ends the title), not "to Turkey" or "to the talks"."""
    word = token.lower
    return token.text[0].islower() and word not in DETERMINERS and not word[0].isdigit()
