"""Writing into ``reports/``: atomic files and dated, never-overwritten names."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from pathlib import Path
from typing import IO

try:
    import fcntl as fcntl  # as itself: render/__init__ uses it too
except ImportError:  # pragma: no cover - not Unix: names are still claimed, a dead claim is not detected
    fcntl = None  # type: ignore[assignment]  # no such module off Unix: None says so, and mypy types a module never None


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


class Reservation:
    """A dated briefing's name, held while its files are made under hidden temporary names.

    The name is claimed by a hidden lock file (``.briefing-HHMM.lock``) that this
    process keeps ``flock``-ed: the kernel drops the lock when the process dies,
    however it dies, which is how :func:`sweep_leftovers` tells a dead claim from a
    live one. Files are written as ``.briefing-HHMM.<suffix>.part`` and renamed to
    their real names only by :meth:`commit`, once every one is complete, so a
    briefing killed or out of disk space half-way leaves no visible file.
    """

    def __init__(self, stem: Path, handle: IO[bytes]) -> None:
        self.stem = stem
        self._handle = handle
        self._parts: dict[str, Path] = {}

    def part(self, suffix: str) -> Path:
        """The hidden file the ``suffix`` output is written to before :meth:`commit`."""
        return self.stem.with_name(f".{self.stem.name}{suffix}.part")

    def write(self, suffix: str, data: bytes | str) -> None:
        atomic_write(self.part(suffix), data)
        self._parts[suffix] = self.part(suffix)

    def commit(self) -> dict[str, Path]:
        """Rename every written part to its real name (the HTML last: it is what readers open first)."""
        finals: dict[str, Path] = {}
        for suffix in sorted(self._parts, key=lambda s: s == ".html"):
            final = self.stem.with_suffix(suffix)
            os.replace(self._parts[suffix], final)
            finals[suffix] = final
        self._parts.clear()
        _fsync_dir(self.stem.parent)
        return finals

    def release(self) -> None:
        """Drop what was not committed, then the claim itself."""
        for part in self._parts.values():
            part.unlink(missing_ok=True)
        self._parts.clear()
        _lock_path(self.stem).unlink(missing_ok=True)
        self._handle.close()

    def __enter__(self) -> Reservation:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def reserve(reports_dir: Path, moment: dt.datetime, suffixes: tuple[str, ...]) -> Reservation:
    """A fresh ``reports/YYYY-MM-DD/briefing-HHMM`` name (``-2``, ``-3`` ... on a clash), claimed.

    Two processes making a briefing in the same minute never pick the same name:
    the lock file appears already locked (made under a unique name, locked, then
    hard-linked to its claimed name, which fails if the name is taken).
    """
    folder = reports_dir / moment.strftime("%Y-%m-%d")
    folder.mkdir(parents=True, exist_ok=True)
    base = f"briefing-{moment:%H%M}"
    fd, private = tempfile.mkstemp(dir=folder, prefix=f".{base}.", suffix=".claim")
    handle = os.fdopen(fd, "wb")
    try:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        for attempt in range(1, 1000):
            stem = folder / (base if attempt == 1 else f"{base}-{attempt}")
            if any(stem.with_suffix(s).exists() for s in suffixes):
                continue
            try:
                os.link(private, _lock_path(stem))
            except FileExistsError:
                continue
            except OSError:  # a file system without hard links: claim by exclusive creation instead
                try:
                    claimed = os.open(_lock_path(stem), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
                except FileExistsError:
                    continue
                handle.close()
                handle = os.fdopen(claimed, "wb")
                if fcntl is not None:
                    fcntl.flock(handle, fcntl.LOCK_EX)
            if any(stem.with_suffix(s).exists() for s in suffixes):  # finished between the check and the claim
                _lock_path(stem).unlink()
                continue
            return Reservation(stem, handle)
    except BaseException:
        handle.close()
        raise
    finally:
        Path(private).unlink(missing_ok=True)
    handle.close()
    raise RuntimeError(f"no free briefing name left in {folder}")


def sweep_claims(reports_dir: Path) -> int:
    """Remove what briefings killed half-way left in the dated folders; the number of files removed.

    A claim whose lock nobody holds belongs to a dead process: its lock and parts go.
    """
    removed = 0
    for lock in reports_dir.glob("*/.briefing-*.lock"):
        try:
            handle = open(lock, "rb")  # noqa: SIM115 - held across the checks below
        except OSError:
            continue
        with handle:
            if fcntl is not None:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # a live briefing holds it
            try:
                if os.stat(lock).st_ino != os.fstat(handle.fileno()).st_ino:
                    continue  # released and claimed again meanwhile
            except FileNotFoundError:
                continue
            stem = lock.with_name(lock.name.removeprefix(".").removesuffix(".lock"))
            for part in lock.parent.glob(f".{stem.name}.*.part"):
                part.unlink(missing_ok=True)
                removed += 1
            lock.unlink(missing_ok=True)
            removed += 1
    for claim in reports_dir.glob("*/.briefing-*.claim"):  # killed between mkstemp and unlink: seconds old at most
        try:
            info = claim.stat()
        except FileNotFoundError:  # the briefing that made it has just removed it
            continue
        if info.st_nlink == 1 and time.time() - info.st_mtime > 60:
            claim.unlink(missing_ok=True)
            removed += 1
    return removed


def _lock_path(stem: Path) -> Path:
    return stem.with_name(f".{stem.name}.lock")
