"""Time expressions in English news, as TimeML TIMEX3 types and values.

Our own grammar of compiled regular expressions (see :mod:`.tagger` for the
rules in priority order), resolved against the article date and the tense of
the sentence: "met on Thursday" is the last Thursday up to the article date,
"will meet on Thursday" the next one.
"""

from briefing.nlp.timex.tagger import RULES, tag_times

__all__ = ["RULES", "tag_times"]
