"""A briefing of thousands of articles: the report shows the top of each section and counts the rest."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from pypdf import PdfReader

from briefing.compose.edition import edit
from briefing.config import ReportSettings
from briefing.model import Briefing, Failure, Relation
from briefing.render import render_briefing, render_html
from tests.briefings import AT, actor, article_id, event, make_briefing


def huge(stories: int = 2000) -> Briefing:
    calendar = [event(f"Council vote number {n}", f"2022-03-{1 + n % 28:02d}", article=n + 1) for n in range(120)] + [
        event(f"Harbour opening number {n}", f"2022-02-{1 + n % 19:02d}", status="past", article=n + 1)
        for n in range(90)
    ]
    # one event reported by many articles: it is among the most reported, and cites only a few of them
    big = replace(
        event("Regional summit", "2022-04-20"), article_ids=tuple(article_id(n) for n in range(1, stories + 1, 7))
    )
    actors = [actor(f"Person {n}", mentions=1000 - n) for n in range(300)]
    relations = [Relation(f"Person {n}", f"Person {n + 1}", 1, (article_id(1),)) for n in range(299)]
    failures = [Failure(f"seeds/broken-{n}.txt", "binary file (not text)", AT) for n in range(70)]
    return make_briefing(
        stories=stories,
        calendar=[*calendar, big],
        actors=actors,
        relations=relations,
        failures=failures,
        previous_at=AT.replace(day=20),
    )


def test_a_huge_briefing_shows_the_top_of_each_section_and_counts_the_rest() -> None:
    settings = ReportSettings(max_events=10, max_actors=15, max_failures=5)
    html, report = render_html(edit(huge(), max_stories=25), settings=settings)

    # 1,000 of the stories are new (every other one): the 25 best of those are shown, no older one before them
    assert len(report.stories) == 25 and report.stories[-1].title.startswith("Harbour plan number 49 ")
    assert all(story.is_new for story in report.stories)
    assert len(re.findall(r'<article class="story"', html)) == 25
    assert "1,975 more stories, from 1,975 articles, are not shown: this briefing shows the top 25." in html
    assert "975 more not shown" in html

    assert len(report.upcoming) == 10 and len(report.past) == 10
    # the most reported event is among those shown, though it is the latest; it cites a few of its articles
    summit = next(e for e in report.upcoming if e.entry.title == "Regional summit")
    assert len(summit.sources) == 3 and summit.more_sources == len(summit.entry.article_ids) - 3
    assert "111 more upcoming events are not shown: this briefing lists the 10 most reported." in html
    assert "80 more recent events are not shown" in html

    assert [a.entry.name for a in report.actors] == [f"Person {n}" for n in range(15)]
    assert "285 less mentioned actors are not shown" in html
    assert len(report.failures) == 5 and "65 more files could not be read" in html

    story_articles = {a for story in report.briefing.stories[:50:2] for a in story.article_ids}
    listed = {s.ref.article_id for s in report.sources}
    assert story_articles <= listed  # every shown story's sources are listed
    events_articles = {s.ref.article_id for e in (*report.upcoming, *report.past) for s in e.sources}
    assert listed == story_articles | events_articles  # and nothing else
    assert [s.number for s in report.sources] == list(range(1, len(report.sources) + 1))
    assert f"{2000 - len(listed):,} more articles of this period are not listed" in html
    for number in re.findall(r'href="#source-(\d+)"', html):  # every citation points at a listed source
        assert f'id="source-{number}"' in html


def test_a_new_story_is_never_left_out_for_an_older_one() -> None:
    briefing = make_briefing(stories=4, previous_at=AT.replace(day=20))  # stories 1 and 3 are new
    old_first = replace(briefing, stories=(briefing.stories[1], briefing.stories[3], *briefing.stories[0::2]))
    _, report = render_html(edit(old_first, max_stories=2))
    assert [s.title.split(" goes")[0] for s in report.stories] == ["Harbour plan number 1", "Harbour plan number 3"]
    _, report = render_html(edit(old_first, max_stories=3))  # room left: the best old one
    assert [s.title.split(" goes")[0] for s in report.stories] == [
        "Harbour plan number 2",
        "Harbour plan number 1",
        "Harbour plan number 3",
    ]


def test_the_bottom_line_quotes_only_stories_that_are_shown() -> None:
    briefing = make_briefing(stories=8, previous_at=AT.replace(day=20))  # stories 1, 3, 5, 7 are new
    old_first = replace(briefing, stories=(*briefing.stories[1::2], *briefing.stories[0::2]))
    _, report = render_html(edit(old_first, max_stories=4))
    shown = {story.anchor for story in report.stories}
    assert all(story.is_new for story in report.stories)
    assert len(old_first.bottom_line) == 5 and len(report.bottom_line) == 4  # one point from each shown story
    assert all(point.story is not None and point.story.anchor in shown for point in report.bottom_line)


def test_a_story_of_thousands_of_articles_lists_the_sources_its_points_cite_and_counts_the_rest() -> None:
    briefing = make_briefing(stories=3000)
    giant = replace(briefing.stories[0], article_ids=tuple(article_id(n) for n in (1, *range(4, 3001))))
    briefing = replace(briefing, stories=(giant, *briefing.stories[1:3]))  # one story holds all but two articles
    html, report = render_html(briefing, settings=ReportSettings(max_story_sources=4))
    story = report.stories[0]
    cited = {p.source.ref.article_id for p in story.points if p.source}
    assert cited <= {s.ref.article_id for s in story.sources} and len(story.sources) == 4
    assert story.more_sources == 2994 and story.source_count == 2998
    assert "2,998 sources" in html and "and 2,994 more articles reporting this story" in html
    assert len(report.sources) == 4 + 2  # the giant's four, and the two other stories' own
    assert "2,994 more articles of this period are not listed" in html


def test_a_briefing_within_the_caps_is_shown_whole() -> None:
    briefing = make_briefing(stories=12, calendar=[event("Council vote", "2022-03-09")])
    html, report = render_html(edit(briefing, max_stories=12))
    assert len(report.stories) == 12 and len(report.sources) == 12 and not report.left_out
    assert 'class="more"' not in html


def test_the_pdf_of_ten_thousand_articles_is_a_readable_length(tmp_path: Path) -> None:
    rendered = render_briefing(edit(huge(10_000)), tmp_path)  # compose shows the default 50 stories
    assert not rendered.errors
    reader = PdfReader(str(rendered.pdf_path))
    assert len(reader.pages) < 40
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "9,950 more stories" in " ".join(text.split())
