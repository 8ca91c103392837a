"""A tiny real HTTP server on 127.0.0.1 for tests that need real sockets (so that httpx and
httpcore log as they do in production), with planted secrets in its answers."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PLANTED_COOKIE = "planted-cookie-value-c0ffee42"
PLANTED_PRIVATE_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nplanted-private-key-b16b00b5\n"


PROXY_AUTHORIZATIONS: list[str] = []  # Proxy-Authorization headers seen, when used as a proxy


class _Handler(BaseHTTPRequestHandler):
    def parse_request(self) -> bool:
        # Also serve as an HTTP proxy: requests then name an absolute URL.
        parsed = super().parse_request()
        if parsed and "://" in self.path:
            self.path = urlsplit(self.path).path or "/"
            PROXY_AUTHORIZATIONS.append(self.headers.get("Proxy-Authorization", ""))
        return parsed

    def _answer(self, body: object, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        form = parse_qs(self.rfile.read(length).decode())
        if self.path == "/api_login" and form.get("email"):
            cookie = f"gpueater_session={PLANTED_COOKIE}; Path=/; HttpOnly"
            self._answer({"data": None, "error": None}, {"Set-Cookie": cookie})
        else:
            self._answer({"data": None, "error": "wrong email or password"})

    def do_GET(self) -> None:
        if PLANTED_COOKIE not in self.headers.get("Cookie", ""):
            page = b"<p>Found. Redirecting to /login?state=session_timeout</p>"
            self.send_response(302)
            self.send_header("Location", "/login?state=session_timeout")
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)
        elif self.path.endswith("/ssh_key_gen"):
            pair = {"public_key": "ssh-ed25519 AAAA test", "private_key": PLANTED_PRIVATE_KEY}
            self._answer({"data": pair, "error": None})
        else:
            self._answer({"data": [], "error": None})

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output quiet


@contextmanager
def local_server() -> Iterator[str]:
    """Serve on a free loopback port; yield the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
