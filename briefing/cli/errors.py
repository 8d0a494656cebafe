"""What the command line says when the machine, not the input, stops a command: one line and exit status 2.

A damaged state store, a full disk, a folder that cannot be written: these are
not bugs, and a traceback tells the user neither what is wrong nor what to do.
:func:`describe_failure` is the one place that maps each known kind of error to a
line that says both; ``main`` prints it and exits with :data:`EXIT_USAGE`.
Anything it does not know stays a traceback, as a bug should.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

from briefing.config import Settings
from briefing.printable import printable
from briefing.store.core import StoreRefused

_NO_SPACE = {errno.ENOSPC, errno.EDQUOT}
_NOT_WRITABLE = {errno.EROFS, errno.EACCES, errno.EPERM}


def describe_failure(exc: BaseException, settings: Settings) -> str | None:
    """The one line that explains ``exc`` and what to do about it, or None for an error nobody expects."""
    if isinstance(exc, StoreRefused):
        return printable(str(exc))
    if isinstance(exc, sqlite3.DatabaseError):
        return _store_failure(exc, settings)
    if isinstance(exc, OSError):
        return _disk_failure(exc)
    return None


_MACHINE = ("SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_IOERR", "SQLITE_PERM", "SQLITE_NOMEM", "SQLITE_NOLFS")
"""SQLite's errors that come from the file or the machine; the others (a constraint, a misuse) are bugs."""


def _store_failure(exc: sqlite3.DatabaseError, settings: Settings) -> str | None:
    """SQLite's error names (Python 3.11+) tell a damaged file from a full disk, a locked or unwritable one."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    path = printable(str(settings.state_path))
    why = printable(str(exc))
    if name.startswith("SQLITE_CORRUPT") or name == "SQLITE_NOTADB":
        return (
            f"the state store {path} is damaged ({why}). Restore it from a backup, or move it aside and run"
            f" `briefing ingest` to rebuild it from {printable(str(settings.seeds_path))} (the articles come back;"
            " the record of briefings made and e-mails sent starts afresh)"
        )
    if name == "SQLITE_FULL" or (name.startswith("SQLITE_IOERR") and _nearly_full(settings.state_path.parent)):
        # With WAL, a full disk often shows as an I/O error (the shared-memory file cannot grow): look at the disk.
        return f"the disk holding the state store {path} is full ({why}); free some space and run the command again"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return f"the state store {path} is busy ({why}): another process holds it; try again in a moment"
    if not name.startswith(_MACHINE):
        return None  # a constraint broken, an API misused: a bug, shown with its traceback
    return (
        f"the state store {path} cannot be used ({why}); check that its folder exists, can be written and has"
        " free space (state_file sets where it lives)"
    )


def _nearly_full(folder: Path) -> bool:
    """Less than a megabyte free where the store lives: too little for SQLite to write its journal."""
    try:
        return shutil.disk_usage(folder).free < 1024 * 1024
    except OSError:
        return False


def _disk_failure(exc: OSError) -> str:
    """A file or folder that could not be read or written, named, with the fix that fits the errno."""
    what = printable(str(exc.filename)) if exc.filename is not None else "a file"
    why = printable(exc.strerror or str(exc))
    if exc.errno in _NO_SPACE:
        return f"no space left on the device holding {what} ({why}); free some space and run the command again"
    if exc.errno == errno.EFBIG:
        return f"{what} cannot grow any larger ({why}); free some space or raise the file size limit, then run again"
    if exc.errno in _NOT_WRITABLE:
        return (
            f"cannot write {what} ({why}); make the folder writable or choose another one"
            " (reports_dir or --out for briefings, state_file for the store)"
        )
    return f"cannot use {what} ({why}); check the path (reports_dir, --out, state_file) and run the command again"
