"""An edited file's earlier version: kept in the store as superseded, left out of briefings (issue 22, point 13c)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from briefing.config import Settings
from briefing.model import Period
from briefing.pipeline import export_calendar, generate_briefing, ingest_folder
from briefing.store import Store
from tests.conftest import value

FIRST = (
    "date 2024-03-05\nOfficials in the river town said on Tuesday that the new ferry pier will open on March 20. "
    "The pier cost four million euros, the council said. Mayor Lena Brandt will attend the opening ceremony."
)
EDITED = (
    "date 2024-03-06\nOfficials in the river town said on Wednesday that the new ferry pier will open on April 2, "
    "later than planned. Storm damage delayed the work, the council said. Mayor Lena Brandt will attend the opening."
)
T0 = dt.datetime(2024, 3, 5, 9, tzinfo=dt.UTC)
T1 = dt.datetime(2024, 3, 6, 9, tzinfo=dt.UTC)


def write(path: Path, text: str, when: dt.datetime) -> None:
    path.write_text(text, encoding="utf-8")
    os.utime(path, (when.timestamp(), when.timestamp()))  # an edit is a new size or modification time


def status(project: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env["BRIEFING_TIMEZONE"] = "Europe/London"
    done = subprocess.run(
        [sys.executable, "-m", "briefing", "status"], cwd=project, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_an_edited_file_shows_only_its_new_version_and_the_old_one_is_kept_as_superseded(
    settings: Settings, project: Path
) -> None:
    seed = project / "seeds" / "pier.txt"
    write(seed, FIRST, T0)
    ingest_folder(settings, now=T0)
    write(seed, EDITED, T1)
    report = ingest_folder(settings, now=T1)
    assert report.new == ["seeds/pier.txt"]

    # The calendar no longer announces the date the edit moved away from.
    ahead = export_calendar(settings, today=dt.date(2024, 3, 7))
    assert [value(entry.start) for entry in ahead.entries] == ["2024-04-02"]

    # A briefing made now shows the file's current version only.
    now = dt.datetime(2024, 3, 7, 9, tzinfo=dt.UTC)
    result = generate_briefing(settings, Period(T0 - dt.timedelta(days=1), now), now=now)
    html = (project / "reports" / "latest.html").read_text(encoding="utf-8")
    assert result.articles == 1
    assert "open on April 2" in html and "open on March 20" not in html

    # `briefing status` says what became of the earlier version.
    shown = status(project)
    assert "articles stored: 2" in shown
    assert "superseded versions: 1 (earlier versions of edited files: kept, left out of briefings)" in shown
    assert "  seeds/pier.txt: 'Officials in the river town said on Tuesday" in shown
    assert "replaced by its new version 2024-03-06 09:00 GMT" in shown

    with Store(settings.state_path) as store:
        [old] = store.superseded()
        [current] = store.articles()
        assert old.path == "seeds/pier.txt" and old.replaced_by == current.article.id and old.at == T1
        # A briefing made before the edit is composed again as it was: with the earlier version.
        before = store.articles(Period(T0 - dt.timedelta(days=1), T0 + dt.timedelta(hours=1)))
        assert [a.article.id for a in before] == [old.article_id]


def test_an_edit_back_makes_the_earlier_version_current_again(settings: Settings, project: Path) -> None:
    seed = project / "seeds" / "pier.txt"
    write(seed, FIRST, T0)
    ingest_folder(settings, now=T0)
    write(seed, EDITED, T1)
    ingest_folder(settings, now=T1)
    write(seed, FIRST, T1 + dt.timedelta(hours=1))
    assert ingest_folder(settings, now=T1 + dt.timedelta(hours=1)).duplicates == ["seeds/pier.txt"]
    with Store(settings.state_path) as store:
        [current] = store.articles()
        [old] = store.superseded()
        assert "March 20" in current.article.text and "April 2" not in current.article.text
        assert old.replaced_by == current.article.id


def test_an_item_dropped_from_a_json_list_is_superseded_and_its_name_forgotten(
    settings: Settings, project: Path
) -> None:
    feed = project / "seeds" / "feed.json"
    items = [
        {
            "title": f"Item {i}",
            "date": "2024-03-05",
            "text": f"The ferry line number {i} will reopen in May. {FIRST[16:]}",
        }
        for i in range(3)
    ]
    write(feed, json.dumps(items), T0)
    ingest_folder(settings, now=T0)
    write(feed, json.dumps(items[:2]), T1)
    ingest_folder(settings, now=T1)
    with Store(settings.state_path) as store:
        assert sorted(path for a in store.articles() for path in a.sources) == [
            "seeds/feed.json#0",
            "seeds/feed.json#1",
        ]
        [old] = store.superseded()
        assert (old.path, old.replaced_by, old.title) == ("seeds/feed.json#2", None, "Item 2")
    assert "seeds/feed.json#2: 'Item 2', no longer in the file" in status(project)


def test_a_new_analyser_setting_redoes_only_current_versions(settings: Settings, project: Path) -> None:
    seed = project / "seeds" / "pier.txt"
    write(seed, FIRST, T0)
    ingest_folder(settings, now=T0)
    write(seed, EDITED, T1)
    ingest_folder(settings, now=T1)
    changed = settings.model_copy(update={"analysis": settings.analysis.model_copy(update={"key_points": 2})})
    assert ingest_folder(changed, now=T1).reanalysed == 1  # the superseded version is no briefing's business now

    write(seed, FIRST, T1 + dt.timedelta(hours=1))  # edited back: current again, and analysed as it is stored
    ingest_folder(changed, now=T1 + dt.timedelta(hours=1))
    with Store(settings.state_path) as store:
        [current] = store.articles()
        assert "March 20" in current.article.text and len(current.analysis.key_points) == 2
