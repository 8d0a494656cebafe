"""``briefing serve`` without a browser: search, actor pages, feed, calendar files and the safety rules.

A real project (ingested, one briefing made) is served by Starlette's TestClient, or by a
real uvicorn server where a client would tidy the request (the traversal forms go out raw).
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import feedparser
import icalendar
import pytest
from starlette.testclient import TestClient

from briefing.cli import main
from briefing.config import Settings, load_settings
from briefing.model import CalendarEntry, When
from briefing.store import MIGRATIONS, Store
from briefing.web import UnsafeBind, create_app, make_server
from briefing.web.queries import Reader, SearchQuery, fts_query
from briefing.web.routes import within
from briefing.web.security import CONTENT_SECURITY_POLICY
from tests.webserver import UNIQUE_WORD, free_port, make_project, running

TOKEN = "s3cret-token-for-the-tests-0123456789"
_SEARCH_MIGRATION = next(i for i, script in enumerate(MIGRATIONS) if "article_search" in script)
"""The schema version before the migration that adds the search index (the last one when it was written)."""


@pytest.fixture(scope="module")
def web_template(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return make_project(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def client(web_template: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(web_template)) as c:
        yield c


def test_search_is_ranked_with_snippets_and_filters(client: TestClient, web_template: Settings) -> None:
    page = client.get("/search", params={"q": UNIQUE_WORD})
    assert page.status_code == 200
    assert "1 article found" in page.text and "Spanish minister to visit Ottawa" in page.text
    assert f"<mark>{UNIQUE_WORD}</mark>" in page.text  # the snippet marks the match
    with Reader(web_template.state_path) as reader:
        both = reader.search(SearchQuery(words="visit"))
        assert both.total >= 2
        assert both.hits[0].article.title == "Spanish minister to visit Ottawa"  # says "visit" most: ranked first
        today = dt.date.today()
        assert reader.search(SearchQuery(words="visit", since=today - dt.timedelta(days=3))).total == 1
        assert reader.search(SearchQuery(words="visit", until=dt.date(2022, 12, 31))).total == 1  # the seed (2022)
        assert reader.search(SearchQuery(words="visit", actor="Isaac Herzog")).total == 1
        assert reader.search(SearchQuery(words="visit", source="Harbour Herald")).total == 1
        assert reader.search(SearchQuery(words="visit", source="nowhere")).total == 0
        # operators typed into the box are text, never FTS5 syntax
        assert reader.search(SearchQuery(words='("visit" * - OR')).total == 0  # OR is a word no article has
        assert reader.search(SearchQuery(words='("visit" * -')).total >= 2
    assert fts_query('a "b" NEAR(c') == '"a" "b" "NEAR" "c"'


def test_search_index_follows_every_stored_article(tmp_path: Path) -> None:
    """Kept in step on insert, and built from the articles already stored when the migration runs."""
    settings = make_project(tmp_path)
    client = TestClient(create_app(settings))
    assert "Jane Holm" not in client.get("/calendar").text
    ahead = dt.date.today() + dt.timedelta(days=20)
    (tmp_path / "seeds" / "late.txt").write_text(
        f"date {dt.date.today()} The lighthouse keeper counted 40 puffins on Tuesday."
        f" Foreign Minister Jane Holm of Norway will visit Ottawa on {ahead:%B} {ahead.day}, {ahead.year}, officials said."
    )
    from briefing.pipeline import ingest_folder

    ingest_folder(settings)
    with Reader(settings.state_path) as reader:
        assert reader.search(SearchQuery(words="puffins")).total == 1
    assert "Jane Holm" in client.get("/calendar").text  # the calendar follows the store
    with sqlite3.connect(settings.state_path) as db:  # back to before migration 8: the index and actor list are rebuilt
        db.execute("DROP TABLE article_search")
        db.execute("DROP TABLE article_actors")
        db.execute("DROP INDEX articles_title")
        db.execute("ALTER TABLE briefings DROP COLUMN bottom_line")
        for table in ("alerts", "alert_checks", "alert_scan"):  # and what the later alerts migration added
            db.execute(f"DROP TABLE {table}")
        db.execute(f"PRAGMA user_version = {_SEARCH_MIGRATION}")
    with Store(settings.state_path):
        pass
    with Reader(settings.state_path) as reader:
        assert reader.search(SearchQuery(words="puffins")).total == 1
        assert reader.search(SearchQuery(words=UNIQUE_WORD)).total == 1
        herzog = reader.actor("Isaac Herzog")
        assert herzog is not None and herzog.article_count == 1


def test_actor_page_shows_kind_roles_timeline_and_company(client: TestClient, web_template: Settings) -> None:
    page = client.get("/actor", params={"name": "Isaac Herzog", "kind": "person"})
    assert page.status_code == 200
    text = page.text
    assert "person" in text and "Roles over time" in text and "President" in text
    assert "Visit of Israeli President Isaac Herzog to Turkey" in text  # the timeline's event
    assert re.search(r'href="/actor\?name=Turkey', text)  # appears with
    assert re.search(r"/calendar.ics\?actor=Isaac(\+|%20)Herzog", text)
    with Reader(web_template.state_path) as reader:
        herzog = reader.actor("Isaac Herzog")
    assert herzog is not None and "Herzog" in herzog.aliases
    assert any(item.kind == "event" for item in herzog.timeline)
    assert client.get("/actor", params={"name": "Nobody Atall"}).status_code == 404


def test_article_page_marks_key_points_and_links_actors_and_dates(client: TestClient, web_template: Settings) -> None:
    with Reader(web_template.state_path) as reader:
        hit = reader.search(SearchQuery(words=UNIQUE_WORD)).hits[0]
    page = client.get(f"/article/{hit.article.id}").text
    assert '<mark class="key-point">' in page
    assert re.search(
        r'<a class="actor" href="/actor\?name=Maria\+Lopez&amp;kind=person">(Foreign Minister )?Maria Lopez</a>', page
    )
    assert re.search(r'<a class="date" href="/calendar\?since=\d{4}-\d\d-\d\d">', page)
    story = client.get(f"/story/{hit.article.id}")
    assert story.status_code == 200 and "Spanish minister to visit Ottawa" in story.text


def test_briefing_page_links_actors_stories_sources_and_events(client: TestClient) -> None:
    page = client.get("/briefing/1")
    assert page.status_code == 200
    assert '<a class="web-actor" href="/actor?name=Isaac+Herzog&amp;kind=person">Isaac Herzog</a>' in page.text
    assert re.search(r'<a class="web-story" href="/story/[0-9a-f]{64}">', page.text)
    assert re.search(r'<a class="web-article" href="/article/[0-9a-f]{64}">', page.text)
    assert '<a class="web-event" href="/event?title=Visit+of+Israeli+President+Isaac+Herzog+to+Turkey">' in page.text
    event = client.get("/event", params={"title": "Visit of Israeli President Isaac Herzog to Turkey"})
    assert event.status_code == 200 and "March 9-10" in event.text


def test_atom_feed_parses_with_stable_ids_links_and_dates(client: TestClient) -> None:
    first, second = client.get("/feed.atom"), client.get("/feed.atom")
    assert first.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(first.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert len(feed.entries) == 1
    entry = feed.entries[0]
    assert entry.id.startswith("urn:uuid:") and entry.id == feedparser.parse(second.content).entries[0].id
    types = {(link.rel, link.type): link.href for link in entry.links}
    assert types["alternate", "text/html"].endswith("/briefing/1")
    assert types["related", "text/html"].endswith(".html") and "/reports/" in types["related", "text/html"]
    assert types["related", "application/pdf"].endswith(".pdf") and "/reports/" in types["related", "application/pdf"]
    assert entry.updated_parsed is not None and entry.published_parsed is not None
    assert "Herzog" in entry.summary or "Lopez" in entry.summary  # the bottom line
    pdf = client.get(types["related", "application/pdf"].removeprefix("http://testserver"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_calendar_subscriptions_are_icalendar(client: TestClient) -> None:
    page = client.get("/calendar")
    assert "Visit of Maria Lopez" in page.text and "/calendar.ics" in page.text
    for params, expect in (({}, 1), ({"actor": "Maria Lopez"}, 1), ({"actor": "Nobody Atall"}, 0)):
        response = client.get("/calendar.ics", params=params)
        assert response.headers["content-type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(response.content)
        events = [c for c in calendar.walk("VEVENT")]
        assert len([e for e in events if "Lopez" in str(e["SUMMARY"])]) == expect
    assert client.get("/calendar", params={"actor": "Nobody Atall"}).text.count("Visit of Maria Lopez") == 0


def test_status_page_is_briefing_status(client: TestClient) -> None:
    page = client.get("/status")
    assert "articles stored: 4 (from 4 files)" in page.text and "latest briefings: 1" in page.text


def test_every_response_forbids_scripts_and_remote_loads(client: TestClient) -> None:
    for url in ("/", "/briefing/1", "/search?q=visit", "/calendar", "/feed.atom", "/nowhere", "/reports/index.html"):
        response = client.get(url)
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, url
        assert "script-src" not in CONTENT_SECURITY_POLICY and "default-src 'none'" in CONTENT_SECURITY_POLICY
        assert response.headers["x-content-type-options"] == "nosniff"


def test_post_needs_the_csrf_token(client: TestClient) -> None:
    assert client.post("/generate", data={}).status_code == 403
    assert client.post("/generate", data={"csrf": "0" * 64}).status_code == 403
    assert client.get("/generate").status_code == 405
    assert client.get("/").text.count('name="csrf"') == 1


def test_a_token_guards_every_request(web_template: Settings) -> None:
    settings = web_template.model_copy(update={"serve": web_template.serve.model_copy(update={"token": TOKEN})})
    with TestClient(create_app(settings)) as c:
        for url in ("/", "/briefing/1", "/search?q=visit", "/feed.atom", "/calendar.ics", "/reports/index.html"):
            assert c.get(url).status_code == 401, url
            assert c.get(url, headers={"Authorization": "Bearer wrong-token-wrong-token"}).status_code == 401
            assert c.get(url, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200, url
        assert c.post("/generate", data={}).status_code == 401
        first = c.get("/", params={"token": TOKEN})  # once in the address: a cookie keeps the browser in
        assert first.status_code == 200 and "HttpOnly" in first.headers["set-cookie"]
        assert c.get("/search?q=visit").status_code == 200


def test_a_remote_bind_without_a_token_is_refused(web_template: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(UnsafeBind):
        make_server(web_template, "0.0.0.0", 0)
    with pytest.raises(UnsafeBind):
        make_server(web_template.model_copy(update={"serve": web_template.serve.model_copy(update={"host": "::"})}))
    make_server(web_template, "127.0.0.2", 0)  # loopback: fine without one (made, not started)
    root = web_template.base_dir
    assert main(["--config", str(_config(root)), "serve", "--host", "0.0.0.0", "--port", "0"]) == 2
    assert "serve.token" in capsys.readouterr().err
    with_token = load_settings(env={"BRIEFING_SERVE__TOKEN": TOKEN}, overrides={"base_dir": str(root)})
    assert make_server(with_token, "0.0.0.0", 0).config.host == "0.0.0.0"


def _config(root: Path) -> Path:
    path = root / "briefing.toml"
    path.write_text('timezone = "Europe/London"\n', encoding="utf-8")
    return path


TRAVERSALS = (
    "/reports/../.briefing/state.db",
    "/reports/%2e%2e/.briefing/state.db",
    "/reports/..%2f.briefing%2fstate.db",
    "/reports/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/reports/%252e%252e/%252e%252e/etc/passwd",
    "/reports/..%5c..%5cetc%5cpasswd",
    "/reports//etc/passwd",
    "/reports/%2fetc%2fpasswd",
    "/reports/outside.html",  # a symbolic link to a file outside reports/
    "/reports/linked/secret.html",  # a file under a symbolic link to a folder outside
)


def test_no_path_outside_reports_is_served(tmp_path: Path, web_template: Settings) -> None:
    secret = tmp_path / "secret.html"
    secret.write_text("TOP-SECRET-WEB")
    reports = web_template.reports_path
    (reports / "outside.html").unlink(missing_ok=True)
    (reports / "outside.html").symlink_to(secret)
    (reports / "linked").unlink(missing_ok=True)
    (reports / "linked").symlink_to(tmp_path, target_is_directory=True)
    try:
        with running(web_template) as base:
            port = int(base.rsplit(":", 1)[1])
            for path in TRAVERSALS:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.putrequest("GET", path, skip_host=False, skip_accept_encoding=True)  # sent as written
                conn.endheaders()
                response = conn.getresponse()
                body = response.read()
                assert response.status == 404, (path, response.status)
                assert b"TOP-SECRET" not in body and b"root:" not in body and b"SQLite" not in body, path
                conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/reports/index.html")
            assert conn.getresponse().status == 200  # the folder itself is served
    finally:
        (reports / "outside.html").unlink()
        (reports / "linked").unlink()
    assert os.path.exists(secret)


def test_briefing_run_serves_the_web_view_when_enabled(tmp_path: Path) -> None:
    port = free_port()
    (tmp_path / "seeds").mkdir()
    (tmp_path / "briefing.toml").write_text(
        f'timezone = "UTC"\n[schedules.daily]\ncron = "0 7 * * *"\n[serve]\nenabled = true\nport = {port}\n'
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "briefing", "run"], cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline, status = time.monotonic() + 60, 0
        while time.monotonic() < deadline and status != 200:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/status")
                response = conn.getresponse()
                status, body = response.status, response.read().decode()
            except OSError:
                time.sleep(0.2)
        assert status == 200 and "service: running" in body
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert f"the web view is at http://127.0.0.1:{port}/" in err


def test_calendar_dates_filter_by_the_days_an_event_covers() -> None:
    """A month, a week or a span is in a date filter when any of its days is; text order is not date order."""

    def entry(start: str | None, end: str | None = None) -> CalendarEntry:
        return CalendarEntry(
            "Summit", When.parse(start), When.parse(end), "upcoming", None, (), (), uid=start or "none"
        )

    march, week, span, undated, vague = (
        entry("2022-03"),
        entry("2022-W10"),  # 7-13 March 2022
        entry("2022-03-01", "2022-03-06"),
        entry(None),
        entry("FUTURE_REF"),
    )
    from_5th, to_8th = dt.date(2022, 3, 5), dt.date(2022, 3, 8)
    assert [within(e, from_5th, None) for e in (march, week, span, undated, vague)] == [True] * 5
    assert [within(e, None, to_8th) for e in (march, week, span, undated, vague)] == [True, True, True, False, False]
    assert not within(span, dt.date(2022, 3, 7), None) and not within(week, None, dt.date(2022, 3, 6))
    assert not within(march, dt.date(2022, 4, 1), None) and not within(march, None, dt.date(2022, 2, 28))
