"""The briefing's actor table and who-meets-whom relations, across articles."""

from __future__ import annotations

import datetime as dt

from briefing.compose import compose
from briefing.model import Actor, Analysis, Article, Event, Period, Span, StoredArticle, When
from briefing.nlp.actors import extract_actors
from briefing.nlp.sentences import split_sentences

NOW = dt.datetime(2022, 2, 20, 12, tzinfo=dt.UTC)


def stored(article_id: str, day: int, text: str, events: tuple[Event, ...] = ()) -> StoredArticle:
    """An article analysed by the real extractor, as the store would hand it over."""
    article = Article(article_id, f"{article_id}.txt", f"Title {article_id}", dt.date(2022, 2, day), text)
    actors = tuple(extract_actors(text, split_sentences(text)))
    return StoredArticle(article, Analysis(article_id, actors=actors, events=events), (article.source,), NOW)


def briefing_of(*items: StoredArticle):
    return compose(items, [], Period(NOW - dt.timedelta(days=7), NOW), NOW)


def test_actors_merge_across_articles_by_name_and_alias_with_the_latest_role() -> None:
    older = stored("a1", 10, "Minister Anna Berg met Mayor Tom Lind in Oslo. Berg said talks went well.")
    newer = stored("a2", 12, "Prime Minister Anna Berg flew to Paris. Berg met President Emmanuel Macron there.")
    only_alias = Article("a3", "a3.txt", "Title a3", dt.date(2022, 2, 11), "Berg spoke.")
    alias_item = StoredArticle(
        only_alias,
        Analysis("a3", actors=(Actor("Berg", "person", mentions=(Span(0, 4),)),)),
        ("a3.txt",),
        NOW,
    )
    briefing = briefing_of(older, newer, alias_item)
    table = {entry.name: entry for entry in briefing.actors}
    berg = table["Anna Berg"]
    assert berg.role == "Prime Minister"
    assert berg.mentions == 5
    assert set(berg.article_ids) == {"a1", "a2", "a3"}
    assert "Berg" not in table
    assert briefing.actors[0].name == "Anna Berg"  # in the most articles
    assert table["Oslo"].affiliation == "Norway"


def test_who_meets_whom_from_sentences_and_events() -> None:
    text = "Minister Anna Berg met Mayor Tom Lind in Oslo. Later, President Emmanuel Macron arrived."
    event = Event(
        "Visit", When("2022-03-01"), None, "upcoming", actors=("Emmanuel Macron", "Anna Berg"), evidence=Span(47, 88)
    )
    briefing = briefing_of(stored("a1", 10, text, events=(event,)))
    pairs = {(r.a, r.b): r for r in briefing.relations}
    assert set(pairs) == {("Anna Berg", "Tom Lind"), ("Anna Berg", "Emmanuel Macron")}
    assert pairs[("Anna Berg", "Tom Lind")].weight == 1
    assert pairs[("Anna Berg", "Tom Lind")].article_ids == ("a1",)


def test_stories_list_their_actors() -> None:
    briefing = briefing_of(stored("a1", 10, "Minister Anna Berg met Mayor Tom Lind in Oslo. Berg smiled."))
    assert briefing.stories[0].actors[:2] == ("Anna Berg", "Tom Lind")
    assert "Oslo" in briefing.stories[0].actors


def test_same_named_organisations_of_different_countries_stay_apart() -> None:
    briefing = briefing_of(
        stored("a1", 10, "Israel's Foreign Ministry said the talks went well."),
        stored("a2", 11, "Turkey's Foreign Ministry said the talks went well."),
    )
    ministries = [(e.name, e.affiliation) for e in briefing.actors if e.name == "Foreign Ministry"]
    assert sorted(ministries) == [("Foreign Ministry", "Israel"), ("Foreign Ministry", "Turkey")]


def test_an_entity_that_became_a_person_can_be_renamed() -> None:
    """Found first as an organisation (not indexed by surname), then a person by most mentions, then renamed:
    composing 10,000 stored articles raised ValueError here (bench.pg_store)."""
    from briefing.compose.actors import _Merged, _Registry

    registry = _Registry()
    merged = _Merged("Jordan Avenue", "organization", position=0)
    registry.merged.append(merged)
    registry._index_surname(merged, None)  # an organisation: no surname
    merged.kind, merged.name = "person", "Jordan Avery"
    registry._index_surname(merged, "Jordan Avenue")
    assert registry.by_surname == {"avery": [0]}


def test_two_companies_that_share_a_first_word_stay_two_across_articles() -> None:
    # Each article names its company in full, then by the shared short form.
    records = Article("r1", "r1.txt", "Title r1", dt.date(2022, 2, 10), "Quill Records sued. Quill won.")
    mining = Article("m1", "m1.txt", "Title m1", dt.date(2022, 2, 12), "Quill Mining grew. Quill hired.")
    items = [
        StoredArticle(
            item,
            Analysis(item.id, actors=(Actor(name, "organization", aliases=("Quill",), mentions=spans),)),
            (item.source,),
            NOW,
        )
        for item, name, spans in (
            (records, "Quill Records", (Span(0, 13), Span(20, 25))),
            (mining, "Quill Mining", (Span(0, 12), Span(19, 24))),
        )
    ]
    later = stored("q2", 14, "Quill Mining said on Monday that Quill would expand.")
    table = {entry.name: entry for entry in briefing_of(*items, later).actors}
    assert set(table["Quill Records"].article_ids) == {"r1"}
    assert set(table["Quill Mining"].article_ids) == {"m1", "q2"}


def test_an_organisation_named_with_another_form_of_its_country_is_one_actor() -> None:
    items = [
        StoredArticle(
            Article(i, f"{i}.txt", f"Title {i}", dt.date(2022, 2, day), name),
            Analysis(i, actors=(Actor(name, "organization", mentions=(Span(0, len(name)),)),)),
            (f"{i}.txt",),
            NOW,
        )
        for i, day, name in (("n1", 10, "United States Coast Guard"), ("n2", 11, "U.S. Coast Guard"))
    ]
    table = {entry.name: entry for entry in briefing_of(*items).actors}
    assert len(table) == 1
    [entry] = table.values()
    assert entry.mentions == 2
