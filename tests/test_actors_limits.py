"""Bad input keeps its promise: linear time, no crash, bounded output (invented inputs)."""

from __future__ import annotations

import random
import time

from briefing.nlp.actors.tagger import MAX_ACTORS, MAX_NAME_CHARS, tag_actors
from briefing.nlp.sentences import split_sentences


def _word(rng: random.Random) -> str:
    return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3)).capitalize()


def _actors_and_seconds(text: str) -> tuple[list, float]:
    sentences = split_sentences(text)
    started = time.process_time()
    actors = tag_actors(text, sentences)
    return actors, time.process_time() - started


def test_fifty_thousand_capitalised_words_in_linear_time_with_bounded_names() -> None:
    rng = random.Random(14)
    small, small_seconds = _actors_and_seconds(" ".join(_word(rng) for _ in range(5_000)))
    large, large_seconds = _actors_and_seconds(" ".join(_word(rng) for _ in range(50_000)))
    assert large_seconds < 20 * max(small_seconds, 0.02)  # ten times the text, not a hundred times the time
    for actors in (small, large):
        assert len(actors) <= MAX_ACTORS
        assert all(len(a.name) <= MAX_NAME_CHARS for a in actors)


def test_a_name_of_500_characters_is_no_actor() -> None:
    rng = random.Random(5)
    giant = "".join(rng.choice("abcdefghij") for _ in range(500)).capitalize()
    actors, _ = _actors_and_seconds(f"Mr {giant} met Lena Park in Oslo on Monday.")
    assert all(len(a.name) <= MAX_NAME_CHARS for a in actors)
    assert "Lena Park" in {a.name for a in actors}


def test_a_table_of_tickers_gives_a_bounded_answer() -> None:
    rng = random.Random(7)
    rows = [
        f"{_word(rng).upper()[:4]} {rng.randint(1, 500)}.{rng.randint(0, 99):02d} {rng.choice('+-')}{rng.randint(0, 9)}%"
        for _ in range(3_000)
    ]
    actors, seconds = _actors_and_seconds("\n".join(rows))
    assert len(actors) <= MAX_ACTORS
    assert seconds < 30
