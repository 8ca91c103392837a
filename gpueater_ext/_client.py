"""GPUEater: the blocking client.

Its methods (one per function of the service's README) are declared once in `_methods`
and shared with AsyncGPUEater; this class only runs their plans with blocking I/O. Being
plain blocking code it also works inside a running event loop (a notebook cell).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

from gpueater_ext._client_methods import SyncClientMethods
from gpueater_ext._config import Config, load_config
from gpueater_ext._errors import GPUEaterError
from gpueater_ext._operations import OPERATIONS
from gpueater_ext._plans import Call, Now, Plan, ReadBack, ReconcileBudget, ServiceUrl, Sleep

if TYPE_CHECKING:  # httpx and the generated client load when a client is made, not on import
    import httpx

    from gpueater_ext._retry import RetryPolicy

__all__ = ["GPUEater"]

T = TypeVar("T")


class GPUEater(SyncClientMethods):
    """A blocking GPUEater client; safe to share between threads. Close it when done
    (or use it as a context manager).

    Settings not given here come from the environment and `~/.eater` (see `load_config`).
    `timeout` is seconds or an httpx.Timeout (default: connect 10 s, read 60 s);
    `retry_policy` decides what is retried (default: `Retry()`, see
    docs/guides/reliability.md; `gpueater_ext.retrying` overrides it for a block of calls);
    `session_cache=True` keeps the session cookie in the user's cache directory (mode 0600)
    so that the next process need not log in again; `reconcile_timeout` is how many seconds
    a write whose answer was lost keeps reading the state back before it raises
    OutcomeUnknownError (default: the read timeout, as long as the service could still be
    acting on it; 0 looks once); `max_response_bytes` (default 32 MiB), `max_pdf_bytes`
    (default 16 MiB, the invoice PDF) and `call_deadline` (default 300 s for one answer to
    arrive whole) bound what an answer may cost: past them a call raises APIError (see
    `_bounded`); `transport`, `sleep` and `clock` (monotonic seconds, read by the waiters'
    deadlines) exist for tests.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        email: str | None = None,
        password: str | None = None,
        access_token: str | None = None,
        secret_token: str | None = None,
        profile: str | None = None,
        config_file: str | os.PathLike[str] | None = None,
        config: Config | None = None,
        timeout: httpx.Timeout | float | None = None,
        retry_policy: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        session_cache: bool = False,
        reconcile_timeout: float | None = None,
        max_response_bytes: int | None = None,
        max_pdf_bytes: int | None = None,
        call_deadline: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config or load_config(
            url=url,
            email=email,
            password=password,
            access_token=access_token,
            secret_token=secret_token,
            profile=profile,
            config_file=config_file,
        )
        # httpx and the generated client load here rather than on import.
        from gpueater_ext._bounded import AnswerLimits
        from gpueater_ext._session import SyncSession

        self._sleep = sleep
        self._clock = clock

        self._session = SyncSession(
            self.config,
            timeout=timeout,
            retry_policy=retry_policy,
            transport=transport,
            sleep=sleep,
            session_cache=session_cache,
            reconcile_timeout=reconcile_timeout,
            limits=AnswerLimits.of(max_response_bytes, max_pdf_bytes, call_deadline),
        )

    def __repr__(self) -> str:
        auth = self.config.credentials.kind
        return f"GPUEater(url={self.config.url!r}, profile={self.config.profile!r}, auth={auth!r})"

    def login(self) -> None:
        """Log in now (calls log in by themselves when needed); raises AuthenticationError."""
        self._session.login()

    def close(self) -> None:
        """Close the connections; the client cannot be used afterwards."""
        self._session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _read_back(self, effect: ReadBack) -> Any:
        # Its own fresh read, the wanted instances decoded (`_read_back`). Not shared
        # between threads: each thread's read-back blocks on its own request anyway, and a
        # shared one would need a second lock-and-condition protocol for a client whose
        # bulk work (threads) is the caller's, not the SDK's.
        from gpueater_ext._read_back import select_instances

        data = self._session.call(OPERATIONS["instance_list"], None, {}, raw=True)
        return select_instances(data, effect.field, effect.value, self.config.url)

    def _run(self, plan: Plan[T]) -> T:
        value: Any = None
        # A failure of an effect, or an interrupt during it, is thrown into the plan, so a
        # plan's `finally` (run's teardown) also runs after Ctrl-C (see `_plans`).
        failure: GPUEaterError | KeyboardInterrupt | None = None
        while True:
            try:
                effect = plan.throw(failure) if failure else plan.send(value)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            value, failure = None, None
            try:
                if isinstance(effect, Call):
                    operation = OPERATIONS[effect.operation]
                    value = self._session.call(operation, effect.form, effect.fields)
                elif isinstance(effect, Sleep):
                    self._sleep(effect.seconds)
                elif isinstance(effect, Now):
                    value = self._clock()
                elif isinstance(effect, ReconcileBudget):
                    value = self._session.reconcile_seconds
                elif isinstance(effect, ServiceUrl):
                    value = self.config.url
                elif isinstance(effect, ReadBack):
                    value = self._read_back(effect)
                else:
                    value = effect.function(*effect.args, **effect.kwargs)
            except (GPUEaterError, KeyboardInterrupt) as error:
                failure = error
