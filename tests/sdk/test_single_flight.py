"""Many callers refused by one expired session cause exactly one new login."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

from gpueater_ext import AsyncGPUEater, GPUEater
from tests.sdk.fakes import BASE_URL, EMAIL, PASSWORD, instance

CALLERS = 50


def test_fifty_threads_on_an_expired_session_cause_one_login(service):
    service.instances = [instance("1")]
    with GPUEater(BASE_URL, email=EMAIL, password=PASSWORD) as eater:
        eater.instance_list()
        service.expire_session()
        logins_before = service.logins
        start = threading.Barrier(CALLERS)

        def caller(_: int) -> int:
            start.wait()
            return len(eater.instance_list())

        with ThreadPoolExecutor(max_workers=CALLERS) as pool:
            results = list(pool.map(caller, range(CALLERS)))
    assert results == [1] * CALLERS
    assert service.logins - logins_before == 1


def test_fifty_tasks_on_an_expired_session_cause_one_login(service):
    service.instances = [instance("1")]

    async def scenario() -> list[int]:
        async with AsyncGPUEater(BASE_URL, email=EMAIL, password=PASSWORD) as eater:
            await eater.instance_list()
            service.expire_session()

            async def caller() -> int:
                return len(await eater.instance_list())

            return await asyncio.gather(*(caller() for _ in range(CALLERS)))

    logins_before = service.logins
    assert asyncio.run(scenario()) == [1] * CALLERS
    assert service.logins - logins_before == 2  # the first login, then exactly one more


def test_fifty_first_calls_at_once_log_in_once(service):
    with GPUEater(BASE_URL, email=EMAIL, password=PASSWORD) as eater:
        start = threading.Barrier(CALLERS)

        def caller(_: int) -> list[object]:
            start.wait()
            return list(eater.instance_list())

        with ThreadPoolExecutor(max_workers=CALLERS) as pool:
            list(pool.map(caller, range(CALLERS)))
    assert service.logins == 1
