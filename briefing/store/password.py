"""The PostgreSQL store's password: read from its environment variable once, then kept from child processes."""

from __future__ import annotations

import os

from briefing.config.sections import STATE_PASSWORD_ENV

_withheld: dict[str, str] = {}


def withhold_state_password() -> None:
    """Take the PostgreSQL password's variable out of the environment, keeping its value for this process's
    connections: no child process (the PDF renderer, the analysis workers) inherits it."""
    value = os.environ.pop(STATE_PASSWORD_ENV, None)
    if value is None:
        _withheld.pop(STATE_PASSWORD_ENV, None)
    else:
        _withheld[STATE_PASSWORD_ENV] = value


def state_password() -> str | None:
    """The PostgreSQL password: ``BRIEFING_PGPASSWORD`` now, or as withheld (None: libpq's own ways)."""
    return os.environ.get(STATE_PASSWORD_ENV) or _withheld.get(STATE_PASSWORD_ENV) or None
