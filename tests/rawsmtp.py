"""A raw-socket SMTP server on 127.0.0.1 that drops connections at chosen points of DATA.

aiosmtpd reads a whole message before its handler runs, so it cannot stop in the
middle of one; this server reads the message content itself. Each connection
follows the next entry of ``plan``:

- ``("lines", N)``: after ``354``, read N lines of the message and close, leaving the
  rest unread (the kernel then resets the connection, as a crashed or impatient server's does);
- ``("lines-late", N)``: the same, but close half a second later, when the client has sent the final ``.``
  and waits for the reply (which then meets the reset);
- ``("after-dot", 0)``: read the whole message through the final ``.`` and close without a reply;
- ``("accept", 0)`` (also once the plan runs out): accept and record the message.

The receive buffer is large, so a digest fits in the socket buffers whole: the client's
``sendall`` succeeds and the drop shows only when it reads the reply.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

Step = tuple[str, int]


@dataclass
class RawServer:
    host: str
    port: int
    plan: list[Step]
    received: list[bytes] = field(default_factory=list)
    connections: int = 0
    content_lines_read: list[int] = field(default_factory=list)


def _read_line(conn: socket.socket) -> bytes:
    """One line, byte by byte, so nothing after it is taken out of the kernel's buffer."""
    line = bytearray()
    while not line.endswith(b"\n"):
        byte = conn.recv(1)
        if not byte:
            break
        line += byte
    return bytes(line)


def _serve(server: RawServer, conn: socket.socket) -> None:
    step = server.plan.pop(0) if server.plan else ("accept", 0)
    conn.sendall(b"220 raw.test ESMTP\r\n")
    while True:
        command = _read_line(conn).strip().upper()
        if not command:
            return
        if command.startswith((b"EHLO", b"HELO")):
            conn.sendall(b"250-raw.test\r\n250 8BITMIME\r\n")
        elif command.startswith((b"MAIL", b"RCPT", b"RSET", b"NOOP")):
            conn.sendall(b"250 OK\r\n")
        elif command == b"QUIT":
            conn.sendall(b"221 bye\r\n")
            return
        elif command == b"DATA":
            conn.sendall(b"354 go ahead\r\n")
            kind, count = step
            lines: list[bytes] = []
            while not kind.startswith("lines") or len(lines) < count:
                line = _read_line(conn)
                if not line or line == b".\r\n":
                    break
                lines.append(line)
            server.content_lines_read.append(len(lines))
            if kind == "lines-late":
                time.sleep(0.5)
            if kind in ("lines", "lines-late", "after-dot"):
                return  # closed by the caller: unread data makes the kernel send a reset
            server.received.append(b"".join(lines))
            conn.sendall(b"250 2.0.0 queued\r\n")
        else:
            conn.sendall(b"502 not implemented\r\n")


@contextmanager
def raw_smtp_server(plan: list[Step]) -> Iterator[RawServer]:
    """A running server following ``plan``, one entry per connection."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)  # inherited by accepted sockets
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    server = RawServer("127.0.0.1", listener.getsockname()[1], list(plan))
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            server.connections += 1
            conn.settimeout(10)
            try:
                _serve(server, conn)
            except OSError:
                pass
            finally:
                conn.close()

    thread = threading.Thread(target=loop, name="raw-smtp", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()
