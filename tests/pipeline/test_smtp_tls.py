"""Issue #27 (Low): failure e-mails verify the SMTP server's certificate (STARTTLS and implicit
TLS on 465) and never send the SMTP password before TLS is up.

The SMTP servers are fakes on 127.0.0.1 with a self-signed certificate made here."""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import json
import socketserver
import ssl
import threading
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from include import notifications

PASSWORD = "smtp-pw-of-mine"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key (cert.pem, key.pem)."""
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake smtp")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return folder / "cert.pem", folder / "key.pem"


class _TlsSmtp(socketserver.BaseRequestHandler):
    """SMTP with STARTTLS (or TLS from the first byte) and AUTH PLAIN; records what it was told."""

    context: ssl.SSLContext
    implicit = False
    seen: list[str] = []  # every command, cleartext or not: "tls:" + command once TLS is up

    def handle(self):
        sock, tls = self.request, False
        if self.implicit:
            sock, tls = self.context.wrap_socket(sock, server_side=True), True
        reader = sock.makefile("rb")
        sock.sendall(b"220 fake\r\n")
        while line := reader.readline():
            verb = line.decode(errors="replace").strip()
            type(self).seen.append(("tls:" if tls else "") + verb)
            upper = verb.upper()
            if upper.startswith("EHLO"):
                sock.sendall(b"250-fake\r\n" + (b"" if tls else b"250-STARTTLS\r\n") + b"250 AUTH PLAIN\r\n")
            elif upper == "STARTTLS":
                sock.sendall(b"220 go ahead\r\n")
                try:
                    sock = self.context.wrap_socket(sock, server_side=True)
                except (ssl.SSLError, OSError):
                    return  # the client refused our certificate
                reader, tls = sock.makefile("rb"), True
            elif upper.startswith("AUTH"):
                sock.sendall(b"235 ok\r\n")
            elif upper == "DATA":
                sock.sendall(b"354 go\r\n")
                while reader.readline() not in (b".\r\n", b""):
                    pass
                sock.sendall(b"250 queued\r\n")
            elif upper == "QUIT":
                sock.sendall(b"221 bye\r\n")
                return
            else:
                sock.sendall(b"250 ok\r\n")


@pytest.fixture
def tls_smtp(certificate, monkeypatch):
    def start(*, implicit: bool, trust: bool, port: int | None = None):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*certificate)
        handler = type("Handler", (_TlsSmtp,), {"context": context, "implicit": implicit, "seen": []})
        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        extra = {"ca_file": str(certificate[0])} if trust else {}
        if implicit and port is None:
            extra["ssl"] = True  # the real 465 needs root; the same code path (see the unit below)
        conn = {"conn_type": "smtp", "host": "127.0.0.1", "port": port or server.server_address[1]}
        conn |= {"login": "alerts", "password": PASSWORD, "extra": extra}
        monkeypatch.setenv("AIRFLOW_CONN_CCA_TLS_SMTP", json.dumps(conn))
        monkeypatch.setenv("CCA_ALERT_SMTP_CONN", "cca_tls_smtp")
        monkeypatch.setenv("CCA_ALERT_EMAIL", "oncall@example.com")
        return handler.seen

    servers: list[socketserver.ThreadingTCPServer] = []
    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _password_seen(seen: list[str]) -> bool:
    encoded = base64.b64encode(f"\0alerts\0{PASSWORD}".encode()).decode()
    return any(PASSWORD in line or encoded in line for line in seen)


def test_starttls_with_an_untrusted_certificate_sends_no_password(tls_smtp):
    seen = tls_smtp(implicit=False, trust=False)
    assert "email" not in notifications.send_alert("s", "t")
    assert "STARTTLS" in seen and not _password_seen(seen)


def test_starttls_with_a_trusted_certificate_logs_in_over_tls_only(tls_smtp):
    seen = tls_smtp(implicit=False, trust=True)
    assert "email" in notifications.send_alert("s", "t")
    assert [line for line in seen if line.upper().startswith("AUTH")] == []  # never in clear
    assert any(line.startswith("tls:AUTH") for line in seen)


def test_implicit_tls_with_an_untrusted_certificate_sends_nothing(tls_smtp):
    seen = tls_smtp(implicit=True, trust=False)
    assert "email" not in notifications.send_alert("s", "t")
    assert not _password_seen(seen)


def test_implicit_tls_with_a_trusted_certificate_delivers(tls_smtp):
    seen = tls_smtp(implicit=True, trust=True)
    assert "email" in notifications.send_alert("s", "t")
    assert all(line.startswith("tls:") for line in seen) and any("AUTH" in line for line in seen)


def test_port_465_is_implicit_tls(monkeypatch):
    """Port 465 takes the SMTP_SSL path (checked without binding the privileged port)."""
    made = []

    class _Refuse(Exception):
        pass

    def smtp_ssl(host, port, timeout, context):
        made.append((port, context.verify_mode, context.check_hostname))
        raise _Refuse

    monkeypatch.setattr(notifications.smtplib, "SMTP_SSL", smtp_ssl)
    monkeypatch.setattr(notifications.smtplib, "SMTP", lambda *a, **k: pytest.fail("plain SMTP on 465"))
    conn = type("Conn", (), {"host": "mail.example", "port": 465, "login": "a", "password": "b"})()
    conn.extra_dejson = {}
    with pytest.raises(_Refuse):
        notifications._deliver(conn, notifications.EmailMessage())
    assert made == [(465, ssl.CERT_REQUIRED, True)]
