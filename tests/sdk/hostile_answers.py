"""A hostile service on loopback whose `instance_list` answer breaks a bound, for the
bounded-answer tests; it also runs as a program, so a test can measure a fresh client
process's peak memory or point the real CLI at it.

    python -m tests.sdk.hostile_answers serve MODE   prints the URL, serves until killed
    python -m tests.sdk.hostile_answers probe MODE   calls instance_list against it and
                                                     prints {"error", "message", "peak_rss"}

MODE: `oversized` (47 MB with a Content-Length), `endless` (chunked, never ends),
`trickle` (a byte every 0.1 s, forever), `gzip_bomb` (about 64 KiB that inflate to 64 MiB).
"""

from __future__ import annotations

import contextlib
import json
import resource
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

__all__ = ["MODES", "hostile_service"]

MODES = ("oversized", "endless", "trickle", "gzip_bomb")
_PIECE = b'{"instance_id": "1", "tag": "' + b"x" * 4000 + b'"},'
_OVERSIZED_PIECES = 47_000_000 // len(_PIECE)


def _bomb() -> bytes:
    # 64 MiB of spaces inside the envelope: gzip shrinks it about a thousandfold.
    packer = zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    parts = [packer.compress(b'{"data": "')]
    spaces = b" " * (1 << 20)
    parts += [packer.compress(spaces) for _ in range(64)]
    parts += [packer.compress(b'", "error": null}'), packer.flush()]
    return b"".join(parts)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    mode = "oversized"
    bomb = b""

    def handle(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()  # the client gives up mid-answer, as it should

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        body = b'{"data": null, "error": null}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Set-Cookie", "gpueater_session=hostile-session-1; Path=/")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        getattr(self, f"_{self.mode}")()

    def _oversized(self) -> None:
        self.send_header("Content-Length", str(10 + _OVERSIZED_PIECES * len(_PIECE)))
        self.end_headers()
        self.wfile.write(b'{"data": [')
        for _ in range(_OVERSIZED_PIECES):
            self.wfile.write(_PIECE)

    def _endless(self) -> None:
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b"%x\r\n%s\r\n" % (len(_PIECE), _PIECE)
        while True:
            self.wfile.write(chunk)

    def _trickle(self) -> None:
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        while True:
            self.wfile.write(b"1\r\n \r\n")
            self.wfile.flush()
            time.sleep(0.1)

    def _gzip_bomb(self) -> None:
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(self.bomb)))
        self.end_headers()
        self.wfile.write(self.bomb)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def hostile_service(mode: str) -> Iterator[str]:
    """Serve `mode` on a free loopback port; yield the base URL."""
    bomb = _bomb() if mode == "gzip_bomb" else b""
    handler = type("Handler", (_Handler,), {"mode": mode, "bomb": bomb})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _probe(mode: str) -> dict[str, object]:
    from gpueater_ext import GPUEater, GPUEaterError

    with hostile_service(mode) as url:
        eater = GPUEater(url, email="a@example.com", password="hostile-pw", call_deadline=2)
        try:
            eater.instance_list()
            outcome = {"error": None, "message": ""}
        except GPUEaterError as error:
            outcome = {"error": type(error).__name__, "message": str(error)}
        finally:
            eater.close()
    return {**outcome, "peak_rss": _peak_rss_bytes()}


def _peak_rss_bytes() -> int:
    """This program's own peak resident size.

    Not getrusage's ru_maxrss: Linux keeps it across fork and execve, so a probe started
    from a large pytest process reports the parent's size. VmHWM belongs to the memory
    of the program now running.
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) * 1024


if __name__ == "__main__":
    command, chosen = sys.argv[1], sys.argv[2]
    if command == "probe":
        print(json.dumps(_probe(chosen)))
    else:
        with hostile_service(chosen) as served:
            print(served, flush=True)
            threading.Event().wait()
