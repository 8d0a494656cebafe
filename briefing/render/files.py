"""Writing into ``reports/``: atomic files and dated, never-overwritten names."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` so a crash leaves either the old file or the new one."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException as exc:
        Path(tmp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None:
            exc.filename = str(path)  # a full disk fails a write, which names no file; say which one it was
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def reserve_stem(reports_dir: Path, moment: dt.datetime, suffixes: tuple[str, ...]) -> Path:
    """A fresh ``reports/YYYY-MM-DD/briefing-HHMM`` stem (``-2``, ``-3`` ... on a clash).

    The first suffix's file is created empty and exclusively, so two processes
    producing a briefing in the same minute never pick the same name.
    """
    folder = reports_dir / moment.strftime("%Y-%m-%d")
    folder.mkdir(parents=True, exist_ok=True)
    base = f"briefing-{moment:%H%M}"
    for attempt in range(1, 1000):
        stem = folder / (base if attempt == 1 else f"{base}-{attempt}")
        if any(stem.with_suffix(s).exists() for s in suffixes[1:]):
            continue
        try:
            with open(stem.with_suffix(suffixes[0]), "x"):
                pass
        except FileExistsError:
            continue
        return stem
    raise RuntimeError(f"no free briefing name left in {folder}")
