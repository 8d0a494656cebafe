"""The warm PDF renderer: one child kept between PDFs, still under its limits, replaced when it fails."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from briefing.render.sandbox import Limits, PdfRenderError, render_pdf, warm_renderer
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")

ASSETS = [ROOT / "templates"]
PAGE = "<html lang='en'><body>" + "<p>Harbour plan goes to a council vote.</p>" * 200 + "</body></html>"
LIMITS = Limits(seconds=60, memory_mb=1024)


def limit(pid: int, name: str) -> tuple[str, str]:
    """The soft and hard values of a limit of a live process, as /proc shows them."""
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith(name):
            soft, hard = line[len(name) :].split()[:2]
            return soft, hard
    raise AssertionError(f"no {name} in /proc/{pid}/limits")


def cpu_used(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_one_child_renders_page_after_page_within_its_limits() -> None:
    assert render_pdf(PAGE, ASSETS, LIMITS).startswith(b"%PDF")
    pid = warm_renderer().pid
    assert pid is not None
    for _ in range(3):
        assert render_pdf(PAGE, ASSETS, LIMITS).startswith(b"%PDF")
        assert warm_renderer().pid == pid  # the same child: no new start-up
    assert limit(pid, "Max address space") == (str(1024 * 1024 * 1024),) * 2  # its memory limit holds for life
    soft, _ = limit(pid, "Max cpu time")
    # Each request's processor-time budget counts from what the child has used so far.
    assert cpu_used(pid) < int(soft) <= cpu_used(pid) + LIMITS.seconds + 3


def test_a_child_killed_while_idle_is_replaced() -> None:
    render_pdf(PAGE, ASSETS, LIMITS)
    pid = warm_renderer().pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    assert render_pdf(PAGE, ASSETS, LIMITS).startswith(b"%PDF")
    assert warm_renderer().pid not in (None, pid)


def test_a_child_over_its_time_limit_is_killed_and_the_next_pdf_gets_a_fresh_one() -> None:
    render_pdf(PAGE, ASSETS, LIMITS)
    before = warm_renderer().pid
    huge = (
        "<html lang='en'><body>" + "<table>" + "<tr><td>cell</td><td>cell</td></tr>" * 20000 + "</table></body></html>"
    )
    with pytest.raises(PdfRenderError, match="time limit"):
        render_pdf(huge, ASSETS, Limits(seconds=0.5, memory_mb=1024))
    assert warm_renderer().pid is None
    assert (before is not None and not Path(f"/proc/{before}").exists()) or _zombie(before)  # type: ignore[arg-type]
    assert render_pdf(PAGE, ASSETS, LIMITS).startswith(b"%PDF")


def test_other_limits_get_their_own_child() -> None:
    render_pdf(PAGE, ASSETS, LIMITS)
    first = warm_renderer().pid
    render_pdf(PAGE, ASSETS, Limits(seconds=60, memory_mb=900))
    second = warm_renderer().pid
    assert second not in (None, first)
    assert limit(second, "Max address space")[0] == str(900 * 1024 * 1024)  # type: ignore[arg-type]


def test_a_child_started_by_a_thread_outlives_the_thread() -> None:
    warm_renderer().close()
    done: list[bytes] = []
    worker = threading.Thread(target=lambda: done.append(render_pdf(PAGE, ASSETS, LIMITS)))
    worker.start()
    worker.join()
    pid = warm_renderer().pid
    assert done and pid is not None
    time.sleep(0.5)  # the kernel's parent-death signal would have fired by now, had the thread started it
    assert warm_renderer().pid == pid
    render_pdf(PAGE, ASSETS, LIMITS)
    assert warm_renderer().pid == pid


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True
