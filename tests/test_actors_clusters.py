"""The word clusters the name tagger reads (learned from unlabelled news, shipped as package data)."""

from __future__ import annotations

import time

from briefing.nlp.actors.clusters import clusters, key, table
from briefing.nlp.actors.features import word_features


def test_digits_are_one_shape_and_case_does_not_matter() -> None:
    assert key("1996-08") == "0000-00"
    assert clusters("1996") == clusters("2013")
    assert word_features("Monday")[0].count("c=" + clusters("monday")[-1]) == 1


def test_words_of_one_kind_share_a_cluster_and_unknown_words_have_none() -> None:
    days = {clusters(day)[-1] for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}
    assert len(days) == 1
    assert clusters("monday")[-1] != clusters("minister")[-1]
    assert clusters("xqzvwk") == ()
    assert not any(f.startswith("c=") for f in word_features("Xqzvwk")[0])


def test_every_word_has_one_id_per_granularity_coarsest_first() -> None:
    words = table()
    assert 10_000 <= len(words) <= 100_000
    sizes = {len(ids) for ids in words.values()}
    assert sizes == {3}
    coarse = {ids[0] for ids in words.values()}
    fine = {ids[-1] for ids in words.values()}
    assert len(coarse) < len(fine)


def test_the_table_loads_quickly_once() -> None:
    table.cache_clear()
    started = time.process_time()
    table()
    assert time.process_time() - started < 1.0
    assert table() is table()
