"""Time expressions in English news, as TimeML TIMEX3 types and values.

Our own grammar of compiled regular expressions (see :mod:`.tagger` for the
rules in priority order), resolved against the article date and the tense of
the sentence: "met on Thursday" is the last Thursday up to the article date,
"will meet on Thursday" the next one.

``value_start``, ``value_end`` and ``granularity`` are the arithmetic on TIMEX3
values (``2022-03``, ``2022-W10`` ...), from :mod:`briefing.timevalue`, with which
the model's ``When`` reads an event's times once for the later stages;
``tense_near`` is the tense guesser the event extractor shares with the tagger.
"""

from briefing.nlp.timex.tagger import RULES, tag_times
from briefing.nlp.timex.tense import tense_near
from briefing.nlp.timex.values import granularity, value_end, value_start

__all__ = ["RULES", "granularity", "tag_times", "tense_near", "value_end", "value_start"]
