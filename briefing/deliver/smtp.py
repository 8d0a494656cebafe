"""The SMTP transport: TLS rules, login, one message per transaction, and error classification.

TLS: ``starttls`` upgrades the connection before anything else is said, and a
server that does not offer STARTTLS is refused (no silent fall back to clear
text); ``tls`` speaks TLS from the first byte. Certificates and host names are
verified unless ``verify`` is off; ``ca_file`` replaces the system's CAs. The
login happens only after TLS is up, so an untrusted certificate stops the
attempt before any credential leaves. The password lives only in
:class:`SmtpConfig` (hidden from ``repr``) and is never logged; smtplib's debug
output, which would print it, is never turned on.

Every failure becomes a :class:`DeliveryError` of one kind:

- ``transient``: a 4xx reply, a refused or lost connection, a timeout. Retried later.
- ``permanent``: a 5xx reply, an untrusted certificate, no STARTTLS, a rejected login. Not retried.
- ``unknown``: the connection was lost after the whole message and its final
  ``.`` were sent, before the server answered. The server may have accepted it,
  so it is not retried (at most one copy per recipient).

Where a lost connection falls matters: DATA has no acknowledgement before the
end, and a small message fits in the socket buffers, so ``sendall`` succeeds
even when the server stops reading after 20 lines; the loss shows only when the
reply is read. So the content is sent first and the final ``.`` held back until
the connection is seen still open (no close, reset or early reply waiting); a
connection lost until then is ``transient``. After the ``.``, a reset by the peer
is ``transient`` too: TCP resets when data reaches an application that closed
without reading it, and the ``.`` is the last byte sent, so the server never read
it. A clean close or a timeout after the ``.`` is ``unknown``. (A middlebox that
resets an idle connection while the server is still thinking is the one case
this reads wrongly; it would give a second copy rather than none.)
"""

from __future__ import annotations

import logging
import re
import selectors
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Literal

log = logging.getLogger(__name__)

ErrorKind = Literal["transient", "permanent", "unknown"]


class DeliveryError(Exception):
    """Why a message (or a whole connection) did not go through, and whether to try again."""

    def __init__(self, kind: ErrorKind, reason: str, code: int | None = None, *, connection: bool = False) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason
        self.code = code
        self.connection = connection  # the connection is gone: later messages need a new one


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    """Where and how to connect. ``password`` is excluded from ``repr`` so it never reaches a log."""

    host: str
    port: int
    security: Literal["starttls", "tls", "none"] = "starttls"
    verify: bool = True
    ca_file: Path | None = None
    timeout: float = 30.0
    username: str | None = None
    password: str | None = field(default=None, repr=False)


def tls_context(config: SmtpConfig) -> ssl.SSLContext:
    """A client context: TLS 1.2 or newer, certificate and host name checked unless ``verify`` is off."""
    try:
        context = ssl.create_default_context(cafile=str(config.ca_file) if config.ca_file else None)
    except (OSError, ssl.SSLError) as exc:
        raise DeliveryError("permanent", f"email.ca_file {config.ca_file} cannot be used: {_describe(exc)}") from None
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if not config.verify:
        log.warning("TLS certificate verification is off for %s (email.verify = false)", config.host)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


