"""The calendar across articles, its place in the briefing, and the iCalendar export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest

from briefing.cli import main
from briefing.compose import compose
from briefing.compose.calendar import PLAN_DAYS, build_calendar, still_ahead
from briefing.config import Settings
from briefing.model import Event, Period, ReportedEvent, When
from briefing.pipeline import as_of, export_calendar, generate_briefing, ingest_folder
from briefing.render import render_briefing
from briefing.render.ics import calendar_ics
from briefing.store import Store
from tests.conftest import ArticleWriter, value

FEB17 = dt.date(2022, 2, 17)


def report(
    title: str,
    start: str | None,
    end: str | None = None,
    status: str = "upcoming",
    article: str = "a1",
    date: dt.date = FEB17,
    kind: str | None = "Visit",
    actors: tuple[str, ...] = (),
) -> ReportedEvent:
    event = Event(title, When.parse(start), When.parse(end), status, actors, None, kind)  # type: ignore[arg-type]
    return ReportedEvent(event, article, date)


HERZOG = report("Visit of Israeli President Isaac Herzog to Turkey", "2022-03-09", "2022-03-10")


def test_the_same_event_from_several_articles_is_one_entry() -> None:
    again = report("Visit of Herzog to Turkey", "2022-03-09", article="a2", date=dt.date(2022, 2, 20))
    [entry] = build_calendar([HERZOG, again], FEB17)
    assert entry.title == "Visit of Israeli President Isaac Herzog to Turkey"
    assert (value(entry.start), value(entry.end), entry.status, entry.days_to_go) == (
        "2022-03-09",
        "2022-03-10",
        "upcoming",
        20,
    )
    assert entry.article_ids == ("a1", "a2")
    assert entry.moved_from is None


def test_a_later_article_moves_the_date() -> None:
    moved = report("Visit of Herzog to Turkey", "2022-03-12", article="a3", date=dt.date(2022, 3, 1))
    [entry] = build_calendar([moved, HERZOG], dt.date(2022, 3, 2))  # order of the input does not matter
    assert (value(entry.start), value(entry.end), value(entry.moved_from), entry.moves) == (
        "2022-03-12",
        None,
        "2022-03-09",
        1,
    )
    assert entry.article_ids == ("a1", "a3")
    assert entry.days_to_go == 10


def test_status_is_judged_again_on_the_briefing_date() -> None:
    [entry] = build_calendar([HERZOG], dt.date(2022, 3, 15))
    assert (entry.status, entry.days_to_go) == ("past", None)
    [entry] = build_calendar([HERZOG], dt.date(2022, 3, 10))
    assert entry.status == "ongoing"


def test_an_event_told_as_done_within_a_period_that_holds_today_is_past() -> None:
    # "Mr Blair also made a surprise trip to Iraq this week", in a Thursday article: the week goes on, the
    # trip is over; "is preparing its election campaign this week" is under way
    trip = report("Surprise trip to Iraq", "2022-W07", status="past", kind="Trip")
    campaign = report("Election preparations", "2022-W07", status="ongoing", kind="Election", article="a2")
    entries = build_calendar([trip, campaign], FEB17)
    assert {e.title: e.status for e in entries} == {"Surprise trip to Iraq": "past", "Election preparations": "ongoing"}
    carried = [r for r in (trip, campaign) if still_ahead(r, FEB17)]
    assert [r.event.title for r in carried] == ["Election preparations"]


def test_different_events_stay_apart() -> None:
    election = report("Election in France", "2022-04-10", kind="Election", article="a2")
    other_visit = report("Visit of Emmanuel Macron to Germany", "2022-03-09", article="a3")
    past_1 = report("Meeting of the cabinet", "2022-02-01", status="past", kind="Meeting", article="a4")
    past_2 = report("Meeting of the cabinet", "2022-02-08", status="past", kind="Meeting", article="a5")
    entries = build_calendar([HERZOG, election, other_visit, past_1, past_2], FEB17)
    assert len(entries) == 5
    assert [value(e.start) for e in entries] == ["2022-02-01", "2022-02-08", "2022-03-09", "2022-03-09", "2022-04-10"]


def test_actors_that_conflict_keep_events_apart() -> None:
    a = report("Visit to Turkey", "2022-03-09", actors=("Isaac Herzog",))
    b = report("Visit to Turkey", "2022-03-09", actors=("Olaf Scholz",), article="a2")
    assert len(build_calendar([a, b], FEB17)) == 2


def test_an_undated_plan_gets_its_date_and_goes_stale() -> None:
    plan = report("Visit of Herzog to Turkey", None, date=dt.date(2022, 2, 1), article="a0")
    [entry] = build_calendar([plan, HERZOG], FEB17)
    assert (value(entry.start), entry.article_ids) == ("2022-03-09", ("a0", "a1"))
    [entry] = build_calendar([plan], FEB17)
    assert (value(entry.start), entry.status, entry.days_to_go) == (None, "upcoming", None)
    assert build_calendar([plan], dt.date(2022, 2, 1) + dt.timedelta(days=PLAN_DAYS + 1)) == ()


def test_a_more_precise_date_refines_the_entry() -> None:
    vague = report("Visit of Herzog to Turkey", "2022-03", article="a0", date=dt.date(2022, 2, 1))
    [entry] = build_calendar([vague, HERZOG], FEB17)
    assert (value(entry.start), value(entry.end), value(entry.moved_from)) == ("2022-03-09", "2022-03-10", None)


# -- the store, the briefing and the export -------------------------------------------------------

FIRST = (
    "date 2022-02-17\nIsraeli President Isaac Herzog will visit Turkey on March 9-10, officials said on Thursday. "
    "The talks are expected to focus on energy."
)
SECOND = "date 2022-03-01\nHerzog's visit to Turkey has been moved to March 12, Turkish officials said. Gas is on the agenda."


@pytest.fixture
def stored(settings: Settings, write_article: ArticleWriter) -> Settings:
    write_article("first.txt", FIRST)
    write_article("second.txt", SECOND)
    assert ingest_folder(settings).ok
    return settings


def test_briefing_calendar_uses_earlier_articles(stored: Settings) -> None:
    now = dt.datetime(2022, 3, 2, 9, tzinfo=dt.UTC)
    with Store(stored.state_path) as store:
        recent = [s for s in store.articles() if s.article.date == dt.date(2022, 3, 1)]
        earlier = store.events_ahead(now.date(), since=now.date() - dt.timedelta(days=400))
    briefing = compose(recent, [], Period(now - dt.timedelta(days=1), now), now, earlier_events=earlier)
    [visit] = [e for e in briefing.calendar if e.kind == "Visit"]
    assert (value(visit.start), value(visit.moved_from), visit.days_to_go, len(visit.article_ids)) == (
        "2022-03-12",
        "2022-03-09",
        10,
        2,
    )
    rendered = render_briefing(briefing, stored.reports_path, stored.templates_path)
    assert rendered.html_path is not None
    html = rendered.html_path.read_text(encoding="utf-8")
    assert 'id="calendar"' in html and 'Sat 12 Mar 2022<br><span class="note">moved from Wed 9 Mar 2022' in html
    assert "Visit of Isaac Herzog to Turkey" in html


def test_ics_export_parses_back_with_the_events_and_stable_uids(stored: Settings, tmp_path: Path) -> None:
    target = tmp_path / "out" / "calendar.ics"
    first = export_calendar(stored, target, today=dt.date(2022, 3, 2))
    data = target.read_bytes()
    assert first.written == 1
    [event] = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(event["summary"]) == "Visit of Isaac Herzog to Turkey"
    assert event["dtstart"].dt == dt.date(2022, 3, 12)  # moved by the later article
    assert event["dtend"].dt == dt.date(2022, 3, 13)  # exclusive end of a one-day event
    assert int(event["sequence"]) == 1
    assert "Moved from March 9 to March 12" in str(event["description"])
    assert "“Herzog's visit to Turkey has been moved to March 12, Turkish officials said.”" in str(event["description"])
    again = export_calendar(stored, tmp_path / "again.ics", today=dt.date(2022, 3, 3))
    [event_again] = icalendar.Calendar.from_ical((tmp_path / "again.ics").read_bytes()).walk("VEVENT")
    assert event_again["uid"] == event["uid"] and again.entries[0].uid == first.entries[0].uid
    # RFC 5545: CRLF line ends, lines folded at 75 octets, the calendar's required properties
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and b"VERSION:2.0" in data and b"PRODID:" in data


def test_long_titles_fold_and_undated_plans_are_left_out() -> None:
    long = report("Visit of " + "a very long delegation name " * 6 + "to Turkey", "2022-03-09", kind="Visit")
    plan = report("Summit of leaders", None, kind="Summit", article="a2")
    entries = build_calendar([long, plan], FEB17)
    data = calendar_ics(entries, dt.datetime(2022, 2, 17, tzinfo=dt.UTC))
    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [entries[0].title]


def test_calendar_command(stored: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "briefing.toml"
    config.write_text(f'base_dir = "{stored.base_dir}"\n', encoding="utf-8")
    target = tmp_path / "cal.ics"
    assert main(["--config", str(config), "calendar", "--date", "2022-03-02", "--ics", str(target)]) == 0
    out = capsys.readouterr().out
    assert "March 12, 2022 (in 10 days): Visit of Isaac Herzog to Turkey" in out
    assert "moved from March 9 to March 12" in out and f"wrote 1 event(s) to {target}" in out
    blocked = tmp_path / "a-file"
    blocked.write_text("x", encoding="utf-8")
    assert main(["--config", str(config), "calendar", "--ics", str(blocked / "cal.ics")]) == 1
    with pytest.raises(SystemExit) as usage:
        main(["calendar", "--date", "not-a-date"])
    assert usage.value.code == 2


# -- as of a day, only what was known that day ------------------------------------------------------


def test_a_calendar_as_of_a_day_ignores_articles_written_after_it(stored: Settings, tmp_path: Path) -> None:
    """The article of March 1 moves the visit; as of February 20 nobody knew, so it stays on March 9."""
    before = export_calendar(stored, tmp_path / "before.ics", today=dt.date(2022, 2, 20))
    [visit] = [e for e in before.entries if e.kind == "Visit"]
    assert (value(visit.start), value(visit.end), value(visit.moved_from), visit.days_to_go) == (
        "2022-03-09",
        "2022-03-10",
        None,
        17,
    )
    assert len(visit.article_ids) == 1
    [event] = icalendar.Calendar.from_ical((tmp_path / "before.ics").read_bytes()).walk("VEVENT")
    assert event["dtstart"].dt == dt.date(2022, 3, 9)
    after = export_calendar(stored, None, today=dt.date(2022, 3, 2))
    [moved] = [e for e in after.entries if e.kind == "Visit"]
    assert (value(moved.start), value(moved.moved_from)) == ("2022-03-12", "2022-03-09")


def test_a_briefing_as_of_a_day_lists_only_events_known_that_day(stored: Settings) -> None:
    day = dt.date(2022, 2, 20)
    period, now = as_of(stored, day)
    result = generate_briefing(stored, period, now, formats=(".html",))
    assert result.briefing is not None
    [visit] = [e for e in result.briefing.calendar if e.kind == "Visit"]
    assert (value(visit.start), value(visit.moved_from), visit.days_to_go) == ("2022-03-09", None, 17)
    assert {s.date for s in result.briefing.sources} == {dt.date(2022, 2, 17)}
    html = result.rendered.html_path.read_text(encoding="utf-8") if result.rendered.html_path else ""
    assert "12 Mar" not in html and "9–10 Mar 2022" in html


def test_events_ahead_knows_only_what_had_arrived(stored: Settings) -> None:
    """The running service composes from what it had received by the moment it briefs."""
    today = dt.date(2022, 3, 2)
    with Store(stored.state_path) as store:
        arrived = [s.article.fetched_at for s in store.articles()]
        assert all(arrived)
        first = min(a for a in arrived if a is not None)
        everything = store.events_ahead(today, since=today - dt.timedelta(days=400))
        nothing_yet = store.events_ahead(
            today, since=today - dt.timedelta(days=400), received_by=first - dt.timedelta(seconds=1)
        )
        by_date = store.events_ahead(today, since=today - dt.timedelta(days=400), until=dt.date(2022, 2, 28))
    assert {r.article_date for r in everything} == {dt.date(2022, 2, 17), dt.date(2022, 3, 1)}
    assert nothing_yet == []
    assert {r.article_date for r in by_date} == {dt.date(2022, 2, 17)}


def test_timed_events_go_to_icalendar_in_utc_never_floating() -> None:
    """16:15 UTC stays 16:15 UTC in any reader's calendar; a clock without a zone becomes a day, not a guess."""
    zoned = report("Vote of Parliament on the budget", "2022-03-09T11:15-05:00", kind="Vote", article="a1")
    bare = report("Meeting of the harbour board", "2022-03-10T09:30", kind="Meeting", article="a2")
    data = calendar_ics(build_calendar([zoned, bare], FEB17), dt.datetime(2022, 2, 17, tzinfo=dt.UTC))
    assert b"DTSTART:20220309T161500Z" in data
    assert b"DTSTART;VALUE=DATE:20220310" in data
    events = {str(e["summary"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}
    vote = events["Vote of Parliament on the budget"]["dtstart"].dt
    assert vote == dt.datetime(2022, 3, 9, 16, 15, tzinfo=dt.UTC)
    assert "09:30 (the article gave no time zone)" in str(events["Meeting of the harbour board"]["description"])


def test_each_event_in_the_tables_shows_its_sentence(stored: Settings) -> None:
    """The reader sees what an event rests on: the sentence of the article that gave its date."""
    period, now = as_of(stored, dt.date(2022, 3, 2))
    result = generate_briefing(stored, period, now, formats=(".html",))
    assert result.briefing is not None
    [visit] = [e for e in result.briefing.calendar if e.kind == "Visit"]
    assert visit.evidence == "Herzog's visit to Turkey has been moved to March 12, Turkish officials said."
    html = result.rendered.html_path.read_text(encoding="utf-8") if result.rendered.html_path else ""
    assert '<q class="evidence"' in html and "has been moved to March 12, Turkish officials said." in html
    with Store(stored.state_path) as store:
        [earlier] = [
            r for r in store.events_ahead(dt.date(2022, 2, 20), since=FEB17, until=FEB17) if r.event.kind == "Visit"
        ]
    assert earlier.sentence.startswith("Israeli President Isaac Herzog will visit Turkey on March 9-10")


def test_the_digest_of_a_briefing_as_of_a_day_counts_only_what_was_known(stored: Settings) -> None:
    """The digest recomposes the briefing from the store: as of February 20, one visit, on March 9."""
    from briefing.deliver.digest import subject_line, summarize
    from briefing.pipeline import collect_and_compose

    period, now = as_of(stored, dt.date(2022, 2, 20))
    generate_briefing(stored, period, now, formats=(".html",))
    with Store(stored.state_path) as store:
        [record] = store.briefings()
        _, briefing = collect_and_compose(store, record.period, record.created_at)
    summary = summarize(briefing)
    assert [(value(e.start), value(e.moved_from)) for e in summary.upcoming] == [("2022-03-09", None)]
    assert subject_line("Briefing", dt.date(2022, 2, 20), summary).endswith("1 upcoming event")
