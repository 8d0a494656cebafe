"""Stories: the articles of a briefing grouped by what they report, ranked, with points.

Two articles belong to one story when they are near-duplicates (:mod:`.dedup`: the
same text republished or updated) or when they report the same event in their own
words: their openings (title, key points, first paragraph) share distinctive words
(a tf-idf cosine of at least :data:`SAME_EVENT`), their leads agree on what happened
(:mod:`.sameevent`: event words, figures, days; a topic is not an event) and their dates are
at most :data:`WINDOW_DAYS` apart. Candidate pairs for the second test come from an inverted
index of each article's most distinctive words, so the work grows near-linearly with
the number of articles. Groups are the connected components of those links.

A story cites every article in it; its points are drawn from all of them, with repeats
removed, each point keeping the article it came from. Its headline, date and first point
come from its earliest full report. What arrived after the previous briefing is flagged new.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from briefing.compose.dedup import near_duplicates
from briefing.compose.sameevent import Lead, agreement, lead_of
from briefing.model import BriefingPoint, StoredArticle, Story
from briefing.nlp.salience import term_rarity
from briefing.nlp.salience.features import content_terms, tokens
from briefing.nlp.sentences import fragment_sides

SAME_EVENT = 0.35
"""Cosine similarity of two openings (tf-idf of distinctive words) from which they report the same event.

