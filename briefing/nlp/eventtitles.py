"""Event titles made from the sentence: the event's noun, who takes part, what follows the event word.

"Ruritanian President Anna Berg will visit Ankara" -> "Visit of Anna Berg to
Ankara"; "the planned visit of Ruritanian President Anna Berg to Ankara, set
for May 4-5" -> "Visit of Ruritanian President Anna Berg to Ankara";
"Novak's visit to Oslo" -> "Visit of Novak to Oslo". Participants come
from the actors extractor when it found any, else from the capitalised names
of the event word's clause.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from briefing.model import Actor, Sentence
from briefing.nlp.eventagents import CLAUSE_BREAKS, occasion_owner, pronoun_owner, subject_agents
from briefing.nlp.eventcomplements import complement
from briefing.nlp.eventowners import before_modifiers, compound_modifiers, describing_modifiers, possessor
from briefing.nlp.eventpronouns import Before, antecedent, is_doer, is_person, leading_the, subject_pronoun
from briefing.nlp.eventsubjects import agreeing, light_verb_owner, subject_phrase
from briefing.nlp.eventtokens import Token, Trigger
from briefing.nlp.eventwords import DETERMINERS, PREPOSITIONS, THING_VERBS, TITLE_PATTERNS, words
from briefing.nlp.postags import common_class, lexicon, tag

_MAX_TITLE_WORDS = 14

_FUNCTION_TAIL = words(
    """of to in on at for with and or the a an by from as its his her their over about between early late into
    onto against through towards toward under after before than instead too"""
)
# A verb's object is the event's theme ("Signing of the treaty"), or its goal ("Visit to Turkey").
_THEME_PREP = {"Signing": "of", "Launch": "of", "Approval": "of", "Ratification": "of", "Release": "of",
               "Arrest": "of", "Election": "of", "Opening": "of", "Invasion": "of", "Attack": "on",
               "Withdrawal": "of", "Appointment": "of", "Summit": "of", "Inauguration": "of", "Killing": "of",
               "Debate": "on", "Strike": "on", "Protest": "against"}  # fmt: skip
_DONE_BY = frozenset(_THEME_PREP) - words("Opening Withdrawal Summit Inauguration Debate Election")
"""Kinds whose verb's subject, a person or a body, is the doer with no object said: "Signing by the minister"."""
_OWNER_FIRST = words("Results Earnings Budget")
"""Kinds titled as their owner's, as a headline says it: "Globex quarterly results", "Nvidia quarterly earnings"."""
_ACTIVE_PATTERNS = {"Completion": ("{who} to complete {rest}", "{who} completes {rest}")}
"""Titles for a passive pattern's verb that has an object, its subject the doer: "Acme completes the sale"."""
_PASSIVE_PATTERNS = words("Appointment Completion")
"""Kinds whose title pattern is itself passive ("John Smith appointed ...", "Takeover to be completed")."""
_AS_ROLE = words("Resignation Appointment")
"""Kinds whose title keeps the role that follows "as": "Jane Doe to step down as Globex chief"."""
_PREPOSITIONS_AFTER = PREPOSITIONS | words(
    "out into onto alongside across towards toward via near against under within along around through past outside between"
)
"""Words that already say how the event word's complement relates: no "to" or "of" goes before them."""
_NO_ARTICLE = words("thousands hundreds dozens millions tens scores both all many some several")
"""Subjects that take no "the" in a title: "by thousands of workers"."""
_OWNER_PREP = {"Speech": "by"}
"""Kinds whose owner performs them: "Speech by Jane Doe"."""
_GIVEN = words("Conference Hearing Session Launch")
"""Kinds a person gives rather than is the subject of: "Press conference by Jane Doe", "Conference of Nordvals",
"Poster launch by Jane Doe"."""
_OCCASIONS = words("Speech Visit Trip Conference")
"""Kinds whose noun, after "during a" or "on a", is the clause subject's: "praised the plan during a speech"."""
_GOAL_PREP = {"Visit": "to", "Trip": "to", "Meeting": "with", "Talks": "on", "Arrival": "in", "Departure": "from"}


