"""An event's time (:class:`When`): a TIMEX3 value kept exactly, read once as the period it names."""

from __future__ import annotations

import datetime as dt
import json
import pickle

import pytest

from briefing.contract import analysis_from_record, analysis_record
from briefing.model import Analysis, Event, When

UTC = dt.UTC


@pytest.mark.parametrize(
    ("value", "grain", "first", "last"),
    [
        ("2022-03-09", "day", dt.date(2022, 3, 9), dt.date(2022, 3, 9)),
        ("2022-03-09T16:00+02:00", "time", dt.date(2022, 3, 9), dt.date(2022, 3, 9)),
        ("2022-03-09TMO", "time", dt.date(2022, 3, 9), dt.date(2022, 3, 9)),
        ("2008-W41", "week", dt.date(2008, 10, 6), dt.date(2008, 10, 12)),
        ("2008-W41-WE", "weekend", dt.date(2008, 10, 11), dt.date(2008, 10, 12)),
        ("2022-02", "month", dt.date(2022, 2, 1), dt.date(2022, 2, 28)),
        ("2007-FA", "season", dt.date(2007, 9, 1), dt.date(2007, 11, 30)),
        ("2022-Q2", "quarter", dt.date(2022, 4, 1), dt.date(2022, 6, 30)),
        ("2022-H2", "half", dt.date(2022, 7, 1), dt.date(2022, 12, 31)),
        ("2022", "year", dt.date(2022, 1, 1), dt.date(2022, 12, 31)),
        ("PRESENT_REF", "other", None, None),
        ("P3D", "other", None, None),
        ("199", "other", None, None),
        ("2022-02-30", "day", None, None),  # no such day: a grain, but no period
    ],
)
def test_a_value_is_read_once_as_the_period_it_names(
    value: str, grain: str, first: dt.date | None, last: dt.date | None
) -> None:
    when = When(value)
    assert (when.value, when.grain, when.first, when.last) == (value, grain, first, last)
    assert when.days == ((first, last) if first and last else None)
    assert when.on_a_day == (grain in ("day", "time"))


def test_a_clock_with_a_zone_is_a_moment_in_utc_and_one_without_is_not() -> None:
    zoned = When("2022-06-01T23:00-05:00")
    assert zoned.moment == dt.datetime(2022, 6, 2, 4, 0, tzinfo=UTC)
    assert zoned.clock == ("23", "00") and zoned.first == dt.date(2022, 6, 1)  # the day the article wrote
    assert When("2022-06-01T16:15Z").moment == dt.datetime(2022, 6, 1, 16, 15, tzinfo=UTC)
    local = When("2022-06-01T16:00")
    assert local.moment is None and local.clock == ("16", "00")  # no zone said: none invented
    assert When("2022-06-01TEV").clock is None and When("2022-06-01").moment is None


def test_equal_by_value_and_ordered_by_the_day_they_start() -> None:
    assert When("2022-03") == When("2022-03") and hash(When("2022-03")) == hash(When("2022-03"))
    assert When("2022-03") != When("2022-03-01")
    values = ["2022-SU", "PRESENT_REF", "2022-W11", "2022-03", "2022-03-20", "2021"]
    ordered = [w.value for w in sorted(When(v) for v in values)]
    assert ordered == ["2021", "2022-03", "2022-W11", "2022-03-20", "2022-SU", "PRESENT_REF"]
    assert When("2022-03") < When("2022-03-01") <= When("2022-03-01") < When("P3D")  # same day: by value


def test_parse_keeps_none_for_an_event_with_no_date_yet() -> None:
    assert When.parse(None) is None
    assert When.parse("2022-03-09") == When("2022-03-09")


def test_it_crosses_process_boundaries_whole() -> None:
    """Analyses travel to and from worker processes pickled."""
    when = When("2022-03-09T16:00+02:00")
    back = pickle.loads(pickle.dumps(when))
    assert back == when and (back.grain, back.first, back.moment, back.clock) == (
        "time",
        when.first,
        when.moment,
        when.clock,
    )


def test_the_contract_writes_the_value_and_reads_it_back_parsed() -> None:
    """``analyze --json`` and the store hold the TIMEX3 strings; loading parses them again."""
    event = Event("Visit", When("2022-03-09T16:00+02:00"), When("2022-03-10"), "upcoming", kind="Visit")
    undated = Event("Plan", None, None, "upcoming")
    record = analysis_record(Analysis("a1", events=(event, undated)))
    assert [(e["start"], e["end"]) for e in record["events"]] == [
        ("2022-03-09T16:00+02:00", "2022-03-10"),
        (None, None),
    ]
    back = analysis_from_record("a1", json.loads(json.dumps(record)))
    assert back.events == (event, undated)
    assert back.events[0].start is not None and back.events[0].start.moment == dt.datetime(2022, 3, 9, 14, tzinfo=UTC)
