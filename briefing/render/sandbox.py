"""The PDF renderer in a child process, with a time limit and a memory limit.

WeasyPrint lays out untrusted text; a pathological article could make it run
for minutes or eat all memory. So the PDF is made by a child Python process
(``python -m briefing.render.pdf_worker``) that limits itself (address space,
CPU seconds, file size, no core dumps) before it reads the page, and that the parent
kills when the wall-clock limit passes. Whatever happens in the child, the
parent gets the PDF bytes or a :class:`PdfRenderError` with a plain reason, and
carries on: the HTML is written either way.

The child is kept warm between PDFs (:class:`WarmRenderer`): starting Python and
WeasyPrint cost more than laying out most briefings. Each PDF still has its time
limit (the parent kills the child) and its processor-time budget; the memory limit
holds for the child's life; a child that failed in any way is replaced.

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

import atexit
import json
import logging
import math
import os
import queue
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.render.pdf_types import PdfOptions
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


MAX_RENDERS = 50
"""A warm renderer is replaced after this many PDFs, so no slow growth of its memory lasts."""


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    pdf: bytes
    reason: str
    log: tuple[str, ...]


class WarmRenderer:
    """One renderer child kept between PDFs, with the same limits as ever, replaced when it fails.

    Starting Python and WeasyPrint costs more than laying out a short briefing, so
    the child stays and renders page after page: each request gets the time limit
    (the parent kills the child when it passes) and its own processor-time budget
    (the child raises its soft ``RLIMIT_CPU`` by that much before each page); the
    memory limit (``RLIMIT_AS``) holds for the child's whole life. A child that hit
    a limit, crashed or answered badly is killed and the next PDF starts a fresh
    one; so is one whose memory limit or folders differ from the next request's.
    One PDF at a time: callers in other threads wait their turn.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._child: subprocess.Popen[bytes] | None = None
        self._key: tuple[int, tuple[str, ...]] | None = None
        self._renders = 0
        self._stderr: deque[str] = deque(maxlen=40)

    def render(self, html: str, asset_dirs: Sequence[Path], limits: Limits, options: PdfOptions) -> bytes:
        with self._lock:
            key = (limits.memory_mb, tuple(str(d) for d in asset_dirs))
            child = self._child
            if child is None or child.poll() is not None or self._key != key or self._renders >= MAX_RENDERS:
                self._stop()
                child = self._start(key, limits)
            self._renders += 1
            try:
                answer = self._ask(child, html, limits, options)
            except BaseException:  # a limit, a crash, Ctrl-C: this child is done
                self._stop()
                raise
            for line in answer.log:
                log.warning("PDF renderer: %s", line)
            if answer.status == 0 and answer.pdf.startswith(b"%PDF"):
                return answer.pdf
            self._stop()
            raise PdfRenderError(_reason(answer.status, answer.reason, limits))

    def close(self) -> None:
        """Stop the warm child (at exit, or to start afresh)."""
        with self._lock:
            self._stop()

    @property
    def pid(self) -> int | None:
        """The warm child's process id, while there is one."""
        child = self._child
        return child.pid if child is not None and child.poll() is None else None

    def _start(self, key: tuple[int, tuple[str, ...]], limits: Limits) -> subprocess.Popen[bytes]:
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
            "--max-renders",
            str(MAX_RENDERS),
            *(f"--asset-dir={d}" for d in key[1]),
        ]
        child = _spawn(command)
        self._child, self._key, self._renders = child, key, 0
        self._stderr.clear()
        threading.Thread(target=self._drain, args=(child,), name="pdf-renderer-stderr", daemon=True).start()
        return child

    def _drain(self, child: subprocess.Popen[bytes]) -> None:
        """Keep the child's last stderr lines: a crash's message."""
        assert child.stderr is not None
        for raw in child.stderr:
            line = raw.decode("utf-8", "replace").rstrip()
            if child is self._child:
                self._stderr.append(line)  # warnings while rendering come back with the answer instead
        child.stderr.close()

    def _ask(self, child: subprocess.Popen[bytes], html: str, limits: Limits, options: PdfOptions) -> _Answer:
        assert child.stdin is not None and child.stdout is not None
        deadline = time.monotonic() + limits.seconds
        page = html.encode("utf-8")
        header = {
            "html": len(page),
            "variant": options.variant,
            "cpu_seconds": math.ceil(limits.seconds) + 1,
            "attachments": [
                {"name": a.name, "size": len(a.data), "description": a.description} for a in options.attachments
            ],
        }
        request = [json.dumps(header).encode("utf-8") + b"\n", page, *(a.data for a in options.attachments)]
        try:
            _send(child.stdin.fileno(), b"".join(request), deadline)
            line = _receive_line(child.stdout.fileno(), deadline)
            answer = json.loads(line)
            pdf = _receive(child.stdout.fileno(), int(answer["size"]), deadline)
        except TimeoutError:
            raise PdfRenderError(
                f"stopped after {limits.seconds:g} s, the time limit (setting report.pdf_timeout_seconds)"
            ) from None
        except (OSError, EOFError, ValueError, KeyError):
            code = _wait_briefly(child)
            last = next((x for x in reversed(self._stderr) if x.startswith("FAILED ")), "")
            tail = last or (self._stderr[-1] if self._stderr else "")
            raise PdfRenderError(_reason(code, tail.removeprefix("FAILED "), limits)) from None
        return _Answer(int(answer["status"]), pdf, str(answer.get("reason", "")), tuple(answer.get("log", ())))

    def _stop(self) -> None:
        child, self._child, self._key = self._child, None, None
        if child is None:
            return
        if child.poll() is None:
            child.kill()
        child.wait()
        for stream in (child.stdin, child.stdout):
            if stream is not None:
                stream.close()


