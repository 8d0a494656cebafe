"""The store's behaviour, the same on both backends: each test runs on a SQLite state file and on a fresh
PostgreSQL database (a real server the session started, see ``pg_cluster`` in conftest)."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Iterator

import pytest

from briefing.config import Settings
from briefing.model import Article, Period
from briefing.nlp import analyse
from briefing.pipeline import generate_briefing, ingest_folder
from briefing.store import FileVersion, NewAlert, Store, StoredDigest, open_store
from tests.conftest import ArticleWriter, news_text

T0 = dt.datetime(2022, 3, 1, 9, tzinfo=dt.UTC)
FILE = FileVersion(100, 1_000)


def article(topic: str, source: str, date: dt.date = dt.date(2022, 3, 1)) -> Article:
    text = news_text(topic)
    return Article(hashlib.sha256(text.encode()).hexdigest(), source, f"The {topic}", date, text)


@pytest.fixture
def store(backend_settings: Settings) -> Iterator[Store]:
    with open_store(backend_settings) as opened:
        yield opened


def save(store: Store, item: Article, at: dt.datetime = T0, file: FileVersion = FILE) -> bool:
    return store.save_article(item, analyse(item), "v1", file, at)


def test_the_same_article_from_two_files_is_one_article(store: Store) -> None:
    assert save(store, article("harbour", "seeds/a.txt"))
    assert not save(store, article("harbour", "seeds/b.txt"))
    assert (store.article_count(), store.source_count()) == (1, 2)
    [stored] = store.articles()
    assert stored.sources == ("seeds/a.txt", "seeds/b.txt")
    assert stored.analysis.key_points and stored.article.text == news_text("harbour")


def test_analyses_are_replaced_and_stale_ones_found(store: Store) -> None:
    first, second = article("harbour", "seeds/a.txt"), article("bridge", "seeds/b.txt", T0.date())
    save(store, first)
    save(store, second, T0 + dt.timedelta(minutes=1))
    assert store.has_analysis(first.id, "v1") and not store.has_analysis(first.id, "v2")
    assert store.stale_article_ids("v2") == [first.id, second.id]
    store.save_analysis(first.id, analyse(first), "v2", T0)
    assert store.stale_article_ids("v2") == [second.id]
    assert [a.id for a in store.articles_by_id([second.id, first.id, "missing"])] == [second.id, first.id]


def test_a_list_is_done_once_finished_and_an_edit_supersedes_what_it_dropped(store: Store) -> None:
    one, two = article("harbour", "seeds/list.json#0"), article("bridge", "seeds/list.json#1")
    save(store, one)
    save(store, two)
    assert "seeds/list.json" not in store.seen_files()  # cut short until finished
    assert store.stored_items("seeds/list.json", FILE.size, FILE.mtime_ns) == 2
    store.finish_file("seeds/list.json", FILE.size, FILE.mtime_ns, {one.source, two.source}, T0)
    assert store.seen_files()["seeds/list.json"] == FILE
    edited = FileVersion(50, 2_000)
    store.finish_file("seeds/list.json", edited.size, edited.mtime_ns, {one.source}, T0 + dt.timedelta(hours=1))
    [gone] = store.superseded()
    assert (gone.article_id, gone.path, gone.replaced_by) == (two.id, "seeds/list.json#1", None)
    assert [s.article.id for s in store.articles()] == [one.id]
    before_edit = Period(T0 - dt.timedelta(days=1), T0 + dt.timedelta(minutes=30))
    assert {s.article.id for s in store.articles(before_edit)} == {one.id, two.id}  # as it was then
    save(store, two, T0 + dt.timedelta(hours=2), FileVersion(9, 9))  # back in a file: current again
    assert store.superseded() == []


def test_failures_are_kept_forgotten_and_pruned(store: Store) -> None:
    store.record_failure("seeds/bad.txt", "no date", FILE, T0)
    store.record_failure("seeds/list.json#3", "empty", FILE, T0 + dt.timedelta(seconds=1))
    store.record_failure("seeds/list.json2", "other file", FILE, T0 + dt.timedelta(seconds=2))
    assert [f.path for f in store.failures()] == ["seeds/bad.txt", "seeds/list.json#3", "seeds/list.json2"]
    assert store.seen_files()["seeds/bad.txt"] == FILE
    store.forget_failures("seeds/list.json")
    assert [f.path for f in store.failures()] == ["seeds/bad.txt", "seeds/list.json2"]
    store.record_failure("seeds-west/bad.txt", "another node's", FILE, T0 + dt.timedelta(seconds=3))
    assert store.prune_failures({"seeds/list.json2"}, under="seeds/") == {"seeds/bad.txt"}
    assert [f.reason for f in store.failures()] == ["other file", "another node's"]


def test_periods_by_arrival_and_by_date(store: Store) -> None:
    early = article("harbour", "seeds/a.txt", dt.date(2022, 2, 10))
    late = article("bridge", "seeds/b.txt", dt.date(2022, 3, 5))
    save(store, early, T0)
    save(store, late, T0 + dt.timedelta(days=2))
    arrival = Period(T0 + dt.timedelta(days=1), T0 + dt.timedelta(days=3))
    assert [s.article.id for s in store.articles(arrival)] == [late.id]
    by_date = Period(dt.datetime(2022, 2, 1, tzinfo=dt.UTC), dt.datetime(2022, 2, 28, tzinfo=dt.UTC), "date")
    assert [s.article.id for s in store.articles(by_date)] == [early.id]
    near = store.period_neighbours(arrival, dt.date(2022, 2, 20), dt.date(2022, 2, 25))
    assert (near.dated, near.received, near.total) == (0, 1, 2)
    assert (near.before, near.after) == (dt.date(2022, 2, 10), dt.date(2022, 3, 5))


def test_briefings_schedules_and_what_came_before(store: Store) -> None:
    period = Period(T0 - dt.timedelta(days=1), T0)
    first = store.record_briefing(T0, period, 3, "r/a.html", None, schedule="daily")
    second = store.record_briefing(T0 + dt.timedelta(days=1), period, 0, None, None, schedule="daily", error="x")
    third = store.record_briefing(T0 + dt.timedelta(days=2), period, 1, "r/c.html", "r/c.pdf")
    assert first < second < third
    assert [b.id for b in store.briefings()] == [third, second, first]
    assert store.last_briefing("daily") is not None and store.last_briefing("daily").id == first  # type: ignore[union-attr]
    assert store.previous_briefing_at(T0 + dt.timedelta(days=3)) == T0 + dt.timedelta(days=2)
    assert store.previous_briefing_at(T0 + dt.timedelta(days=3), "daily") == T0 + dt.timedelta(days=1)
    assert store.previous_briefing_at(T0 + dt.timedelta(days=3), "weekly") is None
    latest = store.latest_briefing(T0, T0 + dt.timedelta(days=1, hours=1))
    assert latest is not None and latest.id == second and latest.error == "x"
    assert store.start_schedule("daily", T0) == T0
    assert store.start_schedule("daily", T0 + dt.timedelta(days=5)) == T0  # the first start stays
    assert store.schedule_started("weekly") is None


def test_the_job_log(store: Store) -> None:
    run = store.start_run("ingest", T0)
    other = store.start_run("briefing:daily", T0 + dt.timedelta(seconds=1))
    store.record_run("rescan", T0, "ok", 4, "4 file(s)")
    assert [r.id for r in store.open_runs()] == [run, other]
    assert store.close_interrupted_runs(T0, ids=[other]) == 1
    store.finish_run(run, T0 + dt.timedelta(minutes=1), "ok", 7, "7 articles")
    assert {r.job: (r.status, r.items) for r in store.last_runs()} == {
        "briefing:daily": ("interrupted", 0),
        "ingest": ("ok", 7),
        "rescan": ("ok", 4),
    }
    assert store.prune_runs(keep=1) == 2
    assert [r.job for r in store.runs(job="rescan")] == ["rescan"]


def test_the_outbox_holds_one_row_per_recipient_and_each_claim_is_one_runs(store: Store) -> None:
    briefing = store.record_briefing(T0, Period(T0 - dt.timedelta(days=1), T0), 1, "r/a.html", None)
    digest = store.save_digest(StoredDigest(briefing, "Subject", b"\x00\xffmessage", None, False, T0))
    assert store.save_digest(StoredDigest(briefing, "Other", b"x", "n", True, T0)) == digest  # the first wins
    rows = [("Ann@example.org", "<1@x>", "pending", None), ("bob@example.org", "<2@x>", "pending", None)]
    queued = store.enqueue_deliveries(briefing, rows, T0)
    again = store.enqueue_deliveries(briefing, [("ann@EXAMPLE.org", "<3@x>", "pending", None)], T0)
    assert [d.message_id for d in again] == ["<1@x>"] and len(store.deliveries()) == 2
    assert store.outbox_due() == T0
    mine = store.claim_deliveries("run-a", T0, T0 + dt.timedelta(minutes=5), limit=1)
    theirs = store.claim_deliveries("run-b", T0, T0 + dt.timedelta(minutes=5), limit=5)
    assert [d.id for d in mine + theirs] == [d.id for d in queued]
    assert store.claim_deliveries("run-c", T0, T0, limit=5) == []
    store.mark_sending(mine[0].id, "run-a", T0)
    with pytest.raises(RuntimeError):
        store.mark_sending(mine[0].id, "run-b", T0)
    store.finish_delivery(mine[0].id, "run-a", "sent", T0, code=250)
    store.finish_delivery(theirs[0].id, "run-b", "failed", T0, code=550, error="no such user")
    assert store.delivery_counts() == {"sent": 1, "failed": 1}
    assert store.requeue_delivery(theirs[0].id, T0 + dt.timedelta(hours=1))
    assert not store.requeue_delivery(mine[0].id, T0)  # sent: never again
    assert store.outbox_due() == T0 + dt.timedelta(hours=1)


def test_claims_from_many_connections_at_once_never_overlap(backend_settings: Settings) -> None:
    with open_store(backend_settings) as store:
        briefing = store.record_briefing(T0, Period(T0 - dt.timedelta(days=1), T0), 1, "r/a.html", None)
        rows = [(f"r{i}@example.org", f"<{i}@x>", "pending", None) for i in range(60)]
        store.enqueue_deliveries(briefing, rows, T0)  # type: ignore[arg-type]
    claimed: list[int] = []
    lock = threading.Lock()

    def claim(owner: str) -> None:
        with open_store(backend_settings) as own:
            while batch := own.claim_deliveries(owner, T0, T0 + dt.timedelta(minutes=5), limit=3):
                with lock:
                    claimed.extend(d.id for d in batch)

    workers = [threading.Thread(target=claim, args=(f"run-{n}",)) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(claimed) == sorted(set(claimed)) and len(claimed) == 60


def test_ingest_compose_and_calendar_through_each_backend(
    backend_settings: Settings, write_article: ArticleWriter
) -> None:
    """The pipeline itself on each store: ingest, the calendar's query, a briefing recorded and rendered."""
    write_article("visit.txt", "date 2022-02-17\nHerzog will visit Turkey on March 9 and 10, officials said.")
    write_article("moved.txt", "date 2022-03-01\nHerzog's visit to Turkey has been moved to March 12, officials said.")
    write_article("harbour.txt", "date 2022-03-01 " + news_text("harbour"))
    assert ingest_folder(backend_settings).ok
    with open_store(backend_settings) as store:
        events = store.events_ahead(dt.date(2022, 3, 2), since=dt.date(2021, 1, 1))
        assert {e.article_date for e in events} == {dt.date(2022, 2, 17), dt.date(2022, 3, 1)}
        assert sorted(e.sentence for e in events if "Turkey" in e.sentence) == [
            "Herzog will visit Turkey on March 9 and 10, officials said.",
            "Herzog's visit to Turkey has been moved to March 12, officials said.",
        ]
        only_first = store.events_ahead(dt.date(2022, 3, 2), since=dt.date(2021, 1, 1), until=dt.date(2022, 2, 28))
        assert {e.article_date for e in only_first} == {dt.date(2022, 2, 17)}
    now = dt.datetime(2022, 3, 2, 9, tzinfo=dt.UTC)
    period = Period(dt.datetime(2022, 2, 1, tzinfo=dt.UTC), now, "date")
    result = generate_briefing(backend_settings, period, now=now, formats=(".html",))
    assert result.articles == 3 and result.rendered.html_path is not None
    html = result.rendered.html_path.read_text(encoding="utf-8")
    assert "Visit" in html and "harbour" in html
    with open_store(backend_settings) as store:
        assert store.latest_briefing() is not None and store.article_count() == 3


