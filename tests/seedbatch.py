"""The service's stress batch: 1,000 files dropped at once into ``seeds/``, as users really drop them.

910 written in one go, 20 written slowly (a chunk every 0.15 s for 3 s, reopened
each time, as a slow copy does), 20 renamed into place (10 from a folder outside
``seeds/``, 10 from a ``.part`` name inside it), and 50 invalid ones (empty,
binary, unknown suffix, broken JSON, over the size limit). Five hidden or
temporary files come along and must be ignored.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import news_text

PLAIN, SLOW, RENAMED, INVALID = 910, 20, 20, 50
SLOW_SECONDS = 3.0
SLOW_CHUNKS = 20
MAX_FILE_MB = 0.02
"""The size limit the batch's settings use: an oversized file is one of the invalid kinds."""

IGNORED = (".hidden.txt", "draft.tmp", "download.txt.part", "~lock.txt", "notes.txt~")


@dataclass
class Batch:
    """What was dropped: the names (relative to the project) the store should end up with."""

    valid: dict[str, str] = field(default_factory=dict)
    """Project-relative name -> the full text written."""
    invalid: dict[str, str] = field(default_factory=dict)
    """Project-relative name -> a word the recorded reason must contain."""
    writers: list[threading.Thread] = field(default_factory=list)

    def wait_for_writers(self) -> None:
        for writer in self.writers:
            writer.join()


def body(index: int, kind: str) -> str:
    """A distinct article (distinct text, so distinct content hash) per file."""
    return f"date 2024-03-0{1 + index % 9}\n" + news_text(f"{kind} scheme number {index}", sentences=6)


def drop_batch(project: Path) -> Batch:
    """Drop the whole batch into ``project/seeds`` (slow writers keep going in the background)."""
    seeds, staging = project / "seeds", project / "staging"
    staging.mkdir(exist_ok=True)
    batch = Batch()

    for index in range(SLOW):  # start the slow writers first, so they overlap everything else
        name, text = f"slow-{index:02d}.txt", body(index, "slow")
        batch.valid[f"seeds/{name}"] = text
        writer = threading.Thread(target=_write_slowly, args=(seeds / name, text), daemon=True)
        writer.start()
        batch.writers.append(writer)

    for index in range(PLAIN):
        name, text = f"plain-{index:04d}.txt", body(index, "plain")
        (seeds / name).write_text(text, encoding="utf-8")
        batch.valid[f"seeds/{name}"] = text

    for index in range(RENAMED):
        name, text = f"renamed-{index:02d}.txt", body(index, "renamed")
        source = (staging / name) if index % 2 else (seeds / f"{name}.part")
        source.write_text(text, encoding="utf-8")
        os.rename(source, seeds / name)
        batch.valid[f"seeds/{name}"] = text

    kinds = [
        ("empty-{:02d}.txt", b"", "empty"),
        ("binary-{:02d}.txt", b"\x00\x01\x02\xff" * 64, "binary"),
        ("scan-{:02d}.pdf", b"%PDF-1.4 not an article", "no reader"),
        ("broken-{:02d}.json", b'{"title": "cut off', "json"),
        ("huge-{:02d}.txt", b"word " * int(MAX_FILE_MB * 1024 * 1024), "limit"),
    ]
    for index in range(INVALID):
        pattern, content, reason = kinds[index % len(kinds)]
        name = pattern.format(index)
        (seeds / name).write_bytes(content)
        batch.invalid[f"seeds/{name}"] = reason

    for name in IGNORED:
        (seeds / name).write_text(news_text(f"ignored {name}"), encoding="utf-8")
    return batch


def _write_slowly(path: Path, text: str) -> None:
    step = max(len(text) // SLOW_CHUNKS, 1)
    for start in range(0, len(text), step):
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text[start : start + step])
        time.sleep(SLOW_SECONDS / SLOW_CHUNKS)
