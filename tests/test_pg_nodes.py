"""Several writers, one truth: two ``briefing run`` processes on two folders sharing one PostgreSQL store.

Every article is stored once (100 files each here, 20 of them the same articles in
both; ``bench/pg_nodes.py`` runs 500 and 100), each per-minute briefing is made
once, by one node at a time, and each digest reaches the SMTP server once; the
leading node is killed with SIGKILL midway and the other takes the schedule over
within the lock's timeout (``service.leader_seconds``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.mailserver import smtp_server
from tests.pgnodes import run_two_nodes
from tests.pgserver import Cluster

LEADER_SECONDS = 1.0


def test_two_nodes_one_store_each_article_briefing_and_digest_once(pg_cluster: Cluster, tmp_path: Path) -> None:
    url = pg_cluster.database()
    with smtp_server() as mail:
        outcome = run_two_nodes(tmp_path, url, pg_cluster.password, mail, each=100, shared=20)
    assert (outcome.articles, outcome.sources) == (outcome.expected_articles, outcome.expected_sources) == (180, 200)
    made = outcome.briefings
    minutes = [dt.datetime.fromisoformat(created).replace(second=0, microsecond=0) for created, _ in made]
    assert len(set(minutes)) == len(minutes), made  # each scheduled time made once
    assert all(html for _, html in made), made
    by_east = [c for c, html in made if "/east/" in html]
    by_west = [c for c, html in made if "/west/" in html]
    assert by_east and by_west, made
    assert max(dt.datetime.fromisoformat(c) for c in by_east) < outcome.killed_at  # east stopped when killed
    assert min(dt.datetime.fromisoformat(c) for c in by_west) > outcome.killed_at  # west made the rest
    assert outcome.took_over_seconds <= LEADER_SECONDS + 5
    assert outcome.with_articles >= 2 and outcome.sent_rows == outcome.with_articles  # one digest each, one recipient
    assert len(outcome.messages) == len(set(outcome.messages)) == outcome.sent_rows  # each reached the server once
