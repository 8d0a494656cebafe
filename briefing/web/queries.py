"""What the web view reads from the store: read-only SQL over the articles, the search index and the actor index.

Every page is a few indexed queries, never a walk through all the stored analyses: the
full-text index (``article_search``, FTS5) and the actor index (``article_actors``) are
kept in step by the store (migration 8). Superseded versions of edited files are left out,
as briefings leave them out.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from briefing.contract import analysis_from_record
from briefing.model import Analysis, Article, StoredArticle, When
from briefing.store import BUSY_TIMEOUT_MS, Store
from briefing.store.articles import stored_article_of_row

CURRENT = "a.id NOT IN (SELECT article_id FROM superseded)"
"""Only the articles a briefing would show: not earlier versions of edited files."""

MARK_START, MARK_END = "\x02", "\x03"
"""Where a search snippet's match starts and ends: control characters, which stored text never holds."""

COMPANION_WINDOW = 1000
"""Who an actor appears with is counted over its latest this many articles: the company it keeps now."""

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class ArticleRef:
    id: str
    title: str
    date: dt.date


@dataclass(frozen=True, slots=True)
class SearchHit:
    article: ArticleRef
    snippet: str
    """Text around the match, the matched words between :data:`MARK_START` and :data:`MARK_END`."""
    source: str


@dataclass(frozen=True, slots=True)
class SearchResult:
    hits: tuple[SearchHit, ...]
    total: int


@dataclass(frozen=True, slots=True)
class SearchQuery:
    words: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    actor: str = ""
    source: str = ""
    offset: int = 0
    limit: int = 20


@dataclass(frozen=True, slots=True)
class Role:
    role: str | None
    affiliation: str | None
    first: dt.date
    last: dt.date
    articles: int


@dataclass(frozen=True, slots=True)
class TimelineItem:
    date: str
    """An article's date, or an event's TIMEX3 value."""
    kind: str
    """``article`` or ``event``."""
    title: str
    article: ArticleRef
    status: str = ""


@dataclass(frozen=True, slots=True)
class Companion:
    name: str
    kind: str
    articles: int


@dataclass(frozen=True, slots=True)
class ActorProfile:
    name: str
    kind: str
    aliases: tuple[str, ...]
    roles: tuple[Role, ...]
    timeline: tuple[TimelineItem, ...]
    companions: tuple[Companion, ...]
    articles: tuple[ArticleRef, ...]
    article_count: int
    companions_from: int
    """How many of its latest articles the companions are counted in (at most :data:`COMPANION_WINDOW`)."""


@dataclass(frozen=True, slots=True)
class EventReport:
    article: ArticleRef
    title: str
    start: When | None
    end: When | None
    status: str
    actors: tuple[str, ...]
    sentence: str


