"""The PDF renderer in a child process, with a time limit and a memory limit.

WeasyPrint lays out untrusted text; a pathological article could make it run
for minutes or eat all memory. So the PDF is made by a child Python process
(``python -m briefing.render.pdf_worker``) that limits itself (address space,
CPU seconds, file size, no core dumps) before it reads the page, and that the parent
kills when the wall-clock limit passes. Whatever happens in the child, the
parent gets the PDF bytes or a :class:`PdfRenderError` with a plain reason, and
carries on: the HTML is written either way.

The HTML goes to the child on its standard input and the PDF comes back on its
standard output: nothing of the briefing is written to a temporary folder, so
nothing is left there when either process is killed (older versions left
``briefing-pdf-*`` folders; :func:`sweep_temp_folders` removes those). The child
dies with its parent (:mod:`briefing.render.pdf_worker`) and gets only the
environment variables it needs to run (:func:`child_environment`), so secrets
such as the SMTP password never reach it. The child's log (refused URLs,
warnings) is passed on to this process's log.
"""

from __future__ import annotations

import logging
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.render.pdf_worker import EXIT_MEMORY

log = logging.getLogger(__name__)


class PdfRenderError(Exception):
    """The PDF could not be made; the message says why in a reader's terms."""


@dataclass(frozen=True, slots=True)
class Limits:
    """How long and how much memory the PDF renderer may use."""

    seconds: float = 120.0
    memory_mb: int = 1024


CHILD_ENVIRONMENT = frozenset(
    {
        "PATH", "HOME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV",
        "LD_LIBRARY_PATH", "DYLD_FALLBACK_LIBRARY_PATH", "FONTCONFIG_FILE", "FONTCONFIG_PATH",
        "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_DATA_DIRS", "SYSTEMROOT",
    }
)  # fmt: skip
"""The variables the PDF renderer inherits (and ``LC_*``): what Python, Pango and fontconfig read."""


def child_environment(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment cut down to :data:`CHILD_ENVIRONMENT`.

    A list of what to keep, not of what to drop: the SMTP password's variable is
    configurable (``email.password_env``), and other secrets have other names.
    """
    env = os.environ if env is None else env
    return {name: value for name, value in env.items() if name in CHILD_ENVIRONMENT or name.startswith("LC_")}


BOOTSTRAP = """\
import ctypes, os, runpy, signal, sys
try:
    ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG: die with the parent
except (OSError, AttributeError):
    pass
if os.getppid() != int(sys.argv[2]):
    os._exit(4)
runpy.run_module("briefing.render.pdf_worker", run_name="__main__", alter_sys=True)
"""
"""How the child starts: tied to the parent's life before it imports anything of briefing
(importing the package takes a second or two; a parent killed meanwhile must not leave
the child to render on), then :mod:`briefing.render.pdf_worker` runs as ``__main__``."""


def render_pdf(html: str, asset_dirs: Sequence[Path], limits: Limits = Limits()) -> bytes:
    """The PDF of ``html``, made in a limited child process; :class:`PdfRenderError` when it fails."""
    command = [
        sys.executable,
        "-c",
        BOOTSTRAP,
        "--parent",
        str(os.getpid()),
        "--memory-mb",
        str(limits.memory_mb),
        "--cpu-seconds",
        str(math.ceil(limits.seconds) + 1),
        *(f"--asset-dir={d}" for d in asset_dirs),
    ]
    child = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_environment(),
        start_new_session=True,  # a terminal's Ctrl-C goes to the parent, which then stops the child
    )
    try:
        pdf, err = child.communicate(html.encode("utf-8"), timeout=limits.seconds)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise PdfRenderError(
            f"stopped after {limits.seconds:g} s, the time limit (setting report.pdf_timeout_seconds)"
        ) from None
    except BaseException:
        child.kill()
        child.communicate()
        raise
    messages = err.decode("utf-8", "replace").strip()
    for line in messages.splitlines():
        if line.startswith(("WARNING ", "ERROR ")):
            log.warning("PDF renderer: %s", line)
    if child.returncode == 0 and pdf.startswith(b"%PDF"):
        return pdf
    raise PdfRenderError(_reason(child.returncode, messages, limits))


TEMP_PREFIX = "briefing-pdf-"
"""The temporary folders older versions rendered in."""


def sweep_temp_folders(folder: Path | None = None, older_than: float = 3600.0) -> int:
    """Remove ``briefing-pdf-*`` folders older versions left in the temporary folder; how many.

    Only folders untouched for ``older_than`` seconds (no render runs that long)
    and owned by this user: another user's, or a render in progress, is left alone.
    """
    removed = 0
    for path in Path(folder or tempfile.gettempdir()).glob(f"{TEMP_PREFIX}*"):
        try:
            info = path.lstat()
        except OSError:
            continue
        if not path.is_dir() or path.is_symlink() or info.st_uid != os.getuid():
            continue
        if time.time() - info.st_mtime < older_than:
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed += 1
    return removed


def _reason(code: int, messages: str, limits: Limits) -> str:
    last = next((line for line in reversed(messages.splitlines()) if line.startswith("FAILED ")), "")
    if code == EXIT_MEMORY:
        return f"needed more than {limits.memory_mb} MB of memory, the limit (setting report.pdf_memory_mb)"
    if code in (-signal.SIGXCPU, -signal.SIGKILL):
        return f"used more than {limits.seconds:g} s of processor time, the limit (setting report.pdf_timeout_seconds)"
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        return (
            f"the PDF renderer crashed ({name}); it may have run out of memory"
            f" (limit {limits.memory_mb} MB, setting report.pdf_memory_mb)"
        )
    if last:
        return last.removeprefix("FAILED ")
    tail = messages.splitlines()[-1] if messages else "no message"
    return f"the PDF renderer stopped with status {code}: {tail[:300]}"
