"""The HTTP session: one httpx client per SDK object, login, and single-flight re-login.

Connections are reused, redirects are never followed (a session timeout is a 302 to an
HTML page), every request has finite timeouts, and the environment's proxy and CA settings
are honoured (httpx's `trust_env`).

The generated endpoint modules build each request (`_get_kwargs`); the generated `Client`
wrapper is not used: `_Transport` hands `_call` our httpx client, and the login form is the
generated model, made on the first login. Neither loads the generated client and models
(attrs, ~25 ms) for a call that does not need them (issue 25).

Re-login is single-flight: each call notes the login generation it was sent under; on a
redirect to the login page it asks for a new login *for that generation*. The first caller
logs in and bumps the generation; every other caller that was refused under the same
generation finds it already bumped and just repeats its call. So any number of threads
(SyncSession) or tasks (AsyncSession) refused at once cause exactly one login. A call
refused twice raises AuthenticationError.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from gpueater_ext._bounded import DEFAULT_LIMITS, AnswerLimits
from gpueater_ext._call import LoginRedirect, interpret, invoke_async, invoke_sync, login_failure
from gpueater_ext._config import Config
from gpueater_ext._deferred_trust import deferred_trust
from gpueater_ext._errors import AuthenticationError, GPUEaterError, InvalidArgumentError
from gpueater_ext._forms import build_arguments
from gpueater_ext._models import from_service
from gpueater_ext._operations import Kind, Operation
from gpueater_ext._redact import install_log_redaction, register_secret
from gpueater_ext._retry import Retry, RetryPolicy, active_policy
from gpueater_ext._session_cache import SessionCache
from gpueater_ext._version import VERSION

__all__ = ["DEFAULT_TIMEOUT", "AsyncSession", "SyncSession", "user_agent"]

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
# Not in the table of seed functions (it is not one), but called the same way.
_LOGIN = Operation("api_login", "Auth", None, "POST", "/api_login", Kind.WRITE, None, "LoginForm")


_log = logging.getLogger("gpueater_ext.session")


@functools.cache
def _login_form_class() -> type[Any]:
    """The generated LoginForm with a repr that cannot show the password or a token (the
    generated one would, in a traceback with locals or a debugger). Made on first use: a
    cached session never logs in."""
    from gpueater_client.models import LoginForm

    class _LoginForm(LoginForm):
        def __repr__(self) -> str:
            return "LoginForm([REDACTED])"

    return _LoginForm


class _Transport:
    """What `_call.invoke_sync`/`invoke_async` ask of a client: the httpx client to send
    with (the generated `Client` wrapper's two getters, without importing it)."""

    def __init__(self, http: httpx.Client | httpx.AsyncClient) -> None:
        self._http = http

    def get_httpx_client(self) -> httpx.Client | httpx.AsyncClient:
        return self._http

    def get_async_httpx_client(self) -> httpx.Client | httpx.AsyncClient:
        return self._http


def user_agent() -> str:
    """`gpueater-python/<version>`, the version of the `gpueater` distribution (`_version`)."""
    return f"gpueater-python/{VERSION}"


class _SessionState:
    """What the sync and async sessions share: settings, login form and generation."""

    def __init__(
        self,
        config: Config,
        timeout: httpx.Timeout | float | None,
        retry: RetryPolicy | None,
        session_cache: bool,
        limits: AnswerLimits,
        reconcile_timeout: float | None = None,
    ) -> None:
        self.config = config
        self.limits = limits
        self.cache = SessionCache(config) if session_cache else None
        self.timeout = DEFAULT_TIMEOUT if timeout is None else httpx.Timeout(timeout)
        self.retry_policy: RetryPolicy = retry or Retry()
        # A service that lost a write's answer may act on it for as long as the client would
        # have waited for the answer: by default a reconciliation looks that long again.
        read = self.timeout.read
        if reconcile_timeout is not None and reconcile_timeout < 0:
            raise InvalidArgumentError("reconcile_timeout: must be at least 0 seconds")
        self.reconcile_seconds = float(
            reconcile_timeout if reconcile_timeout is not None else (read or 60.0)
        )
        self.generation = 0  # how many logins have succeeded; 0 = not logged in yet
        install_log_redaction()
        for secret in config.credentials.secrets():
            register_secret(secret)

    def client_options(self) -> dict[str, Any]:
        return {
            "base_url": self.config.url,
            # Only the encodings _bounded decompresses within its cap (httpx would also
            # offer br and zstd when their packages happen to be installed).
            "headers": {"User-Agent": user_agent(), "Accept-Encoding": "gzip, deflate"},
            "timeout": self.timeout,
            "follow_redirects": False,
            # Verified as httpx's default, its CA store loaded at the first TLS connection
            # only: ~55 ms saved by every call to an http:// URL (_deferred_trust).
            "verify": deferred_trust(),
        }

    def retry_delay(self, operation: Operation, attempt: int, error: GPUEaterError) -> float | None:
        """Seconds before the next attempt of `operation`, or None to raise `error` now."""
        delay = active_policy(self.retry_policy).delay_before_retry(operation, attempt, error)
        if delay is not None:
            _log.debug(
                "%s: attempt %d failed (%s); again in %.2f s",
                operation.name,
                attempt,
                type(error).__name__,
                delay,
            )
        return delay

    def login_arguments(self) -> dict[str, Any]:
        return {"body": _login_form_class()(**self.config.credentials.login_form())}

    def resume_cached_session(self, cookies: httpx.Cookies) -> None:
        """Start from the cached session cookie, if caching is on and there is one."""
        if self.cache is not None and self.cache.load(cookies):
            _register_cookies(cookies)
            self.generation = 1

    def check_login(self, response: Any, cookies: httpx.Cookies) -> None:
        """Raise AuthenticationError unless the login succeeded; cache the new session."""
        _register_cookies(cookies)
        if int(response.status_code) != 200:
            reason = f"the service answered HTTP {int(response.status_code)}"
        else:
            reason = login_failure(response.content) or ""
        if reason:
            kind = {"password": "email and password", "token": "access and secret token"}[
                self.config.credentials.kind
            ]
            if self.cache is not None:
                self.cache.clear()
            raise AuthenticationError(
                f"login to {self.config.url} with the {kind} from {self.config.source} "
                f"failed: {reason}"
            )
        _log.debug(
            "logged in to %s (%s from %s)",
            self.config.url,
            self.config.credentials.kind,
            self.config.source,
        )
        if self.cache is not None:
            self.cache.save(cookies)


def _register_cookies(cookies: httpx.Cookies) -> None:
    for cookie in cookies.jar:
        if cookie.value:
            register_secret(cookie.value)


def _refused_twice(operation: Operation) -> AuthenticationError:
    return AuthenticationError(
        f"{operation.name}: the service refused the session again right after a new login"
    )


class SyncSession:
    """The blocking session, safe to share between threads."""

    def __init__(
        self,
        config: Config,
        *,
        timeout: httpx.Timeout | float | None = None,
        retry_policy: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        session_cache: bool = False,
        limits: AnswerLimits = DEFAULT_LIMITS,
        reconcile_timeout: float | None = None,
    ) -> None:
        self._state = _SessionState(
            config, timeout, retry_policy, session_cache, limits, reconcile_timeout
        )
        self.reconcile_seconds = self._state.reconcile_seconds
        self._sleep = sleep
        self._login_lock = threading.Lock()
        self.http = httpx.Client(**self._state.client_options(), transport=transport)
        self._state.resume_cached_session(self.http.cookies)
        self._generated = _Transport(self.http)

    def call(
        self, operation: Operation, form: Any, fields: dict[str, Any], *, raw: bool = False
    ) -> Any:
        """Run `operation`, asking the retry policy after each failed attempt. `raw`: answer
        the envelope's `data` undecoded (see `_call.interpret`)."""
        arguments = build_arguments(operation, form, fields)
        attempt = 0
        while True:
            attempt += 1
            try:
                result = self._attempt(operation, arguments, raw)
                from_service(result, self._state.config.url)  # the SSH layer's alias needs it
                return result
            except GPUEaterError as error:
                delay = self._state.retry_delay(operation, attempt, error)
                if delay is None:
                    raise
                self._sleep(delay)

    def login(self, seen_generation: int | None = None) -> None:
        """Log in, unless another thread already did since `seen_generation`."""
        with self._login_lock:
            if seen_generation is not None and self._state.generation != seen_generation:
                return
            response = invoke_sync(
                _LOGIN, self._generated, self._state.login_arguments(), self._state.limits
            )
            self._state.check_login(response, self.http.cookies)
            self._state.generation += 1

    def close(self) -> None:
        self.http.close()

    def _attempt(self, operation: Operation, arguments: dict[str, Any], raw: bool) -> Any:
        seen = self._state.generation
        if seen == 0:
            self.login(0)
            seen = self._state.generation
        try:
            return interpret(
                operation,
                invoke_sync(operation, self._generated, arguments, self._state.limits),
                raw=raw,
            )
        except LoginRedirect:
            _log.debug("%s: the session was refused; logging in again", operation.name)
            self.login(seen)
        try:
            return interpret(
                operation,
                invoke_sync(operation, self._generated, arguments, self._state.limits),
                raw=raw,
            )
        except LoginRedirect:
            raise _refused_twice(operation) from None


class AsyncSession:
    """The asyncio session; one event loop at a time, safe to share between its tasks."""

    def __init__(
        self,
        config: Config,
        *,
        timeout: httpx.Timeout | float | None = None,
        retry_policy: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        session_cache: bool = False,
        limits: AnswerLimits = DEFAULT_LIMITS,
        reconcile_timeout: float | None = None,
    ) -> None:
        self._state = _SessionState(
            config, timeout, retry_policy, session_cache, limits, reconcile_timeout
        )
        self.reconcile_seconds = self._state.reconcile_seconds
        import asyncio  # here: a blocking client never needs it (~15 ms of each CLI call)

        self._sleep = sleep or asyncio.sleep
        self._login_lock: asyncio.Lock | None = None  # made in the loop that first needs it
        # httpx's client with a pool whose bookkeeping stays linear at bulk concurrency
        # (_fleet_pool: ~3 of 11 ms of CPU per bulk launch+terminate); loaded here, as
        # httpcore is, so the blocking client and the CLI never import it.
        from gpueater_ext._fleet_pool import FleetAsyncClient

        self.http = FleetAsyncClient(**self._state.client_options(), transport=transport)
        self._state.resume_cached_session(self.http.cookies)
        self._generated = _Transport(self.http)

    async def call(
        self, operation: Operation, form: Any, fields: dict[str, Any], *, raw: bool = False
    ) -> Any:
        """Run `operation`, asking the retry policy after each failed attempt. `raw`: answer
        the envelope's `data` undecoded (see `_call.interpret`)."""
        arguments = build_arguments(operation, form, fields)
        attempt = 0
        while True:
            attempt += 1
            try:
                result = await self._attempt(operation, arguments, raw)
                from_service(result, self._state.config.url)
                return result
            except GPUEaterError as error:
                delay = self._state.retry_delay(operation, attempt, error)
                if delay is None:
                    raise
                await self._sleep(delay)

    async def login(self, seen_generation: int | None = None) -> None:
        """Log in, unless another task already did since `seen_generation`."""
        if self._login_lock is None:
            import asyncio

            self._login_lock = asyncio.Lock()
        async with self._login_lock:
            if seen_generation is not None and self._state.generation != seen_generation:
                return
            response = await invoke_async(
                _LOGIN, self._generated, self._state.login_arguments(), self._state.limits
            )
            self._state.check_login(response, self.http.cookies)
            self._state.generation += 1

    async def aclose(self) -> None:
        await self.http.aclose()

    async def _attempt(self, operation: Operation, arguments: dict[str, Any], raw: bool) -> Any:
        seen = self._state.generation
        if seen == 0:
            await self.login(0)
            seen = self._state.generation
        try:
            return interpret(
                operation,
                await invoke_async(operation, self._generated, arguments, self._state.limits),
                raw=raw,
            )
        except LoginRedirect:
            _log.debug("%s: the session was refused; logging in again", operation.name)
            await self.login(seen)
        try:
            return interpret(
                operation,
                await invoke_async(operation, self._generated, arguments, self._state.limits),
                raw=raw,
            )
        except LoginRedirect:
            raise _refused_twice(operation) from None
