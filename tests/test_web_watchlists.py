"""A watchlist's Atom feed and iCalendar subscription in ``briefing serve``, on a real project served by TestClient."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import feedparser
import icalendar
import pytest
from starlette.testclient import TestClient

from briefing.config import Settings, WatchlistSettings
from briefing.pipeline import ingest_folder
from briefing.watchlists import Matcher, Watchlist
from briefing.web import create_app
from briefing.web.queries import Reader
from briefing.web.security import CONTENT_SECURITY_POLICY
from briefing.web.watch import FEED_ENTRIES, matching_entries
from tests.webserver import make_project

TOKEN = "watchlist-token-for-the-tests-0123456789"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    made = make_project(tmp_path_factory.mktemp("webwatch"))
    watchlists = {
        "spain": WatchlistSettings(actors=["Maria Lopez"]),
        "telecom": WatchlistSettings(keywords=["merger"]),
        "nothing": WatchlistSettings(keywords=["zeppelin"]),
    }
    return made.model_copy(update={"watchlists": watchlists})


@pytest.fixture(scope="module")
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as c:
        yield c


def _titles(settings: Settings) -> dict[str, str]:
    reader = Reader(settings.state_path)
    try:
        return {s.article.id: s.article.title for s in reader.newest_stored(0, 100)}
    finally:
        reader.close()


def test_watchlist_feed_holds_only_matching_articles(client: TestClient, settings: Settings) -> None:
    titles = _titles(settings)
    first = client.get("/watchlist/spain/feed.atom")
    assert first.status_code == 200 and first.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(first.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10" and "spain" in feed.feed.title
    assert [e.title for e in feed.entries] == ["Spanish minister to visit Ottawa"]
    entry = feed.entries[0]
    assert entry.id.startswith("urn:uuid:")
    assert entry.id == feedparser.parse(client.get("/watchlist/spain/feed.atom").content).entries[0].id
    page = next(link.href for link in entry.links if link.rel == "alternate")
    article_id = page.rsplit("/", 1)[1]
    assert titles[article_id] == entry.title
    assert client.get(page.removeprefix("http://testserver")).status_code == 200
    assert entry.updated_parsed is not None and entry.published_parsed is not None
    assert "Maria Lopez" in entry.summary
    telecom = feedparser.parse(client.get("/watchlist/telecom/feed.atom").content)
    assert not telecom.bozo and [e.title for e in telecom.entries] == ["Telecom merger agreed"]
    assert telecom.entries[0].id != entry.id  # ids differ between articles (and watchlists)
    empty = feedparser.parse(client.get("/watchlist/nothing/feed.atom").content)
    assert not empty.bozo and empty.entries == []


def test_watchlist_feed_is_newest_first_and_bounded(settings: Settings) -> None:
    wide = settings.model_copy(update={"watchlists": {"all": WatchlistSettings(keywords=["the"])}})
    with TestClient(create_app(wide)) as c:
        entries = feedparser.parse(c.get("/watchlist/all/feed.atom").content).entries
    reader = Reader(settings.state_path)
    try:
        newest = [s.article.title for s in reader.newest_stored(0, 100) if "the" in s.article.text.lower().split()]
    finally:
        reader.close()
    assert len(entries) >= 2 and [e.title for e in entries] == newest
    published = [e.published_parsed for e in entries]
    assert published == sorted(published, reverse=True)
    reader = Reader(settings.state_path)
    try:  # the bound: the walk stops at the limit, keeping the newest
        bounded = matching_entries(reader, Matcher(Watchlist("all", keywords=("the",))), "http://x", limit=1)
    finally:
        reader.close()
    assert [e.title for e in bounded] == newest[:1] and FEED_ENTRIES == 50


def test_watchlist_calendar_holds_only_matching_events(client: TestClient) -> None:
    def summaries(url: str) -> list[str]:
        response = client.get(url)
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
        return [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")]

    everything = summaries("/calendar.ics")
    spain = summaries("/watchlist/spain/calendar.ics")
    assert any("Lopez" in s for s in spain) and set(spain) < set(everything)
    assert not any("Lopez" in s for s in summaries("/watchlist/telecom/calendar.ics"))
    assert summaries("/watchlist/nothing/calendar.ics") == []


def test_unknown_watchlist_is_404(client: TestClient) -> None:
    for url in ("/watchlist/nobody/feed.atom", "/watchlist/nobody/calendar.ics", "/watchlist/..%2F/feed.atom"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_archive_and_calendar_link_each_watchlist(client: TestClient, settings: Settings) -> None:
    for url in ("/", "/calendar"):
        page = client.get(url).text
        for name in ("spain", "telecom", "nothing"):
            assert f'href="/watchlist/{name}/feed.atom"' in page and f'href="/watchlist/{name}/calendar.ics"' in page
        assert "<script" not in page
    bare = settings.model_copy(update={"watchlists": {}})
    with TestClient(create_app(bare)) as c:
        assert "/watchlist/" not in c.get("/").text and "/watchlist/" not in c.get("/calendar").text


def test_watchlist_urls_keep_the_token_and_csp(settings: Settings) -> None:
    guarded = settings.model_copy(update={"serve": settings.serve.model_copy(update={"token": TOKEN})})
    with TestClient(create_app(guarded)) as c:
        for url in ("/watchlist/spain/feed.atom", "/watchlist/spain/calendar.ics", "/watchlist/nobody/feed.atom"):
            assert c.get(url).status_code == 401, url
            assert c.get(url, headers={"Authorization": "Bearer wrong-token-wrong-token"}).status_code == 401
            response = c.get(url, headers={"Authorization": f"Bearer {TOKEN}"})
            assert response.status_code == (404 if "nobody" in url else 200), url
            assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_watchlist_feed_follows_newly_stored_articles(tmp_path: Path) -> None:
    made = make_project(tmp_path)
    settings = made.model_copy(update={"watchlists": {"spain": WatchlistSettings(actors=["Maria Lopez"])}})
    with TestClient(create_app(settings)) as c:
        assert len(feedparser.parse(c.get("/watchlist/spain/feed.atom").content).entries) == 1
        assert len(feedparser.parse(c.get("/watchlist/spain/feed.atom").content).entries) == 1  # from the cache
        today = dt.date.today()
        (tmp_path / "seeds" / "talks.txt").write_text(
            f"Title: Lopez opens fisheries talks\nDate: {today}\nSource: Harbour Herald\n\n"
            "Foreign Minister Maria Lopez of Spain opened talks on fisheries in Lisbon on Tuesday,"
            " officials said. The talks are expected to last two days."
        )
        ingest_folder(settings)
        titles = [e.title for e in feedparser.parse(c.get("/watchlist/spain/feed.atom").content).entries]
    assert titles == ["Lopez opens fisheries talks", "Spanish minister to visit Ottawa"]
