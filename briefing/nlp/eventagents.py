"""Who does an event: the names of the subject of its word's clause, and who owns an event noun.

"Ruritanian President Anna Berg will visit Ankara": Anna Berg visits ("Ruritanian"
and "President" only describe her); "John Smith said the board will meet": the
board meets, not the speaker; "The Bank of England is due to announce its next
decision": the bank owns the decision.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefing.model import Actor, Sentence
from briefing.nlp.eventowners import AUXILIARIES, POSSESSIVE_PRONOUNS, PUBLISHING, before_modifiers, fronted_owner
from briefing.nlp.eventsubjects import subject_phrase
from briefing.nlp.eventtokens import Token
from briefing.nlp.eventwords import DETERMINERS, PREPOSITIONS, ROLE_WORDS, words
from briefing.nlp.postags import lexicon, tag

_MAX_CLAUSE = 40  # words looked back for an event word's subject
_AUXILIARIES = AUXILIARIES
CLAUSE_BREAKS = words(
    """that which who whom where when while after before because although though since whose said says say told
    tells added stated announced reported claimed insisted warned noted explained according"""
)
"""Words that end the clause before an event word; reporting verbs too: in "John Smith said the board will
meet", the board meets, not John Smith (a quote's speaker is not the event's actor)."""
_OTHER_CLAUSE = CLAUSE_BREAKS - words("who which whose")
"""Clause words after which a name opening the sentence is no longer the subject ("who" still refers to it)."""
_COMMON_OPENERS = words(
    """the a an in on at but and it he she they we i you this that these those there his her their its our my
    after before when while during since as if although though however meanwhile also earlier later last next
    today yesterday tomorrow officials police authorities critics analysts experts sources residents voters
    both all some many most several one two three such other another each every no not so then now thus
    according"""
)
_DEMONYMS = words("french dutch greek thai swiss welsh irish czech")


def subject_agents(
    tokens: list[Token], index: int, in_time: list[bool], actors: Sequence[Actor], sentence: Sentence
) -> list[str]:
    """Who does it: the names of the subject before the event word (actors when known).

    The subject is looked for in the event word's clause, before its first
    auxiliary or verb ("Hampton was taken to John Peter Smith Hospital but died"
    -> Hampton); failing that, a name that opens the sentence ("Kayahan, one of
    Turkey's best-loved singers, died"). Of several names only those joined by
    "and" or a comma to the last one count ("Reality TV star Jade Goody").
    """
    first = _clause_start(tokens, index)
    stop = next((i for i in range(first, index) if _verbal(tokens[i])), index)
    runs = _name_runs(tokens, first, stop, in_time)
    if not runs:
        opening = _name_runs(tokens, 0, min(index, 8), in_time)
        runs = opening[:1] if opening and opening[0][0] <= 3 else []
        attributed = runs and [t.lower for t in tokens[max(0, runs[0][0] - 2) : runs[0][0]]] == ["according", "to"]
        if attributed or (runs and any(t.lower in _OTHER_CLAUSE for t in tokens[runs[0][1] : index])):
            runs = []  # "Anna Berg said that the market would open": the market opens, not Anna Berg
        elif runs and _relative_of_another(tokens, runs[0][1], index):
            runs = []  # "Acme bought the plant, which closed in March": the plant closed
        elif runs and first > runs[0][1] and _clause_subject(tokens, first, index):
            runs = []  # "In California, a lawsuit was filed": the clause has its own subject
        elif runs and PREPOSITIONS & {t.lower for t in tokens[max(0, runs[0][0] - 1) : runs[0][0] + 1]}:
            runs = []  # "In Ruritania, farmers rallied": a place that sets the scene
        elif runs and index and _common_noun(tokens[index - 1]):
            runs = []  # "Jane Doe backed the sale, only to have the family withdraw the offer": the family does
    if actors:
        named = _actors_in(actors, sentence, tokens, runs)
        if named:
            return named
        # The extractor knows this sentence's names: a lone capital opening it is a common word
        # ("Train drivers will strike"), not someone it missed.
        runs = [run for run in runs if run != (0, 1)]
    chosen = runs[-1:]
    for run in reversed(runs[:-1]):
        between = [t.lower for t in tokens[run[1] : chosen[0][0]]]
        if between not in (["and"], [","], [",", "and"]) or len(chosen) == 3:
            break
        chosen.insert(0, run)
    names = [_owned(tokens, end, _name(tokens[start:end])) for start, end in chosen]
    return [n for n in names if n]


