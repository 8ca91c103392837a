"""One action over many items with bounded concurrency, an outcome per item.

For fleets: launching or terminating 200 instances should neither open 200 requests at
once nor stop at the first failure, leaving the caller unsure which of the others ran.
`AsyncGPUEater.bulk` is the public entry.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable, Iterable
from typing import Generic, TypeVar

from gpueater_ext._errors import InvalidArgumentError

__all__ = ["BulkResult", "run_bulk"]

T = TypeVar("T")
R = TypeVar("R")


@dataclasses.dataclass(frozen=True)
class BulkResult(Generic[T, R]):
    """What `action(item)` gave: its `value`, or the `error` it raised (then `value` is None).

    `ok` is true when it returned. An error is an exception, usually a GPUEaterError;
    for a write it is as precise as the single call's (NotAppliedError: provably nothing
    happened; OutcomeUnknownError: it may have, check before trying again).
    """

    item: T
    value: R | None = None
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


async def run_bulk(
    action: Callable[[T], Awaitable[R]], items: Iterable[T], *, concurrency: int = 16
) -> list[BulkResult[T, R]]:
    """`action(item)` for every item, at most `concurrency` at a time; results in the order
    of `items`. An exception of one item becomes its result; cancelling the whole batch
    (Ctrl-C, a timeout around it) still cancels the calls in flight."""
    if concurrency < 1:
        raise InvalidArgumentError(f"concurrency must be at least 1, not {concurrency}")
    pending = list(enumerate(items))
    results: list[BulkResult[T, R] | None] = [None] * len(pending)
    queue = iter(pending)

    async def worker() -> None:
        # Workers share one iterator: each takes the next item when it is free, so at most
        # `concurrency` calls are in flight and no task is made per item.
        for index, item in queue:
            try:
                results[index] = BulkResult(item, await action(item))
            except Exception as error:  # the error is this item's result, not the batch's
                results[index] = BulkResult(item, error=error)

    async with asyncio.TaskGroup() as group:
        for _ in range(min(concurrency, len(pending))):
            group.create_task(worker())
    return [result for result in results if result is not None]
