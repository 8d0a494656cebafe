"""A real SMTP server for the e-mail tests (aiosmtpd on 127.0.0.1) and a throw-away CA.

The handler records every accepted message with its envelope, and can be told
to answer RCPT or DATA with scripted replies (``451 ...``, ``550 ...``) first.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from briefing.config import Settings, load_settings


@dataclass(frozen=True)
class Received:
    """One message the server accepted: the envelope and the bytes as sent."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return BytesParser(policy=policy.default).parsebytes(self.data)  # type: ignore[return-value]


@dataclass
class Recorder:
    """The aiosmtpd handler: scripted replies first, then accept and record."""

    rcpt_replies: dict[str, list[str]] = field(default_factory=dict)
    data_replies: list[str] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    rcpt_attempts: list[str] = field(default_factory=list)
    auth_attempts: list[tuple[str, str]] = field(default_factory=list)
    hold_data: threading.Event | None = None  # set: DATA answers only once the event is set
    data_seen: threading.Event = field(default_factory=threading.Event)
    credentials: tuple[str, str] | None = None

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        self.rcpt_attempts.append(address)
        script = self.rcpt_replies.get(address)
        if script:
            reply = script.pop(0)
            if not reply.startswith("250"):
                return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_replies:
            reply = self.data_replies.pop(0)
            if not reply.startswith("250"):
                return reply
        self.received.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), envelope.original_content))
        self.data_seen.set()
        while self.hold_data is not None and not self.hold_data.is_set():
            await asyncio.sleep(0.02)
        return "250 2.0.0 Message accepted for delivery"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            login, password = auth_data.login.decode(), auth_data.password.decode()
            self.auth_attempts.append((login, password))
            if self.credentials == (login, password):
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    def deliveries_to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]


class _AnyPortController(Controller):
    """aiosmtpd's Controller on a free port chosen by the OS (port 0), so parallel runs never clash."""

    def _create_server(self) -> Any:
        async def create() -> asyncio.AbstractServer:
            server = await self.loop.create_server(
                self._factory_invoker, host=self.hostname, port=0, ssl=self.ssl_context
            )
            self.port = server.sockets[0].getsockname()[1]
            return server

        return create()


@dataclass
class MailServer:
    host: str
    port: int
    handler: Recorder


@contextmanager
def smtp_server(
    *,
    tls: ThrowawayCA | None = None,
    implicit_tls: bool = False,
    credentials: tuple[str, str] | None = None,
) -> Iterator[MailServer]:
    """A running server on 127.0.0.1: plain, STARTTLS (``tls``) or implicit TLS, optionally with AUTH."""
    handler = Recorder(credentials=credentials)
    kwargs: dict[str, Any] = {"hostname": "127.0.0.1", "port": 0, "ready_timeout": 10}
    if tls is not None:
        context = tls.server_context()
        if implicit_tls:
            kwargs["ssl_context"] = context
        else:
            kwargs.update(tls_context=context, require_starttls=True)
    if credentials is not None:
        kwargs.update(authenticator=handler.authenticate, auth_require_tls=True)
    controller = _AnyPortController(handler, **kwargs)
    controller.start()
    try:
        yield MailServer("127.0.0.1", controller.port, handler)
    finally:
        controller.stop()


@dataclass(frozen=True)
class ThrowawayCA:
    """A throw-away certificate authority and a server certificate for 127.0.0.1 and localhost."""

    ca_file: Path
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


def make_test_ca(folder: Path) -> ThrowawayCA:
    """Generate the CA and the server certificate (EC P-256: fast) as PEM files in ``folder``."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "briefing test CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    ca = ThrowawayCA(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    ca.ca_file.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    ca.cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    ca.key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return ca


def mail_settings(project: Path, server: MailServer | None = None, **email: Any) -> Settings:
    """Settings for ``project`` sending through ``server``: plain SMTP and fast retries unless told otherwise."""
    overrides: dict[str, Any] = {
        "base_dir": str(project),
        "timezone": "Europe/London",
        "email.host": "127.0.0.1",
        "email.port": server.port if server else 9,
        "email.security": "none",
        "email.sender": "briefing@example.org",
        "email.timeout": 5,
        "email.retry_delay": 0.05,
        "email.retry_max_delay": 0.2,
    }
    overrides.update({f"email.{key}": value for key, value in email.items()})
    return load_settings(env={}, overrides=overrides)
