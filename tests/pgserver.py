"""A throw-away PostgreSQL server for the tests and the benchmark: ``initdb`` and ``pg_ctl`` in a folder of our own.

The cluster lives under the given folder, listens on a free port of 127.0.0.1 (its
Unix socket in that folder too) and asks for a password over TCP (scram-sha-256), so
the store's way of getting one (``BRIEFING_PGPASSWORD``) is tested for real. ``initdb``
refuses to run as root: as root, the server runs as the ``postgres`` user Debian's
package creates (or ``briefing-pg``, made with ``useradd`` when neither exists), and
the folders on the way to the cluster are opened to it (search only).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

SUPERUSER = "briefing"
PASSWORD_ENV = "BRIEFING_PGPASSWORD"


def binaries() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``: on PATH, else Debian's newest ``/usr/lib/postgresql/N/bin``."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(versions[-1]).parent if versions else None


def _server_user() -> str | None:
    """Who runs the server when we are root (None: ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "briefing-pg"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "briefing-pg"],
        check=True,
        capture_output=True,
    )
    return "briefing-pg"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    """A running server; :meth:`database` makes a fresh database on it and returns its URL."""

    bin: Path
    root: Path
    port: int = 0
    password: str = field(default_factory=lambda: secrets.token_hex(12))
    user: str | None = None
    _made: int = 0

    @property
    def data(self) -> Path:
        return self.root / "data"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            check=True,
            capture_output=True,
            text=True,
            user=self.user,
            cwd=self.root,
        )

    def start(self) -> Cluster:
        self.user = _server_user()
        self.root.mkdir(parents=True, exist_ok=True)
        pwfile = self.root / "pw"
        pwfile.write_text(self.password + "\n")
        if self.user is not None:  # the server's user must reach its folder and own it
            entry = pwd.getpwnam(self.user)
            for folder in [self.root, *self.root.parents]:
                if folder == Path("/"):
                    break
                folder.chmod(folder.stat().st_mode | 0o011)
            for path in (self.root, pwfile):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self._run(
            "initdb", "-D", str(self.data), "-U", SUPERUSER, "--pwfile", str(pwfile), "-E", "UTF8", "--locale=C",
            "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync",
        )  # fmt: skip
        pwfile.unlink()
        for _attempt in range(5):  # a port found free may be taken before the server binds it
            self.port = _free_port()
            options = (
                f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
                " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
            )
            try:
                self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start")
                return self
            except subprocess.CalledProcessError:
                continue
        raise RuntimeError(f"the test PostgreSQL server would not start: {(self.root / 'log').read_text()[-2000:]}")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def database(self, name: str | None = None) -> str:
        """A new, empty database; returns its URL (without the password, which is in ``BRIEFING_PGPASSWORD``)."""
        import psycopg

        self._made += 1
        name = name or f"t{self._made}_{secrets.token_hex(3)}"
        with psycopg.connect(self.url(), password=self.password, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextmanager
def throwaway_cluster(bin: Path, prefix: str) -> Iterator[tuple[Cluster, Path]]:
    """A started server in a new folder of its own (not pytest's numbered ones, which another session may
    delete while this one runs), its password in ``BRIEFING_PGPASSWORD``; yields it and the folder, where the
    caller may keep files of its own; stopped and removed after, the variable restored."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    cluster = Cluster(bin, work / "cluster")
    previous = os.environ.get(PASSWORD_ENV)
    try:
        cluster.start()
        os.environ[PASSWORD_ENV] = cluster.password  # as a user sets it; the URL never holds it
        yield cluster, work
    finally:
        from briefing.store.postgres import close_pools

        close_pools()
        cluster.stop()
        shutil.rmtree(work, ignore_errors=True)
        if previous is None:
            os.environ.pop(PASSWORD_ENV, None)
        else:
            os.environ[PASSWORD_ENV] = previous
