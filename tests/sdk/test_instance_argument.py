"""One rule for "an instance argument", for every method of the method table that takes one.

Against the emulator: each such method is called with the same instance named four ways
(the model, its id, its tag, a 1.5-style form dict with only instance_id) on four twin
instances, and must do the same thing each time; an unknown or ambiguous name is a
NotFoundError listing the candidates. The methods come from the table (`Method.instance`),
so a new method that takes an instance is tested without anyone remembering to.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

from gpueater_ext import AsyncGPUEater, GPUEater, Instance, NotFoundError
from gpueater_ext._methods import Method, Methods

INSTANCE_METHODS = sorted(
    name
    for name, value in vars(Methods).items()
    if isinstance(value, Method) and value.instance is not None
)

# What else each method needs to be called at all; an instance method missing here fails
# `test_every_instance_method_has_its_arguments` (so it cannot be left out silently).
OTHER_ARGUMENTS: dict[str, dict[str, Any]] = {
    "create_image": {"image_name": "img{n}"},
    "snapshot_instance": {},
    "snapshot_list": {},
    "restore_from_snapshot": {"snapshot_id": "1"},
    "change_instance_tag": {"tag": "renamed{n}"},
    "start_instance": {},
    "stop_instance": {},
    "restart_instance": {"timeout": 30, "poll_interval": 0.05},
    "terminate_instance": {},
    "emergency_restart_instance": {},
    "port_list": {},
    "open_port": {"port": 8888},
    "close_port": {"port": 22},
    "renew_ipv4": {},
    "refresh_ipv4": {},
    "network_description": {},
    "live_migration": {"product_id": "1", "region_id": "mars-1"},
    "login_instance": {"key_file": "missing.pem"},
    "run_command": {"command": ["true"], "key_file": "missing.pem"},
    "capture_command": {"command": ["true"], "key_file": "missing.pem"},
    "copy_file": {"action": "get", "src": "a", "dst": "b", "key_file": "missing.pem"},
    "move_file": {"action": "get", "src": "a", "dst": "b", "key_file": "missing.pem"},
    "delete_file": {"src": "a", "key_file": "missing.pem"},
    "make_directory": {"dst": "a", "key_file": "missing.pem"},
    "file_list": {"src": ".", "key_file": "missing.pem"},
    "synchronize_files": {"action": "get", "src": "a", "dst": "b", "key_file": "missing.pem"},
    "tunnel": {"port": 0, "remote_port": 8888, "key_file": "missing.pem"},
    "wait_for_instance": {"state": "RUNNING", "timeout": 5},
    "wait_for_ssh": {"timeout": 0},
}


def client(emulator) -> GPUEater:
    return GPUEater(emulator.url, email=emulator.email, password=emulator.password)


def launch(eater: GPUEater, tag: str) -> Instance:
    catalog = eater.ondemand_list()
    key = eater.register_ssh_key(name=f"k-{tag}", public_key=eater.generate_ssh_key().public_key)
    return eater.launch_ondemand_instance(
        product_id=catalog.get_product("a1.rx580").id,
        image=catalog.get_image("Ubuntu16.04 x64").alias,
        ssh_key_id=key.id,
        tag=tag,
    )


def arguments(name: str, n: int = 0) -> dict[str, Any]:
    """The method's other arguments for twin `n` (names that must be unique carry `{n}`)."""
    return {
        key: value.format(n=n) if isinstance(value, str) else value
        for key, value in OTHER_ARGUMENTS[name].items()
    }


def outcome(eater: GPUEater, name: str, argument: object, instance: Instance, n: int) -> str:
    """What the call did, with this instance's id and tag (and `n`) as placeholders."""
    try:
        result: Any = getattr(eater, name)(argument, **arguments(name, n))
        if hasattr(result, "close"):
            result.close()
        seen = f"{type(result).__name__}"
        if isinstance(result, Instance):
            seen += f" {result.instance_id} {result.state}"
    except Exception as error:  # the error is the outcome under comparison
        seen = f"{type(error).__name__}: {error}"
    seen = seen.replace(instance.tag or "?", "<tag>").replace(f"img{n}", "img<n>")
    return re.sub(rf"\b{re.escape(instance.instance_id)}\b", "<id>", seen)


def test_every_instance_method_has_its_arguments():
    assert set(INSTANCE_METHODS) == set(OTHER_ARGUMENTS)


@pytest.mark.parametrize("name", INSTANCE_METHODS)
def test_an_instance_named_any_way_is_the_same_instance(emulator, name):
    with client(emulator) as eater:
        twins = [launch(eater, f"twin{n}-{name}") for n in range(4)]
        named_ways = [
            twins[0],
            twins[1].instance_id,
            twins[2].tag,
            {"instance_id": twins[3].instance_id},
        ]
        outcomes = [
            outcome(eater, name, way, twin, n)
            for n, (way, twin) in enumerate(zip(named_ways, twins, strict=True))
        ]
    assert len(set(outcomes)) == 1, dict(
        zip(["model", "id", "tag", "form dict"], outcomes, strict=True)
    )
    # The instance was found and the method got as far as its own work.
    assert not outcomes[0].startswith(("NotFoundError", "WaitFailedError", "TypeError"))


@pytest.mark.parametrize("name", INSTANCE_METHODS)
def test_an_unknown_or_ambiguous_name_lists_the_candidates(emulator, name):
    with client(emulator) as eater:
        first, second = launch(eater, f"web-1-{name}"), launch(eater, f"web-2-{name}")
        method = getattr(eater, name)
        with pytest.raises(NotFoundError) as unknown:
            method("no-such-instance", **arguments(name))
        with pytest.raises(NotFoundError) as ambiguous:
            method("web-", **arguments(name))
    for error in (unknown.value, ambiguous.value):
        assert f"{first.instance_id} ({first.tag})" in str(error)
        assert f"{second.instance_id} ({second.tag})" in str(error)
    assert "'no-such-instance'" in str(unknown.value)
    assert "'web-' names 2 instances" in str(ambiguous.value)


def test_a_unique_prefix_names_the_instance(emulator):
    with client(emulator) as eater:
        instance = launch(eater, "unique-prefix-tag")
        launch(eater, "other")
        ports = eater.open_port("unique-pre", port=8888)
        assert [p.port for p in ports.port_list if p.port == 8888] == [8888]
        seen = eater.wait_for_instance("unique-pre", timeout=5)
    assert seen.instance_id == instance.instance_id


def test_a_complete_1_5_form_is_sent_without_a_lookup(emulator):
    with client(emulator) as eater:
        instance = launch(eater, "complete-form")
        before = emulator.state()["requests"].get("instance_list", 0)
        eater.open_port(instance.to_dict(), port=8080)
    assert emulator.state()["requests"].get("instance_list", 0) == before


def test_the_async_client_names_instances_by_the_same_rule(emulator):
    with client(emulator) as eater:
        instance = launch(eater, "async-web-1")

    async def scenario() -> tuple[str, list[int]]:
        async with AsyncGPUEater(
            emulator.url, email=emulator.email, password=emulator.password
        ) as eater:
            seen = await eater.wait_for_instance({"instance_id": instance.instance_id})
            ports = await eater.open_port("async-web-1", port=8888)
            return seen.instance_id, [p.port for p in ports.port_list]

    seen_id, ports = asyncio.run(scenario())
    assert seen_id == instance.instance_id
    assert 8888 in ports
