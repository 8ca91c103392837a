"""Waiting for a transaction and for an image build, with a fake clock: polls until the job
has ended, reports each look, returns an ended job (cancelled included) and honours the
deadline."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from gpueater_ext import AsyncGPUEater, UserImage, WaitFailedError, WaitTimeoutError
from tests.sdk.fakes import BASE_URL, EMAIL, PASSWORD, FakeTime, client, envelope, form_of


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def answers(service: Any, method: str, operation: str, *payloads: Any) -> list[Any]:
    """The operation answers these payloads in turn, then the last one forever; the
    requests it received are collected in the returned list."""
    remaining, received = list(payloads), []

    def answer(request: Any) -> Any:
        received.append(request)
        return envelope(remaining.pop(0) if len(remaining) > 1 else remaining[0])

    service.route(method, operation, answer)
    return received


def transaction(status: str, progress: int) -> dict[str, Any]:
    return {"transaction_id": "t-1", "status": status, "progress": progress, "kind": "x"}


def test_a_transaction_is_followed_until_done(service, fake_time: FakeTime):
    sent = answers(
        service,
        "POST",
        "peak_transaction",
        transaction("PENDING", 0),
        transaction("RUNNING", 50),
        transaction("DONE", 100),
    )
    seen: list[tuple[str, float]] = []
    with client(fake_time) as eater:
        done = eater.wait_for_transaction(
            "t-1", poll=3, on_poll=lambda t, elapsed: seen.append((t.status, elapsed))
        )
    assert done.status == "DONE"
    assert seen == [("PENDING", 0), ("RUNNING", 3), ("DONE", 6)]
    assert {form_of(request)["transaction_id"] for request in sent} == {"t-1"}


def test_a_cancelled_transaction_ends_the_wait_without_an_error(service, fake_time):
    answers(service, "POST", "peak_transaction", transaction("RUNNING", 10))
    with client(fake_time) as eater:
        running = eater.peak_transaction(transaction_id="t-1")
        answers(service, "POST", "peak_transaction", transaction("CANCELLED", 10))
        assert eater.wait_for_transaction(running).status == "CANCELLED"


def test_a_transaction_wait_honours_its_deadline(service, fake_time):
    answers(service, "POST", "peak_transaction", transaction("RUNNING", 10))
    with client(fake_time) as eater, pytest.raises(WaitTimeoutError) as raised:
        eater.wait_for_transaction("t-1", timeout=5, poll=2)
    assert sum(fake_time.slept) == 5
    assert raised.value.last_seen.progress == 10
    assert "RUNNING, 10%" in str(raised.value)


def image(status: str, progress: int) -> dict[str, Any]:
    return {"fingerprint": "f1", "name": "mine", "status": status, "progress": progress}


def test_an_image_build_is_followed_until_ready(service, fake_time):
    answers(
        service,
        "GET",
        "registered_image_list",
        [image("BUILDING", 0)],
        [image("BUILDING", 60), {**image("READY", 100), "fingerprint": "other"}],
        [image("READY", 100)],
    )
    progress: list[int | None] = []
    with client(fake_time) as eater:
        ready = eater.wait_for_image("f1", poll=1, on_poll=lambda i, _: progress.append(i.progress))
    assert (ready.status, progress) == ("READY", [0, 60, 100])


def test_an_image_deleted_while_building_ends_the_wait(service, fake_time):
    answers(service, "GET", "registered_image_list", [image("BUILDING", 0)], [])
    with client(fake_time) as eater, pytest.raises(WaitFailedError, match="f1"):
        eater.wait_for_image("f1", poll=1)


def test_the_async_client_follows_an_image_build(service, fake_time):
    answers(service, "GET", "registered_image_list", [image("BUILDING", 5)], [image("READY", 100)])

    async def scenario() -> UserImage:
        async with AsyncGPUEater(
            BASE_URL,
            email=EMAIL,
            password=PASSWORD,
            sleep=fake_time.async_sleep,
            clock=fake_time.clock,
        ) as eater:
            return await eater.wait_for_image("f1", poll=2)

    assert asyncio.run(scenario()).status == "READY"
    assert fake_time.slept == [2]
