"""The timeline keeps its promise (upcoming above the line, past below) and no label crosses the today
line, a leader or another label, checked on the SVG's geometry; outliers do not stretch the axis; labels
carry years where needed; long-past events show a date, not a count of days (issue 17, point 7)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from functools import cache

import pytest
from fontTools.ttLib import TTFont

from briefing.render import render_html
from briefing.render.templating import bundled_templates_dir
from briefing.render.timeline import draw_timeline, timeline_window
from briefing.render.timevalues import span_range
from tests.briefings import AT, event, make_briefing

SVG = "{http://www.w3.org/2000/svg}"
TODAY = AT.date()


@cache
def _font(bold: bool) -> tuple[dict[int, str], dict[str, tuple[int, int]], int]:
    font = TTFont(bundled_templates_dir() / "fonts" / ("NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf"))
    return font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm


def measured(text: str, size: float, bold: bool) -> float:
    """The text's real advance width in the PDF's font (independent of the chart's own measure)."""
    cmap, metrics, per_em = _font(bold)
    return sum(metrics[cmap[ord(c)]][0] if ord(c) in cmap else per_em * 0.6 for c in text) / per_em * size


Box = tuple[float, float, float, float]  # left, top, right, bottom


def text_box(el: ET.Element) -> Box:
    size = float(el.get("font-size", 10))
    width = measured(el.text or "", size, el.get("font-weight") == "bold")
    x, y = float(el.get("x", 0)), float(el.get("y", 0))
    anchor = el.get("text-anchor")
    left = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
    return left, y - 0.8 * size, left + width, y + 0.25 * size


def overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def check_geometry(svg: str, entries: list, today: dt.date) -> list[ET.Element]:
    """Assert every rule of the layout; return the event labels."""
    last_day = {e.title: bounds[1] for e in entries if (bounds := span_range(e.start, e.end))}
    root = ET.fromstring(svg)
    lines = list(root.iter(f"{SVG}line"))
    [axis] = [ln for ln in lines if ln.get("class") == "axis"]
    [today_line] = [ln for ln in lines if ln.get("class") == "today"]
    axis_y, today_x = float(axis.get("y1", 0)), float(today_line.get("x1", 0))
    leaders = [ln for ln in lines if ln.get("class") == "leader"]
    texts = list(root.iter(f"{SVG}text"))
    labels = [t for t in texts if (t.get("class") or "").startswith("label")]
    boxes = [text_box(t) for t in texts]
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[2] <= 720, texts[i].text
        for j in range(i + 1, len(boxes)):
            assert not overlap(a, boxes[j]), (texts[i].text, texts[j].text)
    for label in labels:
        box = text_box(label)
        assert not (box[0] - 1 < today_x < box[2] + 1), f"the today line crosses {label.text!r}"
        # The promise: events over before today hang below the axis, the others above it.
        shown = (label.text or "").split(" · ", 1)[1].removesuffix("…")
        title = next(t for t in last_day if t.startswith(shown))  # a label cut short ends with "…"
        if last_day[title] < today:
            assert box[1] > axis_y, f"past {label.text!r} drawn above the line"
        else:
            assert box[3] < axis_y, f"upcoming {label.text!r} drawn below the line"
        own_x = float(label.get("x", 0)) + (3 if label.get("text-anchor") == "end" else -3)
        own = min(
            (ln for ln in leaders if abs(float(ln.get("x1", 0)) - own_x) < 0.2),
            key=lambda ln: abs(float(ln.get("y2", 0)) - float(label.get("y", 0))),
        )
        for line in leaders:
            if line is own:
                continue
            x, y1, y2 = float(line.get("x1", 0)), float(line.get("y1", 0)), float(line.get("y2", 0))
            crosses = box[0] < x < box[2] and min(y1, y2) < box[3] and box[1] < max(y1, y2)
            assert not crosses, f"a leader crosses {label.text!r}"
    return labels


def crowded() -> list:
    """Many events on both sides of today, some on the same day, some vague, like a busy week's calendar."""
    titles = ["Budget vote in the council", "Harbour strike ends", "Ferry line reopens", "Minister visits port"]
    entries = []
    for n in range(-24, 25, 3):
        day = TODAY + dt.timedelta(days=n)
        status = "past" if n < 0 else "upcoming"
        entries.append(event(f"{titles[n % 4]} ({n})", day.isoformat(), status=status))
        if n % 2 == 0:
            entries.append(event(f"Second report {n}", day.isoformat(), status=status))
    entries.append(
        event(
            "Talks over several days",
            TODAY.isoformat(),
            status="ongoing",
            end=(TODAY + dt.timedelta(days=4)).isoformat(),
        )
    )
    entries.append(event("Regional elections", (TODAY + dt.timedelta(days=60)).isoformat()[:7]))
    return entries


@pytest.mark.parametrize("shift", [-40, 0, 40])
def test_labels_keep_the_promise_and_cross_nothing(shift: int) -> None:
    entries = crowded()
    today = TODAY + dt.timedelta(days=shift)  # today at the left, in the middle, at the right of the events
    drawn = draw_timeline(entries, today)
    assert drawn is not None
    labels = check_geometry(drawn.svg, entries, today)
    assert len(labels) == drawn.shown >= 6 and drawn.shown + drawn.left_out == len(entries)


def test_the_nearest_upcoming_event_is_labelled_above_even_close_to_the_edge() -> None:
    entries = [
        event("Herzog visits Turkey", "2022-03-09", end="2022-03-10"),
        event("Hearing", "2022-02-28"),
        event("Delegation in Jerusalem", "2022-02-17", status="past"),
        event("Ushpiz in Turkey", "2021-12", status="past"),
    ]
    drawn = draw_timeline(entries, TODAY)
    assert drawn is not None and drawn.shown == 4
    check_geometry(drawn.svg, entries, TODAY)


def test_an_outlying_date_is_marked_at_the_edge_not_stretching_the_axis() -> None:
    entries = [event(f"Port event {n}", (TODAY + dt.timedelta(days=n)).isoformat()) for n in (-6, -2, 3, 9)]
    entries = [
        e if n >= 2 else event(e.title, e.start.value if e.start else None, status="past")
        for n, e in enumerate(entries, 2)
    ]
    entries.append(event("Founding of the port authority", "1985-05-01", status="past"))
    window = timeline_window([TODAY - dt.timedelta(days=7), TODAY - dt.timedelta(days=1)], TODAY)
    drawn = draw_timeline(entries, TODAY, window)
    assert drawn is not None
    root = ET.fromstring(drawn.svg)
    ticks = [t.text or "" for t in root.iter(f"{SVG}text") if t.get("class") == "tick"]
    assert ticks and not any("198" in t or "199" in t for t in ticks)  # the axis spans weeks, not decades
    [mark] = [g for g in root.iter(f"{SVG}g") if "outside" in (g.get("class") or "")]
    assert "1 event before this timeline" in (mark.findtext(f"{SVG}title") or "")
    assert "Founding of the port authority" in (mark.findtext(f"{SVG}title") or "")
    [polygon] = mark.iter(f"{SVG}polygon")
    assert all(float(p.split(",")[0]) <= 14 for p in (polygon.get("points") or "").split())
    circles = [float(c.get("cx", 0)) for c in root.iter(f"{SVG}circle")]
    assert max(circles) - min(circles) > 300  # the events use the width, not a corner of it
    check_geometry(drawn.svg, entries, TODAY)


def test_labels_and_ticks_carry_the_year_when_it_is_not_today_s() -> None:
    today = dt.date(2026, 12, 4)
    entries = [
        event("Airline orders jets", "2008-03-09", status="past"),
        event("Plant opens", "2011-10-06", status="past"),
        event("Board meets", "2026-12-10"),
    ]
    drawn = draw_timeline(entries, today)
    assert drawn is not None
    labels = {t.text for t in ET.fromstring(drawn.svg).iter(f"{SVG}text") if (t.get("class") or "").startswith("label")}
    assert "9 Mar 2008 · Airline orders jets" in labels and "6 Oct 2011 · Plant opens" in labels
    assert "10 Dec · Board meets" in labels


def test_long_past_events_show_a_date_not_thousands_of_days() -> None:
    briefing = make_briefing(
        calendar=[
            event("Launch of the music store", "2003-04-28", status="past"),
            event("Council meeting", (TODAY - dt.timedelta(days=5)).isoformat(), status="past"),
        ]
    )
    html, _ = render_html(briefing)
    assert "days ago" in html and "5 days ago" in html  # recent: a count
    assert "on 28 Apr 2003" in html
    assert not any(f"{n} days ago" in html for n in range(29, 10000))


def test_the_latest_past_event_is_labelled_even_close_to_the_left_edge() -> None:
    entries = [
        event("Signing of the agreement in Paris", (TODAY - dt.timedelta(days=5)).isoformat(), status="past"),
        event("Decision on the new terminal project", (TODAY + dt.timedelta(days=200)).isoformat()),
        event("Developers conference in the capital", (TODAY + dt.timedelta(days=320)).isoformat()),
    ]
    drawn = draw_timeline(entries, TODAY)
    assert drawn is not None and drawn.shown == 3
    check_geometry(drawn.svg, entries, TODAY)