def make_title(
    tokens: list[Token],
    trigger: Trigger,
    in_time: list[bool],
    actors: Sequence[Actor],
    sentence: Sentence,
    ahead: bool = False,
    before: Before | None = None,
) -> str:
    """A short title from the sentence: who did what ("Globex files for bankruptcy protection"), or the
    event's noun, its participants and what follows ("Visit of Anna Berg to Ankara").

    ``ahead`` says the event is still to come: "Jane Doe to step down as Globex chief". ``before`` is the
    sentence before and its actors, whom a pronoun may stand for ("During his speech" -> "Speech by Jane Doe").
    """
    title = _title(tokens, trigger, in_time, actors, sentence, ahead, before)
    first = trigger.verb and trigger.index and tokens[trigger.index - 1].lower == "first"
    if first and title.startswith(trigger.title):  # "The X100 first flew" -> "First flight of the X100"
        return f"First {title[0].lower()}{title[1:]}"
    return title


def _title(
    tokens: list[Token],
    trigger: Trigger,
    in_time: list[bool],
    actors: Sequence[Actor],
    sentence: Sentence,
    ahead: bool,
    before: Before | None,
) -> str:
    rest = complement(tokens, trigger.index + trigger.width, in_time, trigger.title in _AS_ROLE)
    parts = [trigger.title]
    done_to = _done_to(tokens, trigger, rest)
    if done_to:
        return done_to
    if trigger.verb:
        agents = subject_agents(tokens, trigger.index, in_time, actors, sentence)
        pronoun = None if agents else subject_pronoun(tokens, trigger.index)
        name = antecedent(tokens, pronoun, actors, before, sentence) if pronoun is not None else None
        agents = [name] if name else agents  # "She will visit Ankara" after a sentence naming Anna Berg
        if agents and trigger.title in THING_VERBS.values() and leading_the(tokens, trigger.index):
            agents = [f"the {agents[0]}"]  # "Flight of the X100"
        who = _who(agents, subject_phrase(tokens, trigger.index, in_time))
        pattern = TITLE_PATTERNS.get(trigger.title)
        if trigger.title in _ACTIVE_PATTERNS and not _passive(tokens, trigger.index) and rest:
            pattern = _ACTIVE_PATTERNS[trigger.title]  # "Jane Doe completes the course", not "completed"
        if pattern and who and _passive(tokens, trigger.index) and trigger.title not in _PASSIVE_PATTERNS:
            return _clean([who, tokens[trigger.index].text, *rest])  # "A similar suit was filed" -> "suit filed"
        if pattern and who:
            form = pattern[0] if ahead else agreeing(pattern[1], who, tokens)
            return _clean([form.format(who=who, rest=" ".join(rest))])
        if who and who != " and ".join(agents):  # a noun phrase says who: "Arrival of the 787 in Tokyo"
            lead = who.split()[0]  # "27-year-old Spaniard" takes an article, "150,000 shoppers" none
            bare = lead.lower() == lead and any(c.isalpha() for c in lead) and lead not in _NO_ARTICLE
            agents = [f"the {who}" if bare else who]
        if _passive(tokens, trigger.index):  # "Alshammari was arrested": who it happened to
            theme = _THEME_PREP.get(trigger.title, "of")
            return _clean([trigger.title, *([theme, " and ".join(agents)] if agents else []), *rest])
        if rest and rest[0].lower() not in _PREPOSITIONS_AFTER and rest[0].lower() != "with":
            after = _THEME_PREP.get(trigger.title)
            if after:
                parts += [after, *rest] + (["by", " and ".join(agents)] if agents else [])
                return _clean(parts)
            rest = [_GOAL_PREP.get(trigger.title, ""), *rest]
        if agents:
            done_by = trigger.title in _DONE_BY and all(is_doer(a, actors) for a in agents)
            parts += ["by" if done_by else "of", " and ".join(agents)]
    else:
        if rest and lexicon().get(rest[0].lower()) == "V" and not rest[0].endswith("ing"):
            rest = []  # "Wednesday's ruling showed that ...": the noun is the subject of what follows
        light = light_verb_owner(tokens, trigger.index)
        if light and not possessor(tokens, trigger.index, in_time):  # "the G7 will hold an emergency meeting"
            return _clean([light[0], *light[1], tokens[trigger.index].text.lower(), *rest])
        modifiers = _proper_modifiers(tokens, trigger.index)
        kind = compound_modifiers(tokens, trigger.index, in_time)
        if modifiers:
            noun = tokens[trigger.index].text
            parts = [*modifiers, noun if noun[:1].isupper() and trigger.index else noun.lower()]
        elif kind:  # "a press conference" -> "Press conference", not "Conference"
            named = " ".join([*kind, tokens[trigger.index].text.lower()])
            parts = [named[0].upper() + named[1:]]
        at = before_modifiers(tokens, trigger.index)
        owner = (
            possessor(tokens, trigger.index, in_time)
            or pronoun_owner(tokens, trigger.index, in_time, actors, sentence)
            or (
                occasion_owner(tokens, trigger.index, in_time, actors, sentence)
                if trigger.title in _OCCASIONS
                else None
            )
            or (antecedent(tokens, at, actors, before, sentence) if at >= 0 else None)
        )
        if owner and trigger.title in _OWNER_FIRST:  # "Globex quarterly results"
            between = [t.text for t in tokens[before_modifiers(tokens, trigger.index) + 1 : trigger.index]]
            return _clean([owner, *between, tokens[trigger.index].text.lower(), *rest])
        if owner and owner in " ".join(parts):
            owner = None  # "Global Builder's Conference" names its owner already
        if owner and not (rest and rest[0].lower() == "of"):
            person = is_person(owner, actors)
            prep = _OWNER_PREP.get(trigger.title) or ("by" if person and trigger.title in _GIVEN else "of")
            parts += [prep, owner]
    if parts == [trigger.title] and not rest and (described := describing_modifiers(tokens, trigger.index, in_time)):
        named = " ".join([*described, tokens[trigger.index].text.lower()])  # "the annual general meeting"
        parts = [named[0].upper() + named[1:]]
    title = _clean(parts + rest)
    place = _place(tokens, trigger.index, in_time) if len(parts) == 1 and not rest else None
    return f"{title} in {place}" if place else title  # "Trial in London", not a bare "Trial"


