"""The Watchlist section, and briefings limited to watchlists: which stories and events each watchlist matches.

Matching is :mod:`briefing.watchlists.match`'s; the editorial choices are here. An
article's actors match under every name the briefing merged them with (an article
that says only "Doe" matches "Jane Doe" when another article of the period names her
in full). A story matches when one of its articles does; an event when one of the
articles reporting it does, or when its own actors or words match (an event reported
before the period). A briefing limited to watchlists keeps only matching articles and
earlier events, and is composed from those alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from briefing.model import CalendarEntry, ReportedEvent, StoredArticle, Story, WatchlistSection
from briefing.watchlists import Match, Matcher

ArticleMatches = dict[str, dict[str, Match]]
"""Watchlist name -> article id -> what of the watchlist the article matched."""


def match_articles(
    stored: Sequence[StoredArticle], matchers: Sequence[Matcher], names: Mapping[tuple[str, str], str]
) -> ArticleMatches:
    """What each watchlist matches in each article, its actors known by every name merged with theirs."""
    known_as: dict[str, set[str]] = defaultdict(set)  # an actor-table name -> every name and alias merged into it
    for item in stored:
        for actor in item.analysis.actors:
            merged = names.get((item.article.id, actor.name), actor.name)
            known_as[merged].update((actor.name, *actor.aliases, merged))
    found: ArticleMatches = {m.name: {} for m in matchers}
    for item in stored:
        extra = {
            a.name: known_as.get(names.get((item.article.id, a.name), a.name), set()) for a in item.analysis.actors
        }
        for matcher in matchers:
            if match := matcher.article(item, extra):
                found[matcher.name][item.article.id] = match
    return found


def limit_to(
    stored: Sequence[StoredArticle],
    earlier: Sequence[ReportedEvent],
    matchers: Sequence[Matcher],
    names: Mapping[tuple[str, str], str],
) -> tuple[list[StoredArticle], list[ReportedEvent]]:
    """Only the articles and the earlier events that match one of ``matchers``."""
    matched = match_articles(stored, matchers, names)
    keep = {article for by_article in matched.values() for article in by_article}
    events = [r for r in earlier if any(_event_match(m, r) for m in matchers)]
    return [s for s in stored if s.article.id in keep], events


def sections(
    stories: Sequence[Story],
    shown: Sequence[Story],
    calendar: Sequence[CalendarEntry],
    matched: ArticleMatches,
    matchers: Sequence[Matcher],
    max_stories: int,
) -> tuple[WatchlistSection, ...]:
    """One section per watchlist: its stories in the briefing's order, its events by date, the terms found.

    A section lists at most ``max_stories`` stories: those the briefing shows (``shown``,
    compose's choice) before those it left out, each group best first; the rest are counted.
    """
    shown_ids = {id(story) for story in shown}
    result = []
    for matcher in matchers:
        by_article = matched.get(matcher.name, {})
        found: dict[str, None] = {}
        story_hits = []
        for story in stories:
            hits = [by_article[a] for a in story.article_ids if a in by_article]
            if hits:
                story_hits.append(story)
                found.update(dict.fromkeys(t for h in hits for t in h.terms))
        events = []
        for entry in calendar:
            hits = [by_article[a] for a in entry.article_ids if a in by_article]
            own = matcher.event(entry.actors, entry.title, entry.evidence)
            if hits or own:
                events.append(entry)
                found.update(dict.fromkeys(t for h in [*hits, own] for t in h.terms))
        terms = (*matcher.watchlist.actors, *matcher.watchlist.keywords)
        ordered = tuple(t for t in terms if t in found)
        listed = sorted(story_hits, key=lambda story: id(story) not in shown_ids)[:max_stories]  # stable: rank kept
        chosen = {id(story) for story in listed}
        in_rank = tuple(story for story in story_hits if id(story) in chosen)
        more = len(story_hits) - len(in_rank)
        result.append(WatchlistSection(matcher.name, terms, in_rank, tuple(events), ordered, more_stories=more))
    return tuple(result)


def _event_match(matcher: Matcher, report: ReportedEvent) -> Match:
    return matcher.event(report.event.actors, report.event.title, report.sentence)
