"""Several plans at once, inside one plan: how a multi-node run drives its nodes' stages.

A plan yields one effect at a time, and each client runs one effect at a time (`_plans`).
`gather` steps several plans in turn: their client effects (`Call`, `ReadBack`, `Now`,
`ReconcileBudget`, `ServiceUrl`) go through the client one after another, since each is
short; their slow effects (`Blocking`: SSH waits, syncs, the jobs; and `Sleep`) run at
once, each in a worker thread, while `gather` itself yields one `Blocking` that waits for
whichever ends first. So the single-node stages run unchanged on every node, and both
clients run the whole (the async client in its worker thread, without a second session or
login).

Two rules the multi-node run needs:
- `BARRIER`, yielded by a plan, holds it until every other plan has reached the barrier or
  ended; then `at_barrier()` (a plan) runs once and all waiting plans go on.
- When a plan ends in failure (`is_failure`), `on_failure(index)` runs once (it stops the
  others' jobs); from then on a plan's pending effect still gets its answer (a stopped
  job's exit status is recorded), but any new effect a plan yields closes it instead
  (`Outcome.closed`): nothing new starts after a failure.
An interrupt (Ctrl-C; the async client's cancellation) thrown into `gather` closes every
plan and is raised again; the caller cleans up.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import time
from collections.abc import Callable
from typing import Any

from gpueater_ext._errors import GPUEaterError
from gpueater_ext._plans.effects import (
    Blocking,
    Call,
    Now,
    Plan,
    ReadBack,
    ReconcileBudget,
    ServiceUrl,
    Sleep,
    blocking,
)

__all__ = ["BARRIER", "Outcome", "gather"]


class _Barrier:
    def __repr__(self) -> str:
        return "BARRIER"


BARRIER: Any = _Barrier()  # yielded by a plan run by `gather`: wait for the others here


@dataclasses.dataclass
class Outcome:
    """How one plan ended: `value` it returned, or `error` it raised, or `closed` (stopped
    at its next step because another plan failed, or by an interrupt). `done`: it ended."""

    done: bool = False
    value: Any = None
    error: BaseException | None = None
    closed: bool = False


def _wait_any(futures: list[concurrent.futures.Future[Any]]) -> None:
    """Until one of `futures` is done. In short waits: Ctrl-C's SIGINT may be delivered to
    a worker thread, and a wait without a timeout would only see it when a future ends."""
    first = concurrent.futures.FIRST_COMPLETED
    while not concurrent.futures.wait(futures, timeout=0.2, return_when=first).done:
        pass


def gather(
    plans: list[Plan[Any]],
    *,
    is_failure: Callable[[int, Outcome], bool],
    on_failure: Callable[[int], Plan[None]],
    at_barrier: Callable[[], Plan[None]] | None = None,
) -> Plan[list[Outcome]]:
    """Run `plans` together (see the module docstring); one Outcome each, in their order."""
    outcomes = [Outcome() for _ in plans]
    pool = concurrent.futures.ThreadPoolExecutor(
        max_workers=max(1, len(plans)), thread_name_prefix="gpueater-node"
    )
    pending: dict[concurrent.futures.Future[Any], int] = {}
    at_the_barrier: set[int] = set()
    # Plans to step next: (index, value to send, error to throw).
    ready: list[tuple[int, Any, BaseException | None]] = [
        (i, None, None) for i in range(len(plans))
    ]
    failing = False

    def close(index: int) -> None:
        plans[index].close()
        outcomes[index] = Outcome(done=True, closed=True)

    try:
        while ready or pending or at_the_barrier:
            while ready:
                index, value, error = ready.pop(0)
                try:
                    effect = plans[index].throw(error) if error else plans[index].send(value)
                except StopIteration as stop:
                    outcomes[index] = Outcome(done=True, value=stop.value)
                except Exception as failed:  # this plan's failure; an interrupt ends all
                    outcomes[index] = Outcome(done=True, error=failed)
                else:
                    if failing:
                        close(index)
                        continue
                    if effect is BARRIER:
                        at_the_barrier.add(index)
                    elif isinstance(effect, Blocking):
                        future = pool.submit(effect.function, *effect.args, **effect.kwargs)
                        pending[future] = index
                    elif isinstance(effect, Sleep):
                        pending[pool.submit(time.sleep, effect.seconds)] = index
                    elif isinstance(effect, Call | Now | ReconcileBudget | ReadBack | ServiceUrl):
                        try:
                            answer = yield effect
                        except GPUEaterError as call_failed:
                            ready.insert(0, (index, None, call_failed))
                        else:
                            ready.insert(0, (index, answer, None))
                    else:
                        ready.insert(0, (index, None, TypeError(f"not an effect: {effect!r}")))
                    continue
                if not failing and is_failure(index, outcomes[index]):
                    failing = True
                    yield from on_failure(index)
            if at_the_barrier and not pending:
                waiting = sorted(at_the_barrier)
                at_the_barrier.clear()
                if not failing and at_barrier is not None:
                    yield from at_barrier()
                ready.extend((index, None, None) for index in waiting)
                continue
            if pending:
                yield from blocking(_wait_any, list(pending))
                for future in [f for f in pending if f.done()]:
                    index = pending.pop(future)
                    problem = future.exception()
                    ready.append((index, None if problem else future.result(), problem))
        return outcomes
    finally:
        for index, outcome in enumerate(outcomes):
            if not outcome.done:
                close(index)
        # Threads still in a blocking call (a job's stream) end when the caller stops the
        # job; nothing waits for them here.
        pool.shutdown(wait=False, cancel_futures=True)
