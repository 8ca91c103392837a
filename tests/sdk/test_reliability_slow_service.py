"""A service slower than the client's read timeout, and concurrent launches with one tag,
against a real emulator process: no call is told "not applied" when it may still happen,
and every launch finds its own instance.

The `delay` fault holds a call before its effect; with `seconds` past the read timeout the
client gives up while the service is still going to act (issue 17: launch,
register_ssh_key and terminate said "safe to call it again" and then took effect).
"""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from gpueater_ext import (
    GPUEater,
    GPUEaterError,
    Instance,
    NotAppliedError,
    OutcomeUnknownError,
)
from gpueater_ext._plans.reconcile import reporting

READ_TIMEOUT = 0.5
OUTLASTS_THE_LOOKS = 2.5  # past the read timeout and the reconciliation after it
LANDS_WHILE_LOOKING = 0.8  # past the read timeout, within the reconciliation after it


@pytest.fixture
def eater(emulator: Any) -> Iterator[GPUEater]:
    with GPUEater(
        emulator.url,
        email=emulator.email,
        password=emulator.password,
        timeout=httpx.Timeout(READ_TIMEOUT, connect=5.0),
    ) as client:
        yield client


def launch_arguments(eater: GPUEater) -> dict[str, Any]:
    catalog = eater.ondemand_list()
    key = catalog.find_ssh_key("slow") or eater.register_ssh_key(
        name="slow", public_key=eater.generate_ssh_key().public_key
    )
    return {
        "product_id": catalog.get_product("a1.rx580").id,
        "image": catalog.get_image("Ubuntu16.04 x64").alias,
        "ssh_key_id": key.id,
    }


def live(emulator: Any) -> dict[str, dict[str, Any]]:
    return {i["instance_id"]: i for i in emulator.state()["instances"]}


def eventually(check: Any, within: float = 20.0) -> None:
    """Wait for a delayed request to take effect: `check()` true, polled (not timed)."""
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, "the delayed request never took effect"
        time.sleep(0.1)


def test_a_launch_the_service_makes_after_the_looks_is_unknown_and_named_then_adopted(
    emulator, eater
):
    arguments = launch_arguments(eater)
    emulator.add_fault("launch_ondemand_instance", "delay", seconds=OUTLASTS_THE_LOOKS)
    with pytest.raises(OutcomeUnknownError) as raised:
        eater.launch_ondemand_instance(**arguments, tag="slow-box")
    error = raised.value
    assert not isinstance(error, NotAppliedError)
    assert error.tag is not None
    assert error.tag.startswith("slow-box-launch-")
    assert "instance_list()" in str(error)
    assert "gpueater instances --tag slow-box`" in error.describe(cli=True)
    assert "instance_list()" not in error.describe(cli=True)

    eventually(lambda: live(emulator))
    landed = list(live(emulator).values())
    assert [i["tag"] for i in landed] == [error.tag]  # the error named the instance made

    # Retrying idempotently adopts that instance instead of launching a second one.
    again = eater.launch_ondemand_instance(**arguments, tag="slow-box", if_tag_exists="return")
    assert again.instance_id == landed[0]["instance_id"]
    assert again.tag == "slow-box"
    assert [i["tag"] for i in live(emulator).values()] == ["slow-box"]
    assert emulator.state()["requests"]["launch_ondemand_instance"] == 1


def test_a_launch_that_lands_while_the_client_looks_is_returned(emulator, eater):
    arguments = launch_arguments(eater)
    emulator.add_fault("launch_ondemand_instance", "delay", seconds=LANDS_WHILE_LOOKING)
    heard: list[str] = []
    with reporting(heard.append):  # what the CLI shows as its progress line
        launched = eater.launch_ondemand_instance(**arguments, tag="lands")
    assert launched.tag == "lands"
    [line] = heard
    assert "looking for the instance tagged lands-launch-" in line
    assert f"up to {READ_TIMEOUT:g} s" in line
    assert list(live(emulator)) == [launched.instance_id]
    assert live(emulator)[launched.instance_id]["tag"] == "lands"


def test_register_ssh_key_and_terminate_are_never_called_not_applied_when_slow(emulator, eater):
    public_key = eater.generate_ssh_key().public_key
    emulator.add_fault("register_ssh_key", "delay", seconds=OUTLASTS_THE_LOOKS)
    with pytest.raises(OutcomeUnknownError) as raised:
        eater.register_ssh_key(name="late", public_key=public_key)
    assert "gpueater ssh-keys" in raised.value.describe(cli=True)
    assert "ssh_key_list()" in str(raised.value)
    eventually(lambda: eater.ssh_key_list())
    assert [k.name for k in eater.ssh_key_list()] == ["late"]

    instance = eater.launch_ondemand_instance(**launch_arguments(eater), tag="doomed")
    emulator.add_fault("terminate_instance", "delay", seconds=OUTLASTS_THE_LOOKS)
    with pytest.raises(OutcomeUnknownError) as terminated:
        eater.terminate_instance(instance)
    assert "gpueater instances" in terminated.value.describe(cli=True)
    eventually(lambda: instance.instance_id not in live(emulator))


def _launch_all(eater: GPUEater, arguments: dict[str, Any], count: int) -> list[Any]:
    def one(_: int) -> Instance | GPUEaterError:
        try:
            return eater.launch_ondemand_instance(**arguments, tag="fleet")
        except GPUEaterError as error:
            return error

    with concurrent.futures.ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


def check_launch_invariants(outcomes: list[Any], instances: dict[str, dict[str, Any]]) -> None:
    """Each success its own instance; every instance returned once or named by an error."""
    returned = [o.instance_id for o in outcomes if isinstance(o, Instance)]
    assert len(returned) == len(set(returned)), "two calls returned the same instance"
    named = {o.tag for o in outcomes if isinstance(o, OutcomeUnknownError)}
    for instance_id, instance in instances.items():
        assert instance_id in returned or instance["tag"] in named, instance
    for outcome in outcomes:
        if isinstance(outcome, Instance):
            assert instances[outcome.instance_id]["tag"] == "fleet"


def test_eight_concurrent_launches_with_one_tag_each_return_their_own_instance(emulator, eater):
    arguments = launch_arguments(eater)
    outcomes = _launch_all(eater, arguments, 8)
    assert all(isinstance(o, Instance) for o in outcomes), outcomes
    instances = live(emulator)
    assert len(instances) == 8
    check_launch_invariants(outcomes, instances)


def test_a_dropped_launch_among_concurrent_ones_claims_no_other_instance(emulator, eater):
    arguments = launch_arguments(eater)
    emulator.add_fault("launch_ondemand_instance", "drop_before_commit")
    outcomes = _launch_all(eater, arguments, 4)
    instances = live(emulator)
    assert len(instances) == 3
    assert sum(isinstance(o, Instance) for o in outcomes) == 3
    check_launch_invariants(outcomes, instances)
