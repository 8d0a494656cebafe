"""Words and word shapes that say a name is a product's or an organisation's (:mod:`briefing.nlp.actors.products`).

Our own lists of common English words, written for the job; no product or company names.
"""

from __future__ import annotations

import re

from briefing.nlp.actors.postpass import PRODUCT_NOUNS

MODEL_WORDS = frozenset(
    {"Pro", "Air", "Mini", "Max", "Plus", "Touch", "OS", "Edition", "Lite", "Ultra", "Nano", "XL", "HD", "Beta",
     "Premium", "Deluxe"}
)  # fmt: skip
"""Words that name a model or an edition after a product's name ("Zephyr Pro", "Norvo OS"): our own list.
Words that also end companies' names ("One", "Express", "Home", "Prime", "SE") are left out; one that is
an organisation word as well ("Air": "Skyward Air") counts only beside a version or a product's shape."""
AMOUNT_WORDS = frozenset(
    {"percent", "per", "million", "billion", "m", "bn", "pct", "points", "point", "years", "year", "months", "days",
     "weeks", "hours", "mins", "minutes", "seconds", "runs", "goals", "wickets", "overs", "shots", "games", "strokes",
     "am", "pm", "a.m.", "p.m.", "km", "kg", "miles", "metres", "meters", "feet", "people", "times"}
)  # fmt: skip
"""After a bare number, these make it an amount, a score or a time, never a version ("Telekom 4 hours")."""
NOT_AFTER_VERSION = frozenset({"and", "or", "for", "of", "to", "in", "at", "from", "on", "with", "by"})
"""After a bare number with no model word before it, these leave it a score or a count ("Kent 108 for 3")."""

