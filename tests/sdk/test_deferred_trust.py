"""gpueater_ext._deferred_trust: the SDK's TLS context verifies as httpx's default does,
its CA store loaded at the first TLS connection only (issue 25: ~55 ms per client)."""

from __future__ import annotations

import http.server
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from gpueater_ext._deferred_trust import deferred_trust

SETTINGS = ("protocol", "verify_mode", "check_hostname", "options", "verify_flags",
            "minimum_version", "maximum_version")  # fmt: skip


def test_once_loaded_it_is_httpx_default_context_on_this_python(monkeypatch):
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR", "SSLKEYLOGFILE"):
        monkeypatch.delenv(name, raising=False)
    deferred, reference = deferred_trust(), httpx.create_ssl_context()
    assert deferred.get_ca_certs() == []  # nothing loaded before a connection
    for name in SETTINGS:  # verification is on from the start
        assert getattr(deferred, name) == getattr(reference, name), name
    deferred.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_hostname="example.com")
    assert deferred.get_ca_certs(binary_form=True) == reference.get_ca_certs(binary_form=True)
    assert deferred.get_ciphers() == reference.get_ciphers()


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An https server on loopback whose certificate no public CA signed: (url, its cert)."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip

    class Hello(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *_: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}/", cert
    finally:
        server.shutdown()
        server.server_close()


def test_an_untrusted_certificate_is_refused_and_a_trusted_one_accepted(tls_server, monkeypatch):
    url, cert = tls_server
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    with (
        httpx.Client(verify=deferred_trust()) as client,
        pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"),
    ):
        client.get(url)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # read at the first connection
    with httpx.Client(verify=deferred_trust()) as client:
        assert client.get(url).text == "ok"
