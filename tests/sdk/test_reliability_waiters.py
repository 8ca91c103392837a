"""Waiters with a fake clock: the deadline is honoured within one poll, a state that cannot
lead to the wanted one ends the wait at once, and SSH means a banner, not an open port."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from gpueater_ext import AsyncGPUEater, Instance, WaitFailedError, WaitTimeoutError
from tests.sdk.fakes import BASE_URL, EMAIL, PASSWORD, FakeTime, client, envelope, instance


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def listing(service: Any, *answers: list[dict[str, Any]]) -> None:
    """instance_list answers these lists in turn, then the last one forever."""
    remaining = list(answers)

    def answer(request: Any) -> Any:
        return envelope(remaining.pop(0) if len(remaining) > 1 else remaining[0])

    service.route("GET", "instance_list", answer)


def test_waiting_for_running_polls_until_running_and_reports_progress(service, fake_time):
    launching, running = instance("1", state="LAUNCHING"), instance("1", state="RUNNING")
    listing(service, [launching], [launching], [running])
    seen: list[tuple[str, float]] = []
    with client(fake_time) as eater:
        result = eater.wait_for_instance(
            "1", poll=2, on_poll=lambda i, elapsed: seen.append((i.state, elapsed))
        )
    assert result.state == "RUNNING"
    assert seen == [("LAUNCHING", 0.0), ("LAUNCHING", 2.0), ("RUNNING", 4.0)]


def test_the_deadline_is_honoured_within_one_poll(service, fake_time):
    listing(service, [instance("1", state="LAUNCHING")])
    with client(fake_time) as eater, pytest.raises(WaitTimeoutError) as raised:
        eater.wait_for_instance("1", timeout=5, poll=2)
    assert fake_time.slept == [2, 2, 1]  # the last pause is cut to the deadline
    assert raised.value.last_seen.state == "LAUNCHING"
    assert "LAUNCHING" in str(raised.value)


@pytest.mark.parametrize(
    ("wanted", "state"),
    [("RUNNING", "TERMINATING"), ("RUNNING", "STOPPING"), ("STOPPED", "LAUNCHING")],
)
def test_a_state_that_cannot_lead_to_the_wanted_one_ends_the_wait_at_once(
    service, fake_time, wanted, state
):
    listing(service, [instance("1", state=state)])
    with client(fake_time) as eater, pytest.raises(WaitFailedError) as raised:
        eater.wait_for_instance("1", wanted, timeout=600)
    assert fake_time.slept == []
    assert state in str(raised.value)
    assert raised.value.last_seen.state == state


def test_an_instance_that_vanishes_ends_the_wait_at_once(service, fake_time):
    listing(service, [instance("1", state="LAUNCHING")], [])
    with client(fake_time) as eater, pytest.raises(WaitFailedError) as raised:
        eater.wait_for_instance("1")
    assert fake_time.slept == [2.0]
    assert "left instance_list" in str(raised.value)
    assert raised.value.last_seen.state == "LAUNCHING"


def test_waiting_for_terminated_returns_the_instance_as_last_seen(service, fake_time):
    listing(service, [instance("1", state="TERMINATING")], [])
    with client(fake_time) as eater:
        gone = eater.wait_for_instance(Instance(**instance("1")), "TERMINATED")
    assert (gone.instance_id, gone.state) == ("1", "TERMINATING")


def test_an_unknown_state_keeps_the_wait_going_until_the_deadline(service, fake_time):
    listing(service, [instance("1", state="MIGRATING")])
    with client(fake_time) as eater, pytest.raises(WaitTimeoutError):
        eater.wait_for_instance("1", timeout=3, poll=1)
    assert sum(fake_time.slept) == 3


def test_the_async_client_waits_with_its_own_clock(service, fake_time):
    launching, running = instance("1", state="LAUNCHING"), instance("1", state="RUNNING")
    listing(service, [launching], [running])

    async def scenario() -> Instance:
        async with AsyncGPUEater(
            BASE_URL,
            email=EMAIL,
            password=PASSWORD,
            sleep=fake_time.async_sleep,
            clock=fake_time.clock,
        ) as eater:
            return await eater.wait_for_instance("1", poll=3)

    assert asyncio.run(scenario()).state == "RUNNING"
    assert fake_time.slept == [3]


@pytest.fixture
def sshd_stand_in() -> Iterator[tuple[int, list[bytes]]]:
    """A loopback TCP server that sends each connection the next of `greetings` (then closes)."""
    greetings: list[bytes] = []
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.05)  # so the thread notices `stop` soon after the test
    port = server.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            with connection:
                if greetings:
                    connection.sendall(greetings.pop(0))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield port, greetings
    stop.set()
    thread.join(timeout=5)
    server.close()


def test_wait_for_ssh_needs_the_ssh_banner_not_just_an_open_port(service, fake_time, sshd_stand_in):
    port, greetings = sshd_stand_in
    greetings += [b"", b"not ssh\r\n", b"Welcome\r\nSSH-2.0-OpenSSH_9.6\r\n"]
    box = {**instance("1", state="RUNNING"), "ipv4": "127.0.0.1", "sshd_port": port}
    listing(service, [box])
    with client(fake_time) as eater:
        ready = eater.wait_for_ssh("1", poll=1)
    assert ready.sshd_port == port
    assert fake_time.slept == [1, 1]


def test_wait_for_ssh_times_out_with_the_instance_as_last_seen(service, fake_time, sshd_stand_in):
    port, _ = sshd_stand_in  # accepts and closes: never a banner
    box = {**instance("1", state="RUNNING"), "ipv4": "127.0.0.1", "sshd_port": port}
    listing(service, [box])
    with client(fake_time) as eater, pytest.raises(WaitTimeoutError) as raised:
        eater.wait_for_ssh("1", timeout=4, poll=2)
    assert raised.value.last_seen.instance_id == "1"
    assert sum(fake_time.slept) == 4


def test_wait_for_ssh_first_waits_for_running(service, fake_time):
    listing(service, [instance("1", state="TERMINATING")])
    with client(fake_time) as eater, pytest.raises(WaitFailedError):
        eater.wait_for_ssh("1")
