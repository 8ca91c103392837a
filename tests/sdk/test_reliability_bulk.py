"""AsyncGPUEater.bulk: bounded concurrency, a result per item, failures kept to their item."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from gpueater_ext import AsyncGPUEater, InvalidArgumentError, NotFoundError
from tests.sdk.fakes import BASE_URL, EMAIL, PASSWORD


def offline_client() -> AsyncGPUEater:
    return AsyncGPUEater(BASE_URL, email=EMAIL, password=PASSWORD)


def test_bulk_runs_at_most_concurrency_actions_at_once_and_keeps_the_order():
    in_flight, most = 0, 0

    async def action(item: int) -> int:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await asyncio.sleep(0)  # let the others start, if the bound allowed it
        await asyncio.sleep(0)
        in_flight -= 1
        if item % 7 == 3:
            raise NotFoundError(f"no item {item}")
        return item * 2

    async def scenario() -> list[Any]:
        async with offline_client() as eater:
            return await eater.bulk(action, range(50), concurrency=4)

    results = asyncio.run(scenario())
    assert most == 4
    assert [r.item for r in results] == list(range(50))
    assert [r.value for r in results if r.ok] == [i * 2 for i in range(50) if i % 7 != 3]
    failed = [r for r in results if not r.ok]
    assert [r.item for r in failed] == [i for i in range(50) if i % 7 == 3]
    assert all(isinstance(r.error, NotFoundError) and r.value is None for r in failed)


def test_bulk_of_nothing_is_an_empty_list_and_concurrency_must_be_positive():
    async def scenario() -> list[Any]:
        async with offline_client() as eater:
            with pytest.raises(InvalidArgumentError):
                await eater.bulk(asyncio.sleep, [1], concurrency=0)
            return await eater.bulk(asyncio.sleep, [])

    assert asyncio.run(scenario()) == []


def test_a_fleet_launches_and_terminates_with_one_result_per_instance(emulator):
    emulator.add_fault("launch_ondemand_instance", "http_500")  # one launch is refused

    async def scenario() -> tuple[list[Any], list[Any]]:
        async with AsyncGPUEater(
            emulator.url, email=emulator.email, password=emulator.password, sleep=_no_sleep
        ) as eater:
            catalog = await eater.ondemand_list()
            pair = await eater.generate_ssh_key()
            key = await eater.register_ssh_key(name="fleet", public_key=pair.public_key)
            options: dict[str, Any] = {
                "product_id": catalog.get_product("a1.rx580").id,
                "image": catalog.get_image("Ubuntu16.04 x64").alias,
                "ssh_key_id": key.id,
            }

            async def launch(number: int) -> Any:
                return await eater.launch_ondemand_instance(**options, tag=f"fleet-{number}")

            launched = await eater.bulk(launch, range(12), concurrency=4)
            running = [r.value for r in launched if r.ok]
            terminated = await eater.bulk(eater.terminate_instance, running, concurrency=4)
            return launched, terminated

    launched, terminated = asyncio.run(scenario())
    assert len(launched) == 12
    assert sum(not r.ok for r in launched) == 1  # the refused one, and only it
    assert len(terminated) == 11
    assert all(r.ok for r in terminated)
    assert emulator.state()["instances"] == []


async def _no_sleep(seconds: float) -> None:
    await asyncio.sleep(0)