LAUNCH_VERBS = frozenset(
    {"launch", "launched", "launches", "launching", "release", "released", "releases", "releasing", "unveil",
     "unveiled", "unveils", "unveiling", "ship", "ships", "shipped", "shipping", "introduce", "introduced",
     "introduces", "debuted", "debuts"}
)  # fmt: skip
"""Verbs whose object is a product ("Globex unveiled the Zephyr")."""
SALE_VERBS = frozenset({"sell", "sells", "sold", "selling"})
"""Verbs whose object is a product or, as often, a business: a weak cue."""
USER_NOUNS = frozenset(
    {"users", "owners", "device", "devices", "app", "apps", "update", "updates", "upgrade",
     "version", "versions", "model", "models", "buyers"}
)  # fmt: skip
"""Nouns after a name that make it a product's name ("Zephyr users", "Zephyr devices"); not "owner", a title
("Eagles owner Jo Bloggs")."""
PRODUCT_AFTER = USER_NOUNS | PRODUCT_NOUNS | {"sales", "launch", "release"}
"""Words after a bare number that make it a version ("Zephyr 3 users"); after others it is an amount, a
score, a road or a time ("Telekom 4 hours", "Interstate 95")."""
DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "new", "latest", "first", "next"})
"""Words that may stand between a verb or a possessive and a product's name ("unveiled its new Zephyr")."""
ORGANISATION_VERBS = frozenset(
    {"said", "says", "say", "announced", "announces", "announce", "reported", "reports", "posted", "posts",
     "unveiled", "unveils", "launched", "launches", "introduced", "introduces", "released", "releases", "plans",
     "expects", "agreed", "agrees", "acquired", "acquires", "bought", "buys", "hired",
     "hires", "employs", "told", "confirmed", "confirms", "denied", "denies", "declined", "sued", "filed",
     "delivered", "delivers", "makes", "manufactures", "produces", "builds", "ordered", "signed", "warned",
     "forecast", "predicted", "develops", "wins", "won", "claims", "received", "receives"}
)  # fmt: skip
"""Verbs that say an organisation acts when a name is their subject ("Zephyr announced")."""
AUXILIARIES = frozenset(
    {"has", "had", "have", "will", "would", "also", "could", "may", "might", "recently", "then", "on", "today",
     "yesterday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
)  # fmt: skip
"""Words between a subject and its verb that keep it active ("Zephyr has announced"); "is"/"was" make it passive."""
OWNED_NOUNS = frozenset(
    {"shares", "share", "stock", "stocks", "shareholders", "investors", "employees", "workers", "staff", "board",
     "headquarters", "subsidiary", "unit", "division", "founder", "founders", "executives", "management"}
)  # fmt: skip
"""Nouns for what an organisation has ("Zephyr's shares", "Zephyr shareholders", "its employees")."""
NO_ROLE = frozenset(
    {"owner", "player", "star", "host", "pilot", "designer", "artist", "champion", "partner", "producer", "engineer",
     "author", "writer"}
)  # fmt: skip
"""Role heads next to a name that say nothing of an organisation ("Zephyr owner", "designer of the Zephyr")."""
COMPANY_NOUNS = frozenset({"company", "rival", "rivals", "competitor", "competitors", "contractor", "supplier"})
"""Nouns for a company by its place in a market, before its name or in apposition ("its rival, Zephyr,")."""
WORKS_FOR = frozenset({"for", "of", "at"})
"""Words between a role and the organisation it works for ("a spokeswoman for Zephyr")."""
PASSIVE = frozenset({"is", "was", "were", "be", "been", "being", "will", "has", "have", "had", "to", "first"})
"""Words between a name and a launch verb that make the name its object ("the Zephyr was unveiled")."""
TIME_WORDS = frozenset({"last", "this", "next", "earlier", "later", "today", "yesterday", "worldwide", "early"})
"""Lower-case words after a launched name that leave it the object ("launched Zephyr last week")."""
UPGRADE = frozenset({"upgrade", "upgraded", "upgrades", "upgrading", "update", "updated", "migrate", "migrated"})
"""Verbs before "to" and a product's name ("upgraded to Lumen 5")."""
STAKE = frozenset({"shares", "stake", "stock", "stakes"})
STAKE_LINK = frozenset({"of", "in"})
"""A holding in an organisation: "shares of Zephyr", "a stake in Zephyr"."""

ROMAN = re.compile(r"^(?:I{2,3}|IV|VI{0,3}|IX|XI{0,3}|XIV|XV|XX)$")
"""A roman numeral of a version or a sequel ("II", "X", "XV"); a lone "I" is the pronoun."""
CODE = re.compile(r"^[0-9]{1,4}[A-Z]{1,3}$|^[0-9]{1,2}$")
"""A version of digits and capitals ("3G", "4S") or a short number ("3", "10") after a product's name."""
CAMEL = re.compile(r"^(?!Mc)[A-Z][a-z]+[A-Z][A-Za-z]*$")
"""A capital inside a capitalised word ("GameBox"): a product's name as often as a company's, so a
version or "Air" after it is read as one ("GameBox 3", "NoteBook Air"); not a surname with "Mc"."""
NO_VERSION = re.compile(r"^(?:[0-9]+(?:st|nd|rd|th)|[HQ][1-4]|FY[0-9]{2,4})$", re.IGNORECASE)
"""An ordinal ("81st minute"), a half, a quarter or a fiscal year ("Globex Q2 profit"): never a version."""
SHAPE = re.compile(r"^[a-z]{1,2}[A-Z][A-Za-z0-9]+$")
"""A product's shape: a lower-case initial and a capital inside ("iGizmo", "eWidget", "zPad")."""
BASED_ON = re.compile(r"\b(\w+)-based\b")
"""A name made an adjective with "-based" ("Zephyr-based phones")."""
APPOSITION_REACH = 5
"""Words after a comma searched for the noun of an apposition ("Zephyr, a software maker,")."""
OWNS_REACH = 3
"""Words after a possessive searched for the product it owns ("Globex's new iGizmo")."""
MAX_RUN = 8
"""At most this many tokens in a product's name (longer stretches are lists or headlines)."""
LEADING = 3
"""At most this many capitalised words before a model word are the product's name."""
TRAILING = 2
"""At most this many capitalised words after a version are the product's name ("OS X Puma")."""
