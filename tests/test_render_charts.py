"""The timeline and the who-meets-whom network (SVG drawn in Python), dates at any precision, the bottom line."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from briefing.compose.bottom_line import bottom_line
from briefing.model import BriefingPoint, Relation, Story, When
from briefing.render.network import MAX_NODES, draw_network
from briefing.render.timeline import draw_timeline
from briefing.render.timevalues import as_when, sort_key, span_label, timex_label
from tests.briefings import AT, event

SVG = "{http://www.w3.org/2000/svg}"
TODAY = AT.date()
W = When


def texts(svg: str) -> list[str]:
    return [el.text or "" for el in ET.fromstring(svg).iter(f"{SVG}text")]


def boxes(svg: str) -> list[tuple[float, float, str]]:
    """(x, y, text) of every label, to check that none sits on another."""
    return [
        (float(el.get("x", 0)), float(el.get("y", 0)), el.text or "") for el in ET.fromstring(svg).iter(f"{SVG}text")
    ]


def test_timex_ranges_and_labels() -> None:
    assert When("2022-03-09").days == (dt.date(2022, 3, 9), dt.date(2022, 3, 9))
    assert When("2022-03-09T10:00").days == (dt.date(2022, 3, 9), dt.date(2022, 3, 9))
    assert When("2022-02").days == (dt.date(2022, 2, 1), dt.date(2022, 2, 28))
    assert When("2024-W01").days == (dt.date(2024, 1, 1), dt.date(2024, 1, 7))
    assert When("2022-Q2").days == (dt.date(2022, 4, 1), dt.date(2022, 6, 30))
    assert When("2022-H2").days == (dt.date(2022, 7, 1), dt.date(2022, 12, 31))
    assert When("2022").days == (dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    for value in ("PRESENT_REF", "P3D", "2022-02-30", "2022-W60", ""):
        assert When(value).days is None
    assert as_when("") is None and as_when(None) is None
    assert timex_label(W("2022-03-09")) == "Wed 9 Mar 2022" and timex_label(W("2022-03-09"), short=True) == "9 Mar"
    assert timex_label(W("2022-03")) == "March 2022" and timex_label(W("2022-Q1")) == "Q1 2022"
    assert timex_label(W("FUTURE_REF")) == "in the future" and timex_label(None) == "date not known"
    assert span_label(W("2022-03-09"), W("2022-03-10")) == "9–10 Mar 2022"
    assert span_label(W("2022-03-30"), W("2022-04-02"), short=True) == "30 Mar – 2 Apr"


def test_dates_in_words_never_show_a_raw_value() -> None:
    assert timex_label(W("2008-W41-WE")) == "weekend of 11–12 Oct 2008"
    assert timex_label(W("2009-W05-WE")) == "weekend of 31 Jan – 1 Feb 2009"
    assert timex_label(W("2007-FA")) == "autumn 2007" and timex_label(W("2009-W11")) == "week of 9 Mar 2009"
    assert timex_label(W("2009-06-01T16:00Z")) == "Mon 1 Jun 2009, 16:00 UTC"
    assert timex_label(W("2009-06-01T23:00-05:00")) == "Tue 2 Jun 2009, 04:00 UTC"  # the day of the UTC moment
    assert timex_label(W("2009-06-01T16:00")) == "Mon 1 Jun 2009, 16:00"  # no zone said: none invented
    assert timex_label(W("2009-06-01TMO")) == "Mon 1 Jun 2009, morning"
    assert timex_label(W("199")) == "the 1990s" and timex_label(W("2022-H1")) == "first half of 2022"
    assert timex_label(W("P3D")) == "date not clear" and timex_label(W("PRESENT_REF")) == "now"
    values = [W("2022-SU"), W("2022-W11"), W("2022-03"), None, W("2022-03-20")]
    assert sorted(values, key=sort_key) == [W("2022-03"), W("2022-W11"), W("2022-03-20"), W("2022-SU"), None]


def test_timeline_places_past_and_upcoming_events_without_overlapping_labels() -> None:
    entries = [
        event("Herzog visits Turkey", "2022-03-09", end="2022-03-10"),
        event("Hearing", "2022-02-28", moved_from="2022-02-24"),
        event("Delegation in Jerusalem", "2022-02-17", status="past"),
        event("Meeting with Abbas", "2022-02-17", status="past"),
        event("Ushpiz in Turkey", "2021-12", status="past"),
        event("No date yet", None),
    ]
    drawn = draw_timeline(entries, TODAY)
    assert drawn is not None
    svg = ET.fromstring(drawn.svg)
    assert svg.get("viewBox", "").startswith("0 0 720 ")
    labels = texts(drawn.svg)
    assert any("today, 21 Feb 2022" in t for t in labels)
    assert any(t.startswith("9–10 Mar · Herzog visits Turkey") for t in labels)
    assert drawn.shown + drawn.left_out == 6  # every event is drawn with a label, or counted
    assert drawn.left_out >= 1  # the undated one cannot be placed
    # Labels in the same row never overlap (estimated widths; no two baselines and starts coincide).
    rows: dict[float, list[float]] = {}
    for x, y, _ in boxes(drawn.svg):
        rows.setdefault(y, []).append(x)
    assert all(len(xs) == len(set(xs)) for xs in rows.values())


def test_timeline_without_dates_and_with_many_events() -> None:
    assert draw_timeline([event("Someday", None), event("Vague", "FUTURE_REF")], TODAY) is None
    many = [event(f"Event {n}", (TODAY + dt.timedelta(days=n - 30)).isoformat()) for n in range(60)]
    drawn = draw_timeline(many, TODAY)
    assert drawn is not None and drawn.shown + drawn.left_out == 60
    assert ET.fromstring(drawn.svg) is not None


def test_timeline_over_years_uses_year_ticks() -> None:
    drawn = draw_timeline([event("Old treaty", "1995", status="past"), event("Summit", "2030-06-01")], TODAY)
    assert drawn is not None
    years = [t for t in texts(drawn.svg) if re.fullmatch(r"\d{4}", t)]
    assert 3 <= len(years) <= 9


def test_network_is_deterministic_escaped_and_capped() -> None:
    relations = [Relation(f"Actor {n}", f"Actor {n + 1}", 1 + n % 3, ()) for n in range(30)]
    relations += [Relation("Ankara & <Co>", "Actor 1", 5, ()), Relation("Actor 2", "Actor 2", 9, ())]
    kinds = {"Actor 1": "person", "Ankara & <Co>": "organization"}
    first, second = draw_network(relations, kinds), draw_network(list(relations), kinds)
    assert first is not None and second is not None and first.svg == second.svg
    assert first.shown == MAX_NODES and first.left_out == 32 - MAX_NODES  # Actor 0 to Actor 30, and Ankara
    svg = ET.fromstring(first.svg)
    assert len(list(svg.iter(f"{SVG}circle"))) == MAX_NODES + len({"person", "organization", "other"})  # nodes + legend
    assert "Ankara & <Co>" in texts(first.svg) and "&amp; &lt;Co&gt;" in first.svg
    for circle in list(svg.iter(f"{SVG}circle"))[:MAX_NODES]:
        x, y = float(circle.get("cx", -1)), float(circle.get("cy", -1))
        assert 0 <= x <= 720 and 0 <= y <= float(svg.get("height", 0))


def test_network_needs_two_different_actors() -> None:
    assert draw_network([]) is None
    assert draw_network([Relation("Alone", "Alone", 3, ())]) is None
    pair = draw_network([Relation("Anna Berg", "City Council", 1, ())])
    assert pair is not None and pair.shown == 2


def point(text: str, score: float, n: int) -> BriefingPoint:
    return BriefingPoint(text, score, f"{n:064x}")


def story(n: int, scores: list[float]) -> Story:
    return Story(f"Story {n}", TODAY, tuple(point(f"S{n} p{k}", s, n) for k, s in enumerate(scores)), (f"{n:064x}",))


def test_bottom_line_takes_the_best_point_of_each_top_story() -> None:
    seven = [story(n, [0.2, 0.9, 0.5]) for n in range(7)]
    assert [p.text for p in bottom_line(seven)] == [f"S{n} p1" for n in range(5)]
    assert [p.text for p in bottom_line(seven[:1])] == ["S0 p1", "S0 p2", "S0 p0"]
    assert [p.text for p in bottom_line(seven[:2])] == ["S0 p1", "S1 p1", "S0 p2"]
    assert bottom_line([]) == () and bottom_line([story(1, [])]) == ()


def test_timeline_with_events_at_the_ends_of_the_calendar_draws_at_most_nine_ticks() -> None:
    """Dates in year 1 and 9999 (placeholders some feeds write) can reach a briefing; they must not crash it."""
    for entries in (
        [event("Founding", "0001-01-01", status="past"), event("Summit", "2030-06-01")],
        [event("Expiry", "9999-12-31"), event("Summit", TODAY.isoformat())],
        [event("Founding", "0001-01-01", status="past"), event("Expiry", "9999-12-31")],
    ):
        drawn = draw_timeline(entries, TODAY)
        assert drawn is not None and drawn.shown == 2
        ticks = [t for t in texts(drawn.svg) if re.fullmatch(r"\d{1,4}", t)]
        assert 2 <= len(ticks) <= 9
