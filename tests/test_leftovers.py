"""What a briefing stopped half-way leaves behind (issue 22, point 8), and what its PDF child inherits (13a).

Real processes throughout: ``briefing generate`` is SIGKILLed while its PDF
child is at work, a write runs into a real file-size limit, and the PDF
child's environment is read from ``/proc`` while it runs.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from briefing.render.sandbox import Limits, render_pdf
from tests.conftest import ROOT, SEED

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")


def children_running(parent: int, module: str = "briefing.render.pdf_worker") -> list[int]:
    """The live (not zombie) processes whose parent is ``parent`` and whose command line names ``module``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z" and int(fields[1]) == parent and module in cmdline:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(check: Callable[[], object], timeout: float, what: str) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def cli_env(project: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    (project / "tmp").mkdir(exist_ok=True)
    env.update(BRIEFING_TIMEZONE="Europe/London", TMPDIR=str(project / "tmp"), PYTHONPATH=str(ROOT))
    return env


def visible_files(reports: Path) -> list[str]:
    """The briefing files a reader (or the archive) sees in the dated folders."""
    return sorted(p.name for p in reports.glob("*/*") if not p.name.startswith("."))


def test_a_generate_killed_during_the_pdf_leaves_no_half_briefing_and_its_child_dies_with_it(project: Path) -> None:
    (project / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    env = cli_env(project)
    subprocess.run([sys.executable, "-m", "briefing", "ingest"], cwd=project, env=env, check=True, timeout=300)
    reports = project / "reports"

    generate = subprocess.Popen(
        [sys.executable, "-m", "briefing", "generate", "--no-ingest"],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        [child] = wait_for(lambda: children_running(generate.pid), 120, "the PDF child")  # type: ignore[misc]
        os.kill(generate.pid, signal.SIGKILL)  # the parent dies while the child renders
        generate.wait(timeout=10)
        deadline = time.monotonic() + 2
        while alive(child) and time.monotonic() < deadline:
            time.sleep(0.01)
        still_running = alive(child)
    finally:
        generate.kill()
    try:
        assert not still_running, "the PDF child kept running after its parent was killed"
    finally:
        if alive(child):
            os.kill(child, signal.SIGKILL)

    # No dated file, no temporary folder holding the briefing's text.
    assert visible_files(reports) == []
    assert not list((project / "tmp").glob("briefing-pdf-*"))
    with sqlite3.connect(project / ".briefing" / "state.db") as db:
        assert db.execute("SELECT COUNT(*) FROM briefings").fetchone()[0] == 0
    assert not (reports / "latest.html").exists()

    # The next briefing sweeps what the killed one left, and is complete and recorded.
    subprocess.run(
        [sys.executable, "-m", "briefing", "generate", "--no-ingest"], cwd=project, env=env, check=True, timeout=300
    )
    assert [p.name for p in reports.glob("*/.*")] == []
    [html, pdf] = visible_files(reports)
    assert html.endswith(".html") and pdf.endswith(".pdf") and html[:-5] == pdf[:-4]
    with sqlite3.connect(project / ".briefing" / "state.db") as db:
        [(html_path, pdf_path)] = db.execute("SELECT html_path, pdf_path FROM briefings").fetchall()
    assert Path(html_path).name == html and Path(pdf_path).name == pdf
    assert (reports / "latest.pdf").read_bytes() == (project / pdf_path).read_bytes()


FULL_DISK = textwrap.dedent(
    """
    import resource, signal, sys
    from pathlib import Path
    from briefing.render import render_briefing
    from tests.briefings import make_briefing

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, like a full disk
    briefing = make_briefing(stories=40, points=6)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))
    try:
        render_briefing(briefing, Path(sys.argv[1]), formats=(".html",))
    except OSError as exc:
        print("failed:", exc.strerror)
    else:
        print("written")
    """
)


def test_a_write_that_fails_for_lack_of_space_leaves_no_empty_briefing(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    done = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(reports)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.stdout.startswith("failed:"), done.stdout + done.stderr
    assert visible_files(reports) == []  # was: a 0-byte briefing-0700.html
    assert [p.name for p in reports.rglob(".*")] in ([], [".latest.lock"])


def test_old_temporary_folders_are_swept_and_fresh_ones_left(tmp_path: Path) -> None:
    from briefing.render.sandbox import sweep_temp_folders

    old, fresh = tmp_path / "briefing-pdf-old", tmp_path / "briefing-pdf-fresh"
    for folder in (old, fresh):
        folder.mkdir()
        (folder / "page.html").write_text("the whole briefing", encoding="utf-8")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    assert sweep_temp_folders(tmp_path) == 1
    assert not old.exists() and (fresh / "page.html").exists()


def test_the_pdf_renderer_gets_no_secret_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_SMTP_PASSWORD", "hunter2-smtp")
    monkeypatch.setenv("MY_MAIL_SECRET", "hunter2-other")  # email.password_env may name any variable
    html = "<html><body>" + "<p>Harbour plan goes to a council vote.</p>" * 2000 + "</body></html>"
    environments: list[bytes] = []

    def spy() -> None:
        pids = wait_for(lambda: children_running(os.getpid()), 60, "the PDF child")
        environments.append(Path(f"/proc/{pids[0]}/environ").read_bytes())  # type: ignore[index]

    watcher = threading.Thread(target=spy)
    watcher.start()
    pdf = render_pdf(html, [ROOT / "templates"], Limits(seconds=120))
    watcher.join()
    assert pdf.startswith(b"%PDF")
    [environ] = environments
    assert b"PATH=" in environ  # it is the child's real environment
    assert b"hunter2" not in environ and b"BRIEFING_SMTP_PASSWORD" not in environ


WITHHELD = textwrap.dedent(
    """
    import multiprocessing, os, sys
    from briefing.cli import main
    from briefing.config import load_settings
    from briefing.deliver.send import smtp_config

    def report(queue):
        queue.put(sorted(v for v in os.environ.values() if "hunter2" in v))

    if __name__ == "__main__":
        assert main(["status"]) == 0
        context = multiprocessing.get_context(sys.argv[1])
        queue = context.Queue()
        child = context.Process(target=report, args=(queue,))
        child.start()
        print("child sees:", queue.get(timeout=60))
        child.join()
        settings = load_settings(overrides={"email.username": "bot"})
        print("smtp gets:", smtp_config(settings).password)
    """
)


@pytest.mark.parametrize("start", ["forkserver", "spawn"])
def test_no_child_of_the_command_line_inherits_the_smtp_password(project: Path, start: str) -> None:
    script = project / "withheld.py"
    script.write_text(WITHHELD, encoding="utf-8")
    env = cli_env(project) | {"BRIEFING_SMTP_PASSWORD": "hunter2-smtp"}
    done = subprocess.run(
        [sys.executable, str(script), start], cwd=project, env=env, capture_output=True, text=True, timeout=300
    )
    assert "child sees: []" in done.stdout, done.stdout + done.stderr  # was: ['hunter2-smtp']
    assert "smtp gets: hunter2-smtp" in done.stdout  # sending still has it


def test_a_service_killed_during_a_scheduled_pdf_leaves_nothing_and_the_next_start_sweeps(project: Path) -> None:
    (project / "briefing.toml").write_text(
        'timezone = "Europe/London"\n[schedules.minutely]\ncron = "* * * * *"\n', encoding="utf-8"
    )
    (project / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    env = cli_env(project)
    reports = project / "reports"
    log = (project / "service.log").open("ab")
    service = subprocess.Popen([sys.executable, "-m", "briefing", "run"], cwd=project, env=env, stdout=log, stderr=log)
    try:
        [child] = wait_for(lambda: children_running(service.pid), 150, "the scheduled PDF")  # type: ignore[misc]
        os.kill(service.pid, signal.SIGKILL)
        service.wait(timeout=10)
        deadline = time.monotonic() + 2
        while alive(child) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not alive(child), "the PDF child kept running after the service was killed"
    finally:
        service.kill()
        service.wait()
    assert visible_files(reports) == []
    assert not list((project / "tmp").glob("briefing-pdf-*"))
    left = {(p.name, p.stat().st_ino) for p in reports.glob("*/.briefing-*")}
    assert left  # the hidden parts of the briefing that was killed

    restarted = subprocess.Popen(
        [sys.executable, "-m", "briefing", "run"], cwd=project, env=env, stdout=log, stderr=log
    )
    try:

        def swept() -> bool:
            now = set()
            for p in reports.glob("*/.briefing-*"):
                try:
                    now.add((p.name, p.stat().st_ino))
                except FileNotFoundError:
                    continue
            return not (left & now)

        wait_for(swept, 60, "the restarted service to sweep the leftovers")
    finally:
        restarted.send_signal(signal.SIGTERM)
        restarted.wait(timeout=60)
        log.close()


def test_names_are_still_claimed_on_a_file_system_without_hard_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from briefing.render import render_briefing
    from tests.briefings import make_briefing

    def no_links(*_: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")  # what FAT or some network shares answer

    monkeypatch.setattr(os, "link", no_links)
    reports = tmp_path / "reports"
    first = render_briefing(make_briefing(stories=1), reports, formats=(".html",))
    second = render_briefing(make_briefing(stories=2), reports, formats=(".html",))
    assert [first.html_path.name, second.html_path.name] == ["briefing-0700.html", "briefing-0700-2.html"]  # type: ignore[union-attr]
    assert visible_files(reports) == ["briefing-0700-2.html", "briefing-0700.html"]
    assert [p.name for p in reports.glob("*/.*")] == []