class SmtpConnection:
    """One logged-in SMTP session; use as a context manager, then :meth:`send` each message."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpConnection:
        self.open()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def open(self) -> None:
        """Connect, secure and log in, or raise a :class:`DeliveryError` (``connection=True``)."""
        config = self.config
        try:
            self._smtp = self._connect()
            if config.username:
                self._login()
        except DeliveryError:
            self.close()
            raise
        except ssl.SSLCertVerificationError as exc:
            self.close()
            raise DeliveryError(
                "permanent",
                f"the certificate of {config.host} is not trusted ({exc.verify_message});"
                " set email.ca_file to the CA that signed it",
                connection=True,
            ) from None
        except (ssl.SSLEOFError, ssl.SSLZeroReturnError) as exc:  # the connection dropped mid-handshake
            self.close()
            raise DeliveryError(
                "transient", f"connection to {config.host} lost during TLS: {_describe(exc)}", connection=True
            ) from None
        except ssl.SSLError as exc:
            self.close()
            raise DeliveryError(
                "permanent", f"TLS with {config.host} failed: {exc.reason or exc}", connection=True
            ) from None
        except smtplib.SMTPResponseException as exc:
            self.close()
            raise _reply_error("connecting", exc.smtp_code, exc.smtp_error, connection=True) from None
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise DeliveryError(
                "transient", f"cannot reach {config.host}:{config.port}: {_describe(exc)}", connection=True
            ) from None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        smtp: smtplib.SMTP
        # The host goes to the constructor (which connects): smtplib checks the certificate against it.
        if config.security == "tls":
            smtp = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout, context=tls_context(config))
        else:
            smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        self._smtp = smtp
        smtp.set_debuglevel(0)  # smtplib's debug output would print the AUTH exchange
        smtp.ehlo()
        if config.security == "starttls":
            if not smtp.has_extn("starttls"):
                raise DeliveryError(
                    "permanent",
                    f"{config.host} does not offer STARTTLS; refusing to continue in clear text",
                    connection=True,
                )
            code, reply = smtp.starttls(context=tls_context(config))
            if code != 220:
                raise _reply_error("STARTTLS", code, reply, connection=True)
            smtp.ehlo()
        return smtp

    def _login(self) -> None:
        smtp, config = self._smtp, self.config
        assert smtp is not None and config.username
        if not smtp.has_extn("auth"):
            raise DeliveryError(
                "permanent", f"{config.host} does not offer AUTH but email.username is set", connection=True
            )
        try:
            smtp.login(config.username, config.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise _reply_error("login", exc.smtp_code, exc.smtp_error, connection=True) from None
        except smtplib.SMTPServerDisconnected:
            raise  # a lost connection: transient, as open() classifies it
        except smtplib.SMTPException as exc:  # e.g. no AUTH mechanism in common
            raise DeliveryError(
                "permanent", f"login to {config.host} failed: {_describe(exc)}", connection=True
            ) from None

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    def send(self, sender: str, recipient: str, message: bytes, on_transmit: Callable[[], None]) -> str:
        """One transaction: MAIL, RCPT, DATA. ``on_transmit`` runs just before the final "." goes out (from then
        on the outcome may be unknown; a loss before it never delivers). Returns the server's acceptance reply."""
        smtp = self._smtp
        if smtp is None:
            raise DeliveryError("transient", "not connected", connection=True)
        try:
            steps: tuple[tuple[str, Callable[[], tuple[int, bytes]], tuple[int, ...]], ...] = (
                ("MAIL FROM", lambda: smtp.mail(sender), (250,)),
                ("RCPT TO", lambda: smtp.rcpt(recipient), (250, 251)),
                ("DATA", lambda: smtp.docmd("DATA"), (354,)),
            )
            for command, call, accepted in steps:
                code, reply = call()
                if code not in accepted:
                    self._reset()
                    raise _reply_error(command, code, reply)
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            raise DeliveryError(
                "transient", f"connection lost before sending: {_describe(exc)}", connection=True
            ) from None
        content, end = _dot_stuffed(message), END_OF_DATA
        try:
            # The content first, the final "." held back until the connection is seen still open: a server
            # that already hung up or answered cannot take the end of the message, which is then not sent.
            smtp.send(content)
            early = _already_answered(smtp)
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            raise _lost_before_the_end(exc) from None
        if early:
            self._early_reply(smtp)
        on_transmit()
        try:
            smtp.send(end)
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            raise _lost_before_the_end(exc) from None
        try:
            code, reply = smtp.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            if _was_reset(exc):
                # A reset answers data its receiver had not read (RFC 1122 4.2.2.13: a close with unread data,
                # or data for a closed connection). The final "." is the last byte sent, so the server never
                # read it and cannot have accepted the message.
                raise DeliveryError(
                    "transient",
                    f"the server reset the connection before reading the end of the message ({_describe(exc)})",
                    connection=True,
                ) from None
            raise DeliveryError(
                "unknown",
                f"connection lost after the message was sent, before the server confirmed it ({_describe(exc)});"
                " it may have arrived, so it is not sent again",
                connection=True,
            ) from None
        if code != 250:
            raise _reply_error("end of DATA", code, reply)
        return f"{code} {_text(reply)}"

    def _early_reply(self, smtp: smtplib.SMTP) -> None:
        """The server spoke or hung up in the middle of the message: its reply, or the lost connection, raised."""
        try:
            code, reply = smtp.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            raise _lost_before_the_end(exc) from None
        raise _reply_error("DATA (before the end of the message)", code, reply, connection=True)

    def _reset(self) -> None:
        try:
            assert self._smtp is not None
            self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            pass


def _reply_error(stage: str, code: int, reply: bytes | str, *, connection: bool = False) -> DeliveryError:
    """4xx is temporary, 5xx (and anything unexpected) permanent."""
    kind: ErrorKind = "transient" if 400 <= code < 500 else "permanent"
    if code == 421:  # the server is closing the connection
        connection = True
    return DeliveryError(kind, f"{stage}: {code} {_text(reply)}", code, connection=connection)


END_OF_DATA = b".\r\n"
"""The final line of DATA (after the content's last CRLF): once the server has read it, it may have the message."""


def _dot_stuffed(message: bytes) -> bytes:
    """The DATA content: CRLF lines, leading dots doubled, ending in CRLF; :data:`END_OF_DATA` goes after it."""
    data = re.sub(rb"\r\n|\r|\n", b"\r\n", message)
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data


def _already_answered(smtp: smtplib.SMTP) -> bool:
    """Whether the server has said something (a reply, a close, a reset) that waits to be read."""
    sock = smtp.sock
    if sock is None:
        return True
    if isinstance(sock, ssl.SSLSocket) and sock.pending():
        return True
    with selectors.DefaultSelector() as selector:  # epoll or poll: no limit on the descriptor's number
        selector.register(sock, selectors.EVENT_READ)
        return bool(selector.select(0))


def _lost_before_the_end(exc: BaseException) -> DeliveryError:
    """The connection went before the final "." was sent: the server cannot have accepted the message."""
    return DeliveryError(
        "transient", f"connection lost while sending, before the end of the message: {_describe(exc)}", connection=True
    )


def _was_reset(exc: BaseException) -> bool:
    """A reset by the peer, also when smtplib wrapped it (it raises SMTPServerDisconnected from the OSError)."""
    seen: BaseException | None = exc
    for _ in range(5):  # smtplib wraps once; a few links are plenty, and a chain never loops us
        if seen is None:
            return False
        if isinstance(seen, ConnectionResetError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return " ".join(text.split())[:300]


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
