"""What the web view (``briefing serve``) searches, kept in step with every article and analysis stored.

``article_search`` is an FTS5 index over the ``articles`` table itself (external content: the
text is stored once); ``article_actors`` lists who each analysis names, so an actor's page and
a search by actor are index look-ups rather than a walk through every analysis's JSON. Both are
written in the transaction that stores the article or its analysis, so they never disagree with it.
"""

from __future__ import annotations

import json

from briefing.model import Analysis
from briefing.store.database import Database


def index_new_article(db: Database, article_id: str) -> None:
    """Add a newly inserted article's title and text to the full-text index."""
    db.execute(
        "INSERT INTO article_search (rowid, title, text) SELECT rowid, title, text FROM articles WHERE id = ?",
        (article_id,),
    )


def index_actors(db: Database, article_id: str, analysis: Analysis) -> None:
    """Replace the actors listed for ``article_id`` with those of its (new) analysis."""
    db.execute("DELETE FROM article_actors WHERE article_id = ?", (article_id,))
    row = db.execute("SELECT date FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        return
    rows = [
        (
            article_id,
            actor.name,
            actor.kind,
            row[0],
            actor.role,
            actor.affiliation,
            json.dumps(list(actor.aliases), ensure_ascii=False),
            len(actor.mentions),
        )
        for actor in analysis.actors
        if actor.name
    ]
    db.executemany(
        "INSERT OR IGNORE INTO article_actors (article_id, name, kind, date, role, affiliation, aliases, mentions)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
