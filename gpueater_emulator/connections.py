"""Client connections: which ones the server saw, and how to cut one mid-call.

ASGI gives an app no way to close its connection without an answer (an exception before
the answer makes the server send a 500). The server therefore registers each accepted
transport here under the client's address, and a drop fault looks the transport up.
In-process (no server, no transport) a drop raises ConnectionDropped instead.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

__all__ = ["ConnectionDropped", "ConnectionRegistry", "DroppedAnswer"]

Peer = tuple[str, int]


class ConnectionDropped(ConnectionError):
    """Raised in-process where a drop fault would close the TCP connection."""


class ConnectionRegistry:
    def __init__(self) -> None:
        self._transports: dict[Peer, asyncio.Transport] = {}

    def opened(self, transport: asyncio.Transport) -> None:
        peer = _peer_of(transport)
        if peer is not None:
            self._transports[peer] = transport

    def closed(self, transport: asyncio.Transport) -> None:
        peer = _peer_of(transport)
        if peer is not None and self._transports.get(peer) is transport:
            del self._transports[peer]

    def transport_for(self, scope: Scope) -> asyncio.Transport | None:
        client = scope.get("client")
        if client is None:
            return None
        return self._transports.get((str(client[0]), int(client[1])))


def _peer_of(transport: asyncio.BaseTransport) -> Peer | None:
    peer: Any = transport.get_extra_info("peername")
    if isinstance(peer, tuple) and len(peer) >= 2:
        return (str(peer[0]), int(peer[1]))
    return None


class DroppedAnswer(Response):
    """An answer cut short: nothing at all, or the start of `body` and then the close."""

    def __init__(self, registry: ConnectionRegistry, full_body: bytes | None = None) -> None:
        # The declared Content-Length is the full body's, so the client knows it is short.
        super().__init__(content=full_body or b"", media_type="application/json")
        self._registry = registry
        self._full_body = full_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        transport = self._registry.transport_for(scope)
        if transport is None:
            raise ConnectionDropped("the emulator dropped this call's connection (fault)")
        if self._full_body is None:
            # Nothing is written: abort() discards buffers and resets the connection.
            transport.abort()
        else:
            # Promise the whole body, write half of it, then close after the flush.
            await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
            await send(
                {
                    "type": "http.response.body",
                    "body": self._full_body[: len(self._full_body) // 2],
                    "more_body": True,
                }
            )
            transport.close()
        # Let the server notice the loss (connection_lost runs on a later loop turn), so
        # it does not complain that the app returned without a complete answer.
        for _ in range(3):
            await asyncio.sleep(0)
