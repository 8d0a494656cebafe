"""Entities, not strings: one entity under several names, one kind, products apart (invented texts)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from briefing.compose import compose
from briefing.model import Actor, Analysis, Article, Period, Span, StoredArticle
from briefing.nlp.actors.tagger import tag_actors
from briefing.nlp.sentences import split_sentences

NOW = dt.datetime(2031, 5, 20, 12, tzinfo=dt.UTC)


def tagged(text: str) -> dict[str, Actor]:
    return {a.name: a for a in tag_actors(text, split_sentences(text))}


def table(*texts: str) -> dict[str, tuple[str, str | None, int, int]]:
    """The briefing's actor table of one article per text: name -> (kind, affiliation, mentions, articles)."""
    items = []
    for day, text in enumerate(texts, start=1):
        article = Article(f"a{day}", f"a{day}.txt", f"Title {day}", dt.date(2031, 5, day), text)
        analysis = Analysis(article.id, actors=tuple(tag_actors(text, split_sentences(text))))
        items.append(StoredArticle(article, analysis, (article.source,), NOW))
    briefing = compose(items, [], Period(NOW - dt.timedelta(days=30), NOW), NOW)
    return {e.name: (e.kind, e.affiliation, e.mentions, len(e.article_ids)) for e in briefing.actors}


def test_a_product_named_after_the_company_is_not_the_company() -> None:
    actors = tagged(
        "Acme launched Acme Total Care on Monday. Acme said Acme Total Care would cost $10 a month."
        " Acme Rover, its new robot, sold out."
    )
    assert len(actors["Acme"].mentions) == 2  # the company keeps its own mentions
    assert actors["Acme"].kind == "organization"
    assert actors["Acme"].aliases == ()
    assert "Acme Total Care" not in actors["Acme"].aliases
    assert "Acme Rover" not in actors or actors["Acme Rover"].kind != "person"  # no product is a person


def test_legal_forms_are_one_company_named_by_its_longest_form() -> None:
    actors = tagged(
        "Shares of Globex Inc. fell 4% on Monday. Globex Corp. said it would buy back stock. Globex declined to comment."
    )
    organisations = [a for a in actors.values() if a.kind == "organization"]
    assert len(organisations) == 1
    assert len(organisations[0].mentions) == 3
    rows = table("Globex Inc. said profits rose.", "Analysts expect Globex Corp. to cut jobs.", "Globex fell 3%.")
    assert [name for name in rows if name.startswith("Globex")] == ["Globex Corp."]  # the longest
    assert rows["Globex Corp."][3] == 3


def test_an_abbreviation_across_articles_is_the_full_name() -> None:
    rows = table(
        "American Consolidated Mining Enterprises said on Monday that output rose at its mines.",
        "Shares of ACME jumped 5% on Tuesday after the results.",
    )
    assert "ACME" not in rows
    assert rows["American Consolidated Mining Enterprises"][3] == 2


def test_an_index_and_its_short_forms_and_organisations_named_like_people() -> None:
    actors = tagged("The Zenith Composite Index fell 2% on Friday. Storms swept across the North Atlantic.")
    assert actors["Zenith Composite Index"].kind == "organization"
    assert actors["North Atlantic"].kind == "location"


def test_name_fragments_are_no_actors() -> None:
    actors = tagged("Walter Brandt Jr. said the board would meet. Inc. was not part of the deal, Brandt said.")
    assert "Jr." not in actors and "Inc." not in actors
    assert actors["Walter Brandt Jr."].kind == "person"


def test_one_company_keeps_one_row_whatever_affiliation_each_article_gives() -> None:
    rows = table(
        "Canada's Hollis Motors said sales rose in Ontario.",
        "Hollis Motors will build a plant in Mexico, it said on Tuesday.",
    )
    assert [name for name in rows if name.startswith("Hollis")] == ["Hollis Motors"]
    assert rows["Hollis Motors"][1] == "Canada"


