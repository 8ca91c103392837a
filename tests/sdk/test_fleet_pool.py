"""The async client's connection pool (`_fleet_pool`): bulk calls reuse as many connections
as run at once, never a connection that expired or the server closed, and httpcore really
runs the pool's own bookkeeping pass (the class: an httpcore release that stops calling
the override, or renames what it uses, would silently bring the quadratic pass back).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any

import httpcore
import pytest

from gpueater_ext import AsyncGPUEater
from gpueater_ext._fleet_pool import FleetAsyncClient, FleetConnectionPool


def test_bulk_calls_reuse_as_many_connections_as_run_at_once(emulator, monkeypatch):
    passes = 0
    original = FleetConnectionPool._assign_requests_to_connections

    def counted(pool: FleetConnectionPool) -> list[httpcore.AsyncConnectionInterface]:
        nonlocal passes
        passes += 1
        return original(pool)

    monkeypatch.setattr(FleetConnectionPool, "_assign_requests_to_connections", counted)
    emulator.reset()

    async def scenario() -> list[Any]:
        async with AsyncGPUEater(
            emulator.url, email=emulator.email, password=emulator.password
        ) as eater:
            first = await eater.bulk(lambda _: eater.ssh_key_list(), range(40), concurrency=6)
            again = await eater.bulk(lambda _: eater.ssh_key_list(), range(40), concurrency=6)
            return first + again

    results = asyncio.run(scenario())
    assert all(result.ok for result in results)
    assert passes >= 80  # the pool's own pass ran for the requests (at least once each)
    # 6 calls at a time (the login first, on one of them): 6 connections for all 80 calls
    assert emulator.state()["connections"] <= 6


def test_a_connection_the_server_closed_is_never_reused():
    """The pool probes a connection before it reuses it, and sees the server's close."""
    closed = 0

    async def serve_once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal closed
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")  # keep-alive...
        await writer.drain()
        writer.close()  # ...yet closed, as a server whose keep-alive ran out does
        await writer.wait_closed()
        closed += 1

    async def scenario() -> list[str]:
        server = await asyncio.start_server(serve_once, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        answers = []
        async with server, FleetAsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for number in range(3):
                answers.append((await client.get("/")).text)
                while closed <= number:  # the close has reached this side of the socket
                    await asyncio.sleep(0.001)
        return answers

    assert asyncio.run(scenario()) == ["ok", "ok", "ok"]


class _Connection:
    """A stand-in for one of httpcore's connections: its state is what the pool asks."""

    def __init__(self, origin: httpcore.Origin, *, idle: bool = True, expired: bool = False):
        self.origin, self.idle, self.expired, self.closed = origin, idle, expired, False
        self.probes = 0

    def can_handle_request(self, origin: httpcore.Origin) -> bool:
        return origin == self.origin

    def is_available(self) -> bool:
        return self.idle and not self.closed

    def has_expired(self) -> bool:
        self.probes += 1
        return self.expired

    def is_idle(self) -> bool:
        return self.idle

    def is_closed(self) -> bool:
        return self.closed


ORIGIN = httpcore.URL("http://127.0.0.1:9/x").origin


def _in_a_loop(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """httpcore's pool requests signal their connection with an event of the running loop."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def _pool(connections: list[_Connection], max_connections: int = 10) -> FleetConnectionPool:
    pool = FleetConnectionPool(max_connections=max_connections, max_keepalive_connections=10)
    pool._connections = list(connections)  # type: ignore[arg-type]
    pool._next_sweep = float("inf")  # no sweep: each test says when it wants one
    created: list[httpcore.Origin] = []

    def create_connection(origin: httpcore.Origin) -> _Connection:
        created.append(origin)
        return _Connection(origin, idle=False)

    pool.create_connection = create_connection  # type: ignore[assignment,method-assign]
    pool.created = created  # type: ignore[attr-defined]
    return pool


def _assign(pool: FleetConnectionPool) -> list[Any]:
    """The pass under test; the connections it closes."""
    return list(pool._assign_requests_to_connections())


def _queue(pool: FleetConnectionPool) -> Any:
    """A queued request; its `connection` is the one the pool gives it."""
    request = httpcore._async.connection_pool.AsyncPoolRequest(
        httpcore.Request("GET", "http://127.0.0.1:9/x")
    )
    pool._requests.append(request)
    return request


@_in_a_loop
async def test_a_request_never_gets_an_expired_connection():
    stale, fresh = _Connection(ORIGIN, expired=True), _Connection(ORIGIN)
    pool = _pool([stale, fresh])
    request = _queue(pool)
    closing = _assign(pool)
    assert request.connection is fresh
    assert closing == [stale]
    assert stale not in list[Any](pool._connections)


@_in_a_loop
async def test_a_new_connection_when_every_idle_one_expired():
    stale = _Connection(ORIGIN, expired=True)
    pool = _pool([stale])
    request = _queue(pool)
    assert _assign(pool) == [stale]
    assert pool.created == [ORIGIN]  # type: ignore[attr-defined]
    assert request.connection is pool._connections[-1]


@_in_a_loop
async def test_a_full_pool_replaces_an_idle_connection_of_another_origin_or_waits():
    other = _Connection(httpcore.URL("http://127.0.0.2:9/").origin)
    pool = _pool([other, _Connection(ORIGIN, idle=False)], max_connections=2)
    request = _queue(pool)
    assert _assign(pool) == [other]
    assert request.connection is pool._connections[-1]

    busy = _pool([_Connection(ORIGIN, idle=False)], max_connections=1)
    waiting = _queue(busy)
    assert _assign(busy) == []
    assert waiting.is_queued()


@pytest.mark.parametrize("sweep", [False, True])
@_in_a_loop
async def test_idle_connections_nobody_takes_are_probed_only_by_the_sweep(sweep):
    used, others = _Connection(ORIGIN), [_Connection(ORIGIN, expired=True) for _ in range(3)]
    pool = _pool([used, *others])
    if sweep:
        pool._next_sweep = 0.0
    _queue(pool)
    closing = _assign(pool)
    assert [connection.probes for connection in others] == [1 if sweep else 0] * 3
    assert closing == (others if sweep else [])


def test_an_httpcore_the_pool_was_not_tested_with_keeps_its_own_pool(monkeypatch):
    async def pools() -> tuple[type, type]:
        async with FleetAsyncClient() as tested:
            tested_pool = type(tested._transport._pool)  # type: ignore[attr-defined]
        monkeypatch.setattr(httpcore, "__version__", "1.1.0")
        async with FleetAsyncClient() as untested:
            untested_pool = type(untested._transport._pool)  # type: ignore[attr-defined]
        return tested_pool, untested_pool

    assert asyncio.run(pools()) == (FleetConnectionPool, httpcore.AsyncConnectionPool)