def _owned(tokens: list[Token], end: int, name: str | None) -> str | None:
    """ "Tom Berg's family withdraw": the subject is the family, named with its owner."""
    if not name or not name.endswith(("'s", "’s")) or end >= len(tokens) or not _common_noun(tokens[end]):
        return name
    return f"{name} {tokens[end].text}"


def _clause_subject(tokens: list[Token], first: int, index: int) -> bool:
    """The clause ``tokens[first:index]`` opens with its own noun subject ("a class-action lawsuit was")."""
    words_before = [t.lower for t in tokens[first:index]]
    return bool(words_before) and words_before[0] in DETERMINERS and subject_phrase(tokens, index) is not None


def _common_noun(token: Token) -> bool:
    """A lower-case word news uses as a noun first: the subject right before a verb."""
    return token.text.isalpha() and token.text.islower() and lexicon().get(token.lower, "")[:1] == "N"


def _name_runs(tokens: list[Token], first: int, stop: int, in_time: list[bool]) -> list[tuple[int, int]]:
    """Runs of capitalised words in ``tokens[first:stop]``, as (start, end) token indices."""
    runs: list[tuple[int, int]] = []
    start = None
    for i in range(first, stop + 1):
        capital = i < stop and tokens[i].text[:1].isupper() and tokens[i].text[0].isalpha() and not in_time[i]
        if capital and start is None:
            start = i
        elif not capital and start is not None:
            bracketed = start > 0 and tokens[start - 1].text == "(" and i < len(tokens) and tokens[i].text == ")"
            if _name(tokens[start:i]) and not bracketed:  # "(CNN)" opens an article, it does not act
                runs.append((start, i))
            start = None
    return runs


def _actors_in(
    actors: Sequence[Actor], sentence: Sentence, tokens: list[Token], runs: list[tuple[int, int]]
) -> list[str]:
    """The known actors heading the subject's name runs.

    A name run is a noun phrase, and English puts its head last: in "Ruritanian
    President Anna Berg" the person acts, "Ruritanian" only describes her, so
    only the last actor mentioned in each run counts.
    """
    found = []
    for a, b in runs:
        lo, hi = sentence.start + tokens[a].start, sentence.start + tokens[b - 1].end
        inside = [(m.start, actor.name) for actor in actors for m in actor.mentions if lo <= m.start < hi]
        if inside:
            found.append(max(inside)[1])
    return list(dict.fromkeys(found))[-3:]


def _verbal(token: Token) -> bool:
    word = token.lower
    return word in _AUXILIARIES or (word.endswith("ed") and len(word) > 4 and token.text[0].islower())


def _relative_of_another(tokens: list[Token], end: int, index: int) -> bool:
    """A ", which" or ", who" between a name ending at ``end`` and the verb at ``index`` stands for another noun:
    a common noun ("Acme bought the plant, which closed"; "Doe backed the Spaniard, who was signed in May") or a
    name after other words ("Parry is funding the stadium in Stanley Park, which is set to open"); not for the
    name itself ("The Bank of England, which cut rates")."""
    for i in range(end + 1, index):
        if i < 2 or tokens[i].lower not in ("which", "who") or tokens[i - 1].text != ",":
            continue
        between = [t.lower for t in tokens[end : i - 1] if not t.text[:1].isupper()]
        if tokens[i - 2].text.islower() or any(w not in ("of", "and", "&") for w in between):
            return True
    return False


def _clause_start(tokens: list[Token], index: int) -> int:
    """Where the clause of the word at ``index`` begins: after the last comma, quote or clause word before it."""
    for i in range(index - 1, max(-1, index - _MAX_CLAUSE), -1):
        if tokens[i].lower in CLAUSE_BREAKS or not tokens[i].text[0].isalnum():
            return i + 1
    return max(0, index - _MAX_CLAUSE + 1)


