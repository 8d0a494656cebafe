"""What only a PostgreSQL store does: several writers at once, the scheduler's lock, schema versions, the copy
from SQLite, and the password kept out of sight. Each test gets a fresh database on the session's real server."""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest

from briefing.cli import main
from briefing.config import ConfigError, Settings, load_settings
from briefing.model import Period
from briefing.pipeline import generate_briefing, ingest_folder
from briefing.store import NewAlert, Store, StoreRefused, open_store
from briefing.store.leader import AdvisoryLeader
from briefing.store.postgres import PostgresStore, close_pools
from briefing.store.postgres_schema import PG_MIGRATIONS
from tests.conftest import ArticleWriter, cli_in, news_text
from tests.pgserver import Cluster
from tests.test_store_backends import T0, article, save


def test_two_nodes_storing_the_same_articles_at_once_store_each_once(pg_url: str) -> None:
    topics = [f"topic{i}" for i in range(40)]
    errors: list[BaseException] = []

    def node(name: str) -> None:
        try:
            with PostgresStore(pg_url) as store:
                for topic in topics:  # the same articles, in the same order, from two files each
                    save(store, article(topic, f"{name}/{topic}.txt"))
        except BaseException as exc:
            errors.append(exc)

    nodes = [threading.Thread(target=node, args=(f"seeds-{n}",)) for n in ("east", "west")]
    for thread in nodes:
        thread.start()
    for thread in nodes:
        thread.join()
    assert errors == []
    with PostgresStore(pg_url) as store:
        assert (store.article_count(), store.source_count()) == (40, 80)
        assert all(len(s.sources) == 2 for s in store.articles())


def test_one_leader_at_a_time_and_the_next_takes_over_when_its_session_dies(pg_cluster: Cluster, pg_url: str) -> None:
    first, second = AdvisoryLeader(pg_url), AdvisoryLeader(pg_url)
    try:
        assert first.acquire() and first.acquire()  # kept
        assert not second.acquire()
        pid = first._conn.info.backend_pid
        with psycopg.connect(
            pg_url, autocommit=True, password=pg_cluster.password
        ) as admin:  # the leader's connection dies (as with SIGKILL)
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        assert not first.acquire()  # it notices, and stops leading
        assert second.acquire()
        assert not first.acquire()
        second.release()
        assert first.acquire()
    finally:
        first.release()
        second.release()