def test_one_name_one_kind_across_articles() -> None:
    texts = (
        "Varga Telek rose 3% on Monday.",
        "Varga Telek said on Monday it would cut 300 jobs at the company.",
        "Shares of Varga Telek fell.",
    )
    kinds: Counter[str] = Counter()
    for text in texts:  # what each article alone says Varga Telek is
        kinds.update(a.kind for a in tag_actors(text, split_sentences(text)) for _ in a.mentions)
    assert len(kinds) == 2  # the articles disagree ...
    rows = table(*texts)
    varga = [(name, row[0]) for name, row in rows.items() if name.startswith("Varga")]
    assert varga == [("Varga Telek", kinds.most_common(1)[0][0])]  # ... and the table shows one entity


def test_one_article_s_odd_long_form_does_not_rename_the_entity() -> None:
    items = []
    for day, text in enumerate(("Shares of Globex rose 2% on Monday.", "Shares of Globex fell 3% on Friday."), 1):
        article = Article(f"a{day}", f"a{day}.txt", "t", dt.date(2031, 5, day), text)
        analysis = Analysis(article.id, actors=tuple(tag_actors(text, split_sentences(text))))
        items.append(StoredArticle(article, analysis, (article.source,), NOW))
    odd = Article("a3", "a3.txt", "t", dt.date(2031, 5, 3), "Globex Unveils Rover Robot. Globex said so.")
    actor = Actor("Globex Unveils Rover Robot", "organization", aliases=("Globex",), mentions=(Span(0, 26),))
    items.append(StoredArticle(odd, Analysis("a3", actors=(actor,)), ("a3.txt",), NOW))
    briefing = compose(items, [], Period(NOW - dt.timedelta(days=30), NOW), NOW)
    assert [(e.name, len(e.article_ids)) for e in briefing.actors if "Globex" in e.name] == [("Globex", 3)]


def test_parts_of_one_institution_are_the_institution() -> None:
    actors = tagged(
        "Lawmakers in the House and Senate clashed on Tuesday. The House of Representatives passed the bill,"
        " but Representatives from both parties said the Senate would block it."
    )
    organisations = sorted(name for name, a in actors.items() if a.kind == "organization")
    assert organisations == ["House of Representatives", "Senate"]
    assert set(actors["House of Representatives"].aliases) == {"House", "Representatives"}


def test_an_index_and_its_short_forms_are_one_entity() -> None:
    actors = tagged(
        "Shares fell on Monday and the NRX 50 Index lost 2%. Traders said the NRX 50 would recover,"
        " and the NRX 50 Index rose on Tuesday."
    )
    indexes = [a for a in actors.values() if a.name.startswith("NRX")]
    assert [(a.name, a.kind, len(a.mentions)) for a in indexes] == [("NRX 50 Index", "organization", 3)]


def test_a_new_company_named_after_an_old_one_is_no_person() -> None:
    actors = tagged(
        "Globex Inc. was split in two last year. The New Globex said on Monday it would cut prices,"
        " and New Globex shares rose."
    )
    assert actors["New Globex"].kind == "organization"
    assert actors["Globex Inc."].kind == "organization"


def test_a_national_body_and_its_short_name_are_one_entity() -> None:
    actors = tagged(
        "The United States Air Force (USAF) awarded the contract on Friday. When the Air Force selected"
        " Zentek, rivals protested. The Indian Navy took delivery of two frigates. The Navy said more would follow."
    )
    assert "Air Force" not in actors and "Navy" not in actors
    assert len(actors["United States Air Force"].mentions) == 3  # the name, "USAF", "the Air Force"
    assert len(actors["Indian Navy"].mentions) == 2
    # Across articles the short name then finds the full one.
    rows = table(
        "The United States Air Force (USAF) awarded the contract. The Air Force said so.", "The Air Force flew."
    )
    assert rows["United States Air Force"][3] == 2
    assert "Air Force" not in rows
