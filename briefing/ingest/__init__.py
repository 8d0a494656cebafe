"""Ingest: files in, :class:`~briefing.model.Article` values out.

One explicit registry maps file suffixes to readers. Everything that does not
depend on the format (size limit, normalising text, the content hash, the title
and date fallbacks) happens here, once, for every reader.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import fnmatch
import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.ingest.base import Document, Reader, ReadError
from briefing.ingest.eml import EmailReader
from briefing.ingest.html import HtmlReader
from briefing.ingest.jsonfile import JsonReader
from briefing.ingest.labels import PUBLISHER_CAP, TITLE_CAP, clean_label
from briefing.ingest.markdown import MarkdownReader
from briefing.ingest.sandbox import ReadLimits, read_in_child
from briefing.ingest.text import TextReader
from briefing.model import Article

__all__ = [
    "IGNORED_PATTERNS",
    "Candidate",
    "ItemError",
    "ReadError",
    "ReadLimits",
    "Reader",
    "default_readers",
    "examine",
    "is_ignored",
    "printable",
    "read_articles",
    "read_items",
    "scan_folder",
]

IGNORED_PATTERNS: tuple[str, ...] = (".*", "*.tmp", "*.part", "*.crdownload", "*.swp", "~*", "*~")
"""Hidden and temporary files are never read (editors and downloads write these)."""

TITLE_MAX_CHARS = 90

EARLIEST_DATE = dt.date(1900, 1, 1)
"""Article dates before this are placeholders for "unknown" (see :func:`plausible_date`)."""
UNIX_EPOCH = dt.date(1970, 1, 1)
FUTURE_DAYS = 366
"""An article dated more than this many days after its file's modification date (or today) has a placeholder date."""


def default_readers() -> dict[str, Reader]:
    """The built-in readers by suffix. A new format is one more reader in this list."""
    readers: list[Reader] = [TextReader(), MarkdownReader(), HtmlReader(), EmailReader(), JsonReader()]
    return {suffix: reader for reader in readers for suffix in reader.extensions}


def printable(text: str) -> str:
    """``text`` that is valid UTF-8, for the store, reports and JSON.

    A file name whose bytes are not UTF-8 reaches Python with surrogate escapes, which
    SQLite and UTF-8 output refuse; each such byte is shown as ``\\xff`` instead.
    """
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that is no escaped byte
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def is_ignored(name: str) -> bool:
    """True for hidden and temporary files, which are never ingested."""
    return any(fnmatch.fnmatch(name, pattern) for pattern in IGNORED_PATTERNS)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A file found in the seeds folder, with what identifies its current version."""

    path: Path
    size: int
    mtime_ns: int
    folder: bool = False
    """A folder to look into (one not named like an article), not a file to read."""


def scan_folder(folder: Path, root: Path | None = None) -> Iterator[Candidate]:
    """Every file under ``folder`` to ingest or to report, in name order (see :func:`examine`).

    Folders are descended into, each once however many links lead to it (a link
    to a parent folder cannot make the scan go round). ``root`` is the seeds
    folder that symbolic links must stay inside; by default ``folder``.
    """
    readers = default_readers()
    yield from _scan(folder, (root or folder).resolve(), readers, set())


def _scan(folder: Path, root: Path, readers: dict[str, Reader], entered: set[tuple[int, int]]) -> Iterator[Candidate]:
    try:
        info = os.stat(folder)
        if (info.st_dev, info.st_ino) in entered:
            return
        entered.add((info.st_dev, info.st_ino))
        names = sorted(entry.name for entry in os.scandir(folder))
    except OSError:
        return
    for name in names:
        if is_ignored(name):
            continue
        found = examine(folder / name, root, readers)
        if found is not None and found.folder:
            yield from _scan(found.path, root, readers, entered)
        elif found is not None:
            yield found


def examine(path: Path, root: Path, readers: dict[str, Reader] | None = None) -> Candidate | None:
    """``path`` as the scan sees it: a file to read or report, a folder to look into, or None to pass over.

    Regular files are read. A folder named like an article (``x.txt/``), and a
    named pipe, socket or device named like one, are candidates too, so that
    they are reported rather than silently skipped; other special files are
    passed over. A symbolic link is followed only when it leads inside ``root``
    (resolved): one that leads outside the seeds folder (``/etc/passwd``) or
    nowhere is a candidate with the link's own size and time, which
    :func:`read_articles` refuses with the reason.
    """
    readers = readers if readers is not None else default_readers()
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            if not _leads_inside(path, root):
                return Candidate(path, info.st_size, info.st_mtime_ns)
            info = os.stat(path)
    except OSError:
        return None  # gone
    named_like_article = path.suffix.lower() in readers
    if stat.S_ISDIR(info.st_mode) and not named_like_article:
        return Candidate(path, info.st_size, info.st_mtime_ns, folder=True)
    if stat.S_ISREG(info.st_mode) or named_like_article:
        return Candidate(path, info.st_size, info.st_mtime_ns)
    return None


def _leads_inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve(strict=True).is_relative_to(root)
    except (OSError, RuntimeError):  # a broken link, or a loop of links
        return False


@dataclass(frozen=True, slots=True)
class ItemError:
    """An item of a file of several articles (a JSON list) that is not an article, and why."""

    source: str
    """The file's name and the item's index: ``seeds/list.json#1``."""
    reason: str


