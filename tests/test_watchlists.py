"""Watchlists: the settings, the matching rules, the Watchlist section of the HTML, the PDF and the digest,
and a schedule limited to a watchlist. Real briefings are made from real files into ``tmp_path``."""

from __future__ import annotations

import datetime as dt
import html
import re
import sqlite3
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.config import ConfigError, Settings, load_settings
from briefing.deliver.send import preview_digest
from briefing.model import Actor
from briefing.pipeline import generate_briefing, ingest_folder
from briefing.store import MIGRATIONS, BriefingRecord, Store
from briefing.watchlists import Matcher, Watchlist

NOW = dt.datetime(2022, 2, 18, 7, 0, tzinfo=dt.UTC)

GLOBEX = """Title: Globex wins harbour contract
Date: 2022-02-16

Officials in the port city said on Monday that Globex Inc. won the harbour contract worth 40 million euros.
Jane Doe, the chief executive of Globex, said the work would start in the spring and last two years.
The company will hold a meeting with the city council on March 3 to sign the deal.
"""

DOE_ONLY = """Title: Doe defends the harbour deal
Date: 2022-02-17

Ms Doe told reporters on Thursday that the harbour deal would create 300 jobs in the region.
Critics said the contract had been awarded too quickly and asked for an inquiry.
"""

SCHOOLS = """Title: School budget approved
Date: 2022-02-16

The council approved the school budget on Tuesday after a long debate.
Teachers welcomed the decision, and the mayor said new classrooms would open next year.
"""


def project_with(tmp_path: Path, **overrides: object) -> Settings:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "reports").mkdir()
    for name, text in (("globex.txt", GLOBEX), ("doe.txt", DOE_ONLY), ("schools.txt", SCHOOLS)):
        (tmp_path / "seeds" / name).write_text(text, encoding="utf-8")
    settings = load_settings(
        env={},
        overrides={
            "base_dir": str(tmp_path),
            "timezone": "Europe/London",
            "watchlists": {
                "harbour": {"actors": ["Jane Doe"], "keywords": ["harbour contract"]},
                "animals": {"keywords": ["zebra"]},
            },
            "schedules": {"desk": {"cron": "0 7 * * *", "watchlists": ["harbour"]}, "all": {"cron": "0 8 * * *"}},
            **overrides,
        },
    )
    ingest_folder(settings, now=NOW - dt.timedelta(hours=2))
    return settings


def section(page: str, ident: str) -> str:
    start = page.index(f'<section id="{ident}"')
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page[start : page.index("</section>", start)])).split())


# -- matching -----------------------------------------------------------------------------------


def test_actor_names_match_across_case_legal_forms_surnames_and_initials() -> None:
    watch = Matcher(Watchlist("w", actors=("Globex", "Jane Doe", "ACME")))
    assert watch.actors([Actor("GLOBEX Inc.", "organization")]) == ["Globex"]
    assert watch.actors([Actor("the Globex Corp.", "organization")]) == ["Globex"]
    assert watch.actors([Actor("Doe", "person")]) == ["Jane Doe"]  # compose's rule: the same person
    assert watch.actors([Actor("J. Smith", "person", aliases=("Jane Doe",))]) == ["Jane Doe"]
    assert watch.actors([Actor("John Doe", "person")]) == []  # another Doe
    assert watch.actors([Actor("Globex Bank", "organization")]) == []  # another body
    assert watch.actors([Actor("American Consolidated Mining Enterprises", "organization")]) == ["ACME"]


def test_keywords_match_whole_words_in_any_case_and_any_spacing() -> None:
    watch = Matcher(Watchlist("w", keywords=("gas", "natural gas", "C++")))
    assert watch.keywords("Gas prices rose.") == ["gas"]
    assert watch.keywords("gasoline and degassing") == []
    assert watch.keywords("NATURAL\n  gas terminals") == ["gas", "natural gas"]
    assert watch.keywords("written in C++ and C") == ["C++"]


# -- the Watchlist section ------------------------------------------------------------------------


def test_the_watchlist_section_is_in_the_html_the_pdf_and_the_digest(tmp_path: Path) -> None:
    settings = project_with(tmp_path)
    result = generate_briefing(settings, now=NOW)
    assert result.rendered.html_path is not None and result.rendered.pdf_path is not None
    page = result.rendered.html_path.read_text(encoding="utf-8")
    text = section(page, "watchlists")
    assert "harbour Watching Jane Doe, harbour contract · found: Jane Doe, harbour contract" in text
    assert "Globex wins harbour contract" in text
    assert "Doe defends the harbour deal" in text  # "Doe" alone: merged with Jane Doe by the briefing
    assert "School budget approved" not in text
    assert "animals Watching zebra Nothing in this briefing matches this watchlist." in text
    assert result.briefing is not None
    [harbour, animals] = result.briefing.watchlists
    assert harbour.events and animals.events == ()
    assert all(f"{event.title}" in text for event in harbour.events)  # the story's events
    assert page.index('id="whats-new"') < page.index('id="watchlists"') < page.index('id="stories"')

    pdf = "".join(p.extract_text() for p in PdfReader(result.rendered.pdf_path).pages)
    watch = pdf[pdf.index("Watchlist") :]
    assert "Globex wins harbour contract" in watch[:1500] and "Nothing in this briefing matches" in watch[:1500]

    [eml] = preview_digest(settings, _record(settings), ["desk@example.org"], tmp_path / "out", now=NOW)
    message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    plain = message.get_body(preferencelist=("plain",)).get_content()
    assert "WATCHLIST" in plain
    listed = plain[plain.index("WATCHLIST") : plain.index("UPCOMING EVENTS")]
    assert "Globex wins harbour contract" in listed and "School budget" not in listed
    digest_html = message.get_body(preferencelist=("html",)).get_content()
    assert ">Watchlist<" in digest_html and "Globex wins harbour contract" in digest_html


