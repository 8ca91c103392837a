"""The async client's connection pool: httpcore's, with a bookkeeping pass linear in the
connections instead of quadratic, and no socket probe of connections nobody is taking.

Why: `AsyncGPUEater.bulk(concurrency=16)` keeps 16 connections open, and httpcore runs
`_assign_requests_to_connections` twice per request (when it is queued and when its answer
is closed). Each pass probes every idle connection's socket for a server-side close
(`has_expired`: anyio rebuilds a dict of socket attributes, a getpeername and a poll per
connection) and, for each idle connection, counts all connections again (a list built per
connection: quadratic). Measured with 200 launches and terminations at concurrency 16
(20 ms latency, 2 cores): about 3 ms of the client's 11 ms of CPU per launch+terminate,
the largest single cost of the run.

What stays httpcore's: connections, HTTP/1.1 and HTTP/2, TLS, proxies (a proxied URL keeps
httpx's own pool), the pool's limits and its locking. What this pass does differently, and
why that keeps the behaviour a caller can see:

- A connection about to be reused is probed right then (`has_expired`), as before: an
  expired or server-closed one is closed and the next is tried, so no request is ever
  sent on a connection httpcore would have refused.
- Idle connections nobody takes are probed at most once a second (`SWEEP_SECONDS`)
  rather than on every request: an expired one is closed within a second of httpcore's
  moment, which only a socket count could notice.
- The surplus rule is httpcore 1.0's as it behaves: while there are more connections than
  `max_keepalive_connections`, each idle one is closed; counted once, not per connection.
- Which connection a request gets is httpcore's choice: the first available one for its
  origin, else a new one while under `max_connections`, else an idle one is replaced.

httpcore has no public hook for this pass, so `_assign_requests_to_connections` is
overridden; tests/sdk/test_fleet_pool.py fails if a release of httpcore stops calling it
(the pool must hold the bulk's connections, and no more) or changes the names it uses.
Those tests ran against httpcore 1.0: with any other release (`TESTED_HTTPCORE`) the
client keeps httpcore's own pool, slower in a bulk but never wrong, until they run again.
"""

from __future__ import annotations

import ssl
import time
from typing import Any

import httpcore
import httpx

__all__ = ["SWEEP_SECONDS", "TESTED_HTTPCORE", "FleetAsyncClient", "FleetConnectionPool"]

SWEEP_SECONDS = 1.0
# The httpcore releases whose private pool names the override was tested against.
TESTED_HTTPCORE = "1.0."


class FleetConnectionPool(httpcore.AsyncConnectionPool):
    """httpcore's AsyncConnectionPool with the linear bookkeeping pass (module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._next_sweep = 0.0

    def _assign_requests_to_connections(self) -> list[httpcore.AsyncConnectionInterface]:
        closing: list[httpcore.AsyncConnectionInterface] = []
        now = time.monotonic()
        sweep = now >= self._next_sweep
        if sweep:
            self._next_sweep = now + SWEEP_SECONDS
        for connection in list(self._connections):
            if connection.is_closed():
                self._connections.remove(connection)
            elif (sweep and connection.has_expired()) or (
                connection.is_idle() and len(self._connections) > self._max_keepalive_connections
            ):
                self._connections.remove(connection)
                closing.append(connection)

        for pool_request in [request for request in self._requests if request.is_queued()]:
            origin = pool_request.request.url.origin
            reused = self._reusable(origin, closing)
            if reused is None:
                if len(self._connections) >= self._max_connections:
                    idle = next((c for c in self._connections if c.is_idle()), None)
                    if idle is None:
                        continue  # it waits for a connection to come free
                    self._connections.remove(idle)
                    closing.append(idle)
                reused = self.create_connection(origin)
                self._connections.append(reused)
            pool_request.assign_to_connection(reused)
        return closing

    def _reusable(
        self, origin: httpcore.Origin, closing: list[httpcore.AsyncConnectionInterface]
    ) -> httpcore.AsyncConnectionInterface | None:
        """The first available connection to `origin` that has not expired; expired ones
        met on the way are closed."""
        for connection in list(self._connections):
            if not (connection.can_handle_request(origin) and connection.is_available()):
                continue
            if connection.has_expired():
                self._connections.remove(connection)
                closing.append(connection)
                continue
            return connection
        return None


class _FleetTransport(httpx.AsyncHTTPTransport):
    """httpx's transport (its request and error mapping) over a FleetConnectionPool."""

    def __init__(
        self,
        verify: ssl.SSLContext | str | bool,
        cert: Any,
        trust_env: bool,
        http1: bool,
        http2: bool,
        limits: httpx.Limits,
    ) -> None:
        super().__init__(
            verify=verify, cert=cert, trust_env=trust_env, http1=http1, http2=http2, limits=limits
        )
        stock = self._pool
        if type(stock) is not httpcore.AsyncConnectionPool:  # pragma: no cover - new httpx
            return  # keep whatever this httpx built rather than guess its settings
        if not httpcore.__version__.startswith(TESTED_HTTPCORE):
            return  # its pool's private names may have changed: keep the stock pool
        self._pool = FleetConnectionPool(
            ssl_context=stock._ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=http1,
            http2=http2,
        )


class FleetAsyncClient(httpx.AsyncClient):
    """httpx.AsyncClient whose own transport (not a proxy's, not one passed in) pools with
    FleetConnectionPool; everything else, the environment's proxies included, is httpx's."""

    def _init_transport(
        self,
        verify: ssl.SSLContext | str | bool = True,
        cert: Any = None,
        trust_env: bool = True,
        http1: bool = True,
        http2: bool = False,
        limits: httpx.Limits | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> httpx.AsyncBaseTransport:
        if transport is not None:
            return transport
        # httpx.AsyncClient always passes its limits; the fallback is httpx's default.
        limits = limits or httpx.Limits(max_connections=100, max_keepalive_connections=20)
        return _FleetTransport(verify, cert, trust_env, http1, http2, limits)
