"""E-mail addresses: one strict check used by the settings, the command line and the outbox.

An address reaches two places where a stray character is dangerous: the SMTP
envelope (``RCPT TO:<...>``, one command line) and the ``To`` header. So only a
bare ``local@domain`` in ASCII is accepted: no display name, no comments, no
whitespace or control characters (CR/LF would start a new command or header),
no second ``@``. Internationalised addresses (SMTPUTF8) are refused with a
clear reason rather than half supported.
"""

from __future__ import annotations

import re
from email.errors import HeaderParseError
from email.headerregistry import Address

MAX_ADDRESS_LENGTH = 254
"""RFC 5321's limit on a forward path, less the angle brackets."""

_FORBIDDEN = re.compile(r"[\x00-\x20\x7f<>(),;:\\\"\[\]]")
_DOMAIN_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


class AddressError(ValueError):
    """An address that briefing will not send to, with the reason."""


def check_address(value: str) -> str:
    """``value`` if it is a plain ``local@domain`` address, else :class:`AddressError` saying why."""
    if not isinstance(value, str) or not value:
        raise AddressError("empty address")
    shown = repr(value[:80])
    if "\r" in value or "\n" in value:
        raise AddressError(f"{shown} contains a line break")
    if not value.isascii():
        raise AddressError(f"{shown} has non-ASCII characters (internationalised addresses are not supported)")
    if _FORBIDDEN.search(value):
        raise AddressError(f"{shown} is not a bare address (no names, spaces, brackets or control characters)")
    if len(value) > MAX_ADDRESS_LENGTH:
        raise AddressError(f"{shown} is longer than {MAX_ADDRESS_LENGTH} characters")
    if value.count("@") != 1:
        raise AddressError(f"{shown} must contain exactly one @")
    local, domain = value.split("@")
    if not local or len(local) > 64 or local.startswith(".") or local.endswith(".") or ".." in local:
        raise AddressError(f"{shown} has an invalid local part")
    labels = domain.split(".")
    if (len(labels) < 2 and domain != "localhost") or not all(_DOMAIN_LABEL.match(label) for label in labels):
        raise AddressError(f"{shown} has an invalid domain")
    try:  # the email package's own parser must agree, since it writes the headers
        parsed = Address(addr_spec=value)
    except (ValueError, HeaderParseError) as exc:
        raise AddressError(f"{shown} is not a valid address ({exc})") from None
    if parsed.addr_spec != value:
        raise AddressError(f"{shown} is not a valid address")
    return value
