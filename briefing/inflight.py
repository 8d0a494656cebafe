"""Which file each ingesting process is on, kept on disk, so that a file that kills the process is not retried forever.

Bad input is normally a :class:`~briefing.ingest.ReadError` or an exception, recorded
as a failure. A process can also die on a file with no chance to record anything: a
crash in a compiled library, the kernel's out-of-memory killer. Restarted (by
systemd, or the next ``briefing ingest``), it would read the same file and die again.

So before a file is read, a small marker naming it is written to
``<state folder>/ingesting/``, and removed once the file is stored or failed. A
marker whose process is gone means that process died on the file: the next ingest
records the file as failed (:data:`CRASHED`) and goes on with the others. The file is
tried again only once it changes, like any failed file.

The marker is a plain file, not a store row, so that writing it costs no database
transaction and survives the process whatever kills it (the kernel keeps what was
written; only a machine crash may lose it, and then the file is simply read again).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

CRASHED = "the analysis crashed or ran out of memory on this file (the process died while reading or analysing it)"
"""The failure reason recorded for a file a process died on."""

FOLDER = "ingesting"
_TOKEN = uuid.uuid4().hex[:12]
"""Tells this process from an earlier one with the same pid (a restarted container reuses pids)."""


@dataclass(frozen=True, slots=True)
class Orphan:
    """A file some process was reading or analysing when it died, and the marker that says so."""

    path: str
    size: int
    mtime_ns: int
    marker: Path


def marker_folder(state_path: Path) -> Path:
    return state_path.parent / FOLDER


@contextmanager
def working_on(folder: Path, path: str, size: int, mtime_ns: int) -> Iterator[None]:
    """Keep a marker naming ``path`` (at this version) while the block runs; removed when it ends, even by an error."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / f"{os.getpid()}-{_TOKEN}-{threading.get_ident()}.json"
    temporary = marker.with_suffix(".tmp")
    temporary.write_text(json.dumps({"path": path, "size": size, "mtime_ns": mtime_ns}), encoding="utf-8")
    os.replace(temporary, marker)
    try:
        yield
    finally:
        marker.unlink(missing_ok=True)


def orphans(folder: Path) -> list[Orphan]:
    """The files that processes now gone died on. Remove each marker with :func:`forget` once recorded."""
    found = []
    for marker in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        if _alive(marker.name):
            continue
        try:
            data = json.loads(marker.read_text(encoding="utf-8"))
            found.append(Orphan(str(data["path"]), int(data["size"]), int(data["mtime_ns"]), marker))
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("ignoring an unreadable ingest marker %s", marker)
            marker.unlink(missing_ok=True)
    return found


def forget(orphan: Orphan) -> None:
    orphan.marker.unlink(missing_ok=True)


def _alive(name: str) -> bool:
    """Whether the process that wrote the marker ``name`` (``PID-TOKEN-THREAD.json``) still runs."""
    pid_text, _, rest = name.partition("-")
    try:
        pid = int(pid_text)
    except ValueError:
        return False
    if pid == os.getpid():
        return rest.startswith(f"{_TOKEN}-")  # ours, or an earlier process that had our pid
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True