def test_the_section_lists_the_stories_compose_chose_first_and_counts_the_rest(tmp_path: Path) -> None:
    settings = project_with(tmp_path, report={"max_stories": 1})
    result = generate_briefing(settings, now=NOW, formats=(".html",))
    assert result.briefing is not None and result.rendered.html_path is not None
    briefing = result.briefing
    [shown] = briefing.shown_stories  # compose's choice, which the section follows
    matching = [
        s for s in briefing.stories if s.title in ("Globex wins harbour contract", "Doe defends the harbour deal")
    ]
    assert len(matching) == 2
    [harbour, _animals] = briefing.watchlists
    expected = shown if any(s is shown for s in matching) else matching[0]  # a shown story before one left out
    assert [s.title for s in harbour.stories] == [expected.title] and harbour.more_stories == 1
    page = result.rendered.html_path.read_text(encoding="utf-8")
    start = page.index('<section id="watchlists"')
    markup = page[start : page.index("</section>", start)]
    assert "and 1 more story" in section(page, "watchlists")
    assert ('<a href="#' in markup) == (expected is shown)  # linked only when the report shows it


def test_no_watchlists_no_section(tmp_path: Path) -> None:
    settings = project_with(tmp_path, watchlists={}, schedules={"all": {"cron": "0 8 * * *"}})
    page = generate_briefing(settings, now=NOW, formats=(".html",)).rendered.html_path
    assert page is not None and 'id="watchlists"' not in page.read_text(encoding="utf-8")


def test_a_schedule_limited_to_a_watchlist_holds_only_what_matches(tmp_path: Path) -> None:
    settings = project_with(tmp_path)
    limited = generate_briefing(settings, now=NOW, schedule="desk", formats=(".html",))
    everything = generate_briefing(settings, now=NOW + dt.timedelta(minutes=1), schedule="all", formats=(".html",))
    assert limited.briefing is not None and everything.briefing is not None
    assert {s.title for s in everything.briefing.stories} >= {"School budget approved", "Globex wins harbour contract"}
    titles = {s.title for s in limited.briefing.stories}
    assert "School budget approved" not in titles and "Globex wins harbour contract" in titles
    assert limited.rendered.html_path is not None
    page = limited.rendered.html_path.read_text(encoding="utf-8")
    assert "School budget" not in page
    assert "This briefing is limited to the watchlist harbour" in section(page, "watchlists")
    kept = {a for story in limited.briefing.stories for a in story.article_ids}
    assert limited.briefing.calendar and all(set(e.article_ids) <= kept for e in limited.briefing.calendar)


# -- settings and the store ---------------------------------------------------------------------


def test_every_watchlist_mistake_is_reported_at_once(tmp_path: Path) -> None:
    config = tmp_path / "briefing.toml"
    config.write_text(
        """
[analysis]
key_points = 0
[schedules.daily]
cron = "0 7 * * *"
watchlists = ["energy", "nope"]
[watchlists.energy]
keywords = ["gas"]
webhook = "file:///etc/passwd"
recipients = ["not an address"]
[watchlists.empty]
webhook = "https://hooks.example.org/x"
""",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(config, env={})
    problems = "\n".join(caught.value.problems)
    assert len(caught.value.problems) == 5, problems
    for expected in (
        "analysis.key_points",
        "watchlists.energy.webhook: Value error, must be an http:// or https:// address",
        "watchlists.energy.recipients",
        "watchlists.empty: Value error, give actors or keywords",
        "schedules.daily.watchlists: unknown watchlist(s) nope (known: empty, energy)",
    ):
        assert expected in problems


def test_watchlists_can_come_from_the_environment() -> None:
    settings = load_settings(env={"BRIEFING_WATCHLISTS__GAS__KEYWORDS": '["natural gas"]'})
    assert settings.watchlists["gas"].keywords == ["natural gas"]


def test_the_migration_keeps_the_digests_outbox_rows(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    with sqlite3.connect(path) as db:
        for version, script in enumerate(MIGRATIONS[:7], start=1):
            db.executescript(script)
            db.execute(f"PRAGMA user_version = {version}")
        db.execute(
            "INSERT INTO briefings (id, created_at, period_start, period_end, articles) VALUES (1, 'a', 'b', 'c', 0)"
        )
        db.execute(
            "INSERT INTO outbox (briefing_id, recipient, message_id, status, next_attempt_at, created_at, updated_at)"
            " VALUES (1, 'desk@example.org', '<m@x>', 'sent', ?, ?, ?)",
            ("2022-02-18T07:00:00.000000Z",) * 3,
        )
    with Store(path) as store:
        [row] = store.deliveries()
        assert (row.briefing_id, row.alert_id, row.channel, row.status) == (1, None, "email", "sent")
        assert store.schema_version == len(MIGRATIONS)


def _record(settings: Settings) -> BriefingRecord:
    with Store(settings.state_path) as store:
        record = store.latest_briefing()
    assert record is not None
    return record