Three reports of one event in their own words scored 0.49-0.52 here, unrelated news under
0.05; with all 1,114 BBC articles dated the same day, 0.35 still links some articles of the
same running story (a takeover bid, a court case) and few of different topics (2 of 419 links
crossed BBC's categories at 0.3; 285 links at 0.35), and keeps the largest group at 11 articles (19 at 0.3)."""

SAME_TOPIC = 0.2
"""Openings less similar than this are never one event, whatever their leads say."""

EVENT_AGREES = 0.2
"""How far two leads must agree on what happened (:func:`.sameevent.agreement`) for articles of
one topic (an opening cosine of :data:`SAME_EVENT`) to be one story: a topic is not an event."""

EVENT_AGREES_STRONGLY = 0.5
"""Leads that agree this much (event words, a shared figure, the same day) make one story from
an opening cosine of :data:`SAME_TOPIC`: day 2 of a suspension, a vote reported a day later."""

FULL_REPORT_CHARS = 400
"""An article shorter than this is a flash, not a full report: it does not headline a story."""

WINDOW_DAYS = 3
"""Articles more days apart than this are not linked as the same event (near-duplicates always are)."""

TOP_TERMS = 12
"""Distinctive words per article put in the candidate index."""

OPENING_CHARS = 1200
"""How much of the text, besides title and key points, describes what an article reports."""

POINT_REPEAT = 0.5
"""Word overlap (Jaccard) from which a point repeats one already in the story."""

HALF_LIFE_DAYS = 2.0
"""The shortest half-life of a story's recency; over a longer period it is half the period's span."""

RECENCY_FLOOR = 0.5
"""The least recency weight of a story: age never more than halves it, so the bottom line of a
long briefing covers its whole period, not only its last days."""

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class _Profile:
    """What an article reports, as unit-length tf-idf weights of its distinctive words."""

    weights: dict[str, float]
    top: tuple[str, ...]


def _profile(item: StoredArticle) -> _Profile:
    article = item.article
    points = " ".join(k.text for k in item.analysis.key_points)
    text = f"{article.title}. {article.title}. {points} {article.text[:OPENING_CHARS]}"
    counts = Counter(content_terms(tokens(text)))
    weights = {t: (1 + math.log(c)) * term_rarity(t) for t, c in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    weights = {t: w / norm for t, w in weights.items()}
    top = tuple(sorted(weights, key=lambda t: (-weights[t], t))[:TOP_TERMS])
    return _Profile(weights, top)


def _cosine(a: _Profile, b: _Profile) -> float:
    small, large = (a.weights, b.weights) if len(a.weights) <= len(b.weights) else (b.weights, a.weights)
    return sum(w * large.get(t, 0.0) for t, w in small.items())


def same_event_pairs(stored: Sequence[StoredArticle]) -> list[tuple[int, int, float]]:
    """Pairs of articles, in their own words, about the same event (see the module doc)."""
    profiles = [_profile(s) for s in stored]
    postings: dict[str, list[int]] = defaultdict(list)
    for index, profile in enumerate(profiles):
        for term in profile.top:
            postings[term].append(index)
    cap = max(50, len(stored) // 100)  # a word in more openings than this distinguishes nothing
    shared: Counter[tuple[int, int]] = Counter()
    for members in postings.values():
        if len(members) > cap:
            continue
        for a, i in enumerate(members):
            for j in members[a + 1 :]:
                shared[(i, j)] += 1
    found = []
    leads: dict[int, Lead] = {}
    for (i, j), count in shared.items():
        if count < 2 or abs((stored[i].article.date - stored[j].article.date).days) > WINDOW_DAYS:
            continue
        similarity = _cosine(profiles[i], profiles[j])
        if similarity < SAME_TOPIC:
            continue
        for k in (i, j):
            if k not in leads:
                leads[k] = lead_of(stored[k])
        agrees = agreement(leads[i], leads[j])
        if agrees >= (EVENT_AGREES if similarity >= SAME_EVENT else EVENT_AGREES_STRONGLY):
            found.append((i, j, similarity))
    return sorted(found)


def group_articles(stored: Sequence[StoredArticle]) -> list[list[int]]:
    """Indices of ``stored`` grouped into stories (connected components of the links)."""
    parent = list(range(len(stored)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    texts = [s.article.text if s.article.text.strip() else s.article.id for s in stored]
    for i, j, _ in [*near_duplicates(texts), *same_event_pairs(stored)]:
        parent[root(i)] = root(j)
    groups: dict[int, list[int]] = defaultdict(list)
    for index in range(len(stored)):
        groups[root(index)].append(index)
    return list(groups.values())


def _is_new(item: StoredArticle, previous_at: dt.datetime | None) -> bool:
    return previous_at is None or item.first_seen > previous_at


def _first_report(members: Sequence[StoredArticle]) -> StoredArticle:
    """The story's earliest full report (a flash of a line or two is not one, unless all are)."""
    full = [m for m in members if len(m.article.text) >= FULL_REPORT_CHARS] or list(members)
    return min(full, key=lambda m: (m.article.date, m.first_seen, m.article.id))


def _points(
    members: Sequence[StoredArticle], previous_at: dt.datetime | None, lead: StoredArticle | None = None
) -> tuple[BriefingPoint, ...]:
    """The story's points from all its articles, no point repeating another: the best point
    of ``lead`` (the earliest full report) first, then the others best first."""
    per_article = max((len(m.analysis.key_points) for m in members), default=0)
    limit = min(per_article + len(members) - 1, 2 * per_article)
    candidates = sorted(
        ((k, m) for m in members for k in m.analysis.key_points),
        key=lambda pair: (-pair[0].score, pair[1].article.date, pair[0].start),
    )
    if lead is not None:
        opening = next((c for c in candidates if c[1] is lead), None)
        if opening is not None:
            candidates = [opening, *(c for c in candidates if c is not opening)]
    kept: list[tuple[BriefingPoint, set[str]]] = []
    top = max((k.score for k, _ in candidates), default=0.0)
    for point, member in candidates:
        if len(kept) >= limit:
            break
        words = set(content_terms(tokens(point.text)))
        if any(_jaccard(words, other) >= POINT_REPEAT for _, other in kept):
            continue
        text = _SPACE.sub(" ", point.text)
        before, after = fragment_sides(member.article.text, point.start, point.end)
        text = ("… " if before else "") + text + (" …" if after else "")  # a piece of a longer sentence says so
        # The lead's point carries the story's best score: the bottom line quotes it for the story.
        score = top if lead is not None and not kept else point.score
        kept.append((BriefingPoint(text, score, member.article.id, _is_new(member, previous_at)), words))
    return tuple(p for p, _ in kept)


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _publisher(item: StoredArticle) -> str:
    """Who published an article: copies from one publisher are one source, not several."""
    article = item.article
    named = article.meta.get("publisher")
    if named:
        return str(named).lower()
    if article.url:
        return urlsplit(article.url).netloc.lower().removeprefix("www.")
    return article.id


@dataclass(frozen=True, slots=True)
class _Period:
    """What a story's importance is judged against: the briefing's day, its span, who mattered in it."""

    now: dt.date
    span_days: int
    actor_articles: Counter[str]
    articles: int


def _period(stored: Sequence[StoredArticle], now: dt.date) -> _Period:
    earliest = min((s.article.date for s in stored), default=now)
    counts: Counter[str] = Counter()
    for item in stored:
        counts.update({a.name for a in item.analysis.actors})
    return _Period(now, max((now - earliest).days, 0), counts, len(stored))


def _rank(members: Sequence[StoredArticle], period: _Period) -> float:
    """How much a story matters over the briefing's period.

    The product of: independent sources (publishers; one publisher's follow-up on another
    day counts again, its copies the same day do not), how much its three most present
    actors figure in the period's other articles, what it announces ahead, and recency
    (between :data:`RECENCY_FLOOR` and 1). The briefing states this order in one line
    above its bottom line (``templates/partials/bottom_line.html.j2``).
    """
    sources = 1 + math.log2(len({(_publisher(m), m.article.date) for m in members}))
    actors = {a.name for m in members for a in m.analysis.actors}
    weights = sorted((period.actor_articles[a] - 1 for a in actors), reverse=True)[:3]
    prominence = sum(math.log2(1 + w) for w in weights) / (3 * math.log2(1 + max(period.articles, 1)))
    upcoming = sum(e.status == "upcoming" and e.notable for m in members for e in m.analysis.events)
    latest = max(m.article.date for m in members)
    half_life = max(HALF_LIFE_DAYS, period.span_days / 2)
    age = max((period.now - latest).days, 0)
    recency = RECENCY_FLOOR + (1 - RECENCY_FLOOR) * 0.5 ** (age / half_life)
    score: float = sources * (1 + prominence) * (1 + 0.1 * min(upcoming, 3)) * recency
    return score


def _headline(item: StoredArticle) -> str:
    """The article's title; for an article that came without one, the event its opening sentence reports.

    A title made from a long first sentence is cut short ("Turkish President Tayyip
    Erdogan's top foreign policy adviser Ibrahim Kalin…"); the event found in that
    sentence names who did what where ("Meeting of Ibrahim Kalin and Sadat Onal with
    Israeli officials in Jerusalem"), which is what a headline is for.
    """
    article = item.article
    if article.meta.get("title_source") != "derived":
        return article.title
    opening = article.text.find("\n")
    opening = len(article.text) if opening < 0 else opening
    lead = [
        e for e in item.analysis.events if e.notable and e.evidence is not None and e.evidence.start < min(opening, 400)
    ]
    return lead[0].title if lead else article.title


def build_stories(stored: Sequence[StoredArticle], now: dt.date, previous_at: dt.datetime | None = None) -> list[Story]:
    """The briefing's stories, most important first (rank ties: newest first).

    A story's headline, date and first point come from one article, its earliest full
    report, so that they tell one consistent account of the event; later reports add points.
    """
    ranked = []
    period = _period(stored, now)
    for group in group_articles(stored):
        members = sorted((stored[i] for i in group), key=lambda s: (s.article.date, s.first_seen), reverse=True)
        latest = members[0].article
        first = _first_report(members)
        story = Story(
            title=_headline(first),
            date=first.article.date,
            points=_points(members, previous_at, first),
            article_ids=tuple(m.article.id for m in members),
            is_new=all(_is_new(m, previous_at) for m in members),
        )
        ranked.append((_rank(members, period), latest.date, members[0].first_seen, story))
    ranked.sort(key=lambda r: (r[0], r[1], r[2]), reverse=True)
    return [story for *_, story in ranked]
