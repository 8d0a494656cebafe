"""Two ``briefing run`` processes, each watching its own folder, sharing one PostgreSQL store and one SMTP server.

The test runs it small (tests/test_pg_nodes.py); ``bench/pg_nodes.py`` runs the
issue's size (500 files into each folder, 100 of them the same articles in both).
The first node leads (makes the per-minute briefing and mails it) and is paused
after storing part of its folder (``TEST_BRIEFING_PAUSE_AFTER``), so that it is
killed with SIGKILL midway once it has made a briefing; the second takes the
schedule over; the first is started again and finishes its folder as a follower.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from briefing.service.lock import running_service
from tests.conftest import news_text
from tests.mailserver import MailServer
from tests.pgserver import PASSWORD_ENV

RECIPIENT = "desk@example.org"


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.2)


@dataclass
class Node:
    name: str
    root: Path
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def seeds(self) -> Path:
        return self.root / f"seeds-{self.name}"

    @property
    def log(self) -> Path:
        return self.root / "service.log"

    def start(self, env: dict[str, str], pause_after: int | None = None) -> None:
        env = dict(env)
        if pause_after:
            env["TEST_BRIEFING_PAUSE_AFTER"] = str(pause_after)
        with self.log.open("ab") as sink:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "briefing", "-v", "run"], cwd=self.root, env=env, stdout=sink, stderr=sink
            )
        self.starts += 1
        wait_for(lambda: running_service(self.root / "reports") is not None, 60, f"{self.name} to start")

    def logged(self, text: str) -> bool:
        return text in self.log.read_text(encoding="utf-8", errors="replace")


@dataclass
class Outcome:
    """What the store and the mail server hold at the end, and when the takeover happened."""

    articles: int
    sources: int
    expected_articles: int
    expected_sources: int
    briefings: list[tuple[str, str]]
    """(created_at, html_path) of each scheduled briefing, in order."""
    sent_rows: int
    with_articles: int
    """Briefings that had articles: each has a digest (one with nothing new sends none)."""
    messages: list[str]
    """The Message-ID of every message the SMTP server accepted."""
    killed_at: dt.datetime
    took_over_seconds: float
    timings: dict[str, float] = field(default_factory=dict)


def config(node: Node, url: str, mail: MailServer) -> str:
    return f"""
timezone = "UTC"
state_url = "{url}"
seeds_dir = "seeds-{node.name}"
[service]
quiet_seconds = 0.5
rescan_seconds = 2.0
refresh_seconds = 2.0
leader_seconds = 1.0
[email]
host = "127.0.0.1"
port = {mail.port}
security = "none"
sender = "briefing@example.org"
timeout = 5
retry_delay = 0.05
retry_max_delay = 0.2
[schedules.minutely]
cron = "* * * * *"
recipients = ["{RECIPIENT}"]
"""


def drop(folder: Path, count: int, shared: int) -> None:
    """``count`` article files; the first ``shared`` are the same articles in every folder (other names)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        topic = f"shared scheme {i}" if i < shared else f"{folder.name} scheme {i}"
        text = f"date 2024-03-0{1 + i % 9}\n" + news_text(topic, sentences=5)
        (folder / f"{folder.name}-{i:04d}.txt").write_text(text, encoding="utf-8")


def run_two_nodes(root: Path, url: str, password: str, mail: MailServer, each: int, shared: int) -> Outcome:
    """The whole scenario; returns what to check. Leaves no process running."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env[PASSWORD_ENV] = password
    east, west = Node("east", root / "east"), Node("west", root / "west")
    for node in (east, west):
        (node.root / "reports").mkdir(parents=True)
        node.seeds.mkdir()
        (node.root / "briefing.toml").write_text(config(node, url, mail), encoding="utf-8")

    def one(query: str) -> Any:
        with psycopg.connect(url, password=password, autocommit=True) as db:
            row = db.execute(query).fetchone()
            return row[0] if row else None

    def scheduled() -> list[tuple[str, str]]:
        with psycopg.connect(url, password=password, autocommit=True) as db:
            rows = db.execute(
                "SELECT created_at, coalesce(html_path, '') FROM briefings WHERE schedule = 'minutely' ORDER BY id"
            )
            return [(str(a), str(b)) for a, b in rows]

    timings: dict[str, float] = {}
    started = time.monotonic()
    try:
        east.start(env, pause_after=each // 2)  # first: it leads
        wait_for(lambda: east.logged("watching"), 60, "east to watch its folder")
        west.start(env)
        wait_for(lambda: west.logged("another service makes the scheduled briefings"), 60, "west to follow")
        drop(east.seeds, each, shared)
        drop(west.seeds, each, shared)
        wait_for(lambda: east.logged("paused after"), 600, "east to store half its folder")
        timings["east paused"] = time.monotonic() - started
        wait_for(lambda: any(str(east.root) in h for _, h in scheduled()), 120, "a briefing made by east")
        wait_for(lambda: len(mail.handler.received) >= 1, 60, "east's digest")
        assert east.process is not None
        east.process.send_signal(signal.SIGKILL)  # midway: half its folder unread
        east.process.wait()
        killed_at = dt.datetime.now(dt.UTC)
        killed = time.monotonic()
        wait_for(lambda: west.logged("taking over the scheduled briefings"), 60, "west to take the schedule over")
        took_over = time.monotonic() - killed
        wait_for(lambda: any(str(west.root) in h for _, h in scheduled()), 120, "a briefing made by west")
        east.start(env)  # back, as a follower: it finishes its folder
        expected_articles, expected_sources = 2 * each - shared, 2 * each
        wait_for(lambda: one("SELECT count(*) FROM sources") == expected_sources, 900, "both folders stored")
        timings["all stored"] = time.monotonic() - started
        mailed_by_west = f"SELECT count(*) FROM briefings WHERE articles > 0 AND html_path LIKE '{west.root}/%'"
        wait_for(lambda: one(mailed_by_west) >= 1, 130, "a briefing of west's with what east stored after its restart")
        sent = "SELECT count(*) FROM outbox WHERE status = 'sent'"
        # a briefing with nothing new sends no digest; every other one's digest is sent
        owed = (
            "SELECT count(*) FROM briefings b WHERE articles > 0 AND NOT EXISTS"
            " (SELECT 1 FROM outbox o WHERE o.briefing_id = b.id AND o.status = 'sent')"
        )
        wait_for(lambda: one(owed) == 0, 120, "every briefing's digest")
        stop(east, west)  # gracefully: a briefing being made now is finished and mailed first
        time.sleep(1)  # anything sent twice would have arrived by now
        return Outcome(
            articles=int(one("SELECT count(*) FROM articles")),
            sources=int(one("SELECT count(*) FROM sources")),
            expected_articles=expected_articles,
            expected_sources=expected_sources,
            briefings=scheduled(),
            sent_rows=int(one(sent)),
            with_articles=int(one("SELECT count(*) FROM briefings WHERE articles > 0")),
            messages=[str(m.message["Message-ID"]) for m in mail.handler.received],
            killed_at=killed_at,
            took_over_seconds=took_over,
            timings=timings,
        )
    finally:
        stop(east, west)


def stop(*nodes: Node) -> None:
    """SIGTERM (a graceful stop) to each node still running, then wait; SIGKILL one that does not end."""
    for node in nodes:
        if node.process is not None and node.process.poll() is None:
            node.process.send_signal(signal.SIGTERM)
    for node in nodes:
        if node.process is not None:
            try:
                node.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                node.process.kill()
                node.process.wait()
