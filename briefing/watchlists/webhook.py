"""The webhook transport: an alert's JSON body POSTed to the watchlist's http(s) address.

It has the outbox's connection shape (``send(sender, recipient, message, on_transmit)``,
the recipient being the URL), so alerts to webhooks are claimed, retried with backoff
and recovered exactly as e-mails are (:mod:`briefing.deliver.outbox`). Every failure is
a :class:`~briefing.deliver.smtp.DeliveryError` of the same kinds:

- ``transient``: no connection, a timeout or reset before the request went out whole,
  or a reply that asks to try later (408, 425, 429, 500, 502, 503, 504). Retried.
- ``permanent``: any other 4xx or 5xx reply, a redirect that is not followed. Not retried.
- ``unknown``: the request went out whole and no reply came (a timeout, a closed
  connection). The receiver may have it, so it is not posted again (at most one copy).

Redirects: only 307 and 308 (which keep the method and body) are followed, at most
:data:`MAX_REDIRECTS` times, and only to http(s) addresses; a redirect elsewhere
(``file:``, ``ftp:`` ...) is refused and never followed. No proxy is used; HTTPS
certificates and host names are verified.
"""

from __future__ import annotations

import http.client
import ssl
from collections.abc import Callable
from types import TracebackType
from urllib.parse import urljoin, urlsplit

from briefing import __version__
from briefing.deliver.smtp import DeliveryError, ErrorKind
from briefing.printable import printable

MAX_REDIRECTS = 3
RETRY_LATER = frozenset({408, 425, 429, 500, 502, 503, 504})
"""Replies that mean "not now": the POST is tried again after the outbox's backoff."""
MAX_REPLY_BYTES = 4096


class WebhookConnection:
    """Posts each message on a connection of its own; used as the outbox's ``connect()`` context."""

    def __init__(self, timeout: float = 30.0, context: ssl.SSLContext | None = None) -> None:
        self.timeout = timeout
        self.context = context or ssl.create_default_context()

    def __enter__(self) -> WebhookConnection:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        return None

    def send(self, sender: str, recipient: str, message: bytes, on_transmit: Callable[[], None]) -> str:
        """POST ``message`` (JSON) to the URL ``recipient``; the server's status line, or :class:`DeliveryError`."""
        url = recipient
        for _ in range(MAX_REDIRECTS + 1):
            status, reason, location = self._post(url, message, on_transmit)
            if 200 <= status < 300:
                return f"{status} {reason}".strip()
            if status in (307, 308) and location:
                target = urljoin(url, location)
                if urlsplit(target).scheme.lower() not in ("http", "https"):
                    raise DeliveryError(
                        "permanent",
                        f"{status}: redirected to a non-http(s) address ({printable(target[:200])}); not followed",
                        status,
                    )
                url = target
                continue
            if 300 <= status < 400:
                raise DeliveryError(
                    "permanent", f"{status} {reason}: redirected; set the webhook to the address it points to", status
                )
            kind: ErrorKind = "transient" if status in RETRY_LATER else "permanent"
            raise DeliveryError(kind, f"{status} {reason}".strip(), status)
        raise DeliveryError("permanent", f"more than {MAX_REDIRECTS} redirects")

    def _post(self, url: str, body: bytes, on_transmit: Callable[[], None]) -> tuple[int, str, str | None]:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            raise DeliveryError("permanent", "the webhook must be an http(s) address")
        try:
            port = parts.port
        except ValueError:
            raise DeliveryError("permanent", "the webhook's port is not a number") from None
        connection: http.client.HTTPConnection
        if scheme == "https":
            connection = http.client.HTTPSConnection(parts.hostname, port, timeout=self.timeout, context=self.context)
        else:
            connection = http.client.HTTPConnection(parts.hostname, port, timeout=self.timeout)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            try:
                connection.connect()
            except (OSError, ssl.SSLError) as exc:
                failure: ErrorKind = "permanent" if isinstance(exc, ssl.SSLCertVerificationError) else "transient"
                raise DeliveryError(failure, f"could not connect to the webhook: {exc}", connection=True) from None
            on_transmit()  # from here the receiver may get the alert: a crash now is not retried
            try:
                connection.request(
                    "POST",
                    path,
                    body=body,
                    headers={
                        "Content-Type": "application/json; charset=utf-8",
                        "User-Agent": f"briefing/{__version__}",
                        "Accept": "*/*",
                    },
                )
            except OSError as exc:  # the request did not go out whole: the receiver has no alert
                raise DeliveryError("transient", f"the connection failed while posting: {exc}") from None
            try:
                response = connection.getresponse()
                response.read(MAX_REPLY_BYTES)
            except (OSError, http.client.HTTPException) as exc:
                raise DeliveryError(
                    "unknown", f"no reply after the alert was posted ({exc or type(exc).__name__}); it may have arrived"
                ) from None
            return response.status, printable(response.reason or "")[:200], response.getheader("Location")
        finally:
            connection.close()
