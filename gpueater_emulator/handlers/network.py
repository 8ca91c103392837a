"""Network operations: an instance's ports and addresses."""

from __future__ import annotations

from typing import Any

from ..arguments import Arguments
from ..errors import not_found
from ..records import InstanceRecord
from ..world import World

__all__ = ["HANDLERS"]


def _connected_instance(world: World, arguments: Arguments, required: bool) -> InstanceRecord:
    instance = world.instance(arguments.text("instance_id"))
    connection_id = (
        arguments.text("connection_id") if required else arguments.optional_text("connection_id")
    )
    if connection_id and connection_id != instance.connection_id:
        raise not_found("connection_id", "connection", connection_id)
    return instance


def _port_list(instance: InstanceRecord) -> list[dict[str, Any]]:
    # The bare list, as the Node console reads it (spec 3.0.0, `port_list`'s description).
    return instance.ports_json()


def _network(instance: InstanceRecord) -> dict[str, Any]:
    # `instance_info` as the Node console reads it: the instance's status and its ports.
    return {"instance_status": instance.status_json(), "port_list": _port_list(instance)}


def port_list(world: World, arguments: Arguments) -> list[dict[str, Any]]:
    return _port_list(_connected_instance(world, arguments, required=False))


def open_port(world: World, arguments: Arguments) -> list[dict[str, Any]]:
    instance = _connected_instance(world, arguments, required=True)
    port = arguments.integer("port", 1, 65535)
    # Opening an open port changes nothing and succeeds, like the life-cycle calls.
    if port not in instance.ports:
        instance.ports.append(port)
    return _port_list(instance)


def close_port(world: World, arguments: Arguments) -> list[dict[str, Any]]:
    instance = _connected_instance(world, arguments, required=True)
    port = arguments.integer("port", 1, 65535)
    if port not in instance.ports:
        raise not_found("port", "open port", str(port))
    instance.ports.remove(port)
    return _port_list(instance)


def renew_ipv4(world: World, arguments: Arguments) -> dict[str, Any]:
    instance = world.instance(arguments.text("instance_id"))
    instance.ipv4 = world.new_address(instance.instance_id, replacing=instance.ipv4)
    return _network(instance)


def refresh_ipv4(world: World, arguments: Arguments) -> dict[str, Any]:
    return _network(world.instance(arguments.text("instance_id")))


def network_description(world: World, arguments: Arguments) -> dict[str, Any]:
    return _network(world.instance(arguments.text("instance_id")))


HANDLERS = {
    "port_list": port_list,
    "open_port": open_port,
    "close_port": close_port,
    "renew_ipv4": renew_ipv4,
    "refresh_ipv4": refresh_ipv4,
    "network_description": network_description,
}
