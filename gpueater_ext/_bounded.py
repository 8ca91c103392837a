"""Reading an answer with bounds: a size cap, a total deadline, and a parser that cannot
be driven into RecursionError.

httpx reads a whole answer into memory, as large and as slowly as the server likes: a
47 MB `instance_list` took the client to 240 MB, an endless chunked answer grew until
MemoryError, and an answer trickling one byte a minute never trips a per-read timeout. So
every answer is streamed here and kept only while it stays within `AnswerLimits`:

- `max_response_bytes` (default 32 MiB; 10,000 instances are about 4 MB) caps the body
  after decompression; `max_pdf_bytes` (default 16 MiB) is the cap of `make_invoice`,
  whose answer is a PDF document. Compressed answers are decompressed here with zlib's
  `max_length`, so a small gzip bomb stops at the cap too; a Content-Encoding other than
  gzip or deflate is refused rather than handed to a decoder without bounds.
- `call_deadline` (default 300 s) bounds the whole answer: the sync client checks it
  as each piece arrives, so it ends at most one read timeout past its deadline; the async
  client cancels at the deadline itself.

Whatever breaks a bound is an APIError naming the operation, raised while memory holds at
most the cap plus one piece (peak RSS stays within about twice the cap). `parse_json` is
json.loads with the one error json can raise besides ValueError (RecursionError, for an
answer nested thousands deep) turned into an APIError too.
"""

from __future__ import annotations

import dataclasses
import json
import time
import zlib
from typing import Any

import httpx

from gpueater_ext._errors import APIError, InvalidArgumentError

__all__ = [
    "DEFAULT_LIMITS",
    "Answer",
    "AnswerLimits",
    "parse_json",
    "read_async",
    "read_sync",
]

_MiB = 1 << 20


