"""One exception hierarchy for everything the SDK raises.

No httpx, generator or OS exception reaches a user: each is translated into one of these.
Messages never contain secrets (passwords, tokens, cookies, private keys).
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "APIError",
    "AuthenticationError",
    "ConfigError",
    "GPUEaterConnectionError",
    "GPUEaterError",
    "GPUEaterTimeoutError",
    "InvalidArgumentError",
    "NotAppliedError",
    "NotFoundError",
    "OutcomeUnknownError",
    "SSHError",
    "UnexpectedResponseError",
    "WaitFailedError",
    "WaitTimeoutError",
]


class GPUEaterError(Exception):
    """Base of every error the SDK raises."""


class APIError(GPUEaterError):
    """The service answered with an error envelope (or an answer that breaks the spec).

    `operation` is the operationId that failed; `payload` is the service's `error` value as
    sent (a string or a dict), or None when the answer itself was malformed.
    """

    def __init__(self, message: str, *, operation: str, payload: Any = None) -> None:
        super().__init__(message)
        self.operation = operation
        self.payload = payload


class UnexpectedResponseError(APIError):
    """The service answered outside its contract: an HTTP status other than 200 (such as 429,
    500, 502, 503, 504), an unexpected redirect, or a body that is not the JSON envelope.

    `status_code` is the HTTP status; `retry_after` is the server's `Retry-After` in seconds
    when it sent a usable one (the retry policy of a later issue honours it).
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        status_code: int,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, operation=operation, payload=None)
        self.status_code = status_code
        self.retry_after = retry_after


class InvalidArgumentError(GPUEaterError, ValueError):
    """A call was made with missing or malformed arguments; nothing was sent.

    Also a ValueError, so code written against plain Python conventions catches it.
    """


class AuthenticationError(GPUEaterError):
    """Logging in failed, or the service refused the session twice in a row."""


class _TransportError(GPUEaterError):
    """Shared shape of the two transport failures.

    `operation` is the operationId being called (None outside a call). A false
    `may_have_reached_server` means the request provably never left (the connection was not
    established), so even a write may be sent again.
    """

    def __init__(
        self, message: str, *, operation: str | None = None, may_have_reached_server: bool = True
    ) -> None:
        super().__init__(message)
        self.operation = operation
        self.may_have_reached_server = may_have_reached_server


class GPUEaterConnectionError(_TransportError):
    """The service could not be reached, or the connection broke."""


class GPUEaterTimeoutError(_TransportError):
    """A request to the service took longer than its timeout."""


class ConfigError(GPUEaterError):
    """Configuration is missing or unreadable; the message names the file, key and fix."""


class NotFoundError(GPUEaterError):
    """A named thing (instance, product, image, key, ...) does not exist."""


class OutcomeUnknownError(GPUEaterError):
    """A write may or may not have taken effect, and reading the state back could not tell.

    The message says how to check.
    """

    def __init__(self, message: str, *, operation: str) -> None:
        super().__init__(message)
        self.operation = operation


class NotAppliedError(GPUEaterError):
    """A write's answer was lost, and reading the state back showed that it did not take
    effect: nothing changed, so it is safe to try again. `cause` is the lost answer's error.
    """

    def __init__(self, message: str, *, operation: str, cause: GPUEaterError) -> None:
        super().__init__(message)
        self.operation = operation
        self.cause = cause


class WaitTimeoutError(GPUEaterError):
    """A waiter's deadline passed; `last_seen` is the object as last observed."""

    def __init__(self, message: str, *, last_seen: Any = None) -> None:
        super().__init__(message)
        self.last_seen = last_seen


class WaitFailedError(GPUEaterError):
    """A waiter gave up early: the instance reached a state that cannot lead to the wanted
    one, or left instance_list. `last_seen` is the instance as last observed (None if never).
    """

    def __init__(self, message: str, *, last_seen: Any = None) -> None:
        super().__init__(message)
        self.last_seen = last_seen


class SSHError(GPUEaterError):
    """An SSH, scp or rsync step failed before or around the remote command."""
