"""Where a retry policy plugs into the call path.

Every call goes through `SyncSession.call`/`AsyncSession.call` (see `_session`), which asks
the session's policy, after each failed attempt, whether and when to try again. The
operation's `kind` (READ or WRITE, from `_operations`) and the error (with its
`may_have_reached_server`, `status_code` and `retry_after` where known) are what a policy
decides on. The default never retries; the retry/reconciliation issue supplies the real one.

The login redirect is not a retry: the session logs in again once and repeats the call
once by itself, because the service refused that call before it had any effect.
"""

from __future__ import annotations

from typing import Protocol

from gpueater_ext._errors import GPUEaterError
from gpueater_ext._operations import Operation

__all__ = ["NO_RETRY", "NoRetry", "RetryPolicy"]


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
