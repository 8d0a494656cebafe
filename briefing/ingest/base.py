"""What every reader shares: the reader contract, decoding bytes, parsing dates.

Readers turn a file's bytes into one or more :class:`Document` values and know
nothing else; :mod:`briefing.ingest` turns documents into :class:`~briefing.model.Article`.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Protocol

import charset_normalizer
from dateutil import parser as date_parser


class ReadError(Exception):
    """A file that cannot become an article; the message is shown to the user as the reason.

    The reason is always one line (status listings, report tables): line breaks and
    runs of spaces in it, such as a library's multi-line message, become one space.
    """

    def __init__(self, reason: object) -> None:
        super().__init__(" ".join(str(reason).split()))


@dataclass(frozen=True, slots=True)
class Document:
    """What a reader found in a file, before it becomes an article."""

    text: str
    title: str | None = None
    date: dt.date | None = None
    url: str | None = None
    publisher: str | None = None
    meta: dict[str, str] = field(default_factory=dict)


class Reader(Protocol):
    """A reader of one family of file types.

    ``extensions`` are lower-case suffixes with the dot (``".txt"``). ``read`` gets
    the whole file (already size-checked) and returns one document per article in
    it, or raises :class:`ReadError` with a reason a user can act on. A file of
    several articles (a JSON list) puts a :class:`ReadError` in the place of an
    item that is not one.
    """

    name: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]]

    def read(self, data: bytes, path: Path) -> Sequence[Document | ReadError]: ...


_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "a legacy Office document"),
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode file bytes to text, returning ``(text, encoding)``.

    UTF-8 (with or without BOM) and UTF-16/32 with a BOM are exact; anything
    else is legacy 8-bit text, detected with charset-normalizer. Binary content
    raises :class:`ReadError` instead of turning into noise.
    """
    if not data.strip():
        raise ReadError("the file is empty" if not data else "the file holds only whitespace")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.removesuffix("-sig")
            except UnicodeDecodeError as exc:
                raise ReadError(
                    f"the file starts with a {encoding} byte-order mark but is not valid {encoding} ({exc.reason})"
                ) from None
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise ReadError(f"binary file: looks like {what}, not text")
    if b"\x00" in data[:65536]:
        raise ReadError("binary file: it contains NUL bytes (UTF-16 text needs a byte-order mark)")
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        encoding = legacy_encoding(data)
        text = data.decode(encoding, errors="replace")
    if len(_CONTROL.findall(text[:65536])) > max(8, len(text[:65536]) // 100):
        raise ReadError("binary file: too many control characters to be text")
    return text, encoding


WESTERN = "cp1252"
"""The legacy encoding of most news text: Windows Western, a superset of Latin-1's printable characters."""
_CLEARLY_LESS_MESS = 0.01
_DETECTION_BYTES = 262_144


def legacy_encoding(data: bytes) -> str:
    """The 8-bit encoding of text that is not UTF-8: cp1252 unless another is clearly better.

    Short Western text fits several code pages equally well: charset-normalizer,
    asked for the best, named "Peña" and "Jerusalén" in Latin-1 cp1250 ("Peńa") and
    German cp775. So cp1252 is taken whenever the bytes decode under it without
    control characters, unless the detector finds another code page with clearly
    less mess (odd symbols and letter mixes): Cyrillic cp1251 read as cp1252 is
    "Ïðåçèäåíò", Czech cp1250 "Pøedseda", both messier than their own code page.
    """
    sample = data[:_DETECTION_BYTES]
    best = charset_normalizer.from_bytes(sample, cp_isolation=None).best()
    try:
        western = sample.decode(WESTERN)
    except UnicodeDecodeError:  # one of the five bytes cp1252 leaves undefined
        return best.encoding if best is not None else WESTERN
    if _CONTROL.search(western):
        return best.encoding if best is not None else WESTERN
    if best is None or WESTERN in best.could_be_from_charset:
        return WESTERN
    alone = charset_normalizer.from_bytes(sample, cp_isolation=[WESTERN]).best()
    if alone is None or best.chaos + _CLEARLY_LESS_MESS <= alone.chaos:
        return best.encoding
    return WESTERN


_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")


def parse_date(value: object, what: str = "date") -> dt.date:
    """A date from a header or metadata value; a clear :class:`ReadError` otherwise.

    Accepts ISO dates (``2022-02-17``, with or without a time), RFC 2822 dates as in
    e-mail and RSS, and written dates (``17 February 2022``, ``Feb. 17, 2022``).
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = str(value).strip()
    if not raw:
        raise ReadError(f"the {what} is empty")
    if match := _ISO_DATE.match(raw):
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError as exc:
            raise ReadError(f"the {what} {raw!r} is not a valid date ({exc})") from None
    if not re.search(r"\d", raw) or not re.search(r"(19|20)\d\d", raw):
        raise ReadError(f"the {what} {raw!r} is not a date with a year")
    try:
        return date_parser.parse(raw, default=dt.datetime(1, 1, 1)).date()
    except (ValueError, OverflowError) as exc:
        raise ReadError(f"the {what} {raw!r} is not a date ({exc})") from None


def clean_value(value: object) -> str | None:
    """A metadata value as one trimmed line, or ``None`` when empty."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None
