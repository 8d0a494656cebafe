"""Products, models, software and services are no actors, however much their names look like companies'.

A tagger reading one sentence at a time takes "Zephyr" in "Globex unveiled the Zephyr Pro 3" for
an organisation. The article as a whole says what it is, without any list of product names:

- **A model or version after a name**: digits ("Zephyr 3"), a roman numeral ("OS X"), a code
  of letters and digits ("X200", "3G") or a model word (:data:`MODEL_WORDS`: "Pro", "Mini",
  "OS"). The whole capitalised stretch is a product ("Norvo OS X Puma"), and so is every shorter
  name made of its words elsewhere in the article ("Norvo", "Puma"); not a maker's name before a
  designation ("Acme" of "Acme A7"), which only gives no mention where it stands.
- **A product's shape**: a word with a lower-case initial and a capital inside ("iGizmo",
  "eWidget").
- **A product's context**: launched, released, unveiled or shipped ("Globex unveiled the
  Zephyr"), an upgrade to it, versions of it, its users, owners or devices, "X-based"; weaker,
  so needed twice or with another cue: its sales, "the new X", a company's possessive before it.

A name is dropped only where the article gives it no evidence of an organisation of its own
(:func:`organisation_evidence`): a legal form or organisation word in its name, a description
("maker Zephyr", "Zephyr, the company"), an organisation's verb after it as its subject
("Zephyr said", "Zephyr has announced"), its shares, its executives or spokesman, or a product
it owns ("Zephyr's new phone"). So "Globex unveiled the Zephyr" keeps Globex, and a company
named "eWidget" that says or announces things stays a company.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from briefing.nlp.actors import productwords as pw
from briefing.nlp.actors.entities import LEGAL_FORMS, base
from briefing.nlp.actors.gazetteer import Gazetteer
from briefing.nlp.actors.mentions import Mention
from briefing.nlp.actors.postpass import CLOSED_WORDS, DESCRIPTION_NOUNS, LETTERED, MODEL, PRODUCT_NOUNS, YEAR_WORD
from briefing.nlp.actors.tokens import POSSESSIVE, Token, is_headline


@dataclass(slots=True)
class _Clues:
    """What the article says about one name: product cues strong and weak, organisation evidence."""

    strong: int = 0
    weak: int = 0
    organisation: bool = False


def is_version(tokens: Sequence[Token], k: int, model_before: bool = False) -> bool:
    """Whether ``tokens[k]`` names a version or a model: a code ("X200", "3G"), a model number, a short
    number after a model word or before a product's noun ("Pro 3", "Zephyr 3 users"), a roman numeral
    beside a model word (``model_before``: "OS X"; a team's "II" is no version)."""
    text = tokens[k].text
    if k == 0 or YEAR_WORD.match(text) or pw.NO_VERSION.match(text) or tokens[k - 1].end + 1 < tokens[k].start:
        return False
    after = tokens[k + 1] if k + 1 < len(tokens) else None
    if pw.ROMAN.match(text):
        return model_before or (after is not None and after.text in pw.MODEL_WORDS)
    if LETTERED.match(text) or (MODEL.match(text) and not text.isdigit()):
        return True
    if not (pw.CODE.match(text) or MODEL.match(text)):
        return False
    if not text.isdigit():
        return True
    if after is not None and after.lower in pw.AMOUNT_WORDS:
        return False  # "Telekom 4 hours", "Acme 150 million"
    if model_before or after is None:
        return model_before  # "Zephyr Pro 3", "the GameBox 3 in Europe"
    if after.lower in pw.NOT_AFTER_VERSION:
        return False  # "Kent 108 for 3"
    return after.text in pw.MODEL_WORDS or after.lower in pw.PRODUCT_AFTER  # "Zephyr 3 Pro", "Zephyr 3 users"


def product_runs(
    tokens: Sequence[Token], organisation_words: Collection[str], headline: bool = False
) -> list[tuple[int, int, int]]:
    """Index ranges ``[first, last]`` of product names in a sentence: capitalised words (or words of a
    product's shape) followed by a version or model word, with a name after a version ("OS X Puma"),
    or a model designation and the name after it ("the 320 Skyrider").

    At most :data:`pw.LEADING` words before a model word count, one before a number or a code or in a Title
    Case ``headline``; a name with an organisation word or a legal form is no product. Each as
    ``(first, name_end, last)``: the name before the version ends at ``name_end``."""
    found: list[tuple[int, int, int]] = []
    n, done, words = len(tokens), -1, pw.MODEL_WORDS
    tails = [k for k, t in enumerate(tokens) if t.text[0].isdigit() or t.text[-1].isdigit() or t.text in words]
    for k in tails:  # only where a version or a model word stands: most sentences have none
        if k <= done:
            continue
        if tokens[k].text not in words and _designation_before_name(tokens, k, organisation_words):
            last = k + 1
            while last + 1 < n and last - k <= pw.TRAILING and _name_word(tokens[last + 1]):
                last += 1
            found.append((k, k, last))
            done = last
            continue
        i = first = k - 1
        if i <= done or not _name_word(tokens[i]) or tokens[i].text in words:
            continue
        while first - 1 > done and _name_word(tokens[first - 1]) and tokens[first - 1].text not in words:
            first -= 1
        first = max(first, i + 1 - (1 if headline else pw.LEADING))
        last, version, model, after_version = i, False, False, 0
        inner = any(pw.SHAPE.match(t.text) or pw.CAMEL.match(t.text) for t in tokens[first : i + 1])
        numbered = inner or _launch_cue(tokens, first)  # "upgraded to Lumen 5 this week", "the GameBox 3 in"
        while last + 1 < n and last - first < pw.MAX_RUN:
            j = last + 1
            if tokens[j].text in words and tokens[j - 1].end + 1 >= tokens[j].start:
                model = model or tokens[j].text not in organisation_words or inner
            elif is_version(tokens, j, numbered or tokens[j - 1].text in words):
                version = True
            elif (
                (version or model)
                and _name_word(tokens[j])
                and after_version < pw.TRAILING
                and not tokens[j].text.isupper()
            ):
                after_version += 1  # "Norvo OS X Puma", "the Acme 320 Skyrider"
            else:
                break
            last = j
        if last > i and tokens[i + 1].text not in words:
            first = i  # a maker's name and a number: "the Globex Airways Acme 320" is the Acme's (Globex flies it)
        organisations = any(t.text in organisation_words or t.text in LEGAL_FORMS for t in tokens[first : i + 1])
        if last > i and (version or model) and not organisations:
            found.append((first, i, last))
            done = last
    return found


def _designation_before_name(tokens: Sequence[Token], i: int, organisation_words: Collection[str]) -> bool:
    """ "the 320 Skyrider", "its X9 Kestrel": a model designation after a determiner or a possessive,
    then a capitalised name."""
    text = tokens[i].text
    if i == 0 or i + 1 >= len(tokens) or not (MODEL.match(text) or LETTERED.match(text)):
        return False
    if YEAR_WORD.match(text) or pw.NO_VERSION.match(text) or tokens[i].end + 1 != tokens[i + 1].start:
        return False
    before, name = tokens[i - 1], tokens[i + 1]
    if text.isdigit() and (len(text) != 3 or name.text.isupper()):
        return False  # "the 1000 Lakes Rally", "the 14 EU states": a count
    opened = before.lower in pw.DETERMINERS or before.text in POSSESSIVE
    return opened and name.cap and name.text[:1].isalpha() and name.text not in organisation_words


def _sentence_runs(
    text: str, tokens: Sequence[Token], organisation_words: Collection[str]
) -> list[tuple[int, int, int]]:
    """The product runs of a sentence of running text; none in a row of a table ("Carlton 13 18 (96)",
    "Williams 5 laps"), where a number after a name is a score or a time: a sentence with more than a
    fifth of its tokens numbers. The cheap tests first."""
    sentence = text[tokens[0].start : tokens[-1].end] if tokens else ""
    if pw.MODEL_WORDS.isdisjoint(sentence.split()) and not any(digit in sentence for digit in "0123456789"):
        return []  # no model word, no number: no model named (most sentences; string methods are quick)
    if not product_runs(tokens, organisation_words):
        return []
    if sum(1 for t in tokens if t.text[0].isdigit()) * 5 > len(tokens):
        return []
    return product_runs(tokens, organisation_words, is_headline(tokens))


def _name_word(token: Token) -> bool:
    return (token.cap and token.text[:1].isalpha() and token.text[1:2] != ".") or bool(pw.SHAPE.match(token.text))


def without_products(
    text: str, tokenized: Sequence[Sequence[Token]], mentions: Sequence[Mention], g: Gazetteer
) -> list[Mention]:
    """The mentions less those of products, models, software and services (see the module's docstring).

    An organisation's mention (or a person's without a role or title) inside a product's name is
    dropped where it stands ("Globex" in "the Globex Zephyr 3"); a name that is a product by its
    cues, and any shorter name made of its words, is dropped wherever the article gives it no
    organisation evidence of its own."""
    by_sentence: dict[int, list[Mention]] = {}
    for mention in mentions:
        by_sentence.setdefault(mention.sentence, []).append(mention)
    runs = [
        _operated(_sentence_runs(text, tokens, g.organisation_words), by_sentence.get(index, []))
        for index, tokens in enumerate(tokenized)
    ]
    adjectives = set(pw.BASED_ON.findall(text)) if "-based" in text else set()  # "Zephyr-based phones"
    clues: dict[str, _Clues] = {}
    inside: set[int] = set()
    named = _parts(
        tuple(t.text for t in tokens[_named_from(tokens, a, b) : c + 1])
        for tokens, found in zip(tokenized, runs, strict=True)
        for a, b, c in found
    )
    owners = {(m.sentence, m.last) for m in mentions if m.kind == "organization"}  # "Globex" of "Globex's Zephyr"
    for mention in mentions:
        if mention.demonym or mention.sentence >= len(tokenized):
            continue
        tokens = tokenized[mention.sentence]
        seen = clues.setdefault(base(mention.text), _Clues())
        if any(first <= mention.last and last >= mention.first for first, _, last in runs[mention.sentence]):
            inside.add(id(mention))
        _read_clues(tokens, mention, seen, owners)
        if mention.text in adjectives:
            seen.weak += 1
            adjectives.discard(mention.text)  # one cue per name, however often it is an adjective
    cued = _parts(tuple(name.split()) for name, seen in clues.items() if seen.strong or seen.weak >= 2)
    products = named | cued
    for mention in mentions:  # evidence of an organisation, looked for only where a name may be a product's
        name = base(mention.text)
        known = clues.get(name)
        words = tuple(name.split())
        if known is None or known.organisation or not (words in products or any(pw.SHAPE.match(w) for w in words)):
            continue
        tokens = tokenized[mention.sentence]  # "Globex's new Zephyr", where the Zephyr is a product
        known.organisation = organisation_evidence(tokens, mention, g) or _owns_a_name(
            tokens, mention.last + 1, products
        )
    kept: list[Mention] = []
    for mention in mentions:
        found = clues.get(base(mention.text))
        words = tuple(base(mention.text).split())
        shape = any(pw.SHAPE.match(w) for w in words)
        if found is None or not _droppable(mention, g, shape):
            kept.append(mention)
        elif id(mention) in inside and (mention.kind == "organization" or not found.organisation):
            continue  # "Globex" in "the Globex Zephyr 3": the product's name, not the company
        elif found.organisation or not (shape or words in named or (mention.kind == "organization" and words in cued)):
            kept.append(mention)
    return kept


def _named_from(tokens: Sequence[Token], first: int, name_end: int) -> int:
    """Where a product's own name starts: after the maker's name when a designation follows it ("Acme"
    of "Acme A7" or "Acme 320", the company, stays a name of its own), else at its first word ("Zephyr"
    of "Zephyr 3" or "Zephyr Pro")."""
    tail = tokens[name_end + 1].text if name_end + 1 < len(tokens) else ""
    maker = bool(LETTERED.match(tail)) or (bool(MODEL.match(tail)) and sum(c.isdigit() for c in tail) >= 3)
    return name_end + 1 if maker and name_end >= first else first


def _operated(runs: Sequence[tuple[int, int, int]], mentions: Sequence[Mention]) -> list[tuple[int, int, int]]:
    """The runs, each starting at the last name before its version that is a mention of its own: in
    "the Globex Airways Acme 320" the product is the "Acme 320", Globex its operator."""
    found: list[tuple[int, int, int]] = []
    for first, name_end, last in runs:
        heads = [m.first for m in mentions if first <= m.first and m.last <= name_end]
        found.append((max(heads, default=first), name_end, last))
    return found


def _droppable(mention: Mention, g: Gazetteer, shape: bool) -> bool:
    """Organisations may be products; so may a person without a role or title whose first word is no given
    name, and a place the gazetteer does not know (the tagger's guesses at a product's name)."""
    words = mention.text.split()
    if mention.kind == "organization":
        return True
    if mention.kind == "person":
        return mention.role is None and mention.title_first is None and (shape or words[0] not in g.given_names)
    return mention.kind == "location" and "." not in mention.text and mention.text not in g.places


def _launch_cue(tokens: Sequence[Token], first: int) -> bool:
    """Launched, released, unveiled, shipped or upgraded to right before a name (determiners between)."""
    before = _before_determiners(tokens, first - 1)
    if before < 0:
        return False
    lower = tokens[before].lower
    return lower in pw.LAUNCH_VERBS or (lower == "to" and before > 0 and tokens[before - 1].lower in pw.UPGRADE)


def _parts(products: Iterable[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """Every stretch of words of every product name: "Norvo", "OS X", "Puma" of "Norvo OS X Puma"."""
    found: set[tuple[str, ...]] = set()
    for words in products:
        for a in range(len(words)):
            for b in range(a + 1, min(len(words), a + pw.MAX_RUN) + 1):
                found.add(words[a:b])
    return found


def _read_clues(tokens: Sequence[Token], mention: Mention, seen: _Clues, owners: Collection[tuple[int, int]]) -> None:
    """Add what one mention's surroundings say of a product to ``seen``."""
    if pw.SHAPE.match(tokens[mention.first].text):
        seen.strong += 1
    before = _before_determiners(tokens, mention.first - 1)
    after = mention.last + 1
    if before >= 0:
        lower = tokens[before].lower
        launched = _launch_cue(tokens, mention.first) and not _modifies(tokens, after)  # not "released Serb police"
        if launched or (lower == "of" and before > 0 and tokens[before - 1].lower in {"version", "versions"}):
            seen.strong += 1
        elif lower in pw.SALE_VERBS:
            seen.weak += 1
        first = mention.first
        if first >= 2 and tokens[first - 1].lower == "new" and tokens[first - 2].lower in {"the", "a", "its"}:
            seen.weak += 1  # "the new Zephyr"
        if before > 0 and tokens[before].text in POSSESSIVE and (mention.sentence, before - 1) in owners:
            seen.weak += 1  # "Globex's Zephyr"
    if after < len(tokens):
        lower = tokens[after].lower
        k = after
        while k < len(tokens) and tokens[k].lower in pw.PASSIVE:
            k += 1
        if k > after and k < len(tokens) and tokens[k].lower in pw.LAUNCH_VERBS:
            seen.strong += 1  # "the Zephyr was unveiled"
        if lower in pw.USER_NOUNS:
            seen.strong += 1
        elif lower == "sales":
            seen.weak += 1


def _modifies(tokens: Sequence[Token], after: int) -> bool:
    """Whether a name modifies the word after it ("Serb police", "Globex jets"), a lower-case word
    other than a preposition, a conjunction or a word of time."""
    if after >= len(tokens):
        return False
    token = tokens[after]
    return token.word and not token.cap and token.lower not in CLOSED_WORDS and token.lower not in pw.TIME_WORDS


def _before_determiners(tokens: Sequence[Token], k: int) -> int:
    """The index of the word before the determiners and "new" that lead a name ("unveiled its new")."""
    while k >= 0 and tokens[k].lower in pw.DETERMINERS:
        k -= 1
    return k


def organisation_evidence(tokens: Sequence[Token], mention: Mention, g: Gazetteer) -> bool:
    """Whether this mention's surroundings say it names an organisation (see the module's docstring)."""
    words = mention.text.split()
    if any(w in LEGAL_FORMS or w in g.organisation_words for w in words) or "before a title" in mention.evidence:
        return True
    before, after = mention.first - 1, mention.last + 1
    n = len(tokens)
    if before >= 0 and _describes(tokens[before].lower):
        return True  # "software maker Zephyr"
    if before >= 1 and tokens[before].text == "," and _describes(tokens[before - 1].lower):
        return True  # "the software maker, Zephyr,"
    if before >= 1 and tokens[before].lower in pw.STAKE_LINK and tokens[before - 1].lower in pw.STAKE:
        return True  # "shares of Zephyr", "a stake in Zephyr"
    if before >= 1 and tokens[before].lower in pw.WORKS_FOR and _works(tokens[before - 1].lower, g):
        return True  # "a spokeswoman for Zephyr", "chief executive of Zephyr"
    if after < n and tokens[after].text in LEGAL_FORMS:
        return True
    if (
        after + 2 < n
        and tokens[after].text == "("
        and tokens[after + 1].text.isupper()
        and tokens[after + 2].text == ":"
    ):
        return True  # a ticker: "Zephyr (NASDAQ: ZPHR)"
    k = after + 1 if after < n and tokens[after].text in POSSESSIVE else after
    if k < n and (tokens[k].lower in pw.OWNED_NOUNS or _works(tokens[k].lower, g)):
        return True  # "Zephyr's shares", "Zephyr spokesman", "Zephyr's chief executive"
    if k > after and _owns_a_product(tokens, k):
        return True
    k = after
    while k < n and tokens[k].lower in pw.AUXILIARIES:
        k += 1
    if k < n and tokens[k].lower in pw.ORGANISATION_VERBS:
        return True  # "Zephyr said", "Zephyr has announced"
    if before >= 0 and tokens[before].lower in {"said", "says"} and (after >= n or not tokens[after].word):
        return True  # '"...," said Zephyr.'
    if after + 1 < n and tokens[after].text == ",":
        for token in tokens[after + 1 : after + 1 + pw.APPOSITION_REACH]:
            if _describes(token.lower):
                return True  # "Zephyr, the software company,"
            if not token.word:
                break
    return False


def _owns_a_name(tokens: Sequence[Token], k: int, products: Collection[tuple[str, ...]]) -> bool:
    """A possessive at ``k`` before the name of a product ("'s new Zephyr")."""
    if k >= len(tokens) or tokens[k].text not in POSSESSIVE:
        return False
    k += 1
    while k < len(tokens) and tokens[k].lower in pw.DETERMINERS:
        k += 1
    return k < len(tokens) and (tokens[k].text,) in products


def _describes(lower: str) -> bool:
    """A noun for a kind of organisation ("company", "firm", any "-maker") or for a company's rival."""
    return lower in DESCRIPTION_NOUNS or lower in pw.COMPANY_NOUNS or lower.endswith("maker")


def _works(lower: str, g: Gazetteer) -> bool:
    """A role of someone who works for an organisation ("spokeswoman", "analyst"), not one who makes a
    thing or plays a part in it ("designer", "producer", "star")."""
    return lower in g.role_heads and lower not in pw.NO_ROLE


def _owns_a_product(tokens: Sequence[Token], start: int) -> bool:
    """A product after a possessive: "'s new iGizmo", "'s Zephyr 3", "'s phones"."""
    for k in range(start, min(start + pw.OWNS_REACH, len(tokens))):
        token = tokens[k]
        if pw.SHAPE.match(token.text) or token.lower in PRODUCT_NOUNS or is_version(tokens, k):
            return True
        if not token.word or (token.lower not in pw.DETERMINERS and not token.cap):
            return False
    return False
