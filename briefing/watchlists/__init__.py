"""Watchlists: the actors and words an analyst follows, matched in stored articles, and the alerts they raise.

    match.py     which articles and events a watchlist matches (pure; compose uses it for the Watchlist section)
    alert.py     the alert itself: a short e-mail and a JSON body for a webhook, article text escaped (pure)
    webhook.py   the webhook transport: a POST over http(s), timeouts, redirects only to http(s), error kinds
    alerting.py  the jobs: new articles -> alerts (once per article and watchlist) -> the outbox -> delivered

The settings (``[watchlists.<name>]``) become :class:`Watchlist` values through :func:`from_settings`.
"""

from __future__ import annotations

from collections.abc import Mapping

from briefing.config import WatchlistSettings
from briefing.watchlists.match import Match, Matcher, Watchlist, matchers, name_key

__all__ = ["Match", "Matcher", "Watchlist", "from_settings", "matchers", "name_key"]


def from_settings(watchlists: Mapping[str, WatchlistSettings], only: list[str] | None = None) -> tuple[Watchlist, ...]:
    """The configured watchlists in their order (only those named in ``only``, when given)."""
    return tuple(
        Watchlist(name, tuple(w.actors), tuple(w.keywords), tuple(w.recipients), w.webhook)
        for name, w in watchlists.items()
        if only is None or name in only
    )
