"""`if_tag_exists="return"`: a launch made idempotent by tag, in respx, for both clients."""

from __future__ import annotations

import asyncio

import pytest

from gpueater_ext import (
    NO_RETRY,
    AmbiguousTagError,
    AsyncGPUEater,
    GPUEater,
    InvalidArgumentError,
)
from tests.sdk.fakes import BASE_URL, EMAIL, PASSWORD, envelope, instance

FORM = {"product_id": "3", "image": "ubuntu", "ssh_key_id": "5"}


def client() -> GPUEater:
    return GPUEater(
        BASE_URL, email=EMAIL, password=PASSWORD, retry_policy=NO_RETRY, sleep=lambda s: None
    )


def test_an_instance_with_the_tag_is_returned_and_nothing_is_launched(service):
    service.instances = [instance("1", tag="train")]
    with client() as eater:
        found = eater.launch_ondemand_instance(FORM, tag="train", if_tag_exists="return")
    assert found.instance_id == "1"
    assert service.router.routes["launch_ondemand_instance"].call_count == 0


def test_without_one_it_launches_and_the_launch_carries_the_callers_tag(service):
    service.instances = [instance("1", tag="other")]
    with client() as eater:
        launched = eater.launch_ondemand_instance(FORM, tag="train", if_tag_exists="return")
    assert launched.instance_id != "1"
    assert launched.tag == "train"
    assert [i["tag"] for i in service.instances] == ["other", "train"]


def test_an_earlier_unfinished_launch_of_the_tag_is_adopted_and_renamed(service):
    service.instances = [instance("1", tag="train-launch-0123456789ab")]
    with client() as eater:
        adopted = eater.launch_ondemand_instance(FORM, tag="train", if_tag_exists="return")
    assert (adopted.instance_id, adopted.tag) == ("1", "train")
    assert service.instances[0]["tag"] == "train"
    assert service.router.routes["launch_ondemand_instance"].call_count == 0


def test_a_launching_instance_is_waited_for(service):
    states = iter(["LAUNCHING", "LAUNCHING", "RUNNING"])
    service.instances = [instance("1", tag="train", state="LAUNCHING")]

    def listing(request):
        service.instances[0]["state"] = next(states, "RUNNING")
        return envelope(service.instances)

    service.route("GET", "instance_list", listing)
    with client() as eater:
        found = eater.launch_ondemand_instance(FORM, tag="train", if_tag_exists="return")
    assert found.state == "RUNNING"


def test_two_instances_with_the_tag_are_ambiguous_and_name_both(service):
    service.instances = [instance("1", tag="train"), instance("2", tag="train")]
    with client() as eater, pytest.raises(AmbiguousTagError) as raised:
        eater.launch_ondemand_instance(FORM, tag="train", if_tag_exists="return")
    assert [i.instance_id for i in raised.value.instances] == ["1", "2"]
    assert "gpueater instances --tag train" in raised.value.describe(cli=True)


def test_it_needs_a_tag_and_a_known_choice(service):
    with client() as eater:
        with pytest.raises(InvalidArgumentError, match="needs the tag"):
            eater.launch_ondemand_instance(FORM, if_tag_exists="return")
        with pytest.raises(InvalidArgumentError, match="if_tag_exists"):
            eater.launch_ondemand_instance(FORM, tag="t", if_tag_exists="always")  # type: ignore[arg-type]


def test_the_async_client_has_it_too(service):
    service.instances = [instance("1", tag="train")]

    async def main() -> str:
        async with AsyncGPUEater(BASE_URL, email=EMAIL, password=PASSWORD) as eater:
            found = await eater.launch_ondemand_instance(FORM, tag="train", if_tag_exists="return")
            return found.instance_id

    assert asyncio.run(main()) == "1"
