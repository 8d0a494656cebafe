"""A found file's identity: its name in the store and in reports, and the version the store compares with."""

from __future__ import annotations

from pathlib import Path

from briefing.ingest import Candidate, printable
from briefing.model import FileVersion


def display_path(path: Path, base_dir: Path) -> str:
    """How a file is named in the store and in reports: relative to the project when inside it.

    A symbolic link is named as itself, not as the file it leads to; bytes of the
    name that are not UTF-8 are shown escaped (``b\\xffad.txt``).
    """
    located = path.parent.resolve() / path.name
    try:
        return printable(located.relative_to(base_dir.resolve()).as_posix())
    except ValueError:
        return printable(str(located))


def file_version(candidate: Candidate) -> FileVersion:
    """The version of a found file the store compares with, to tell whether it changed."""
    return FileVersion(candidate.size, candidate.mtime_ns)
