"""Lines that are part of a page, not of the story: they never become key points.

Bylines and datelines of the page furniture kind, photo captions and credits,
"Read more"/"Click here"/"Share" lines, subscription calls, header lines (short and
unpunctuated), and lines that are mostly a link or an address. The tests are cheap
and local to the sentence: a regex or two per sentence, compiled once.
"""

from __future__ import annotations

import re

_BYLINE = re.compile(
    r"""^\W*By\s+(?:[A-Z][\w'’.-]*\s*){1,4}(?:(?:and|&)\s+(?:[A-Z][\w'’.-]*\s*){1,4})?
        (?:\.?$|[|,/–—-][^.!?]*$)""",
    re.VERBOSE,
)
_FURNITURE = re.compile(
    r"""^\W*(?:
        (?:published|updated|last\s+(?:updated|modified)|posted|filed)\b[^.!?]{0,30}?(?::|\d{1,2}:\d\d)
      | (?:read|see|watch|listen\s+to|click|tap|scroll|swipe)\b.{0,40}\b(?:more|here|below|above|video|full\s+story|gallery|down)\b
        \s*(?::|[.!]?\s*$)
      | (?:additional\s+)?(?:reporting|writing|editing)\s+by\b
      | (?:related|more|see\s+also|also\s+read|recommended|top\s+stories)\b[^.!?]{0,25}:
      | (?:advertisement|sponsored|editor'?s\s+note|follow\s+us|sign\s+up|subscribe|newsletter)\b
      | (?:photo|photograph|picture|image|video|graphic|illustration|caption|credit|source)s?\s*(?:credit)?\s*:
      | (?:share|tweet|e-?mail|print)\s+(?:this|to\s+a\s+friend|on\b)
      | (?:copyright|©|all\s+rights\s+reserved)
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_CREDIT = re.compile(
    r"""(?:\(\s*(?:photo|picture|image)?:?\s*(?:getty|ap|afp|reuters|epa|pa|rex|shutterstock|alamy)[^)]*\)\s*$
      | \b(?:getty\s+images|ap\s+photo|afp\s+photo|reuters\s*/\s*\w+|photo\s*credit)\b
      | \b(?:click|tap)\s+here\b
      | \bscroll\s+down\s+for\b
      | \bcontributed\s+to\s+this\s+report\b
      | \b(?:e-?mail|share)\s+this\s+(?:article|story|page|video)\b | \blike\s+us\s+on\b
      | \bfollow\s+(?:us|@\w+|\w+\s+on\s+twitter)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_CREDIT_HINTS = (
    "getty", "photo", "reuters", "click here", "tap here", "scroll", "contributed", "share this",
    "mail this", "like us", "follow",
)  # fmt: skip
"""Cheap substring tests: the credit pattern runs only on sentences that contain one (or end in ")")."""
_LINK = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|(?:^|\s)@\w+")
_WORD = re.compile(r"\w+")
_SHORT = 16
"""Furniture lines are short; a longer sentence is tested only for credits and calls to click."""
_TERMINAL = re.compile(r"""[.!?]['"’”)\]]*$""")


def is_boilerplate(text: str) -> bool:
    """True for page furniture that must never be a key point."""
    words = _WORD.findall(text)
    if len(words) < 4:
        return True
    lower = text.lower()
    hinted = lower.rstrip().endswith(")") or any(hint in lower for hint in _CREDIT_HINTS)
    if hinted and _CREDIT.search(text):
        return True
    if len(words) <= _SHORT and (_FURNITURE.match(text) or _BYLINE.match(text)):
        return True
    if not _TERMINAL.search(text) and len(words) < 12:
        return True  # a header, a caption or a label: short and unpunctuated
    if text.isupper() and len(words) <= _SHORT:
        return True  # A SHOUTED HEADER LINE
    links = _LINK.findall(text)
    return bool(links) and sum(len(link) for link in links) > 0.3 * len(text)
