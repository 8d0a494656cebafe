"""A test-only hook: stop ingesting after N stored articles, so a test can kill a real process at that moment.

Set ``TEST_BRIEFING_PAUSE_AFTER=N`` in the environment of a ``briefing ingest`` or
``briefing run`` process: once N articles are stored (committed) in that process, it
writes ``paused after N stored articles`` on stderr and waits forever, so a test can
send SIGKILL at an exact point instead of guessing with a sleep. The variable is read
once, here and nowhere else; unset (always, outside tests), the hook costs one
comparison per article. The name lies outside the ``BRIEFING_*`` settings variables.
"""

from __future__ import annotations

import os
import sys
import threading

VARIABLE = "TEST_BRIEFING_PAUSE_AFTER"

_limit = int(os.environ.get(VARIABLE, "0") or 0)
_stored = 0


def stored_one() -> None:
    """Count one stored article; at the limit, say so and block this thread forever."""
    global _stored
    if not _limit:
        return
    _stored += 1
    if _stored == _limit:
        print(f"paused after {_stored} stored articles", file=sys.stderr, flush=True)
        threading.Event().wait()
