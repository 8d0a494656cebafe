"""A project with stored articles and a briefing, and ``briefing serve`` on a free loopback port, for the web tests."""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from briefing.config import Settings, load_settings
from briefing.pipeline import generate_briefing, ingest_folder
from briefing.web import make_server
from tests.conftest import MERGER_TEXT, SEED, news_text

UNIQUE_WORD = "quillback"
"""A word only the body of the visit article holds (not its title): what the search must find."""


def visit_text(today: dt.date) -> str:
    """An article of yesterday announcing a visit twelve days ahead, with a word no other article has."""
    visit = today + dt.timedelta(days=12)
    return (
        f"Title: Spanish minister to visit Ottawa\nDate: {today - dt.timedelta(days=1)}\nSource: Harbour Herald\n\n"
        f"Foreign Minister Maria Lopez of Spain will visit Ottawa on {visit:%B} {visit.day}, {visit.year},"
        " officials said on Monday. The visit will focus on trade and fisheries, including the"
        f" {UNIQUE_WORD} rockfish quota. Lopez met Canadian Prime Minister John Carter in Madrid last year."
        " Carter said the two countries would sign a new trade agreement during the visit."
    )


def make_project(root: Path, extra: dict[str, str] | None = None) -> Settings:
    """Seeds (the bundled article, a harbour plan, a merger, a visit), ingested, and one briefing (HTML and PDF)."""
    today = dt.date.today()
    (root / "seeds").mkdir(parents=True)
    (root / "reports").mkdir()
    shutil.copy(SEED, root / "seeds" / SEED.name)
    (root / "seeds" / "harbour.txt").write_text(f"date {today - dt.timedelta(days=2)} " + news_text("harbour"))
    (root / "seeds" / "deal.txt").write_text(f"Title: Telecom merger agreed\nDate: {today}\n\n{MERGER_TEXT}")
    (root / "seeds" / "visit.txt").write_text(visit_text(today))
    for name, content in (extra or {}).items():
        (root / "seeds" / name).write_text(content)
    settings = load_settings(env={}, overrides={"base_dir": str(root), "timezone": "Europe/London"})
    ingest_folder(settings)
    generate_briefing(settings)
    return settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running(settings: Settings) -> Iterator[str]:
    """``briefing serve`` (a real uvicorn server) in a thread; yields its base URL, stops it after."""
    port = free_port()
    server = make_server(settings, "127.0.0.1", port)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
