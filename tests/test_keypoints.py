"""Our news key points: verbatim at their offsets, no page furniture, no two alike."""

from __future__ import annotations

import tracemalloc

import pytest

from briefing.ingest import read_articles
from briefing.nlp import AnalysisOptions, analyse
from briefing.nlp.keypoints import MAX_RANKED_CHARACTERS, RANKERS, key_points
from briefing.nlp.salience import model
from briefing.nlp.salience.boilerplate import is_boilerplate
from briefing.nlp.salience.features import FEATURES
from briefing.nlp.salience.standalone import is_unattributed_quote
from briefing.nlp.sentences import split_sentences
from tests.conftest import SEED

PAGE = """Storm closes the harbour for a second day
By Jane Smith | Political Editor
PUBLISHED: 10:42 GMT, 12 March 2024
The harbour master said on Tuesday that no ship would leave Port Ellen before the wind dropped, and that the ferries to the islands were cancelled until further notice.
Waves of up to nine metres were recorded off the coast overnight, the coastguard said, and two fishing boats were towed to safety.
Boats are tied up in the inner harbour on Monday (Photo: Getty Images)
Read more: How the islands cope with winter storms
The regional council opened two schools as shelters for 140 people whose homes lost power, and said repairs could take until Friday.
"We have never seen the sea like this in March," said Ewan Macleod, a ferry captain for 30 years.
Click here to sign up for our daily newsletter.
The storm is expected to move east towards Norway on Wednesday, forecasters said.
Share this article
"""


def test_news_is_the_default_and_sumy_stays_selectable() -> None:
    assert AnalysisOptions().summarizer == "news"
    assert {"news", "lexrank", "textrank", "lsa", "luhn", "kl", "sumbasic", "reduction"} <= set(RANKERS)


def test_points_are_verbatim_in_text_order_and_never_page_furniture() -> None:
    sentences = split_sentences(PAGE)
    points = key_points(sentences, 5, "news", title="Storm closes the harbour")
    assert len(points) == 5
    assert [p.start for p in points] == sorted(p.start for p in points)
    for point in points:
        assert PAGE[point.start : point.end] == point.text
        assert not is_boilerplate(point.text)
        for furniture in ("By Jane Smith", "PUBLISHED", "Getty", "Read more", "Click here", "Share this"):
            assert furniture not in point.text


@pytest.mark.parametrize(
    "line",
    [
        "By Jane Smith | Political Editor",
        "By JANE SMITH and TOM BROWN",
        "PUBLISHED: 10:42 GMT, 12 March 2024 | UPDATED: 11:02 GMT, 12 March 2024",
        "Read more: How the islands cope with winter storms",
        "Click here to sign up for our daily newsletter.",
        "Boats are tied up in the inner harbour on Monday (Photo: Getty Images)",
        "Scroll down for video",
        "Share this article",
        "Follow us on Twitter @harbourdaily",
        "Related: Ferry operator warns of more cancellations",
        "Photo credit: Island Press Agency",
        "THE STORM IN PICTURES",
        "Storm closes the harbour for a second day",
        "Reporting by Anna Berg; editing by Tom Brown. Copyright 2024.",
        "CNN's Tom Brown contributed to this report.",
    ],
)
def test_page_furniture_is_recognised(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "sentence",
    [
        "By the end of the day, the harbour master had cancelled every ferry to the islands.",
        "More than 140 people spent the night in two schools opened as shelters.",
        '"I like this plan," said the mayor, who had opposed the previous one.',
        "Published figures show that ferry traffic fell by a third last winter.",
        "Watch out for more storms this month, the forecasters warned on Tuesday.",
        "The ministry said the photo was taken in 2019 and had been shared out of context.",
    ],
)
def test_story_sentences_are_not_mistaken_for_furniture(sentence: str) -> None:
    assert not is_boilerplate(sentence)