def _send(fd: int, data: bytes, deadline: float) -> None:
    view = memoryview(data)
    while view:
        _wait(fd, deadline, write=True)
        view = view[os.write(fd, view[: 1 << 16]) :]


def _receive_line(fd: int, deadline: float) -> bytes:
    data = bytearray()
    while not data.endswith(b"\n"):
        _wait(fd, deadline)
        data += os.read(fd, 1) or _eof()
    return bytes(data)


def _receive(fd: int, size: int, deadline: float) -> bytes:
    data = bytearray()
    while len(data) < size:
        _wait(fd, deadline)
        data += os.read(fd, min(size - len(data), 1 << 20)) or _eof()
    return bytes(data)


def _eof() -> bytes:
    raise EOFError("the PDF renderer ended")


def _wait(fd: int, deadline: float, write: bool = False) -> None:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    ready = select.select([], [fd], [], left) if write else select.select([fd], [], [], left)
    if not any(ready):
        raise TimeoutError


def _wait_briefly(child: subprocess.Popen[bytes]) -> int:
    """The status of a child that broke off its answer (it is ending); killed if it lingers."""
    try:
        return child.wait(timeout=5)
    except subprocess.TimeoutExpired:
        child.kill()
        return child.wait()


_spawn_requests: queue.Queue[tuple[list[str], queue.Queue[subprocess.Popen[bytes] | BaseException]]] = queue.Queue()
_spawner: threading.Thread | None = None
_spawner_lock = threading.Lock()


def _spawn(command: list[str]) -> subprocess.Popen[bytes]:
    """Start the child from one thread that lives as long as this process.

    The child's tie to its parent (``PR_SET_PDEATHSIG``) fires when the *thread*
    that started it ends: a warm child started by a short-lived thread would die
    with that thread. So every child is started by this one daemon thread.
    """
    global _spawner
    with _spawner_lock:
        if _spawner is None or not _spawner.is_alive():
            _spawner = threading.Thread(target=_spawn_forever, name="pdf-renderer-spawner", daemon=True)
            _spawner.start()
    reply: queue.Queue[subprocess.Popen[bytes] | BaseException] = queue.Queue(maxsize=1)
    _spawn_requests.put((command, reply))
    result = reply.get()
    if isinstance(result, BaseException):
        raise result
    return result


def _spawn_forever() -> None:
    while True:
        command, reply = _spawn_requests.get()
        try:
            child = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=child_environment(),
                start_new_session=True,  # a terminal's Ctrl-C goes to the parent, which then stops the child
            )
        except BaseException as exc:
            reply.put(exc)
        else:
            reply.put(child)


_renderer = WarmRenderer()
atexit.register(_renderer.close)


def render_pdf(
    html: str, asset_dirs: Sequence[Path], limits: Limits = Limits(), options: PdfOptions | None = None
) -> bytes:
    """The PDF of ``html``, made by the warm limited child; :class:`PdfRenderError` when it fails."""
    return _renderer.render(html, asset_dirs, limits, options or PdfOptions())


def warm_renderer() -> WarmRenderer:
    """The process's one renderer (tests look at its child)."""
    return _renderer


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


def _reason(code: int, reason: str, limits: Limits) -> str:
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
    if reason:
        return reason
    return f"the PDF renderer stopped with status {code}"