def test_alerts_once_per_article_and_watchlist_with_their_outbox_rows(store: Store) -> None:
    """Alerts, the articles checked for them and their e-mail and webhook rows, the same on both backends."""
    assert store.alerts_checked_until(T0) == (T0, T0)
    assert store.alerts_checked_until(T0 + dt.timedelta(hours=1)) == (T0, T0)  # the first check stays
    before, harbour = article("bridge", "seeds/old.txt"), article("harbour", "seeds/a.txt")
    save(store, before, T0 - dt.timedelta(minutes=1))
    save(store, harbour, T0 + dt.timedelta(minutes=1))
    save(store, article("harbour", "seeds/b.txt"), T0 + dt.timedelta(minutes=2))  # a second file, one article
    [unchecked] = store.unchecked_articles(T0, limit=10)  # the one stored before checking began is left alone
    assert unchecked.article.id == harbour.id and unchecked.sources == ("seeds/a.txt", "seeds/b.txt")
    briefing = store.record_briefing(T0, Period(T0 - dt.timedelta(days=1), T0), 1, "r/a.html", None)
    store.enqueue_deliveries(briefing, [("desk@example.org", "<d@x>", "pending", None)], T0)
    alert = NewAlert(
        harbour.id,
        "ports",
        "Watchlist ports: The harbour",
        b"\x00\xffmessage",
        '{"watchlist": "ports"}',
        emails=(("Ann@example.org", "<1@x>"), ("ann@EXAMPLE.org", "<2@x>")),  # one address in two cases: one row
        webhook=("https://hooks.example.org/in", "delivery-1"),
    )
    checked_until = T0 + dt.timedelta(minutes=5)
    [alert_id] = store.record_alerts([harbour.id], [alert], checked_until, T0)
    assert store.record_alerts([harbour.id], [alert], None, T0) == []  # alerted once, never again
    assert store.unchecked_articles(T0, limit=10) == []
    assert store.alerts_checked_until(T0) == (T0, checked_until)
    stored = store.alert(alert_id)
    assert stored is not None and (stored.article_id, stored.watchlist) == (harbour.id, "ports")
    assert stored.message == b"\x00\xffmessage" and [a.id for a in store.alerts()] == [alert_id]
    rows = [d for d in store.deliveries() if d.alert_id == alert_id]
    assert sorted((d.channel, d.recipient, d.briefing_id) for d in rows) == [
        ("email", "Ann@example.org", None),
        ("webhook", "https://hooks.example.org/in", None),
    ]
    assert store.outbox_due("webhook", alerts_only=True) == T0
    lease = T0 + dt.timedelta(minutes=5)
    [hook] = store.claim_deliveries("run-a", T0, lease, limit=5, channel="webhook", alerts_only=True)
    [mail] = store.claim_deliveries("run-a", T0, lease, limit=5, alerts_only=True)  # not the digest's row
    assert (hook.channel, mail.alert_id, mail.message_id) == ("webhook", alert_id, "<1@x>")
    store.finish_delivery(hook.id, "run-a", "failed", T0, code=500, error="server error")
    store.finish_delivery(mail.id, "run-a", "sent", T0, code=250)
    assert store.delivery_counts("webhook") == {"failed": 1}
    assert store.delivery_counts() == {"pending": 1, "sent": 1}  # the digest's row and the alert's e-mail
    assert store.outbox_due("webhook", alerts_only=True) is None
    assert store.outbox_due("email", alerts_only=True) is None and store.outbox_due() == T0
