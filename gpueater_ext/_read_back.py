"""Read-backs (`_plans.ReadBack`): one fresh `instance_list`, only the wanted instances decoded,
and in the async client one list shared by every read-back in flight.

Why: a bulk launch of 200 instances made every launch read and decode the whole list to
find its own instance: 200 reads, and decoding grew with the square of the fleet, so the
run was CPU-bound (bulk_speedup 8.2 at concurrency 16, scripts/bench.py). Here the raw
records are searched by one field and only the matches are decoded (linear in the fleet),
and `SharedReads` lets the read-backs waiting at the same time share one request.

The rule that keeps it correct: a read-back joins only a read that has NOT started yet
(its request not yet sent) when it asks, never one already in flight, which may have been
answered from a state older than the asker's own write. So a read-back always sees a state
at least as new as its write's answer, exactly as its own request would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from gpueater_ext._decode import list_of
from gpueater_ext._models import Instance, from_service

__all__ = ["SharedReads", "select_instances"]

_decode_list = list_of(Instance)


def select_instances(data: Any, field: str, value: str, service_url: str) -> list[Instance]:
    """The Instances of an undecoded `instance_list` answer whose `field` is `value`,
    validated and marked as read from `service_url`; the other records are not decoded.
    An answer that is not a list raises APIError as the full decoder would."""
    if not isinstance(data, list):
        return _decode_list(data, "instance_list")  # raises the usual APIError
    matches = [
        (index, record)
        for index, record in enumerate(data)
        if not isinstance(record, dict) or record.get(field) == value
    ]  # a record that is not an object cannot be searched: decoding it raises
    found = [
        Instance.from_payload(record, operation="instance_list", where=f"data[{index}]")
        for index, record in matches
    ]
    from_service(found, service_url)
    return found


class _Read:
    """One shared `instance_list`: its answer (or failure) for every read-back that joined
    it before its request was sent."""

    def __init__(self) -> None:
        self.started = False
        self.answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()


class SharedReads:
    """At most one shared `instance_list` in flight, and at most one waiting to start.

    A read-back arriving while none is in flight starts one (its request leaves at the
    next turn of the event loop, so read-backs asking in the same turn share it too); one
    arriving while a read is in flight joins the next read, which starts as soon as the
    one in flight ends. Under 16 concurrent launches this turns 16 reads into a few.
    """

    def __init__(self, read: Callable[[], Awaitable[Any]]) -> None:
        self._read = read  # one undecoded instance_list, retried by the session's policy
        self._next: _Read | None = None  # not started yet: joinable
        self._in_flight: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()  # strong references until done
        self.requests = 0  # how many reads were sent (tests read it)

    async def instance_list(self) -> Any:
        """The raw `data` of an `instance_list` whose request is sent after this call."""
        pending = self._next
        if pending is None or pending.started:
            pending = self._next = _Read()
            task = asyncio.get_running_loop().create_task(self._run(pending))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        # shield: a cancelled read-back leaves the read to the others who joined it
        return await asyncio.shield(pending.answer)

    async def _run(self, pending: _Read) -> None:
        while self._in_flight is not None:  # the read in flight may predate the askers
            previous = self._in_flight
            await asyncio.wait([previous])
        pending.started = True  # from here on, a new asker needs the next read
        if self._next is pending:
            self._next = None
        self._in_flight = asyncio.current_task()
        try:
            self.requests += 1
            answer = await self._read()
        except Exception as error:  # every joiner gets the failure, as its own read would
            pending.answer.set_exception(error)
        except BaseException:  # cancelled (the loop is closing) or interrupted
            pending.answer.cancel()
            raise
        else:
            pending.answer.set_result(answer)
        finally:
            self._in_flight = None
        if pending.answer.done() and not pending.answer.cancelled():
            pending.answer.exception()  # retrieved: nobody may be left to await it