def read_articles(path: Path, **options: Any) -> list[Article]:
    """The articles in one file, or :class:`ReadError` with the reason there are none.

    Takes the options of :func:`read_items`. A file of several articles with a bad
    item is refused whole, with that item's reason; to keep the good items and
    report each bad one, use :func:`read_items`.
    """
    items = read_items(path, **options)
    for item in items:
        if isinstance(item, ItemError):
            raise ReadError(item.reason)
    return [item for item in items if isinstance(item, Article)]  # all of them: none is an ItemError


def read_items(
    path: Path,
    *,
    max_bytes: int,
    tz: dt.tzinfo = dt.UTC,
    date: dt.date | None = None,
    readers: dict[str, Reader] | None = None,
    source: str | None = None,
    within: Path | None = None,
    limits: ReadLimits | None = None,
) -> list[Article | ItemError]:
    """The articles in one file, in order, or :class:`ReadError` with the reason there are none.

    A file of several articles (a JSON list) names them ``source#0``, ``source#1``
    ...; an item that is not an article is an :class:`ItemError` in its place, so
    one bad item costs only itself. ``date`` overrides the file's own date. A file
    without a date gets its modification date (in ``tz``) and
    ``date_inferred=True``. With ``within`` (the seeds folder), a file that is a
    symbolic link leading outside it is refused, never read. With ``limits``, the file
    is read in a child process held to them (:mod:`briefing.ingest.sandbox`): a file
    that takes too long or too much memory is refused with the reason.
    """
    if limits is not None:  # the reader process has a working folder of its own: paths go to it absolute
        options = {"max_bytes": max_bytes, "tz": tz, "date": date, "readers": readers}
        options |= {"source": source or printable(str(path)), "within": within and Path.cwd() / within}
        return read_in_child(Path.cwd() / path, limits, options)
    readers = readers if readers is not None else default_readers()
    source = source or printable(str(path))
    reader = readers.get(path.suffix.lower())
    info = _stat(path)
    if within is not None and not _leads_inside(path, within.resolve()):
        raise ReadError(f"a symbolic link to {printable(str(path.resolve()))}, outside the seeds folder: not followed")
    if stat.S_ISDIR(info.st_mode):
        raise ReadError("this is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise ReadError(f"not a regular file ({_file_kind(info.st_mode)})")
    if reader is None:
        known = ", ".join(sorted(readers))
        raise ReadError(f"no reader for {path.suffix or 'files without a suffix'} (readable: {known})")
    data, mtime = _read_regular_file(path, max_bytes)
    try:
        documents = reader.read(data, path)
    except (ReadError, MemoryError):  # out of memory: the reading process's limit (see briefing.ingest.sandbox)
        raise
    except Exception as exc:  # a reader bug or a library failing on odd input must not stop ingestion
        raise ReadError(f"the {reader.name} reader failed: {type(exc).__name__}: {exc}") from exc
    today = dt.datetime.now(tz).date()
    try:
        fallback_date = dt.datetime.fromtimestamp(mtime, tz).date()
    except (OverflowError, OSError, ValueError):  # a modification time past the year 9999
        fallback_date = today
    latest = _plus_days(max(fallback_date, today), FUTURE_DAYS)
    if len(documents) == 1:
        if isinstance(documents[0], ReadError):
            raise documents[0]
        return [_article(documents[0], source, date, fallback_date, latest)]
    items: list[Article | ItemError] = []
    for index, doc in enumerate(documents):
        try:
            if isinstance(doc, ReadError):
                raise doc
            items.append(_article(doc, f"{source}#{index}", date, fallback_date, latest))
        except ReadError as exc:
            items.append(ItemError(f"{source}#{index}", str(exc)))
        except Exception as exc:  # an item no rule anticipated costs only itself
            items.append(ItemError(f"{source}#{index}", f"the item could not be read ({type(exc).__name__}: {exc})"))
    return items


def _stat(path: Path) -> os.stat_result:
    try:
        return os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            target = printable(os.readlink(path))
            raise ReadError(f"a broken symbolic link (to {target}, which does not exist)") from None
        raise ReadError("no such file") from None
    except PermissionError:
        raise ReadError("permission denied: the file cannot be read") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ReadError("a symbolic link that leads nowhere (a loop of links)") from None
        raise ReadError(f"the file cannot be read ({exc.strerror or exc})") from None


def _read_regular_file(path: Path, max_bytes: int) -> tuple[bytes, float]:
    """The bytes and modification time of a regular file; one over ``max_bytes`` is refused before reading.

    Opened without blocking and checked again once open: a named pipe (or a file
    swapped for one after the check) would otherwise block the reader forever.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise ReadError(f"not a regular file ({_file_kind(info.st_mode)})")
            if info.st_size > max_bytes:
                size, limit = _megabytes(info.st_size), _megabytes(max_bytes)
                raise ReadError(f"the file is {size}, over the {limit} limit (max_file_mb)")
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise ReadError("the file disappeared before it could be read") from None
    except PermissionError:
        raise ReadError("permission denied: the file cannot be read") from None
    except IsADirectoryError:
        raise ReadError("this is a directory, not a file") from None
    except OSError as exc:
        raise ReadError(f"the file cannot be read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise ReadError(f"the file grew over the {_megabytes(max_bytes)} limit while being read (max_file_mb)")
    return data, info.st_mtime


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
"""Control characters (NUL ...) and bidi overrides, embeddings and isolates: never article text, and an
override in a key point would reorder what the briefing prints after it (its citation)."""


def normalise_text(text: str) -> str:
    """Article text as stored: NFC, Unix newlines, no trailing spaces, at most one blank line,
    no control characters or bidi overrides."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    text = _INVISIBLE.sub("", text)
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def content_id(text: str) -> str:
    """The article id: SHA-256 of the text with case and spacing normalised away."""
    key = " ".join(text.casefold().split())
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def derive_title(text: str, limit: int = TITLE_MAX_CHARS) -> str:
    """A short headline from the text for articles that carry no title.

    The first sentence, cut at a clause boundary (or a word boundary, with an
    ellipsis) when it is longer than ``limit`` characters.
    """
    first = re.split(r"(?<=[.!?])[\"'”’]?\s+(?=[A-Z\"“‘])|\n", text.strip(), maxsplit=1)[0].strip()
    first = first.rstrip(".").strip()
    if len(first) <= limit:
        return first
    window = first[: limit + 1]
    for pattern in (r"[,;:—–]\s", r"\s(?:to|as|after|while|amid|which|that|who|when|because|and)\s"):
        cuts = [m.start() for m in re.finditer(pattern, window) if m.start() >= limit // 2]
        if cuts:
            return window[: cuts[-1]].rstrip(" ,;:") + "…"
    return window.rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def plausible_date(day: dt.date, latest: dt.date) -> bool:
    """Whether an article's own date can be its publication date, rather than a placeholder.

    Feeds and exporters write placeholders for "unknown": .NET's 0001-01-01 and
    9999-12-31, the Unix epoch 1970-01-01. Dates before :data:`EARLIEST_DATE` or
    after ``latest`` (a year after the file's modification date or today, whichever
    is later) are taken for such placeholders.
    """
    return EARLIEST_DATE <= day <= latest and day != UNIX_EPOCH


def _plus_days(day: dt.date, days: int) -> dt.date:
    return dt.date.fromordinal(min(day.toordinal() + days, dt.date.max.toordinal()))


def _unicode(value: str) -> str:
    """``value`` as text UTF-8 can store: a lone surrogate (JSON allows ``"\ud800"``) becomes "?"."""
    return value.encode("utf-8", "replace").decode("utf-8")


def _article(doc: Document, source: str, date: dt.date | None, fallback_date: dt.date, latest: dt.date) -> Article:
    doc = dataclasses.replace(
        doc,
        text=_unicode(doc.text),
        title=clean_label(_unicode(doc.title), TITLE_CAP) if doc.title else doc.title,
        publisher=clean_label(_unicode(doc.publisher), PUBLISHER_CAP) if doc.publisher else doc.publisher,
        url=_unicode(doc.url) if doc.url else doc.url,
        meta={_unicode(k): _unicode(v) if isinstance(v, str) else v for k, v in doc.meta.items()},
    )
    text = normalise_text(doc.text)
    if not text:
        raise ReadError("no article text (the body is empty)")
    meta = dict(doc.meta)
    if doc.publisher:
        meta["publisher"] = doc.publisher
    if not doc.title:
        meta["title_source"] = "derived"  # made from the first sentence: compose may find a better headline
    if doc.date is not None and not plausible_date(doc.date, latest):
        # A placeholder, not a date: the article is kept, dated like one that gives none.
        meta["date_ignored"] = doc.date.isoformat()
        doc = dataclasses.replace(doc, date=None)
    chosen = date or doc.date
    return Article(
        id=content_id(text),
        source=source,
        title=doc.title or derive_title(text),
        date=chosen or fallback_date,
        text=text,
        date_inferred=chosen is None,
        url=doc.url,
        meta=meta,
    )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
