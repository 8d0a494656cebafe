"""Stories across articles: same event from several sources merged, ranked, flagged new."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import replace
from pathlib import Path

from briefing.compose import compose
from briefing.compose.dedup import near_duplicates
from briefing.compose.stories import build_stories, group_articles
from briefing.config import Settings
from briefing.model import Article, Period, StoredArticle
from briefing.nlp import analyse
from briefing.pipeline import generate_briefing, ingest_folder
from briefing.render import render_briefing
from briefing.store import Store
from tests.conftest import ArticleWriter

DAY = dt.date(2024, 3, 12)
NOON = dt.datetime(2024, 3, 12, 12, tzinfo=dt.UTC)

QUAKE_WIRE = (
    "A magnitude 6.4 earthquake struck the southern Peruvian region of Arequipa early on Tuesday, "
    "killing at least 14 people and injuring dozens more, the country's civil defence institute said. "
    "The quake hit at 4:12 a.m. local time at a depth of 35 kilometres, about 60 kilometres from the town of "
    "Chala, according to the geophysical institute. Rescue teams were searching collapsed adobe homes in the "
    "villages of Yauca and Acari, where most of the victims lived. President Dina Boluarte said she would fly "
    "to Arequipa on Wednesday and declared a state of emergency in four provinces. Landslides blocked parts of "
    "the Pan-American Highway, cutting off the coastal towns for several hours."
)
QUAKE_LOCAL = (
    "Fourteen people died when a strong earthquake shook Arequipa before dawn on Tuesday, regional officials "
    "confirmed. The 6.4-magnitude tremor, centred near Chala, destroyed dozens of adobe houses in Yauca and "
    'Acari, and firefighters worked through the morning to pull survivors from the rubble. "We heard a roar '
    'and then everything fell," said Rosa Quispe, a farmer in Yauca. Boluarte announced a state of emergency '
    "and said the government would send tents, water and doctors to Arequipa. Landslides closed stretches of "
    "the Pan-American Highway."
)
QUAKE_ANALYSIS = (
    "Tuesday's deadly earthquake in Arequipa is a reminder that much of southern Peru still lives in adobe "
    "homes that collapse in strong shaking. The 6.4 quake near Chala killed 14 people, most of them in Yauca "
    "and Acari, where mud-brick houses make up most of the housing. Engineers have long urged the government "
    "to fund reinforcement of adobe walls. Boluarte's state of emergency will release funds for shelter, but "
    "experts say rebuilding with the same methods would leave Arequipa as exposed as before."
)
FOOTBALL = (
    "Manchester City beat Copenhagen 3-1 on Wednesday to reach the Champions League quarter-finals with an "
    "aggregate score of 6-2. Manuel Akanji, Julian Alvarez and Erling Haaland scored for Pep Guardiola's side, "
    "who had won the first leg in Denmark 3-1. Mohamed Elyounoussi pulled a goal back for the visitors before "
    "half-time. City will learn their next opponents in the draw in Nyon on Friday."
)
BUDGET = (
    "The Dutch cabinet presented a spending plan on Monday that raises defence outlays to two percent of "
    "economic output for the first time. Finance minister Steven van Weyenberg told parliament in The Hague "
    "that the extra money would come from higher taxes on share buybacks. Opposition parties criticised the "
    "plan for cutting subsidies for home insulation. The lower house will vote on the budget next month."
)


def stored(text: str, title: str, source: str, *, date: dt.date = DAY, seen: dt.datetime = NOON) -> StoredArticle:
    article = Article(
        id=hashlib.sha256(text.encode()).hexdigest(),
        source=source,
        title=title,
        date=date,
        text=text,
        fetched_at=seen,
        meta={"publisher": source.split("/")[0]},
    )
    return StoredArticle(article, analyse(article), (source,), seen)


def five_articles() -> list[StoredArticle]:
    return [
        stored(QUAKE_WIRE, "Earthquake kills 14 in southern Peru", "wire/quake.txt"),
        stored(FOOTBALL, "City cruise into quarter-finals", "sport/city.txt", date=DAY + dt.timedelta(days=1)),
        stored(QUAKE_LOCAL, "Arequipa mourns after dawn quake", "local/arequipa.txt"),
        stored(BUDGET, "Dutch cabinet lifts defence spending", "europe/budget.txt", date=DAY - dt.timedelta(days=1)),
        stored(QUAKE_ANALYSIS, "Why adobe homes keep failing in Peru's quakes", "analysis/adobe.txt"),
    ]


def test_three_reports_of_one_event_and_two_others_make_three_stories() -> None:
    articles = five_articles()
    briefing = compose(articles, [], Period(NOON - dt.timedelta(days=7), NOON), created_at=NOON)
    assert len(briefing.stories) == 3
    quake_ids = {articles[i].article.id for i in (0, 2, 4)}
    [merged] = [s for s in briefing.stories if len(s.article_ids) > 1]
    assert set(merged.article_ids) == quake_ids
    # The merged story cites all three sources, ranks first (three sources), and draws its
    # points from more than one of them, each point naming an article of the story.
    assert briefing.stories[0] is merged
    assert {p.article_id for p in merged.points} <= quake_ids
    assert len({p.article_id for p in merged.points}) >= 2
    assert {s.article_id for s in briefing.sources} == {a.article.id for a in articles}
    texts = {a.article.id: a.article.text for a in articles}
    for point in merged.points:
        assert " ".join(point.text.split()) in " ".join(texts[point.article_id].split())


def test_story_points_do_not_repeat_each_other() -> None:
    copy = QUAKE_WIRE.replace("early on Tuesday", "on Tuesday morning")
    articles = [stored(QUAKE_WIRE, "Quake kills 14", "a/1.txt"), stored(copy, "Peru quake kills 14", "b/1.txt")]
    [story] = build_stories(articles, DAY)
    assert len(story.article_ids) == 2
    assert len(story.points) == len({p.text for p in story.points})
    assert len(story.points) <= 3  # the copy adds no new points: every sentence repeats one


def test_near_duplicates_are_found_and_distinct_texts_are_not() -> None:
    copy = QUAKE_WIRE.replace("civil defence institute", "national emergency office") + " Aftershocks continued."
    pairs = near_duplicates([QUAKE_WIRE, FOOTBALL, copy, QUAKE_LOCAL])
    assert [(i, j) for i, j, _ in pairs] == [(0, 2)]


def test_far_apart_dates_keep_similar_reports_apart() -> None:
    later = stored(QUAKE_LOCAL, "Arequipa mourns", "local/a.txt", date=DAY + dt.timedelta(days=30))
    groups = group_articles([stored(QUAKE_WIRE, "Quake", "wire/q.txt"), later])
    assert len(groups) == 2


def test_what_arrived_after_the_previous_briefing_is_new() -> None:
    before = NOON - dt.timedelta(hours=30)
    previous_at = NOON - dt.timedelta(hours=24)
    articles = [
        stored(QUAKE_WIRE, "Earthquake kills 14 in southern Peru", "wire/quake.txt", seen=before),
        stored(QUAKE_LOCAL, "Arequipa mourns after dawn quake", "local/arequipa.txt"),
        stored(FOOTBALL, "City cruise into quarter-finals", "sport/city.txt"),
        stored(BUDGET, "Dutch cabinet lifts defence spending", "europe/budget.txt", seen=before),
    ]
    briefing = compose(articles, [], Period(NOON - dt.timedelta(days=7), NOON), NOON, previous_at=previous_at)
    assert briefing.previous_at == previous_at
    by_title = {s.title: s for s in briefing.stories}
    # The headline is that of the article with the best point (the wire's lead).
    quake = by_title["Earthquake kills 14 in southern Peru"]
    assert quake.points[0].article_id == articles[0].article.id
    assert not quake.is_new  # part of it was in the previous briefing
    assert {p.is_new for p in quake.points if p.article_id == articles[1].article.id} == {True}
    assert {p.is_new for p in quake.points if p.article_id == articles[0].article.id} == {False}
    assert by_title["City cruise into quarter-finals"].is_new
    assert not by_title["Dutch cabinet lifts defence spending"].is_new
    first = compose(articles, [], Period(NOON - dt.timedelta(days=7), NOON), NOON)
    assert all(s.is_new and all(p.is_new for p in s.points) for s in first.stories)


def test_the_report_cites_every_source_of_a_merged_story(tmp_path: Path) -> None:
    articles = five_articles()
    briefing = compose(articles, [], Period(NOON - dt.timedelta(days=7), NOON), created_at=NOON)
    rendered = render_briefing(briefing, tmp_path)
    assert rendered.html_path is not None
    html = rendered.html_path.read_text(encoding="utf-8")
    stories = re.findall(r'<article class="story"[^>]*>(.*?)</article>', html, re.S)
    assert len(stories) == 3
    meta = re.search(r'<p class="story-meta">(.*?)</p>', stories[0], re.S)
    assert meta is not None and "3 sources" in meta.group(1)
    listed = re.search(r'<ul class="story-sources">(.*?)</ul>', stories[0], re.S)
    assert listed is not None
    cited = set(re.findall(r'href="#source-(\d+)"', listed.group(1)))
    assert len(cited) == 3
    for number in cited:
        assert f'<li id="source-{number}">' in html


def test_generate_flags_what_is_new_since_the_previous_briefing(
    settings: Settings, write_article: ArticleWriter
) -> None:
    write_article("quake.txt", f"Title: Earthquake kills 14 in southern Peru\nDate: 2024-03-12\n\n{QUAKE_WIRE}")
    ingest_folder(settings, now=NOON)
    first = generate_briefing(settings, now=NOON + dt.timedelta(hours=1))
    write_article("city.txt", f"Title: City cruise into quarter-finals\nDate: 2024-03-13\n\n{FOOTBALL}")
    ingest_folder(settings, now=NOON + dt.timedelta(hours=5))
    second = generate_briefing(settings, now=NOON + dt.timedelta(hours=6))

    assert first.rendered.html_path is not None and second.rendered.html_path is not None
    assert 'class="badge">new<' not in first.rendered.html_path.read_text(encoding="utf-8")  # nothing came before it
    html = second.rendered.html_path.read_text(encoding="utf-8")
    stories = {
        re.search(r"</span> (.*?)(?: <span|</h3>)", story).group(1): story  # type: ignore[union-attr]
        for story in re.findall(r'<article class="story"[^>]*>(.*?)</article>', html, re.S)
    }
    assert '<span class="badge">new</span>' in stories["City cruise into quarter-finals"]
    assert 'class="badge"' not in stories["Earthquake kills 14 in southern Peru"]
    with Store(settings.state_path) as store:
        assert store.previous_briefing_at(NOON + dt.timedelta(hours=6)) == NOON + dt.timedelta(hours=1)
        assert store.previous_briefing_at(NOON + dt.timedelta(hours=1)) is None  # only those made before
        assert store.previous_briefing_at(NOON + dt.timedelta(hours=6), "weekly") is None  # none of that schedule


def test_an_untitled_article_is_headlined_by_the_event_its_opening_reports(settings: Settings, seed_copy: Path) -> None:
    ingest_folder(settings, now=NOON)
    with Store(settings.state_path) as store:
        [item] = store.articles()
    assert item.article.meta["title_source"] == "derived" and item.article.title.endswith("…")
    briefing = compose([item], [], Period(NOON - dt.timedelta(days=7), NOON), NOON)
    assert briefing.stories[0].title == "Meeting of Ibrahim Kalin and Sadat Onal with Israeli officials in Jerusalem"
    assert briefing.sources[0].title == item.article.title  # the source list keeps the article's own words


MUSEUM = (
    "The city museum of Ghent reopened on Saturday after a four-year renovation that cost 38 million euros. "
    "Curators moved 2,400 paintings back into the restored galleries, and the mayor cut the ribbon in front of "
    "a crowd of several hundred visitors. Entry will be free for residents until the end of the month."
)
RAIL = (
    "Train drivers in Portugal walked out for 24 hours on Thursday, cancelling most commuter services around "
    "Lisbon and Porto. The union is demanding a pay rise of 6 percent and more staff on night shifts. The state "
    "operator CP said only a third of long-distance trains ran."
)


def test_a_long_briefing_leads_with_its_biggest_story_even_when_it_is_the_oldest(tmp_path: Path) -> None:
    """Ten months: the quake, three sources, ten months back, outweighs four newer single-source stories."""
    old = DAY - dt.timedelta(days=300)
    quake = [
        stored(QUAKE_WIRE, "Earthquake kills 14 in southern Peru", "wire/quake.txt", date=old),
        stored(QUAKE_LOCAL, "Arequipa mourns after dawn quake", "local/arequipa.txt", date=old),
        stored(QUAKE_ANALYSIS, "Why adobe homes keep failing in Peru's quakes", "analysis/adobe.txt", date=old),
    ]
    newer = [
        stored(BUDGET, "Dutch cabinet lifts defence spending", "europe/budget.txt", date=DAY - dt.timedelta(days=40)),
        stored(RAIL, "Portuguese train drivers strike", "iberia/rail.txt", date=DAY - dt.timedelta(days=12)),
        stored(MUSEUM, "Ghent museum reopens", "culture/ghent.txt", date=DAY - dt.timedelta(days=3)),
        stored(FOOTBALL, "City cruise into quarter-finals", "sport/city.txt", date=DAY),
    ]
    period = Period(NOON - dt.timedelta(days=310), NOON)
    briefing = compose([*newer, *quake], [], period, created_at=NOON)
    assert len(briefing.stories) == 5
    quake_ids = {a.article.id for a in quake}
    assert set(briefing.stories[0].article_ids) == quake_ids
    assert briefing.bottom_line[0].article_id in quake_ids
    # The newest stories still follow it: recency is one factor among the others.
    assert {p.article_id for p in briefing.bottom_line[1:]} & {a.article.id for a in newer}
    rendered = render_briefing(briefing, tmp_path)
    assert rendered.html_path is not None
    html = rendered.html_path.read_text(encoding="utf-8")
    assert "Stories are ordered by importance over the period" in html


def test_copies_from_one_publisher_count_as_one_source() -> None:
    """Two copies of one wire story rank below the same event reported by two publishers."""
    copy = QUAKE_WIRE.replace("early on Tuesday", "on Tuesday morning")
    one = [stored(QUAKE_WIRE, "Quake kills 14", "wire/1.txt"), stored(copy, "Peru quake kills 14", "wire/2.txt")]
    two = [
        stored(FOOTBALL, "City cruise into quarter-finals", "sport/city.txt"),
        stored(FOOTBALL.replace("on Wednesday", "on Wednesday night"), "City through", "press/city.txt"),
    ]
    stories = build_stories([*one, *two], DAY)
    assert [len(s.article_ids) for s in stories] == [2, 2]
    assert set(stories[0].article_ids) == {a.article.id for a in two}


# One topic (the Karachi exchange), two events: a suspension reported three times over two
# days, and a surge two days later reported twice. DAY is a Tuesday.
HALT_WIRE = (
    "The Karachi Stock Exchange suspended trading on Tuesday after the KSE-100 index fell 7 percent in the "
    "first hour, wiping 2,300 points off the benchmark, the exchange said in a statement. Brokers said "
    "foreign funds had sold heavily since Monday, when the government delayed talks on a new loan. The "
    "regulator said trading would stay halted until it had reviewed the circuit breakers. Investors "
    "crowded the trading floor demanding answers, and police were called to clear the hall."
)
HALT_LOCAL = (
    "Trading was suspended at the Karachi Stock Exchange on Tuesday morning when the KSE-100 index plunged "
    "7 percent, or 2,300 points, less than an hour after the opening bell. It was the first halt since the "
    "exchange introduced its circuit breakers, officials said. Small investors gathered outside the building "
    "on I.I. Chundrigar Road, many of them holding shares bought on margin. The finance ministry said it was "
    "in touch with the exchange and would speak to the regulator."
)
HALT_DAY_TWO = (
    "Trading at the Karachi Stock Exchange remained suspended on Wednesday, a day after the KSE-100 index "
    "plunged 7 percent and the exchange halted trading on Tuesday. The regulator said it would decide by "
    "Thursday whether to reopen the market with wider circuit breakers. Brokers warned that a long halt "
    "would trap investors who had bought shares on margin, and asked the exchange to publish its review."
)
SURGE_WIRE = (
    "Shares in Karachi surged 9 percent on Thursday after the central bank cut its policy rate by 2 points, "
    "lifting the KSE-100 index by 3,100 points on the first day of trading after the suspension. Banks and "
    "cement makers led the rally, brokers said, and volumes were the highest this year. The regulator said "
    "the wider circuit breakers had not been needed."
)
SURGE_LOCAL = (
    "The KSE-100 index jumped 3,100 points, or 9 percent, on Thursday as the Karachi Stock Exchange reopened "
    "and the central bank's surprise 2-point rate cut drew buyers back. It was the biggest one-day gain on "
    "record, the exchange said, after the losses of Tuesday. Investors at the exchange cheered as the "
    "closing bell rang."
)


def test_reports_of_one_event_join_and_another_event_of_the_topic_stays_apart() -> None:
    tuesday, wednesday, thursday = DAY, DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=2)
    halt = [
        stored(HALT_WIRE, "Karachi exchange halts trading after 7% plunge", "wire/halt.txt", date=tuesday),
        stored(HALT_LOCAL, "Panic on Chundrigar Road as trading stops", "dawn/halt.txt", date=tuesday),
        stored(HALT_DAY_TWO, "Karachi trading still suspended", "news/halt2.txt", date=wednesday),
    ]
    surge = [
        stored(SURGE_WIRE, "Karachi shares surge 9% after rate cut", "wire/surge.txt", date=thursday),
        stored(SURGE_LOCAL, "Record day for Karachi bourse", "dawn/surge.txt", date=thursday),
    ]
    noon = dt.datetime.combine(thursday, dt.time(12), tzinfo=dt.UTC)
    halt = [replace(item, first_seen=noon - dt.timedelta(hours=60 - 10 * n)) for n, item in enumerate(halt)]
    stories = build_stories([*surge, *halt], thursday)
    assert sorted(sorted(s.article_ids) for s in stories) == sorted(
        [sorted(a.article.id for a in halt), sorted(a.article.id for a in surge)]
    )
    # The suspension's headline, date and first point come from its earliest full report.
    [suspension] = [s for s in stories if halt[0].article.id in s.article_ids]
    assert suspension.title == "Karachi exchange halts trading after 7% plunge"
    assert suspension.date == tuesday
    assert suspension.points[0].article_id == halt[0].article.id


def test_a_long_briefing_s_bottom_line_covers_its_period() -> None:
    """Seven single-source stories over ten months: the bottom line is not just the five newest."""
    texts = [
        (QUAKE_WIRE, "Earthquake kills 14 in southern Peru"),
        (HALT_WIRE, "Karachi exchange halts trading after 7% plunge"),
        (BUDGET, "Dutch cabinet lifts defence spending"),
        (RAIL, "Portuguese train drivers strike"),
        (SURGE_WIRE, "Karachi shares surge 9% after rate cut"),
        (MUSEUM, "Ghent museum reopens"),
        (FOOTBALL, "City cruise into quarter-finals"),
    ]
    ages = [300, 250, 40, 30, 20, 10, 0]
    articles = [
        stored(text, title, f"desk{n}/a.txt", date=DAY - dt.timedelta(days=age))
        for n, ((text, title), age) in enumerate(zip(texts, ages, strict=True))
    ]
    briefing = compose(articles, [], Period(NOON - dt.timedelta(days=310), NOON), created_at=NOON)
    assert len(briefing.stories) == 7
    by_id = {a.article.id: a.article for a in articles}
    quoted = [by_id[p.article_id].date for p in briefing.bottom_line]
    assert len(quoted) == 5
    assert min(quoted) <= DAY - dt.timedelta(days=250)  # the period's first months are in it
    assert briefing.bottom_line[0].article_id in briefing.stories[0].article_ids  # the most important leads


def test_a_story_s_lead_point_comes_from_its_earliest_full_report_and_leads_the_bottom_line() -> None:
    flash = "Trading on the Karachi exchange was suspended on Tuesday, brokers said."
    articles = [
        stored(flash, "Karachi trading halted", "flash/1.txt", seen=NOON - dt.timedelta(hours=9)),
        stored(
            HALT_LOCAL, "Panic on Chundrigar Road as trading stops", "dawn/halt.txt", seen=NOON - dt.timedelta(hours=8)
        ),
        stored(HALT_WIRE, "Karachi exchange halts trading after 7% plunge", "wire/halt.txt"),
    ]
    briefing = compose(articles, [], Period(NOON - dt.timedelta(days=7), NOON), created_at=NOON)
    [story] = [s for s in briefing.stories if articles[1].article.id in s.article_ids]
    assert story.title == "Panic on Chundrigar Road as trading stops"  # the flash is not a full report
    assert story.points[0].article_id == articles[1].article.id
    assert briefing.bottom_line[0] == story.points[0]


VOTE_WIRE = (
    "Lawmakers in Lisbon approved the pension reform by 212 votes to 198 on Tuesday night, after a debate "
    "that lasted eleven hours. The bill raises the retirement age to 67 by 2030 and links it to life expectancy. "
    "The opposition said it would ask the constitutional court to review the law."
)
VOTE_NEXT_DAY = (
    "Portugal's parliament passed the contested pension bill on Tuesday, 212 to 198, handing Prime Minister "
    "Luis Montenegro his first big victory since taking office. Unions called a general strike for next month, "
    "and thousands protested outside the assembly as the result was read out."
)


def test_two_reports_of_one_vote_a_day_apart_with_the_same_tally_are_one_story() -> None:
    """In their own words (openings alike only at a cosine of about 0.3), but the same tally on the same day."""
    vote = stored(VOTE_WIRE, "Portuguese lawmakers approve pension reform", "wire/v1.txt", date=DAY)
    later = stored(VOTE_NEXT_DAY, "Montenegro wins pension vote", "press/v2.txt", date=DAY + dt.timedelta(days=1))
    assert group_articles([vote, later]) == [[0, 1]]
    other = VOTE_NEXT_DAY.replace("212 to 198", "by a wide margin").replace("on Tuesday", "on Thursday")
    apart = stored(other, "Montenegro wins another vote", "press/v3.txt", date=DAY + dt.timedelta(days=2))
    assert len(group_articles([vote, apart])) == 2
