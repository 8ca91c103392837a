"""One exception hierarchy for everything the SDK raises.

No httpx, generator or OS exception reaches a user: each is translated into one of these.
Messages never contain secrets (passwords, tokens, cookies, private keys).
"""

from __future__ import annotations

import dataclasses
from typing import Any

__all__ = [
    "APIError",
    "AmbiguousTagError",
    "AuthenticationError",
    "ConfigError",
    "GPUEaterConnectionError",
    "GPUEaterError",
    "GPUEaterTimeoutError",
    "InvalidArgumentError",
    "NextStep",
    "NotAppliedError",
    "NotFoundError",
    "OutcomeUnknownError",
    "SSHError",
    "UnexpectedResponseError",
    "WaitFailedError",
    "WaitTimeoutError",
]


@dataclasses.dataclass(frozen=True)
class NextStep:
    """What an error suggests doing next, for each kind of reader: `sdk_call` for a Python
    caller (`instance_list()`), `cli_command` for someone at the `gpueater` command
    (`gpueater instances --tag T`; None when no command shows it). `advice` is the sentence
    around them, with `{how}` where the call or command goes."""

    advice: str
    sdk_call: str
    cli_command: str | None = None

    def text(self, *, cli: bool) -> str:
        how = f"`{self.cli_command}`" if cli and self.cli_command else f"`{self.sdk_call}`"
        return self.advice.format(how=how)


class GPUEaterError(Exception):
    """Base of every error the SDK raises.

    An error that suggests a next step carries it as `next_step` (a NextStep): `str(error)`
    names the SDK call, `error.describe(cli=True)` the `gpueater` command instead.
    """

    next_step: NextStep | None = None

    def describe(self, *, cli: bool = False) -> str:
        """The message, ending with the next step for a Python caller or a CLI user."""
        text = super().__str__()
        if self.next_step is None:
            return text
        return f"{text}; {self.next_step.text(cli=cli)}"

    def __str__(self) -> str:
        return self.describe()


class APIError(GPUEaterError):
    """The service answered with an error envelope (or an answer that breaks the spec).

    `operation` is the operationId that failed; `payload` is the service's `error` value as
    sent (a string or a dict), or None when the answer itself was malformed.
    """

    def __init__(self, message: str, *, operation: str, payload: Any = None) -> None:
        super().__init__(message)
        self.operation = operation
        self.payload = payload

    @property
    def code(self) -> str | None:
        """The service's stable error code (`out_of_capacity`, `not_found`, ...), if it sent
        one; the spec's ErrorObject lists the known ones."""
        code = self.payload.get("code") if isinstance(self.payload, dict) else None
        return code if isinstance(code, str) else None


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
    """A write may or may not have taken effect (or may still take effect: the service can
    act on a request after its answer was lost), and reading the state back within the
    reconciliation deadline did not find it. Calling it again may do it twice.

    `next_step` says how to check; `tag` is the tag a launch's instance will carry if it
    appears (None for other writes).
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        next_step: NextStep | None = None,
        tag: str | None = None,
    ) -> None:
        super().__init__(message)
        self.operation = operation
        self.next_step = next_step
        self.tag = tag


class NotAppliedError(GPUEaterError):
    """A write provably did not take effect: its request never left this machine (the
    connection could not be made). Nothing changed, so it is safe to call it again.
    `cause` is the transport error. A write the service refused raises APIError instead.
    """

    def __init__(self, message: str, *, operation: str, cause: GPUEaterError) -> None:
        super().__init__(message)
        self.operation = operation
        self.cause = cause


class AmbiguousTagError(GPUEaterError):
    """More than one live instance carries the tag an idempotent launch was asked to
    return, so it cannot tell which one is meant. `instances` are those instances."""

    def __init__(self, message: str, *, instances: list[Any], next_step: NextStep) -> None:
        super().__init__(message)
        self.instances = instances
        self.next_step = next_step


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
