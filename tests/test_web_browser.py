"""``briefing serve`` in a real browser: Debian's Chromium, driven by Playwright through its executable path.

Playwright never downloads a browser here (no ``playwright install``): ``.ci/run`` installs
Debian's ``chromium`` when it is missing, and the README says how to run these locally.
One project (the seed, three more articles and the hostile article of the render security
test) is served by a real uvicorn server on a free loopback port.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import icalendar
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from briefing.config import Settings
from briefing.web.queries import Reader, SearchQuery
from tests.listener import recording_listener
from tests.test_render_security import HOSTILE_TITLE, hostile_markup
from tests.webserver import UNIQUE_WORD, make_project, running

CHROMIUM = Path("/usr/bin/chromium")
HOSTILE_WORD = "cookie"
"""Only the hostile article holds it (in its markup, ``document.cookie``)."""


@pytest.fixture(scope="module")
def listener() -> Iterator[tuple[int, list[tuple[str, int]]]]:
    with recording_listener() as listening:
        yield listening


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, listener: tuple[int, list[tuple[str, int]]]
) -> Iterator[tuple[Settings, str]]:
    root = tmp_path_factory.mktemp("browser")
    secrets = {}
    for name, content in (("text", "TOP-SECRET-TEXT-7f3a"), ("image", "TOP-SECRET-IMAGE"), ("css", "TOP-SECRET-CSS")):
        secrets[name] = root / f"secret.{name}"
        secrets[name].write_text(content)
    markup = hostile_markup(listener[0], secrets)
    body = " ".join(
        f"Sentence {n} about the harbour plan quotes the page source {markup} and goes on." for n in range(4)
    )
    body += " Mayor Anna Berg said the harbour plan would be put to a vote next month."
    hostile = {"title": HOSTILE_TITLE, "date": dt.date.today().isoformat(), "text": body, "url": "javascript:alert(1)"}
    settings = make_project(root / "project", extra={"hostile.json": json.dumps(hostile)})
    with running(settings) as base:
        yield settings, base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():  # a developer's machine may lack it; CI must not pass without these tests
        missing = pytest.fail if os.environ.get("CI") else pytest.skip
        missing("Debian's chromium is missing: `apt-get install chromium` (.ci/run installs it)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    context.set_default_timeout(60_000)
    yield context.new_page()
    context.close()


def test_archive_to_briefing_to_actor_timeline(site: tuple[Settings, str], page: Page) -> None:
    _, base = site
    page.goto(base + "/")
    assert page.locator("h1").inner_text() == "Archive"
    page.locator("table.archive a[href^='/briefing/']").first.click()
    page.wait_for_url(re.compile(r"/briefing/\d+$"))
    assert page.locator("#bottom-line").is_visible()
    page.locator("a.web-actor", has_text="Isaac Herzog").first.click()
    page.wait_for_url(re.compile(r"/actor\?"))
    assert page.locator("h1").inner_text() == "Isaac Herzog"
    timeline = page.locator("#timeline").inner_text()
    assert "Visit of Israeli President Isaac Herzog to Turkey" in timeline
    assert "President" in page.locator("#roles").inner_text()


def test_search_finds_a_word_only_one_body_holds(site: tuple[Settings, str], page: Page) -> None:
    _, base = site
    page.goto(base + "/")
    page.locator(".web-find input[name=q]").fill(UNIQUE_WORD)
    page.locator(".web-find input[name=q]").press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    hits = page.locator("ol.hits > li")
    assert hits.count() == 1
    assert "Spanish minister to visit Ottawa" in hits.first.inner_text()
    assert hits.first.locator("mark").inner_text() == UNIQUE_WORD
    hits.first.locator("a").first.click()
    assert page.locator("mark.key-point").count() >= 1


def test_generate_now_adds_a_briefing_to_the_archive(site: tuple[Settings, str], page: Page) -> None:
    _, base = site
    page.goto(base + "/")
    before = page.locator("table.archive tbody tr").count()
    page.get_by_role("button", name="Generate a briefing now").click()
    page.wait_for_url(re.compile(r"/\?made=\d+$"))
    assert page.locator("table.archive tbody tr").count() == before + 1
    made = page.url.rsplit("=", 1)[1]
    assert page.locator(f"#briefing-{made}").locator("text=latest").count() == 1


def test_subscribe_urls_are_icalendar(site: tuple[Settings, str], page: Page) -> None:
    _, base = site
    page.goto(base + "/calendar?actor=Maria+Lopez")
    assert "Visit of Maria Lopez" in page.locator("table.calendar").inner_text()
    links = [
        page.locator(".subscribe a").nth(i).get_attribute("href") for i in range(page.locator(".subscribe a").count())
    ]
    assert "/calendar.ics" in links and any(link and "actor=" in link for link in links)
    for link in links:
        response = page.request.get(base + str(link))
        assert response.ok and response.headers["content-type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(response.body())
        assert any("Maria Lopez" in str(event["SUMMARY"]) for event in calendar.walk("VEVENT")), link


def test_the_hostile_article_is_text_on_every_page_and_nothing_leaves(
    site: tuple[Settings, str], page: Page, listener: tuple[int, list[tuple[str, int]]]
) -> None:
    settings, base = site
    with Reader(settings.state_path) as reader:
        hostile = reader.search(SearchQuery(words=HOSTILE_WORD)).hits[0].article
    assert hostile.title == HOSTILE_TITLE
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    shows_title = [
        f"/search?q={HOSTILE_WORD}",
        f"/article/{hostile.id}",
        f"/story/{hostile.id}",
        "/actor?name=Anna+Berg",
        "/briefing/1",
    ]
    for path in [*shows_title, "/", "/calendar", "/status", "/actors", "/feed.atom"]:
        response = page.goto(base + path)
        assert response is not None and response.ok, path
        page.wait_for_load_state("load")
        assert page.locator("img[src='x'], script, iframe, object, embed, link[rel=stylesheet]").count() == 0, path
        if path in shows_title:
            assert HOSTILE_TITLE in page.locator("body").inner_text(), path
    text = page.goto(f"{base}/article/{hostile.id}")
    assert text is not None
    body = page.locator(".article-text").inner_text()
    assert "<script>alert(document.cookie)</script>" in body and '<img src="file:///etc/passwd">' in body
    assert dialogs == []
    assert all(url.startswith(base + "/") for url in requests), [u for u in requests if not u.startswith(base)]
    assert listener[1] == []  # nothing reached the listener the markup points at
