"""The PDF renderer in a child process, with a time limit and a memory limit.

WeasyPrint lays out untrusted text; a pathological article could make it run
for minutes or eat all memory. So the PDF is made by a child Python process
(``python -m briefing.render.pdf_worker``) that limits itself (address space,
CPU seconds, file size, no core dumps) before it reads the page, and that the parent
kills when the wall-clock limit passes. Whatever happens in the child, the
parent gets the PDF bytes or a :class:`PdfRenderError` with a plain reason, and
carries on: the HTML is written either way.

The HTML goes to the child as a file and the PDF comes back as a file, both in
a private temporary folder; the child's log (refused URLs, warnings) is passed
on to this process's log.
"""

from __future__ import annotations

import logging
import math
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
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


def render_pdf(html: str, asset_dirs: Sequence[Path], limits: Limits = Limits()) -> bytes:
    """The PDF of ``html``, made in a limited child process; :class:`PdfRenderError` when it fails."""
    with tempfile.TemporaryDirectory(prefix="briefing-pdf-") as work:
        source, target = Path(work) / "page.html", Path(work) / "page.pdf"
        source.write_text(html, encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "briefing.render.pdf_worker",
            "--html",
            str(source),
            "--out",
            str(target),
            "--memory-mb",
            str(limits.memory_mb),
            "--cpu-seconds",
            str(math.ceil(limits.seconds) + 1),
            *(f"--asset-dir={d}" for d in asset_dirs),
        ]
        child = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # a terminal's Ctrl-C goes to the parent, which then stops the child
        )
        try:
            _, err = child.communicate(timeout=limits.seconds)
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
        if child.returncode == 0 and target.is_file():
            return target.read_bytes()
        raise PdfRenderError(_reason(child.returncode, messages, limits))


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
