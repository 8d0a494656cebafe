"""Text that is safe to show on a terminal or write to a log: control characters shown escaped.

File names, article titles and servers' replies come from outside. A file named
``"a.txt\\nservice: running"`` would print a forged line; one holding ``ESC [31m``
would recolour the terminal or move its cursor. Everything such text passes
through on its way to a terminal or a log is escaped here, in the form Python
writes string literals (``\\n``, ``\\x1b``, ``\\u202e``), so the reader sees what is
really there. Printable text, accented letters and other scripts are left alone.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from types import TracebackType

_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f"  # C0 (newline, carriage return, ESC ...), DEL and C1 (8-bit CSI ...)
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks, embeddings, overrides, isolates
    "\u2028\u2029]"  # line and paragraph separators
)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def printable(text: object) -> str:
    """``text`` as one line with every control character escaped (``\\n``, ``\\x1b``, ``\\u202e``)."""
    return _CONTROL.sub(_escape, str(text))


def json_printable(text: str) -> str:
    """A JSON document with the control characters ``json.dumps`` leaves raw (DEL, C1, bidi) as ``\\uXXXX``.

    JSON escapes C0 itself; outside strings JSON is plain ASCII, so every match is inside a string and
    the escape decodes to the very same character: the data is unchanged, only the terminal is safe.
    """
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class PrintableFormatter(logging.Formatter):
    """A log formatter that escapes control characters in the message and its arguments, not in the traceback.

    A log line is one line: a file name with a newline cannot start a forged entry. The
    traceback appended after it keeps its own line breaks.
    """

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = printable(record.message)
        return super().formatMessage(record)

    def formatException(
        self, ei: tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]
    ) -> str:
        return _keep_lines(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return _keep_lines(super().formatStack(stack_info))


class ZonedFormatter(PrintableFormatter):
    """Log lines stamped in the configured zone, named (``2026-12-04 15:41:33 EST``), control characters escaped.

    The service's messages give times in the configured zone; a stamp in the
    machine's zone, unnamed, beside them would read as the same clock when it is not.
    """

    def __init__(self, fmt: str, tz: dt.tzinfo) -> None:
        super().__init__(fmt)
        self.tz = tz

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return f"{dt.datetime.fromtimestamp(record.created, self.tz):%Y-%m-%d %H:%M:%S %Z}"


def _keep_lines(text: str) -> str:
    """A traceback keeps its line breaks; every other control character is escaped."""
    return "\n".join(printable(line) for line in text.split("\n"))
