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
    "NotFoundError",
    "OutcomeUnknownError",
    "SSHError",
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


class AuthenticationError(GPUEaterError):
    """Logging in failed, or the service refused the session twice in a row."""


class GPUEaterConnectionError(GPUEaterError):
    """The service could not be reached, or the connection broke."""


class GPUEaterTimeoutError(GPUEaterError):
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


class WaitTimeoutError(GPUEaterError):
    """A waiter's deadline passed; `last_seen` is the object as last observed."""

    def __init__(self, message: str, *, last_seen: Any = None) -> None:
        super().__init__(message)
        self.last_seen = last_seen


class SSHError(GPUEaterError):
    """An SSH, scp or rsync step failed before or around the remote command."""