def test_a_schema_newer_than_this_briefing_is_refused_with_a_clear_message(
    pg_cluster: Cluster, pg_url: str, project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with PostgresStore(pg_url) as store:
        assert store.schema_version == len(PG_MIGRATIONS)
        with store.transaction() as db:
            db.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", (99, "now"))
    close_pools()  # as a node started anew would
    with pytest.raises(StoreRefused, match="schema version 99, newer than this briefing"):
        PostgresStore(pg_url)
    cli_in(project, monkeypatch)
    monkeypatch.setenv("BRIEFING_STATE_URL", pg_url)
    monkeypatch.setenv("BRIEFING_PGPASSWORD", pg_cluster.password)
    assert main(["status"]) == 2
    assert "schema version 99, newer than this briefing" in capsys.readouterr().err


def test_migrate_brings_the_schema_up_and_says_so(
    pg_cluster: Cluster, pg_url: str, project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_in(project, monkeypatch)
    monkeypatch.setenv("BRIEFING_STATE_URL", pg_url)
    monkeypatch.setenv("BRIEFING_PGPASSWORD", pg_cluster.password)
    assert main(["migrate"]) == 0
    assert f"schema version {len(PG_MIGRATIONS)} (migrated from version 0)" in capsys.readouterr().out
    monkeypatch.setenv("BRIEFING_PGPASSWORD", pg_cluster.password)  # main took it out of the environment
    assert main(["migrate"]) == 0
    assert f"schema version {len(PG_MIGRATIONS)} (up to date)" in capsys.readouterr().out


def test_copy_from_sqlite_keeps_every_row_and_checks_each_table(
    pg_cluster: Cluster,
    pg_url: str,
    settings: Settings,
    write_article: ArticleWriter,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_article("visit.txt", "date 2022-02-17\nHerzog will visit Turkey on March 9 and 10, officials said.")
    write_article("harbour.txt", "date 2022-03-01 " + news_text("harbour"))
    write_article("bad.json", "{not json")
    ingest_folder(settings)
    now = dt.datetime(2022, 3, 2, 9, tzinfo=dt.UTC)
    generate_briefing(settings, Period(now - dt.timedelta(days=30), now, "date"), now=now, formats=(".html",))
    with Store(settings.state_path) as sqlite:
        briefing = sqlite.briefings()[0].id
        sqlite.enqueue_deliveries(briefing, [("ann@example.org", "<1@x>", "pending", None)], T0)
        sqlite.start_run("ingest", T0)
        sqlite.alerts_checked_until(T0)
        harbour = next(s.article.id for s in sqlite.articles() if "harbour" in s.article.text)
        alert = NewAlert(harbour, "ports", "Ports", b"\x00\xffmail", "{}", (("ann@example.org", "<a@x>"),))
        sqlite.record_alerts([harbour], [alert], T0, T0)
        expected = sqlite.articles(), sqlite.events_ahead(now.date(), dt.date(2021, 1, 1)), sqlite.failures()
        alerts = sqlite.alerts()
    monkeypatch.setenv("BRIEFING_PGPASSWORD", pg_cluster.password)
    assert main(["migrate", "--from", f"sqlite://{settings.state_path}", "--to", pg_url]) == 0
    out = capsys.readouterr().out
    assert "all 14 tables copied whole" in out and "NO" not in out
    assert re.search(r"^articles +2 +2 +[0-9a-f]{16} +yes$", out, re.M), out
    assert re.search(r"^outbox +2 +2 +[0-9a-f]{16} +yes$", out, re.M), out
    assert re.search(r"^alerts +1 +1 +[0-9a-f]{16} +yes$", out, re.M), out
    assert re.search(r"^failures +1 +1 +[0-9a-f]{16} +yes$", out, re.M), out
    with PostgresStore(pg_url) as pg:
        assert (pg.articles(), pg.events_ahead(now.date(), dt.date(2021, 1, 1)), pg.failures()) == expected
        later = pg.record_briefing(now, Period(now, now), 0, None, None)
        assert later > briefing  # numbered after the copied rows
        assert pg.alerts() == alerts and {d.channel for d in pg.deliveries()} == {"email"}
        [again] = pg.record_alerts(
            [], [replace(alert, watchlist="other", emails=(("ann@example.org", "<b@x>"),))], None, now
        )
        assert again > alerts[0].id
    monkeypatch.setenv("BRIEFING_PGPASSWORD", pg_cluster.password)
    assert main(["migrate", "--from", f"sqlite://{settings.state_path}", "--to", pg_url]) == 2  # not empty now
    assert "is not empty" in capsys.readouterr().err


def test_the_password_comes_from_the_environment_and_is_never_shown(
    pg_cluster: Cluster, pg_url: str, project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ConfigError, match="must not hold a password"):
        load_settings(env={"BRIEFING_STATE_URL": pg_url.replace("briefing@", "briefing:secret@")})
    cli_in(project, monkeypatch)
    monkeypatch.setenv("BRIEFING_STATE_URL", pg_url)
    monkeypatch.setenv("BRIEFING_PGPASSWORD", pg_cluster.password)
    close_pools()
    assert main(["-v", "status"]) == 0
    captured = capsys.readouterr()
    assert f"state: {pg_url}" in captured.out
    assert pg_cluster.password not in captured.out + captured.err
    close_pools()
    monkeypatch.setenv("BRIEFING_PGPASSWORD", "wrong")
    assert main(["status"]) == 2
    err = capsys.readouterr().err
    assert "cannot connect to the PostgreSQL store" in err and "wrong" not in err
    close_pools()


def test_a_service_settings_file_names_the_store(pg_url: str, project: Path) -> None:
    (project / "briefing.toml").write_text(f'state_url = "{pg_url}"\n', encoding="utf-8")
    settings = load_settings(project / "briefing.toml", env={})
    with open_store(settings) as store:
        assert isinstance(store, PostgresStore) and store.location == pg_url
        assert store.article_count() == 0
