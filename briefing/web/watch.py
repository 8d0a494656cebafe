"""A watchlist's Atom feed and iCalendar subscription: the stored articles it matches, and their upcoming events.

Matching is :mod:`briefing.watchlists.match`'s, the alerts' own (an article's actors and
words); an event is the watchlist's when an article reporting it matches, or when its
own actors or words do, as in a briefing's Watchlist section. The feed walks the store
newest first and stops at :data:`FEED_ENTRIES` matches; entry ids are ``urn:uuid:`` names
of the reports folder, the watchlist and the article id, so they never change.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response

from briefing.render.ics import calendar_ics
from briefing.watchlists import Matcher, from_settings
from briefing.web.feeds import FeedEntry, atom_feed
from briefing.web.queries import Reader
from briefing.web.routes import Context, _calendar, ctx, not_found

FEED_ENTRIES = 50
"""A watchlist's feed holds its newest this many matching articles."""

SCAN_BATCH = 500
"""Stored articles read (and matched) at a time, newest first."""

SUMMARY_CHARS = 400
"""An entry's summary: the terms matched, then the article's first this many characters."""

CACHED_FEEDS = 64
"""Feeds kept between requests (by watchlist and address), each until the store changes."""

_CACHE_LOCK = threading.Lock()


@dataclass
class _FeedCache:
    """Feeds already worked out, valid while SQLite's ``data_version`` stays the same (no other connection
    committed): a watchlist that matches few articles walks the whole store, seconds with 10,000."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    watch: sqlite3.Connection | None = None
    feeds: dict[tuple[str, str], tuple[int, list[FeedEntry]]] = field(default_factory=dict)
    events: dict[str, tuple[int, frozenset[str]]] = field(default_factory=dict)
    """By watchlist: the ids of the articles reporting upcoming events that it matches."""

    def version(self, c: Context) -> int:
        """The store's version as this connection sees it (call with :attr:`lock` held)."""
        if self.watch is None:
            self.watch = sqlite3.connect(f"file:{c.settings.state_path}?mode=ro", uri=True, check_same_thread=False)
        return int(self.watch.execute("PRAGMA data_version").fetchone()[0])


def _cache(request: Request) -> _FeedCache:
    with _CACHE_LOCK:
        cache: _FeedCache | None = getattr(request.app.state, "watchlist_feeds", None)
        if cache is None:
            cache = _FeedCache()
            request.app.state.watchlist_feeds = cache
        return cache


def _cached_entries(c: Context, request: Request, matcher: Matcher, base: str) -> list[FeedEntry]:
    cache = _cache(request)
    with cache.lock:
        version = cache.version(c)
        key = (matcher.name, base)
        found = cache.feeds.get(key)
        if found is not None and found[0] == version:
            return found[1]
        with c.reader() as reader:
            entries = matching_entries(reader, matcher, base)
        if len(cache.feeds) >= CACHED_FEEDS:
            cache.feeds.clear()
        cache.feeds[key] = (version, entries)
        return entries


def _matcher(c: Context, request: Request) -> Matcher | None:
    name = request.path_params["name"]
    found = from_settings(c.settings.watchlists, only=[name])
    return Matcher(found[0]) if found else None


def matching_entries(reader: Reader, matcher: Matcher, base: str, limit: int = FEED_ENTRIES) -> list[FeedEntry]:
    """The newest ``limit`` stored articles the watchlist matches, as feed entries."""
    entries: list[FeedEntry] = []
    offset = 0
    while len(entries) < limit and (batch := reader.newest_stored(offset, SCAN_BATCH)):
        offset += len(batch)
        for stored in batch:
            match = matcher.article(stored)
            if not match:
                continue
            item = stored.article
            text = " ".join(item.text.split())
            cut = text[:SUMMARY_CHARS] + ("…" if len(text) > SUMMARY_CHARS else "")
            entries.append(
                FeedEntry(
                    key=item.id,
                    title=item.title,
                    updated=stored.first_seen,
                    published=dt.datetime.combine(item.date, dt.time(), dt.UTC),
                    page=f"{base}/article/{item.id}",
                    pdf=None,
                    html=None,
                    summary=f"Matches: {', '.join(match.terms)}.\n\n{cut}",
                )
            )
            if len(entries) >= limit:
                break
    return entries


def watchlist_feed(request: Request) -> Response:
    c = ctx(request)
    matcher = _matcher(c, request)
    if matcher is None:
        return not_found(request, "No watchlist has this name.")
    base = str(request.base_url).rstrip("/")
    entries = _cached_entries(c, request, matcher, base)
    path = f"/watchlist/{matcher.name}"
    data = atom_feed(
        f"{c.settings.report.title}: watchlist {matcher.name}",
        f"{c.settings.reports_path.resolve()}/watchlist/{matcher.name}",
        f"{base}{path}/feed.atom",
        f"{base}/",
        entries,
    )
    return Response(data, media_type="application/atom+xml; charset=utf-8")


def watchlist_ics(request: Request) -> Response:
    """The upcoming events of the watchlist (the calendar's filters apply too)."""
    c = ctx(request)
    matcher = _matcher(c, request)
    if matcher is None:
        return not_found(request, "No watchlist has this name.")
    entries, sources = _calendar(c, request)
    matched = _event_articles(c, request, matcher)
    mine = [e for e in entries if matched.intersection(e.article_ids) or matcher.event(e.actors, e.title, e.evidence)]
    name = f"briefing: upcoming events of watchlist {matcher.name}"
    data = calendar_ics(mine, dt.datetime.now(dt.UTC), sources, name=name)
    return Response(data, media_type="text/calendar; charset=utf-8")


def _event_articles(c: Context, request: Request, matcher: Matcher) -> frozenset[str]:
    """The articles reporting an upcoming event that the watchlist matches (worked out once per store version)."""
    cache = _cache(request)
    with cache.lock:
        version = cache.version(c)
        found = cache.events.get(matcher.name)
        if found is not None and found[0] == version:
            return found[1]
    ids = sorted({i for e in c.upcoming()[0] for i in e.article_ids})
    matched: set[str] = set()
    with c.reader() as reader:
        for start in range(0, len(ids), SCAN_BATCH):
            chunk = ids[start : start + SCAN_BATCH]
            matched.update(s.article.id for s in reader.newest_stored(0, len(chunk), chunk) if matcher.article(s))
    with cache.lock:
        if len(cache.events) >= CACHED_FEEDS:
            cache.events.clear()
        cache.events[matcher.name] = (version, frozenset(matched))
    return frozenset(matched)
