"""Readers that misbehave as hostile input makes a parser misbehave, for the reader limits' tests.

They live in a module of their own, importing little, because the limited reader
process imports this module to use them (readers are passed to it by name).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from briefing.ingest.base import Document


class Greedy:
    """A reader that wants ever more memory: what a decompression or alias bomb does to a parser."""

    name: ClassVar[str] = "greedy"
    extensions: ClassVar[tuple[str, ...]] = (".md",)

    def read(self, data: bytes, path: Path) -> list[Document]:
        hoard = []
        while True:
            hoard.append(bytearray(16 * 1024 * 1024))


class Stuck:
    """A reader that never finishes: a parser caught in a pathological backtrack."""

    name: ClassVar[str] = "stuck"
    extensions: ClassVar[tuple[str, ...]] = (".md",)

    def read(self, data: bytes, path: Path) -> list[Document]:
        while True:
            pass


class Plain:
    """A well-behaved reader, to show that the next file is read once the bad one is refused."""

    name: ClassVar[str] = "plain"
    extensions: ClassVar[tuple[str, ...]] = (".md",)

    def read(self, data: bytes, path: Path) -> list[Document]:
        return [Document(text=data.decode("utf-8"), title="Plain")]


class SlowOnce:
    """A reader that takes its time on a file's first read only (a marker beside it remembers), then reads it."""

    name: ClassVar[str] = "slow-once"
    extensions: ClassVar[tuple[str, ...]] = (".md",)

    def read(self, data: bytes, path: Path) -> list[Document]:
        import time

        marker = path.with_name(path.name + ".seen")
        if not marker.exists():
            marker.touch()
            time.sleep(30)
        return [Document(text=data.decode("utf-8"), title="Read at last")]


class Crashing:
    """A reader whose process dies by a signal on every read: what a C parser crashing on a file does."""

    name: ClassVar[str] = "crashing"
    extensions: ClassVar[tuple[str, ...]] = (".md",)

    def read(self, data: bytes, path: Path) -> list[Document]:
        import os
        import signal

        os.kill(os.getpid(), signal.SIGSEGV)
        return []