def _place(tokens: list[Token], index: int, in_time: list[bool]) -> str | None:
    """A place named after the event word in its clause ("is set to begin on Monday in London")."""
    for i in range(index + 1, len(tokens) - 1):
        if tokens[i].lower in CLAUSE_BREAKS or tokens[i].text in ",;:":
            return None
        if tokens[i].lower in ("in", "at") and not in_time[i + 1]:
            start = i + 2 if tokens[i + 1].lower == "the" else i + 1
            run = list(itertools.takewhile(_place_word, tokens[start : start + 6]))
            while run and not run[-1].text[:1].isupper():
                run.pop()  # "the Royal Courts of" -> "the Royal Courts"
            if run and run[0].text[:1].isupper():
                return " ".join(t.text for t in tokens[i + 1 : start] + run)
    return None


def _place_word(token: Token) -> bool:
    """A word of a place's name: capitalised, or "of" inside it ("Royal Courts of Justice")."""
    return (token.text[:1].isupper() and token.text[0].isalpha()) or token.lower == "of"


def clause_title(
    tokens: list[Token],
    trigger: Trigger,
    in_time: list[bool],
    actors: Sequence[Actor],
    sentence: Sentence,
    ahead: bool = False,
    before: Before | None = None,
) -> str:
    """Who did what, as the clause says it: "Globex filed for bankruptcy protection"."""
    rest = complement(tokens, trigger.index + 1, in_time)
    done_to = _done_to(tokens, trigger, rest)
    if done_to:
        return done_to
    if not trigger.verb and trigger.index and tokens[trigger.index - 1].text[:1].islower():
        # a noun is no clause's verb: "About 300 fans attended a vigil" -> "Vigil"
        kind = compound_modifiers(tokens, trigger.index, in_time)
        return _clean([*kind, tokens[trigger.index].text, *rest])
    agents = subject_agents(tokens, trigger.index, in_time, actors, sentence)
    who = _who(agents, subject_phrase(tokens, trigger.index, in_time)) or ""
    verb = tokens[trigger.index].text
    modal = trigger.index and tokens[trigger.index - 1].lower in _MODALS
    return _clean([who, f"to {verb}" if ahead and modal and who else verb, *rest])  # "Globex to begin trading"


