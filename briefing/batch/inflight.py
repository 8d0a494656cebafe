"""Which file each ingesting process is on, kept on disk, so that a file that kills the process is not retried forever.

Bad input is normally a :class:`~briefing.ingest.ReadError` or an exception, recorded
as a failure. A process can also die on a file with no chance to record anything: a
crash in a compiled library, the kernel's out-of-memory killer. Restarted (by
systemd, or the next ``briefing ingest``), it would read the same file and die again.

So before a file is read, the process writes the file's name into its marker in
``<state folder>/ingesting/``, and empties the marker once the file is read and, in
this process, analysed (analyses run in worker processes are guarded by the
executor instead, which isolates an article that kills a worker). A marker naming a file whose process is gone means that process died on the
file. The first time, the file is read once more: the process may have been killed
from outside (``kill -9``, a stop that timed out, the out-of-memory killer choosing
it for another reason), and a good article must not be lost to that. The second
time (same file, same version: :func:`died_before`), the next ingest records it as
failed (:data:`CRASHED`) and goes on with the others; it is tried again only once
it changes, like any failed file.

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

CRASHED = "the analysis crashed or ran out of memory on this file (the process died on it twice)"
"""The failure reason recorded for a file a process died on."""

FOLDER = "ingesting"
DIED_ON = "died-on"
"""The file (in the marker folder) of the files a process died on once, with their versions."""
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
    """Keep a marker naming ``path`` (at this version) while the block runs; cleared when it ends, even by an error.

    Each process (and thread) rewrites one marker file of its own in place: no file
    is created or renamed per article, so the guard costs a few microseconds.
    """
    fd = _marker(folder)
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps({"path": path, "size": size, "mtime_ns": mtime_ns}).encode("utf-8"), 0)
    try:
        yield
    finally:
        os.ftruncate(fd, 0)  # an empty marker: this process is on no file


_markers: dict[tuple[Path, int, int], int] = {}
_markers_lock = threading.Lock()
_MAX_OPEN = 8


def _marker(folder: Path) -> int:
    """This process's and thread's marker file in ``folder``, opened once (a forked child opens its own)."""
    key = (folder, os.getpid(), threading.get_ident())
    with _markers_lock:
        fd = _markers.get(key)
        if fd is None:
            if len(_markers) >= _MAX_OPEN:  # many state folders in one process (tests): close the oldest
                os.close(_markers.pop(next(iter(_markers))))
            folder.mkdir(parents=True, exist_ok=True)
            name = folder / f"{os.getpid()}-{_TOKEN}-{threading.get_ident()}.json"
            fd = _markers[key] = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o644)
        return fd


def orphans(folder: Path) -> list[Orphan]:
    """The files that processes now gone died on. Remove each marker with :func:`forget` once recorded."""
    found = []
    for marker in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        if _alive(marker.name):
            continue
        try:
            content = marker.read_text(encoding="utf-8")
            if not content:  # the process ended between files
                marker.unlink(missing_ok=True)
                continue
            data = json.loads(content)
            found.append(Orphan(str(data["path"]), int(data["size"]), int(data["mtime_ns"]), marker))
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("ignoring an unreadable ingest marker %s", marker)
            marker.unlink(missing_ok=True)
    return found


def forget(orphan: Orphan) -> None:
    orphan.marker.unlink(missing_ok=True)


def died_before(folder: Path, orphan: Orphan, progress: int = 0) -> bool:
    """Whether a process already died on this file at this version with as much of it stored; if not, it is remembered.

    ``progress`` is how many of the file's articles were stored when it died: a
    process killed twice while working through a long JSON list, storing more each
    time, was stopped from outside, not by one of the file's articles.
    """
    record = folder / DIED_ON
    try:
        known = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    version = [orphan.size, orphan.mtime_ns, progress]
    if known.get(orphan.path) == version:
        del known[orphan.path]
        twice = True
    else:
        known[orphan.path] = version
        twice = False
    temporary = record.with_suffix(".tmp")
    temporary.write_text(json.dumps(known), encoding="utf-8")
    os.replace(temporary, record)
    return twice


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
