"""What mypy must see of both clients' methods: their real return types (never the
internal `Plan`). Only type-checked (by `make lint` and by test_signatures.py), never run."""

from __future__ import annotations

from typing import assert_type

from gpueater import (
    AsyncGPUEater,
    GPUEater,
    Image,
    Instance,
    LaunchCatalog,
    NetworkDescription,
    PortList,
    Snapshot,
    Transaction,
)
from gpueater_ext import CommandResult


def sync_client(eater: GPUEater, instance: Instance) -> None:
    assert_type(eater.instance_list(), list[Instance])
    assert_type(eater.image_list(), list[Image])
    assert_type(eater.ondemand_list(), LaunchCatalog)
    assert_type(eater.open_port("web-1", port=8888), PortList)
    assert_type(eater.open_port(instance, port=8888), PortList)
    assert_type(eater.network_description({"instance_id": "1"}), NetworkDescription)
    assert_type(eater.wait_for_ssh("web-1"), Instance)
    assert_type(eater.wait_for_instance(instance, "STOPPED"), Instance)
    assert_type(eater.snapshot_instance(instance), Snapshot)
    assert_type(eater.capture_command(instance, ["true"]), CommandResult)
    assert_type(eater.live_migration(instance, product_id=1, region_id="r"), Transaction)
    assert_type(eater.terminate_instance("web-1"), Instance)


async def async_client(eater: AsyncGPUEater, instance: Instance) -> None:
    assert_type(await eater.instance_list(), list[Instance])
    assert_type(await eater.open_port("web-1", port=8888), PortList)
    assert_type(await eater.wait_for_ssh(instance), Instance)
    assert_type(await eater.capture_command("web-1", ["true"]), CommandResult)