@dataclasses.dataclass(frozen=True)
class AnswerLimits:
    """How large and how slow an answer may be before the call fails."""

    max_response_bytes: int = 32 * _MiB
    max_pdf_bytes: int = 16 * _MiB
    call_deadline: float = 300.0

    def __post_init__(self) -> None:
        for name in ("max_response_bytes", "max_pdf_bytes"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidArgumentError(
                    f"{name} must be a positive number of bytes, not {value!r}"
                )
        if not self.call_deadline > 0:
            raise InvalidArgumentError("call_deadline must be a positive number of seconds")

    @classmethod
    def of(
        cls,
        max_response_bytes: int | None,
        max_pdf_bytes: int | None,
        call_deadline: float | None,
    ) -> AnswerLimits:
        """The limits a client was given, the defaults where it was given None."""
        defaults = DEFAULT_LIMITS
        return cls(
            defaults.max_response_bytes if max_response_bytes is None else max_response_bytes,
            defaults.max_pdf_bytes if max_pdf_bytes is None else max_pdf_bytes,
            defaults.call_deadline if call_deadline is None else call_deadline,
        )

    def cap_for(self, result: str | None) -> int:
        return self.max_pdf_bytes if result == "pdf" else self.max_response_bytes


DEFAULT_LIMITS = AnswerLimits()


class Answer:
    """An answer read within its bounds: its status, its headers as received, and its body
    decoded (so `content` is never compressed, whatever Content-Encoding says).

    Not a second httpx.Response: building one per call (headers copied and filtered, a
    new stream) cost ~30 us of every call for three attributes read once (issue 25).
    """

    __slots__ = ("content", "headers", "status_code")

    def __init__(self, status_code: int, headers: httpx.Headers, content: bytes) -> None:
        self.status_code, self.headers, self.content = status_code, headers, content

    def __repr__(self) -> str:
        return f"<Answer {self.status_code}, {len(self.content)} bytes>"


class _Body:
    """The decoded body, filled piece by piece, refusing to grow past `cap`."""

    def __init__(
        self, operation: str, cap: int, encoding: str, limits: AnswerLimits, started: float
    ) -> None:
        self.operation, self.cap, self.seconds = operation, cap, limits.call_deadline
        self.deadline = started + limits.call_deadline
        self.buffer = bytearray()
        self.decoder = _decoder(operation, encoding)

    def declared(self, length: str | None) -> None:
        """Refuse at once an answer whose Content-Length already says it is too large."""
        digits = (length or "").strip()
        if self.decoder is None and digits.isdigit() and int(digits) > self.cap:
            raise self._too_large()

    def add(self, piece: bytes) -> None:
        if time.monotonic() > self.deadline:
            raise _too_slow(self.operation, self.seconds)
        if self.decoder is None:
            self._keep(piece)
            return
        # At most one byte more than there is room for: enough to know the cap is passed,
        # so a gzip bomb never expands further than the cap.
        room = self.cap + 1 - len(self.buffer)
        try:
            self._keep(self.decoder.decompress(piece, room))
        except zlib.error:
            raise _unreadable(self.operation, "its compressed body is corrupt") from None

    def finish(self) -> bytes:
        if self.decoder is not None:
            try:
                self._keep(self.decoder.flush())
            except zlib.error:
                raise _unreadable(self.operation, "its compressed body is corrupt") from None
        return bytes(self.buffer)

    def _keep(self, data: bytes) -> None:
        if len(self.buffer) + len(data) > self.cap:
            raise self._too_large()
        self.buffer += data

    def _too_large(self) -> APIError:
        return APIError(
            f"{self.operation}: the service's answer is larger than {self.cap} bytes "
            "and was not read further (raise max_response_bytes on the client if it "
            "is genuine)",
            operation=self.operation,
        )


def read_sync(
    http: httpx.Client, request: httpx.Request, operation: str, cap: int, limits: AnswerLimits
) -> Answer:
    """Send `request` and read its answer within the bounds, its body decoded."""
    started = time.monotonic()
    response = http.send(request, stream=True)
    try:
        if response.is_stream_consumed:  # a transport that read (and decoded) it already
            return _already_read(response, operation, cap, limits, started)
        encoding = response.headers.get("content-encoding", "")
        body = _Body(operation, cap, encoding, limits, started)
        body.declared(response.headers.get("content-length"))
        for piece in response.iter_raw():
            body.add(piece)
        return _decoded(response, body.finish())
    finally:
        response.close()


async def read_async(
    http: httpx.AsyncClient,
    request: httpx.Request,
    operation: str,
    cap: int,
    limits: AnswerLimits,
) -> Answer:
    """Like `read_sync`; the deadline cancels the call itself, headers included."""
    import anyio  # httpx's own dependency; works under asyncio and trio alike

    started = time.monotonic()
    try:
        with anyio.fail_after(limits.call_deadline):
            response = await http.send(request, stream=True)
            try:
                if response.is_stream_consumed:
                    return _already_read(response, operation, cap, limits, started)
                encoding = response.headers.get("content-encoding", "")
                body = _Body(operation, cap, encoding, limits, started)
                body.declared(response.headers.get("content-length"))
                async for piece in response.aiter_raw():
                    body.add(piece)
                return _decoded(response, body.finish())
            finally:
                await response.aclose()
    except TimeoutError:
        raise _too_slow(operation, limits.call_deadline) from None


def parse_json(content: bytes, operation: str) -> Any:
    """json.loads, with an answer nested too deeply for the parser an APIError.

    ValueError (not JSON) is left to the caller, which says what the answer was instead.
    """
    try:
        return json.loads(content)
    except RecursionError:
        raise _unreadable(operation, "it is nested too deeply to be the API's JSON") from None


def _already_read(
    response: httpx.Response, operation: str, cap: int, limits: AnswerLimits, started: float
) -> Answer:
    # httpx.MockTransport (tests, users' own fakes) hands over a body read in full; the
    # cap still applies, so a fake behaves as the service would.
    body = _Body(operation, cap, "identity", limits, started)
    body.add(response.content)
    return _decoded(response, body.finish())


def _decoder(operation: str, encoding: str) -> Any:
    coding = encoding.strip().lower()
    if coding in ("", "identity"):
        return None
    if coding in ("gzip", "x-gzip"):
        return zlib.decompressobj(zlib.MAX_WBITS | 16)
    if coding == "deflate":
        return zlib.decompressobj(zlib.MAX_WBITS | 32)  # zlib- or gzip-wrapped
    raise _unreadable(operation, f"it is sent with Content-Encoding {coding[:40]!r}")


def _decoded(response: httpx.Response, content: bytes) -> Answer:
    return Answer(response.status_code, response.headers, content)


def _too_slow(operation: str, deadline: float) -> APIError:
    return APIError(
        f"{operation}: the service's answer did not arrive within the call deadline "
        f"({deadline:g} s, call_deadline on the client) and was abandoned",
        operation=operation,
    )


def _unreadable(operation: str, why: str) -> APIError:
    return APIError(
        f"{operation}: the service's answer could not be read: {why}", operation=operation
    )
