"""Each call is one request on a reused connection: no extra request (a login, a check)
per call and no `Connection: close`, so a link with a real round-trip time pays one round
trip per call (the 1.5 client opened a connection per call: a TCP and a TLS handshake).

Counted where it happens: connections and requests at the real emulator, request headers
by a transport that only records them on their way to the real one.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from gpueater_ext import AsyncGPUEater, GPUEater

CALLS = 20


class _Recording(httpx.HTTPTransport):
    def __init__(self) -> None:
        super().__init__()
        self.sent: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        return super().handle_request(request)


class _AsyncRecording(httpx.AsyncHTTPTransport):
    def __init__(self) -> None:
        super().__init__()
        self.sent: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        return await super().handle_async_request(request)


def _assert_one_request_per_call(
    emulator, before: dict[str, Any], sent: list[httpx.Request]
) -> None:
    after = emulator.state()
    assert after["connections"] - before["connections"] == 1  # login and calls share it
    made = {
        name: count - before["requests"].get(name, 0) for name, count in after["requests"].items()
    }
    assert {name: n for name, n in made.items() if n} == {"api_login": 1, "instance_list": CALLS}
    assert len(sent) == CALLS + 1
    assert all(r.headers.get("connection", "").lower() != "close" for r in sent)


def test_sync_calls_make_one_request_each_on_one_connection(emulator):
    before = emulator.state()
    wire = _Recording()
    with GPUEater(
        emulator.url, email=emulator.email, password=emulator.password, transport=wire
    ) as eater:
        for _ in range(CALLS):
            eater.instance_list()
    _assert_one_request_per_call(emulator, before, wire.sent)


def test_async_calls_make_one_request_each_on_one_connection(emulator):
    before = emulator.state()
    wire = _AsyncRecording()

    async def scenario() -> None:
        async with AsyncGPUEater(
            emulator.url, email=emulator.email, password=emulator.password, transport=wire
        ) as eater:
            for _ in range(CALLS):
                await eater.instance_list()

    asyncio.run(scenario())
    _assert_one_request_per_call(emulator, before, wire.sent)
