"""Shared fixture builders: a throw-away project folder and small article files."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from briefing.config import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_aaebf0546b388a14.txt"


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
