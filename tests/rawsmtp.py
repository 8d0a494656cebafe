"""A raw-socket SMTP server on 127.0.0.1 that drops connections at chosen points of DATA.

aiosmtpd reads a whole message before its handler runs, so it cannot stop in the
middle of one; this server reads the message content itself. Each connection
follows the next entry of ``plan``:

- ``("lines", N)``: after ``354``, read N lines of the message and close, leaving the
  rest unread (the kernel then resets the connection, as a crashed or impatient server's does);
- ``("lines-late", N)``: the same, but close half a second later, when the client has sent the final ``.``
  and waits for the reply (which then meets the reset);
- ``("stall", N)``: read N lines, then stop reading (the client's ``sendall`` of a message larger than
  the buffers blocks) until ``release`` is set, and close;
- ``("after-dot", 0)``: read the whole message through the final ``.`` and close without a reply;
- ``("accept", 0)`` (also once the plan runs out): accept and record the message.

The receive buffer is large (``rcvbuf``), so a digest fits in the socket buffers whole: the client's
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
    stopping: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)  # a stalled connection is let go


def _read_line(conn: socket.socket) -> bytes:
    """One line, byte by byte, so nothing after it is taken out of the kernel's buffer."""
    line = bytearray()
    while not line.endswith(b"\n"):
        byte = conn.recv(1)
        if not byte:
            break
        line += byte
    return bytes(line)


def _read_message(conn: socket.socket) -> bytes:
    """The content of DATA up to the final ``.`` line (which is left out), read in large chunks."""
    data = bytearray()
    while not data.endswith(b"\r\n.\r\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return bytes(data[:-3])


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
            if kind == "accept" or kind == "after-dot":
                message = _read_message(conn)
                server.content_lines_read.append(message.count(b"\n"))
                if kind == "after-dot":
                    return  # closed by the caller, everything read: a clean close, no reset
                server.received.append(message)
                conn.sendall(b"250 2.0.0 queued\r\n")
                continue
            lines = [_read_line(conn) for _ in range(count)]
            server.content_lines_read.append(len(lines))
            if kind == "lines-late":
                time.sleep(0.5)
            while kind == "stall" and not server.release.wait(0.05) and not server.stopping.is_set():
                pass
            return  # closed by the caller: unread data makes the kernel send a reset
        else:
            conn.sendall(b"502 not implemented\r\n")


@contextmanager
def raw_smtp_server(plan: list[Step], rcvbuf: int = 4 * 1024 * 1024) -> Iterator[RawServer]:
    """A running server following ``plan``, one entry per connection."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)  # inherited by accepted sockets
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    server = RawServer("127.0.0.1", listener.getsockname()[1], list(plan))
    stop = server.stopping

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
