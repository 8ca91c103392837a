"""Read-backs in flight share one instance_list, and never one older than their own write.

Against the real emulator process; the transport only counts, holds or orders requests on
their way (it changes no answer), so what is asserted is what the service saw and what a
caller of the SDK gets.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx

from gpueater_ext import AsyncGPUEater, GPUEater


class _Wire(httpx.AsyncBaseTransport):
    """The real HTTP transport, with requests counted by path and optional hooks."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.counts: Counter[str] = Counter()

    def operation(self, request: httpx.Request) -> str:
        return request.url.path.rsplit("/", 1)[-1]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.counts[self.operation(request)] += 1
        response = await self.inner.handle_async_request(request)
        body = await response.aread()  # whole, so that holding it below holds all of it
        await response.aclose()
        answer = await self.hold(request, body)
        return httpx.Response(response.status_code, headers=response.headers, content=answer)

    async def hold(self, request: httpx.Request, body: bytes) -> bytes:
        return body

    async def aclose(self) -> None:
        await self.inner.aclose()


class _AllLaunchesAnswerTogether(_Wire):
    """Launch answers are held until `fleet` launches have been answered by the service."""

    def __init__(self, fleet: int) -> None:
        super().__init__()
        self.fleet = fleet
        self.answered = 0
        self.all_answered = asyncio.Event()

    async def hold(self, request: httpx.Request, body: bytes) -> bytes:
        if self.operation(request) == "launch_ondemand_instance":
            self.answered += 1
            if self.answered == self.fleet:
                self.all_answered.set()
            await self.all_answered.wait()
        return body


async def _launch_options(eater: AsyncGPUEater) -> dict[str, Any]:
    catalog = await eater.ondemand_list()
    pair = await eater.generate_ssh_key()
    key = await eater.register_ssh_key(name="shared", public_key=pair.public_key)
    return {
        "product_id": catalog.get_product("a1.rx580").id,
        "image": catalog.get_image("Ubuntu16.04 x64").alias,
        "ssh_key_id": key.id,
    }


def test_sixteen_launches_in_flight_share_their_read_backs(emulator):
    wire = _AllLaunchesAnswerTogether(16)

    async def scenario() -> list[Any]:
        async with AsyncGPUEater(
            emulator.url, email=emulator.email, password=emulator.password, transport=wire
        ) as eater:
            options = await _launch_options(eater)
            wire.counts.clear()

            async def launch(number: int) -> Any:
                return await eater.launch_ondemand_instance(**options)

            return await eater.bulk(launch, range(16), concurrency=16)

    results = asyncio.run(scenario())
    assert all(result.ok for result in results), [r.error for r in results if not r.ok]
    ids = {result.value.instance_id for result in results}
    assert len(ids) == 16  # each launch found its own instance
    assert wire.counts["launch_ondemand_instance"] == 16
    # One read-back each would be 16 reads; waiting at once, they share one (or two).
    assert 1 <= wire.counts["instance_list"] <= 2
    assert emulator.state()["requests"]["instance_list"] == wire.counts["instance_list"]


class _SecondLaunchDuringTheFirstRead(_Wire):
    """Orders the wire: launch `first` is answered; its read-back's instance_list is
    answered by the service (without `second`'s instance); only then is launch `second`
    sent and answered, and only after that does the first read's answer arrive. So the
    second launch's read-back asks while a read that predates its write is in flight."""

    def __init__(self) -> None:
        super().__init__()
        self.first_read_served = asyncio.Event()
        self.second_launched = asyncio.Event()
        self.reads = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if b"tag=second" in request.content:
            await self.first_read_served.wait()
        return await super().handle_async_request(request)

    async def hold(self, request: httpx.Request, body: bytes) -> bytes:
        operation = self.operation(request)
        if operation == "instance_list":
            self.reads += 1
            if self.reads == 1:
                self.first_read_served.set()
                await self.second_launched.wait()
        elif operation == "launch_ondemand_instance" and b"tag=second" in request.content:
            self.second_launched.set()
        return body


def test_a_read_back_never_joins_a_read_that_started_before_its_write_answered(emulator):
    wire = _SecondLaunchDuringTheFirstRead()

    async def scenario() -> tuple[Any, Any]:
        # reconcile_timeout=0: one look only, so a read-back served by the stale first
        # read would not find its instance and raise OutcomeUnknownError.
        async with AsyncGPUEater(
            emulator.url,
            email=emulator.email,
            password=emulator.password,
            transport=wire,
            reconcile_timeout=0,
        ) as eater:
            options = await _launch_options(eater)
            return await asyncio.gather(
                eater.launch_ondemand_instance(**options, tag="first"),
                eater.launch_ondemand_instance(**options, tag="second"),
            )

    first, second = asyncio.run(scenario())
    assert (first.tag, second.tag) == ("first", "second")
    assert first.instance_id != second.instance_id
    assert wire.reads == 2  # the second launch's read-back made (joined) a read of its own


def test_the_sync_client_finds_its_launch_among_a_fleet_and_decodes_only_it(emulator):
    with GPUEater(emulator.url, email=emulator.email, password=emulator.password) as eater:
        catalog = eater.ondemand_list()
        pair = eater.generate_ssh_key()
        key = eater.register_ssh_key(name="sync", public_key=pair.public_key)
        options: dict[str, Any] = {
            "product_id": catalog.get_product("a1.rx580").id,
            "image": catalog.get_image("Ubuntu16.04 x64").alias,
            "ssh_key_id": key.id,
        }
        launched = [eater.launch_ondemand_instance(**options, tag=f"n{i}") for i in range(3)]
        assert [i.tag for i in launched] == ["n0", "n1", "n2"]
        assert len({i.instance_id for i in launched}) == 3
        assert all(i.service_url == eater.config.url for i in launched)
        listed = {i.instance_id: i for i in eater.instance_list()}
        assert all(listed[i.instance_id].instance_id == i.instance_id for i in launched)