def _who(agents: list[str], phrase: str | None) -> str | None:
    """The names of the subject, or its noun phrase when that says more ("border with Ruritania", not
    "Ruritania"; "Asian markets", not "Asian"; but "Anna Berg", not "Finance Minister Anna Berg")."""
    names = " and ".join(agents)
    joined = phrase is not None and any(w in ("of", "with", "for", "at", "in") for w in phrase.split())
    headed = phrase is not None and phrase.split()[-1][:1].islower()  # the phrase's head is a common noun
    # "workers at three German plants": a name or its adjective inside a common noun's phrase only describes it
    inside = phrase is not None and headed and any(w[:1].isupper() for w in phrase.split()[1:])
    # "the port of Ruritania has been closed": a common noun's phrase naming something else is the subject
    inside = inside or (phrase is not None and phrase[:1].islower() and joined and names.lower() not in phrase.lower())
    if phrase and (not names or (names.lower() in phrase.lower() and (joined or headed)) or inside):
        return phrase
    return names or None


def _proper_modifiers(tokens: list[Token], index: int) -> list[str]:
    """ "the NATO summit" -> ["NATO"]: names written right before an event noun; when the noun is written
    as a name too, the whole name ("the Global Builder's Conference": one name, its owner inside it)."""
    named = index > 0 and tokens[index].text[:1].isupper()
    out: list[str] = []
    for token in reversed(tokens[:index]):
        if not token.text[0].isupper() or (token.lower.endswith("'s") and not named) or token.start == 0:
            break
        out.insert(0, token.text)
    return out


_RELATIVE = words("which who whom whose that")
_MODALS = words("will would shall may might could to")


def _done_to(tokens: list[Token], trigger: Trigger, rest: list[str]) -> str | None:
    """The title of a participle set off after a noun, which says what was done to it: "Globex's suit, filed
    in May, claims" -> "Globex's suit filed"."""
    if not trigger.verb:
        return None
    if _reduced_relative(tokens, trigger.index):
        theme = subject_phrase(tokens, trigger.index - 1)
    elif _object_participle(tokens, trigger.index, rest):
        theme = subject_phrase(tokens, trigger.index)
    else:
        return None
    return _clean([theme, tokens[trigger.index].text, *rest]) if theme else None


def _object_participle(tokens: list[Token], index: int, rest: list[str]) -> bool:
    """ "over a complaint filed by a neighbour", "to the pact signed two months ago": a participle right
    after an object's noun, followed by its agent, a preposition or only a date, says what was done to it."""
    if index < 2 or not tokens[index].lower.endswith("ed") or (rest and rest[0].lower() not in PREPOSITIONS):
        return False
    start = index - 1
    known = lexicon()
    while start > 0 and (tokens[start].lower in DETERMINERS or known.get(tokens[start].lower, "")[:1] in ("N", "J")):
        start -= 1
    before = tokens[start].lower
    determined = any(t.lower in DETERMINERS for t in tokens[start + 1 : index])  # "a complaint", not "of people"
    governed = (before in _PREPOSITIONS_AFTER and before != "of") or before == "with" or known.get(before) == "V"
    return determined and governed


def _reduced_relative(tokens: list[Token], index: int) -> bool:
    """ "the suit, filed in May, claims": a participle set off after a noun says what was done to it."""
    if index < 2 or tokens[index - 1].text != "," or not tokens[index].lower.endswith("ed"):
        return False
    noun = tokens[index - 2]
    if not (noun.text[:1].isupper() or common_class(noun.lower) == "N"):
        return False
    # the sentence's subject, set off on both sides ("The bill, passed on Monday, cuts taxes"); not the
    # clause's verb after a relative clause ("The airline, which is based in Ruritania, signed the deal")
    closing = any(t.text == "," for t in tokens[index + 1 : index + 12])
    subject = tokens[: index - 1]
    return closing and "V" not in tag([t.text for t in subject]) and not any(t.lower in _RELATIVE for t in subject)


def _passive(tokens: list[Token], index: int) -> bool:
    for i in range(index - 1, max(index - 4, -1), -1):
        word = tokens[i].lower
        if word in ("was", "were", "is", "are", "been", "be", "being", "got", "get", "gets"):
            return True
        if not (word.endswith("ly") or word in ("not", "also", "then", "later", "reportedly")):
            return False
    return False


def _clean(parts: list[str]) -> str:
    words = " ".join(p for p in parts if p).split()[:_MAX_TITLE_WORDS]
    while len(words) > 1 and words[-1].lower() in _FUNCTION_TAIL:
        words.pop()
    title = " ".join(words).strip(" ,;:-")
    return title[:1].upper() + title[1:]