def _name(run: list[Token]) -> str | None:
    """A person or body's name from capitalised words, less leading role words; None for a possessive."""
    if not run or run[-1].lower.endswith("'s"):
        return None
    words = [t.text for t in run]
    if run[0].lower in _COMMON_OPENERS:
        words.pop(0)  # "When Cameron visited ...", "For guests scheduled to ..."
    while len(words) > 1 and (words[0].lower().strip(".") in ROLE_WORDS or _demonym(words[0])):
        words.pop(0)
    if words and words[0].lower().strip(".") in ROLE_WORDS:
        return None
    if not words:
        return None
    return " ".join(words)


def _demonym(word: str) -> bool:
    """ "Israeli", "Turkish", "American": a nationality before a name, not part of it."""
    lower = word.lower()
    return lower.endswith(("ish", "ian", "ese", "eli", "ani", "ari", "qi", "an")) or lower in _DEMONYMS


_OCCASION_PREPOSITIONS = words("during at on in after")
_THING_REACH = 8
"""Words before "its" its thing may be named in."""
_NOT_THING = DETERMINERS | AUXILIARIES | words("since after before from in on at of to for with by and or")


def pronoun_owner(
    tokens: list[Token], index: int, in_time: list[bool], actors: Sequence[Actor], sentence: Sentence
) -> str | None:
    """ "The Bank of England is due to announce its next decision" -> the subject, "Bank of England".

    A possessive pronoun before an event noun stands for the subject of its clause,
    as does a verb of publishing ("will report quarterly earnings"); without one
    there is no owner.
    """
    at = before_modifiers(tokens, index)
    if at < 0 or tokens[at].lower not in POSSESSIVE_PRONOUNS | PUBLISHING:
        return fronted_owner(tokens, index, in_time)  # "In a press conference on Friday, Jane Doe said"
    agents = subject_agents(tokens, at, in_time, actors, sentence)
    if agents:
        return " and ".join(agents)
    thing = _its_thing(tokens, at) if tokens[at].lower == "its" else None
    return thing or fronted_owner(tokens, index, in_time)


def occasion_owner(
    tokens: list[Token], index: int, in_time: list[bool], actors: Sequence[Actor], sentence: Sentence
) -> str | None:
    """ "Senator Jane Doe praised the plan during a speech on Monday" -> "Jane Doe": the occasion a clause's
    act happens at ("during a speech", "on a visit to Ankara") is its subject's, when that is a person."""
    at = before_modifiers(tokens, index)
    if at < 1 or tokens[at].lower not in ("a", "an") or tokens[at - 1].lower not in _OCCASION_PREPOSITIONS:
        return None
    classes = tag([t.text for t in tokens[: at - 1]])
    for verb in range(at - 2, -1, -1):
        if tokens[verb].lower in CLAUSE_BREAKS or tokens[verb].text in ",;:":
            return None
        if classes[verb] == "V" and tokens[verb].lower not in AUXILIARIES:
            agents = subject_agents(tokens, verb, in_time, actors, sentence)
            known = [a for a in agents if any(x.name == a and x.kind == "person" for x in actors)]
            return " and ".join(known) if known and known == agents else None  # a person, not "Protesters"
    return None


def _its_thing(tokens: list[Token], at: int) -> str | None:
    """What "its" stands for when its clause names no actor: the nearest thing named with "the" before it
    ("tickets sold through the Acme app since its launch" -> "the Acme app"), a singular noun."""
    for start in range(at - 1, max(at - _THING_REACH, 0) - 1, -1):
        breaks = tokens[start].lower in CLAUSE_BREAKS and start < at - 1  # "since its launch": a preposition
        if breaks or tokens[start].text in ";:":
            return None
        if tokens[start].lower != "the":
            continue
        run = []
        following = tokens[start + 1 : at]
        for token, word_class in zip(following, tag([t.text for t in following]), strict=True):
            if not token.text.replace("-", "").isalnum() or token.lower in _NOT_THING or word_class not in "NPJ":
                break
            run.append(token.text)
        head = run[-1] if run else ""
        if run and len(run) <= 3 and not (head.islower() and head.endswith("s")):
            return " ".join(["the", *run])
        return None
    return None