def test_no_two_points_say_the_same_thing() -> None:
    repeated = (
        "The council approved the new harbour budget of 40 million euros on Monday. "
        "Critics said the money should go to schools. "
        "On Monday, the council approved the new harbour budget of 40 million euros. "
        "The work will start in spring and last two years. "
        "Local shops fear months of disruption. "
        "The council approved the new harbour budget of 40 million euros on Monday, officials said."
    )
    points = key_points(split_sentences(repeated), 4, "news")
    budget = [p for p in points if "budget of 40 million" in p.text]
    assert len(budget) == 1


def test_short_articles_and_empty_input() -> None:
    assert [p.text for p in key_points(split_sentences("Only one sentence here."), 3)] == ["Only one sentence here."]
    assert key_points([], 3) == []
    assert key_points(split_sentences("A first sentence here. And a second one here."), 0) == []


def test_unknown_ranker_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown summarizer"):
        key_points(split_sentences("One sentence here."), 3, "magic")


def test_shipped_model_matches_the_features() -> None:
    m = model()
    assert m.feature.shape == m.threshold.shape == m.left.shape == m.value.shape
    assert int(m.feature.max()) < len(FEATURES)
    assert 0 <= m.mmr_lambda <= 1 and 0 < m.max_similarity <= 1


def test_seed_key_points() -> None:
    """The seed's three points (see the README's "Key points" section for why these)."""
    [article] = read_articles(SEED, max_bytes=10**7)
    points = analyse(article).key_points
    assert [p.text.split()[:4] for p in points] == [
        ["The", "Turkish", "delegation", "held"],
        ["The", "delegation", "also", "discussed"],
        ["During", "the", "visit,", "Herzog"],
    ]
    assert all(article.text[p.start : p.end] == p.text for p in points)


def long_text(sentences: int) -> str:
    """A very long text: ``sentences`` distinct sentences, each with words of its own (a large vocabulary)."""

    def word(n: int, salt: int) -> str:
        letters = "bcdfghklmnprstvz"
        out = ""
        n = n * 7 + salt
        while True:
            out += letters[n % 16] + "aeiou"[n % 5]
            n //= 16
            if not n:
                return out + "n"

    return " ".join(
        f"Officials in {word(i, 1).title()} reported {i} cases of {word(i, 2)} and {word(i, 3)} near the"
        f" {word(i, 4)} river on Monday."
        for i in range(sentences)
    )