class Reader(Store):
    """The store, opened read-only (``briefing serve`` migrated it when it started): the store's own
    queries (briefings, articles of a period, events ahead) and the web view's below. Never writes, so
    it never waits for the service's write transactions."""

    def __init__(self, path: Path) -> None:  # no super().__init__: that migrates, which writes
        self.path = path
        self._sqlite = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        self._db = self._sqlite
        self._sqlite.row_factory = sqlite3.Row
        self._sqlite.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def stored_article(self, article_id: str) -> tuple[Article, Analysis | None, bool] | None:
        """An article, its analysis (None if it has none) and whether it is superseded."""
        found = self.articles_by_id([article_id])
        if not found:
            return None
        row = self._db.execute("SELECT data FROM analyses WHERE article_id = ?", (article_id,)).fetchone()
        analysis = None
        if row is not None:
            try:
                analysis = analysis_from_record(article_id, json.loads(row["data"]))
            except ValueError:  # an old analysis with a NaN score
                analysis = None
        old = self._db.execute("SELECT 1 FROM superseded WHERE article_id = ?", (article_id,)).fetchone() is not None
        return found[0], analysis, old

    def newest_stored(self, offset: int, limit: int, ids: list[str] | None = None) -> list[StoredArticle]:
        """Current articles with their analyses, newest (by date, then arrival) first; only ``ids`` when given."""
        only, params = "", [*(ids or ()), limit, offset]
        if ids is not None:
            only = f" AND a.id IN ({', '.join('?' * len(ids))})" if ids else " AND 0"
        query = (
            f"SELECT a.*, n.data AS analysis, (SELECT {self.paths_agg} FROM sources s WHERE s.article_id = a.id)"
            f" AS paths FROM articles a JOIN analyses n ON n.article_id = a.id WHERE {CURRENT}{only}"
            " AND json_valid(n.data) ORDER BY a.date DESC, a.first_seen DESC, a.id LIMIT ? OFFSET ?"
        )
        return [stored_article_of_row(row) for row in self._db.execute(query, params)]

    def articles_titled(self, titles: list[str]) -> dict[str, str]:
        """Article ids by title, for the titles given (the latest article of a title wins)."""
        found: dict[str, str] = {}
        for start in range(0, len(titles), 500):
            chunk = titles[start : start + 500]
            rows = self._db.execute(
                f"SELECT a.id, a.title FROM articles a WHERE a.title IN ({', '.join('?' * len(chunk))}) AND {CURRENT}"
                " ORDER BY a.date, a.first_seen",
                chunk,
            )
            found.update({row["title"]: row["id"] for row in rows})
        return found

    # -- search ----------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        """Ranked (BM25) matches of every word, with snippets, within the filters."""
        match = fts_query(query.words)
        where, params = [CURRENT], []
        if match:
            where.append("article_search MATCH ?")
            params.append(match)
        if query.since:
            where.append("a.date >= ?")
            params.append(query.since.isoformat())
        if query.until:
            where.append("a.date <= ?")
            params.append(query.until.isoformat())
        if query.actor:
            where.append("a.id IN (SELECT article_id FROM article_actors WHERE name = ? COLLATE NOCASE)")
            params.append(query.actor)
        if query.source:
            like = f"%{_like(query.source)}%"
            where.append(
                "(coalesce(json_extract(a.meta, '$.publisher'), '') LIKE ? ESCAPE '\\' OR coalesce(a.url, '') LIKE ?"
                " ESCAPE '\\' OR EXISTS (SELECT 1 FROM sources s WHERE s.article_id = a.id AND s.path LIKE ? ESCAPE '\\'))"
            )
            params += [like, like, like]
        if not match and len(where) == 1:
            return SearchResult((), 0)
        if match:
            base = "FROM article_search JOIN articles a ON a.rowid = article_search.rowid"
            snippet = f"snippet(article_search, 1, '{MARK_START}', '{MARK_END}', '…', 24)"
            order = "ORDER BY rank"
        else:
            base, snippet, order = "FROM articles a", "substr(a.text, 1, 200)", "ORDER BY a.date DESC, a.id"
        condition = " AND ".join(where)
        total = int(self._db.execute(f"SELECT count(*) {base} WHERE {condition}", params).fetchone()[0])
        rows = self._db.execute(
            f"SELECT a.id, a.title, a.date, a.url, json_extract(a.meta, '$.publisher') AS publisher,"
            f" {snippet} AS snippet {base} WHERE {condition} {order} LIMIT ? OFFSET ?",
            [*params, query.limit, query.offset],
        )
        hits = tuple(
            SearchHit(_ref(row), row["snippet"] or "", row["publisher"] or _host(row["url"]) or "") for row in rows
        )
        return SearchResult(hits, total)

    # -- actors ----------------------------------------------------------------------------

    def actor(self, name: str, kind: str | None = None, recent: int = 200, shown: int = 50) -> ActorProfile | None:
        """Everything known about one actor; the timeline covers its ``recent`` latest articles."""
        if kind is None:
            row = self._db.execute(
                "SELECT kind FROM article_actors WHERE name = ? GROUP BY kind ORDER BY count(*) DESC LIMIT 1", (name,)
            ).fetchone()
            if row is None:
                return None
            kind = str(row["kind"])
        mine = "x.name = ? AND x.kind = ? AND x.article_id NOT IN (SELECT article_id FROM superseded)"
        key = (name, kind)
        count = int(self._db.execute(f"SELECT count(*) FROM article_actors x WHERE {mine}", key).fetchone()[0])
        if not count:
            return None
        aliases: set[str] = set()
        for (text,) in self._db.execute(f"SELECT DISTINCT x.aliases FROM article_actors x WHERE {mine}", key):
            aliases.update(json.loads(text))
        aliases.discard(name)
        roles = tuple(
            Role(r["role"], r["affiliation"], _day(r["first"]), _day(r["last"]), int(r["n"]))
            for r in self._db.execute(
                "SELECT x.role, x.affiliation, min(x.date) AS first, max(x.date) AS last, count(*) AS n"
                f" FROM article_actors x WHERE {mine} AND (x.role IS NOT NULL OR x.affiliation IS NOT NULL)"
                " GROUP BY x.role, x.affiliation ORDER BY first, last",
                key,
            )
        )
        latest = [
            _ref(r)
            for r in self._db.execute(
                f"SELECT a.id, a.title, a.date FROM article_actors x JOIN articles a ON a.id = x.article_id WHERE {mine}"
                " ORDER BY x.date DESC LIMIT ?",
                (*key, recent),
            )
        ]
        timeline = [TimelineItem(ref.date.isoformat(), "article", ref.title, ref) for ref in latest]
        by_id = {ref.id: ref for ref in latest}
        if by_id:
            rows = self._db.execute(
                "SELECT n.article_id, e.value AS event FROM analyses n, json_each(n.data, '$.events') e"
                f" WHERE n.article_id IN ({', '.join('?' * len(by_id))}) AND json_valid(n.data)"
                " AND coalesce(json_extract(e.value, '$.notable'), 1)",
                list(by_id),
            )
            for row in rows:
                event = json.loads(row["event"])
                if name in (event.get("actors") or []):
                    ref = by_id[row["article_id"]]
                    timeline.append(
                        TimelineItem(
                            event.get("start") or ref.date.isoformat(),
                            "event",
                            str(event.get("title") or ""),
                            ref,
                            str(event.get("status") or ""),
                        )
                    )
        timeline.sort(key=lambda item: (item.date, item.kind == "article"), reverse=True)
        companions = tuple(
            Companion(r["name"], r["kind"], int(r["n"]))
            for r in self._db.execute(
                f"WITH mine AS (SELECT x.article_id FROM article_actors x WHERE {mine} ORDER BY x.date DESC LIMIT ?)"
                " SELECT y.name, y.kind, count(*) AS n, sum(y.mentions) AS m FROM mine"
                " JOIN article_actors y ON y.article_id = mine.article_id WHERE NOT (y.name = ? AND y.kind = ?)"
                " GROUP BY y.name, y.kind ORDER BY n DESC, m DESC, y.name LIMIT 15",
                (*key, COMPANION_WINDOW, *key),
            )
        )
        return ActorProfile(
            name,
            kind,
            tuple(sorted(aliases)),
            roles,
            tuple(timeline),
            companions,
            tuple(latest[:shown]),
            count,
            min(count, COMPANION_WINDOW),
        )

    def actor_names(self, prefix: str = "", limit: int = 200) -> list[Companion]:
        """The most reported actors (whose name starts with ``prefix``)."""
        rows = self._db.execute(
            "SELECT name, kind, count(*) AS n FROM article_actors WHERE name LIKE ? ESCAPE '\\'"
            " GROUP BY name, kind ORDER BY n DESC, name LIMIT ?",
            (f"{_like(prefix)}%", limit),
        )
        return [Companion(r["name"], r["kind"], int(r["n"])) for r in rows]

    # -- events ----------------------------------------------------------------------------

    def event_reports(self, title: str, limit: int = 200) -> list[EventReport]:
        """Every report of an event with this title, newest article first."""
        rows = self._db.execute(
            "SELECT a.id, a.title, a.date, a.text, e.value AS event FROM articles a JOIN analyses n ON n.article_id = a.id,"
            " json_each(n.data, '$.events') e WHERE json_valid(n.data) AND json_extract(e.value, '$.title') = ?"
            f" AND {CURRENT} ORDER BY a.date DESC LIMIT ?",
            (title, limit),
        )
        reports = []
        for row in rows:
            event = json.loads(row["event"])
            evidence = event.get("evidence") or {}
            sentence = str(row["text"])[evidence.get("start", 0) : evidence.get("end", 0)]
            reports.append(
                EventReport(
                    _ref(row),
                    str(event.get("title") or ""),
                    When.parse(event.get("start")),
                    When.parse(event.get("end")),
                    str(event.get("status") or ""),
                    tuple(event.get("actors") or ()),
                    " ".join(sentence.split()),
                )
            )
        return reports


def fts_query(words: str) -> str:
    """The user's words as an FTS5 query: every word must occur; no operator of theirs is ever parsed.

    Each word becomes a quoted string (FTS5 syntax cannot break out of one), so
    ``NEAR(``, ``-``, ``*`` or an unbalanced quote in a search box is only text.
    """
    return " ".join(f'"{word}"' for word in _WORD.findall(words))


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _ref(row: sqlite3.Row) -> ArticleRef:
    return ArticleRef(row["id"], row["title"], _day(row["date"]))


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value[:10])


def _host(url: str | None) -> str:
    if not url:
        return ""
    return url.split("//", 1)[-1].split("/", 1)[0]
