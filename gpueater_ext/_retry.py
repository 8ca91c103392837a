"""Which failed calls are tried again, and after how long.

Every call goes through `SyncSession.call`/`AsyncSession.call` (see `_session`), which asks
the session's policy, after each failed attempt, whether and when to try again. The
operation's `kind` (READ or WRITE, from `_operations`) and the error (with its
`may_have_reached_server`, `status_code` and `retry_after` where known) are what a policy
decides on.

`Retry` (the clients' default) repeats a READ after a transport failure (connect error,
timeout, protocol error, dropped connection) or HTTP 429, 502, 503 or 504, with jittered
exponential backoff. A WRITE is repeated only when it provably never left this machine
(connect error, connect timeout): any other failure may have reached the service, and
sending it again could launch a second instance. Such a failure goes back to the method's
plan, which reads the state back (see `_plans.reconcile`).

The login redirect is not a retry: the session logs in again once and repeats the call
once by itself, because the service refused that call before it had any effect.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
from collections.abc import Callable, Iterator
from typing import Protocol

from gpueater_ext._errors import (
    GPUEaterConnectionError,
    GPUEaterError,
    GPUEaterTimeoutError,
    UnexpectedResponseError,
)
from gpueater_ext._operations import Kind, Operation

__all__ = [
    "NO_RETRY",
    "RETRYABLE_STATUSES",
    "NoRetry",
    "Retry",
    "RetryPolicy",
    "active_policy",
    "retrying",
]

# Statuses that say "not now" rather than "not this": overload, a gateway that lost its
# upstream, rate limiting. A 500 is a bug on the service's side and is not retried.
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})


class RetryPolicy(Protocol):
    def delay_before_retry(
        self, operation: Operation, attempt: int, error: GPUEaterError
    ) -> float | None:
        """Seconds to wait before attempt `attempt + 1`, or None to raise `error` now."""
        ...


class NoRetry:
    """Never retry: every failure reaches the caller at once."""

    def delay_before_retry(
        self, operation: Operation, attempt: int, error: GPUEaterError
    ) -> float | None:
        return None


NO_RETRY = NoRetry()


@dataclasses.dataclass(frozen=True)
class Retry:
    """Jittered exponential backoff: at most `attempts` attempts in all (1 = no retry).

    The pause before retry n (n = 1, 2, ...) is drawn between half of and the whole of
    `min(cap, base * 2 ** (n - 1))`; the jitter keeps a fleet of clients from retrying in
    step. A `Retry-After` from the service is waited for (but no less than the backoff) when
    it is at most `cap`; when the service asks for longer, the error is raised at once
    rather than blocking the caller. `random` returns a float in [0, 1) (injectable for
    tests); the pause itself goes through the client's `sleep`.
    """

    attempts: int = 3
    base: float = 0.5
    cap: float = 8.0
    random: Callable[[], float] | None = None

    def delay_before_retry(
        self, operation: Operation, attempt: int, error: GPUEaterError
    ) -> float | None:
        if attempt >= self.attempts or not may_repeat(operation, error):
            return None
        backoff = min(self.cap, self.base * 2.0 ** (attempt - 1))
        delay = backoff * (0.5 + 0.5 * self._random())
        retry_after = error.retry_after if isinstance(error, UnexpectedResponseError) else None
        if retry_after is not None:
            if retry_after > self.cap:
                return None
            delay = min(self.cap, max(delay, retry_after))
        return delay

    def _random(self) -> float:
        if self.random is not None:
            return self.random()
        import random  # only a failing call needs it; keeps `import gpueater_ext` quick

        return random.random()  # noqa: S311 - jitter, not a secret


def may_repeat(operation: Operation, error: GPUEaterError) -> bool:
    """Whether sending `operation` again after `error` is safe and may help."""
    if isinstance(error, GPUEaterConnectionError | GPUEaterTimeoutError):
        return operation.kind is Kind.READ or not error.may_have_reached_server
    if isinstance(error, UnexpectedResponseError):
        return operation.kind is Kind.READ and error.status_code in RETRYABLE_STATUSES
    return False


_PER_CALL: contextvars.ContextVar[RetryPolicy | None] = contextvars.ContextVar(
    "gpueater_retry_policy", default=None
)


@contextlib.contextmanager
def retrying(policy: RetryPolicy) -> Iterator[None]:
    """Calls made inside this block use `policy` instead of their client's.

    `with retrying(Retry(attempts=6)): eater.instance_list()`. The choice belongs to the
    current thread or asyncio task (and the tasks it starts), so other threads and tasks
    sharing the client keep the client's policy.
    """
    token = _PER_CALL.set(policy)
    try:
        yield
    finally:
        _PER_CALL.reset(token)


def active_policy(client_policy: RetryPolicy) -> RetryPolicy:
    """The policy of a call made now: the innermost `retrying` block's, else the client's."""
    return _PER_CALL.get() or client_policy