def test_a_very_long_text_is_ranked_on_its_opening_in_bounded_memory() -> None:
    text = long_text(3000)
    sentences = split_sentences(text)
    assert len(sentences) == 3000
    tracemalloc.start()
    try:
        points = key_points(sentences, 3)  # every ranker gets the same window
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Ranking all 3,000 sentences takes 3,000 x 3,000 similarities and 3,000 x 12,000 term weights (1.8 GB;
    # gigabytes more at 17,000 sentences); the opening costs a few megabytes whatever the length.
    assert peak < 40 * 1024 * 1024, f"{peak / 1024 / 1024:.0f} MB"
    assert len(points) == 3
    assert all(text[p.start : p.end] == p.text and p.end <= MAX_RANKED_CHARACTERS for p in points)


RESULTS = (
    "Northwind Bank said on Tuesday that its chief executive, Clara Mendes, would step down next year after a "
    "decade in charge of the Frankfurt lender. "
    '"And we will see it through." '
    "Mendes told analysts on a call that the bank had finished the restructuring it began in 2019 and that her "
    "successor would inherit a simpler group with fewer branches. "
    "Southgate Bank, its main rival, reported its own quarterly results on Monday. "
    "It lost $400 million in the quarter as bad loans to property developers rose. "
    "Analysts had expected weaker results from Northwind because of higher funding costs across the sector. "
    "Northwind posted a profit of $1.9 billion for the third quarter, up from $1.2 billion a year earlier. "
    "The board will meet again in December to choose a successor, a spokesman said."
)


def test_a_title_with_a_figure_has_its_fact_as_the_first_point() -> None:
    points = key_points(split_sentences(RESULTS), 3, "news", title="Northwind Bank posts $1.9 billion profit")
    profit = [p for p in points if "$1.9 billion" in p.text]
    assert len(profit) == 1  # the headline's figure is carried ...
    assert profit[0].score == max(p.score for p in points)  # ... by the point that leads (the bottom line's)
    assert len(points) == 3


def test_without_a_title_no_sentence_is_forced_in() -> None:
    titled = key_points(split_sentences(RESULTS), 3, "news", title="Northwind Bank posts $1.9 billion profit")
    untitled = key_points(split_sentences(RESULTS), 3, "news")
    assert [p.text for p in titled] != [p.text for p in untitled]
    assert not any("$1.9 billion" in p.text for p in untitled)


def test_a_point_already_stating_the_title_is_kept_and_leads() -> None:
    sentences = split_sentences(RESULTS)
    points = key_points(sentences, 3, "news", title="Northwind chief executive Clara Mendes to step down")
    assert points[0].text.startswith("Northwind Bank said on Tuesday")
    assert points[0].score == max(p.score for p in points)


def test_a_quote_is_a_point_only_with_its_speaker() -> None:
    for count in (3, 5, 7):
        points = key_points(split_sentences(RESULTS), count, "news")
        assert not any(p.text.startswith('"And we will see it through') for p in points)


@pytest.mark.parametrize(
    ("sentence", "unattributed"),
    [
        ('"And we will see it through."', True),
        ('"We know where to look.', True),  # the quotation runs on into the next sentence
        ('We know how to look," she said.', True),  # a pronoun names nobody
        ('"We will win," she said on Tuesday.', True),
        ('"We will win," Jane Doe said.', False),
        ('We know how to look," Stofan said.', False),
        ("“We will win,” the minister told reporters.", False),
        ('"we will win," said jane doe.', False),  # the lower-cased training text reads the same
        ('Jane Doe said: "We will not stop.', False),
        ('The plan is "a disaster", critics said.', False),
        ("The minister said the plan would go ahead.", False),
        ('"Furious 7" - the final film of its late star - is expected to break records this weekend.', False),
    ],
)
def test_quotations_without_a_speaker_are_recognised(sentence: str, unattributed: bool) -> None:
    assert is_unattributed_quote(sentence) is unattributed


def test_two_companies_figures_are_not_run_together() -> None:
    """'It lost $400 million' is Southgate's: it is a point only right after the sentence that names Southgate."""
    sentences = split_sentences(RESULTS)
    southgate = "Southgate Bank loses $400 million as property loans sour"
    for title, count in [
        ("", 3),
        ("", 6),
        (southgate, 3),
        (southgate, 4),
        ("Northwind Bank posts $1.9 billion profit", 5),
    ]:
        texts = [p.text for p in key_points(sentences, count, "news", title=title)]
        for index, text in enumerate(texts):
            if text.startswith("It lost $400 million"):
                assert index > 0 and texts[index - 1].startswith("Southgate Bank")
    # The Southgate headline's figure is carried, with the sentence that says whose it is, and that one leads.
    points = key_points(sentences, 3, "news", title=southgate)
    texts = [p.text for p in points]
    assert any(t.startswith("It lost $400 million") for t in texts)
    owner = next(p for p in points if p.text.startswith("Southgate"))
    assert owner.score == max(p.score for p in points)


def test_a_name_repeated_in_every_sentence_does_not_cost_points() -> None:
    """Repeats are three words in a row twice over; one shared name ("Karachi Stock Exchange") is not one."""
    text = (
        "The Karachi Stock Exchange suspended trading on Tuesday after a fall of 7 percent. "
        "Brokers at the Karachi Stock Exchange said foreign funds had sold heavily since Monday. "
        "The regulator of the Karachi Stock Exchange will review its circuit breakers this week. "
        "Small investors gathered outside the Karachi Stock Exchange demanding answers."
    )
    assert len(key_points(split_sentences(text), 3)) == 3
