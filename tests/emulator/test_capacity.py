"""A launch the emulator cannot place is its `out_of_capacity` refusal, and the address pool
holds a large fleet without slowing down."""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Iterator
from typing import Any

import pytest

from gpueater_emulator import EmulatorSettings, create_app
from gpueater_emulator.arguments import Arguments
from gpueater_emulator.handlers.instances import launch_ondemand_instance
from gpueater_emulator.records import SshKeyRecord
from gpueater_emulator.world import World
from tests.emulator.in_process import InProcessClient

SMALL_POOL = "198.18.0.0/29"  # six host addresses


@pytest.fixture
def small(emulator_settings: EmulatorSettings) -> Iterator[InProcessClient]:
    settings = dataclasses.replace(emulator_settings, address_pool=SMALL_POOL)
    with InProcessClient(create_app(settings)) as client:
        client.log_in()
        yield client


def _launch_form(client: InProcessClient) -> dict[str, Any]:
    pair = client.data("GET", "ssh_key_gen")
    key = client.data(
        "POST", "register_ssh_key", data={"name": "k", "public_key": pair["public_key"]}
    )
    return {"product_id": "3", "image": "ubuntu-16.04-x64", "ssh_key_id": key["id"]}


def test_a_full_pool_refuses_the_launch_with_out_of_capacity_and_launches_nothing(small):
    form = _launch_form(small)
    for number in range(6):
        assert (
            small.data("POST", "launch_ondemand_instance", data={**form, "tag": f"t{number}"})
            is None
        )
    answer = small.request(
        "POST", "/console/servers/launch_ondemand_instance", data={**form, "tag": "x"}
    )
    assert answer.status_code == 200
    assert answer.json()["error"]["code"] == "out_of_capacity"
    instances = small.data("GET", "instance_list")
    assert len(instances) == 6
    addresses = {i["ipv4"] for i in instances}
    assert len(addresses) == 6
    assert all(ipaddress.ip_address(a) in ipaddress.ip_network(SMALL_POOL) for a in addresses)

    # A full pool has no new address for a renewal either; the instance keeps its own.
    first = instances[0]
    refused = small.error("POST", "renew_ipv4", data={"instance_id": first["instance_id"]})
    assert refused["code"] == "out_of_capacity"

    # Terminating one frees its address for the next launch.
    small.data(
        "POST",
        "force_terminate",
        data={
            "instance_id": first["instance_id"],
            "machine_resource_id": first["machine_resource_id"],
        },
    )
    assert small.data("POST", "launch_ondemand_instance", data={**form, "tag": "again"}) is None
    after = small.data("GET", "instance_list")
    assert len({i["ipv4"] for i in after}) == len(after) == 6


def test_the_default_pool_holds_ten_thousand_live_instances_with_distinct_addresses():
    world = World.seeded(EmulatorSettings(boot_seconds=0))
    world.ssh_keys["1"] = SshKeyRecord("1", "k", "ssh-ed25519 AAAA k", "SHA256:k", world.now)
    form = Arguments({"product_id": "3", "image": "ubuntu-16.04-x64", "ssh_key_id": "1"})
    for _ in range(10_000):
        launch_ondemand_instance(world, form)
    addresses = [instance.ipv4 for instance in world.instances.values()]
    assert len(world.instances) == 10_000
    assert len(set(addresses)) == 10_000
    pool = ipaddress.ip_network("198.18.0.0/15")
    assert all(ipaddress.ip_address(a) in pool for a in addresses)
