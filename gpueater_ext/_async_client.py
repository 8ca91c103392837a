"""AsyncGPUEater: the asyncio client.

The same methods as GPUEater (declared once in `_methods`), each a coroutine function.
One instance belongs to one event loop, like the httpx.AsyncClient inside it; its tasks may
share it freely.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Iterable
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

from gpueater_ext._client_methods import AsyncClientMethods
from gpueater_ext._config import Config, load_config
from gpueater_ext._errors import GPUEaterError
from gpueater_ext._operations import OPERATIONS
from gpueater_ext._plans import Call, Now, Plan, ReadBack, ReconcileBudget, ServiceUrl, Sleep

if TYPE_CHECKING:  # httpx and the generated client load when a client is made, not on import
    import httpx

    from gpueater_ext._bulk import BulkResult
    from gpueater_ext._retry import RetryPolicy

__all__ = ["AsyncGPUEater"]

T = TypeVar("T")
R = TypeVar("R")


class AsyncGPUEater(AsyncClientMethods):
    """An asyncio GPUEater client: `async with AsyncGPUEater() as eater: ...`.

    Takes the same settings as GPUEater; `sleep` is an async function, `clock` a plain one.
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
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        session_cache: bool = False,
        reconcile_timeout: float | None = None,
        max_response_bytes: int | None = None,
        max_pdf_bytes: int | None = None,
        call_deadline: float | None = None,
        clock: Callable[[], float] | None = None,
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
        # asyncio, httpx and the generated client load here rather than on import.
        import asyncio
        import time

        from gpueater_ext._bounded import AnswerLimits
        from gpueater_ext._session import AsyncSession

        self._sleep = sleep or asyncio.sleep
        self._to_thread = asyncio.to_thread
        self._clock = clock or time.monotonic

        self._session = AsyncSession(
            self.config,
            timeout=timeout,
            retry_policy=retry_policy,
            transport=transport,
            sleep=self._sleep,
            session_cache=session_cache,
            reconcile_timeout=reconcile_timeout,
            limits=AnswerLimits.of(max_response_bytes, max_pdf_bytes, call_deadline),
        )
        from gpueater_ext._read_back import SharedReads

        # Read-backs in flight share one instance_list (see `_read_back`).
        listing = OPERATIONS["instance_list"]
        self._shared_reads = SharedReads(lambda: self._session.call(listing, None, {}, raw=True))

    def __repr__(self) -> str:
        auth = self.config.credentials.kind
        return (
            f"AsyncGPUEater(url={self.config.url!r}, profile={self.config.profile!r}, "
            f"auth={auth!r})"
        )

    async def login(self) -> None:
        """Log in now (calls log in by themselves when needed); raises AuthenticationError."""
        await self._session.login()

    async def bulk(
        self,
        action: Callable[[T], Awaitable[R]],
        items: Iterable[T],
        *,
        concurrency: int = 16,
    ) -> list[BulkResult[T, R]]:
        """`await action(item)` for every item, at most `concurrency` at a time; one
        `BulkResult(item, value, error)` per item, in the order of `items`. A failing item
        does not stop the others: its error is its result.

            results = await eater.bulk(eater.terminate_instance, instances)
            failed = [r for r in results if not r.ok]
        """
        from gpueater_ext._bulk import run_bulk

        return await run_bulk(action, items, concurrency=concurrency)

    async def aclose(self) -> None:
        """Close the connections; the client cannot be used afterwards."""
        await self._session.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _run(self, plan: Plan[T]) -> T:
        import asyncio  # loaded already: this runs in an event loop

        value: Any = None
        # A failure of an effect, or a cancellation or interrupt during it, is thrown into
        # the plan, so a plan's `finally` (run's teardown) also runs then (see `_plans`).
        failure: BaseException | None = None
        while True:
            try:
                effect = plan.throw(failure) if failure else plan.send(value)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            value, failure = None, None
            try:
                if isinstance(effect, Call):
                    operation = OPERATIONS[effect.operation]
                    value = await self._session.call(operation, effect.form, effect.fields)
                elif isinstance(effect, Sleep):
                    await self._sleep(effect.seconds)
                elif isinstance(effect, Now):
                    value = self._clock()
                elif isinstance(effect, ReconcileBudget):
                    value = self._session.reconcile_seconds
                elif isinstance(effect, ServiceUrl):
                    value = self.config.url
                elif isinstance(effect, ReadBack):
                    from gpueater_ext._read_back import select_instances

                    data = await self._shared_reads.instance_list()
                    value = select_instances(data, effect.field, effect.value, self.config.url)
                else:
                    value = await self._to_thread(effect.function, *effect.args, **effect.kwargs)
            except (GPUEaterError, KeyboardInterrupt, asyncio.CancelledError) as error:
                failure = error
