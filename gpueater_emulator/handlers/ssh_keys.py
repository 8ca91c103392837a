"""SSH Key operations."""

from __future__ import annotations

from typing import Any

from ..arguments import Arguments
from ..errors import ApiError
from ..keys import generate_key_pair, public_key_fingerprint
from ..records import SshKeyRecord
from ..world import World

__all__ = ["HANDLERS"]


def ssh_key_list(world: World, arguments: Arguments) -> list[dict[str, Any]]:
    return [key.as_json() for key in world.ssh_keys.values()]


def generate_ssh_key(world: World, arguments: Arguments) -> dict[str, str]:
    return generate_key_pair()


def register_ssh_key(world: World, arguments: Arguments) -> dict[str, Any]:
    name = arguments.text("name")
    public_key = arguments.text("public_key").strip()
    if any(key.name == name for key in world.ssh_keys.values()):
        raise ApiError(f"name: a key named {name!r} is already registered", "duplicate", "name")
    fingerprint = public_key_fingerprint(public_key)
    key = SshKeyRecord(world.ids.numeric(), name, public_key, fingerprint, world.now)
    world.ssh_keys[key.id] = key
    return key.as_json()


def delete_ssh_key(world: World, arguments: Arguments) -> None:
    key = world.ssh_key(arguments.text("id"), field_name="id")
    del world.ssh_keys[key.id]


HANDLERS = {
    "ssh_key_list": ssh_key_list,
    "generate_ssh_key": generate_ssh_key,
    "register_ssh_key": register_ssh_key,
    "delete_ssh_key": delete_ssh_key,
}
