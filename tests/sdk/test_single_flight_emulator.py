"""Against the emulator: 50 threads and 50 asyncio tasks refused by one expired session
cause exactly one login request each time (the emulator counts requests per operation;
its clock is moved past the session's lifetime, so nothing here waits on real time)."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

from gpueater_ext import AsyncGPUEater, GPUEater

CALLERS = 50
PAST_ANY_SESSION_TTL = 10 * 365 * 24 * 3600.0


def logins(emulator) -> int:
    return int(emulator.state()["requests"].get("api_login", 0))


def test_threads_and_tasks_on_an_expired_session_log_in_once_each(emulator):
    with GPUEater(emulator.url, email=emulator.email, password=emulator.password) as eater:
        eater.instance_list()
        assert logins(emulator) == 1
        emulator.advance_clock(PAST_ANY_SESSION_TTL)
        start = threading.Barrier(CALLERS)

        def caller(_: int) -> int:
            start.wait()
            return len(eater.instance_list())

        with ThreadPoolExecutor(max_workers=CALLERS) as pool:
            assert list(pool.map(caller, range(CALLERS))) == [0] * CALLERS
    assert logins(emulator) == 2

    async def tasks() -> list[int]:
        async with AsyncGPUEater(
            emulator.url, access_token=emulator.access_token, secret_token=emulator.secret_token
        ) as eater:
            await eater.instance_list()
            emulator.advance_clock(PAST_ANY_SESSION_TTL)

            async def caller() -> int:
                return len(await eater.instance_list())

            return await asyncio.gather(*(caller() for _ in range(CALLERS)))

    assert asyncio.run(tasks()) == [0] * CALLERS
    assert logins(emulator) == 4  # the async client's first login, then exactly one more
    # Each client's refused calls were repeated: more list requests than callers.
    assert emulator.state()["requests"]["instance_list"] > 2 * (CALLERS + 1)
