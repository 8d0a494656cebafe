"""Shared fixture builders: a throw-away project folder and small article files."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from briefing.config import Settings, load_settings
from briefing.model import When
from tests.pgserver import PASSWORD_ENV, Cluster, binaries, throwaway_cluster

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_aaebf0546b388a14.txt"


def cli_in(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the CLI inside ``project`` with a clean ``BRIEFING_*`` environment (London time)."""
    monkeypatch.chdir(project)
    for name in [n for n in os.environ if n.startswith("BRIEFING_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("BRIEFING_TIMEZONE", "Europe/London")
    return project


@pytest.fixture
def in_project(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary project, as the current folder of the CLI (see :func:`cli_in`)."""
    return cli_in(project, monkeypatch)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty project folder with ``seeds/`` and ``reports/``."""
    (tmp_path / "seeds").mkdir()
    (tmp_path / "reports").mkdir()
    return tmp_path


@pytest.fixture
def settings(project: Path) -> Settings:
    """Default settings rooted in the temporary project, independent of the environment."""
    return load_settings(env={}, overrides={"base_dir": str(project), "timezone": "Europe/London"})


@pytest.fixture
def seed_copy(project: Path) -> Path:
    """The bundled seed article copied into the temporary project's seeds folder."""
    target = project / "seeds" / SEED.name
    shutil.copy(SEED, target)
    return target


ArticleWriter = Callable[..., Path]


@pytest.fixture
def write_article(project: Path) -> ArticleWriter:
    """Write ``seeds/<name>`` with text (str, encoded as UTF-8) or raw bytes; optional mtime date."""

    def write(name: str, content: str | bytes, mtime: dt.date | None = None) -> Path:
        path = project / "seeds" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        if mtime is not None:
            stamp = dt.datetime(mtime.year, mtime.month, mtime.day, 12, tzinfo=dt.UTC).timestamp()
            os.utime(path, (stamp, stamp))
        return path

    return write


MERGER_TEXT = (
    "Two regional telecom operators agreed on Wednesday to merge in a deal worth 2.1 billion dollars. "
    "Shareholders of both companies will vote on the merger at meetings in April. "
    "Competition regulators are expected to review the deal for several months. "
    "Analysts said the combined company would serve about nine million customers. "
    "Unions warned that up to 800 jobs could be cut after the merger."
)
"""A news body unlike :func:`news_text`'s, so that it is a story of its own."""


def value(when: When | None) -> str | None:
    """An event time's TIMEX3 value (None without a date), to compare with the value a test expects."""
    return when.value if when else None


def timex_triples(text: str, anchor: dt.date) -> list[tuple[str, str, str]]:
    """The time expressions found in ``text`` as (text, type, value), each checked to quote its own span."""
    from briefing.nlp.sentences import split_sentences
    from briefing.nlp.timex import tag_times

    found = tag_times(text, split_sentences(text), anchor)
    for expression in found:
        assert text[expression.start : expression.end] == expression.text
    return [(t.text, t.type, t.value) for t in found]


def news_text(topic: str = "harbour", sentences: int = 6) -> str:
    """A small, distinct, plausible news body about ``topic``."""
    lines = [
        f"Officials in the port city announced a new plan for the {topic} on Monday.",
        f"The {topic} project will cost about 40 million euros, according to the city council.",
        f"Mayor Anna Berg said the {topic} work would start in the spring and last two years.",
        f"Local businesses welcomed the {topic} plan but warned about disruption during construction.",
        f"The council will vote on the final {topic} budget next month.",
        f"Critics argued that the {topic} money should go to schools instead.",
        f"A public hearing on the {topic} is planned for the end of the month.",
        f"The regional government has promised to cover a third of the {topic} costs.",
    ]
    return " ".join(lines[:sentences])


# -- e-mail digests -----------------------------------------------------------------------------

BRIEFING_NOW = dt.datetime(2022, 2, 18, 7, 0, tzinfo=dt.timezone(dt.timedelta(0)))
"""When the e-mail tests' briefing was made (07:00 in Europe/London, which is UTC in February)."""

TRICKY_TITLE = 'AT&T <b>deal</b> & "quotes"'
"""A title that HTML must escape and plain text must keep as is."""


@pytest.fixture(scope="session")
def briefed_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with three stored articles and one briefing (HTML and PDF), made once per session."""
    from briefing.pipeline import generate_briefing, ingest_folder

    root = tmp_path_factory.mktemp("briefed")
    (root / "seeds").mkdir()
    (root / "reports").mkdir()
    shutil.copy(SEED, root / "seeds" / SEED.name)
    (root / "seeds" / "harbour.txt").write_text("date 2022-02-16 " + news_text("harbour"), encoding="utf-8")
    (root / "seeds" / "deal.txt").write_text(
        f"Title: {TRICKY_TITLE}\nDate: 2022-02-17\n\n{MERGER_TEXT}", encoding="utf-8"
    )
    settings = load_settings(env={}, overrides={"base_dir": str(root), "timezone": "Europe/London"})
    ingest_folder(settings, now=BRIEFING_NOW - dt.timedelta(hours=1))
    result = generate_briefing(settings, now=BRIEFING_NOW)
    assert result.rendered.pdf_path is not None and result.articles == 3
    return root


@pytest.fixture
def briefed_project(tmp_path: Path, briefed_template: Path) -> Path:
    """A fresh copy of the briefed project: each test gets its own state file and reports."""
    target = tmp_path / "briefed"
    shutil.copytree(briefed_template, target)
    # The store keeps absolute report paths; point them at this copy.
    import sqlite3

    with sqlite3.connect(target / ".briefing" / "state.db") as db:
        db.execute(
            "UPDATE briefings SET html_path = replace(html_path, ?, ?), pdf_path = replace(pdf_path, ?, ?)",
            (str(briefed_template), str(target)) * 2,
        )
    return target


# -- PostgreSQL ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A throw-away PostgreSQL server for the session (see :mod:`tests.pgserver`); skipped without its binaries."""
    found = binaries()
    if found is None:
        missing = pytest.fail if os.environ.get("CI") else pytest.skip  # CI must not pass without these tests
        missing("PostgreSQL is not installed (initdb, pg_ctl): apt-get install postgresql (.ci/run installs it)")
    with throwaway_cluster(found, "briefing-test-pg-") as (cluster, _folder):
        yield cluster


@pytest.fixture
def pg_url(pg_cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> str:
    """A new, empty database on the session's server, its password in the environment for this test.

    Set again for each test: ``main()`` takes the variable out of the environment (so that
    no child process inherits it), and a test that ran it before this one left it out.
    """
    monkeypatch.setenv(PASSWORD_ENV, pg_cluster.password)
    return pg_cluster.database()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    """The test's settings with each store in turn: the SQLite state file, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return settings
    url = request.getfixturevalue("pg_url")
    return settings.model_copy(update={"state_url": url})
