"""What keeps the web view safe by default: the access token, the headers, CSRF and the reports folder.

- Bound to a loopback address it may run without a token; any other address needs one
  (:func:`check_bind`), and then every request without it is answered 401.
- Every response forbids scripts and remote loads (``CONTENT_SECURITY_POLICY``), framing and sniffing.
- A POST must carry the CSRF token of the form the server rendered (:class:`Csrf`).
- Files are served only from inside ``reports/``: no ``..``, no hidden names, no symbolic
  link anywhere on the way, nothing but ``.html`` and ``.pdf`` (:func:`report_file`).
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self';"
    " frame-ancestors 'none'; base-uri 'none'"
)
"""No script at all, nothing fetched from elsewhere: only inline styles, our own and inline images, forms to us."""

TOKEN_COOKIE = "briefing_token"
SERVED_SUFFIXES = frozenset({".html", ".pdf"})


class UnsafeBind(ValueError):
    """A non-loopback address without an access token."""


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and every loopback address (127.0.0.0/8, ``::1``)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def check_bind(host: str, token: str | None) -> None:
    """Refuse to listen on anything but loopback without a token."""
    if not is_loopback(host) and not token:
        raise UnsafeBind(
            f"serving on {host} lets other machines in: set serve.token (or BRIEFING_SERVE__TOKEN), or bind 127.0.0.1"
        )


class Csrf:
    """The token every form carries and every POST must return: made from a secret of this server process."""

    def __init__(self, secret: bytes | None = None) -> None:
        self._secret = secret or secrets.token_bytes(32)

    @property
    def token(self) -> str:
        return hmac.new(self._secret, b"briefing-csrf", "sha256").hexdigest()

    def valid(self, value: object) -> bool:
        return isinstance(value, str) and hmac.compare_digest(value.encode(), self.token.encode())


class Guard:
    """ASGI middleware: the token check (when there is a token) and the safety headers on every response."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        set_cookie = False
        if self.token:
            given = _presented_token(scope)
            if given is None or not hmac.compare_digest(given[0].encode(), self.token.encode()):
                await _plain(send, 401, b"401: this briefing server needs its access token\n")
                return
            set_cookie = given[1] == "query"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += _SAFETY_HEADERS
                if set_cookie and self.token:
                    cookie = f"{TOKEN_COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
                    headers.append((b"set-cookie", cookie.encode("latin-1")))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


_SAFETY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


def _presented_token(scope: Scope) -> tuple[str, str] | None:
    """The token a request carries and where: the Authorization header, the cookie, or ``?token=``."""
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip(), "header"
    if "cookie" in headers:
        cookie: SimpleCookie = SimpleCookie()
        try:
            cookie.load(headers["cookie"])
        except Exception:  # a malformed cookie header is no token
            cookie = SimpleCookie()
        if TOKEN_COOKIE in cookie:
            return cookie[TOKEN_COOKIE].value, "cookie"
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if query.get("token"):
        return query["token"][0], "query"
    return None


async def _plain(send: Send, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"text/plain; charset=utf-8"), *_SAFETY_HEADERS]
    headers.append((b"www-authenticate", b'Bearer realm="briefing"'))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def report_file(reports_dir: Path, relative: str) -> Path | None:
    """The file ``relative`` names inside ``reports_dir``, or None when it could lead anywhere else.

    Refused: an empty or absolute name, a backslash or NUL, any ``.`` or ``..`` part or
    hidden name (the locks and half-written parts are hidden), a symbolic link at any
    level, a suffix other than ``.html`` or ``.pdf``, and whatever does not resolve to a
    regular file under the reports folder.
    """
    if not relative or "\\" in relative or "\x00" in relative or relative.startswith("/"):
        return None
    parts = relative.split("/")
    if any(not part or part.startswith(".") for part in parts):
        return None
    root = reports_dir.resolve()
    path = root
    for part in parts:
        path = path / part
        if path.is_symlink():
            return None
    if path.suffix.lower() not in SERVED_SUFFIXES:
        return None
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if resolved != path or not resolved.is_relative_to(root) or not resolved.is_file():
        return None
    return resolved
