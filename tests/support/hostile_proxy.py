"""A hostile service for the CLI's tests: a real HTTP proxy on loopback in front of the
emulator that forwards every request and rewrites the answers, so names, tags and error
messages the emulator sends carry whatever the test plants.

Each `plant` pair replaces bytes in answer bodies: the marker `PLANT` in a tag or a key
name the test chose, or a catalog name such as `Ubuntu16.04 x64`, becomes the hostile text
(JSON-escaped, so the envelope stays valid JSON and the client decodes the raw characters).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

__all__ = ["hostile_proxy"]

_FORWARDED_REQUEST = ("content-type", "cookie", "user-agent")
_FORWARDED_ANSWER = ("content-type", "set-cookie", "location", "retry-after")


@contextmanager
def hostile_proxy(upstream: str, plant: Mapping[str, str]) -> Iterator[str]:
    """Serve on a free loopback port in front of `upstream`; yield the proxy's base URL."""
    replacements = [(old.encode(), json.dumps(new)[1:-1].encode()) for old, new in plant.items()]
    http = httpx.Client(base_url=upstream, timeout=30, follow_redirects=False)

    class Handler(BaseHTTPRequestHandler):
        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            answer = http.request(
                self.command,
                self.path,
                content=self.rfile.read(length) if length else None,
                headers={k: v for k, v in self.headers.items() if k.lower() in _FORWARDED_REQUEST},
            )
            body = answer.content
            for old, new in replacements:
                body = body.replace(old, new)
            self.send_response(answer.status_code)
            for name, value in answer.headers.multi_items():
                if name.lower() in _FORWARDED_ANSWER:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_DELETE = _forward

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        http.close()
