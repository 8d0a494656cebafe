"""The exit statuses, shared by ``main`` and every command (a leaf, so no command imports the package)."""

from __future__ import annotations

import signal

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE
