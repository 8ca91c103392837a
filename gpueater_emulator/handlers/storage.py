"""Storage operations: extended volumes, their attachment and transfer."""

from __future__ import annotations

from typing import Any

from ..arguments import Arguments
from ..errors import ApiError, invalid_state, not_found
from ..records import VolumeRecord
from ..world import World

__all__ = ["HANDLERS"]

_STORAGE_TYPES = ("ssd", "hdd")


def _known_region(world: World, region_id: str) -> str:
    if region_id not in world.catalog.regions:
        raise not_found("region_id", "region", region_id)
    return region_id


def _settled(volume: VolumeRecord) -> VolumeRecord:
    if volume.transfer_to is not None:
        raise invalid_state("volume_id", f"{volume.volume_id} is moving to {volume.transfer_to}")
    return volume


def _size_gb(arguments: Arguments) -> int:
    # `volume` (the Node client's field) and `size` (the README's) both give the size.
    given = {name: arguments.integer(name, 1) for name in ("volume", "size") if name in arguments}
    if not given:
        raise ApiError(
            "volume: is required (the size in GB; `size` is also accepted)",
            "invalid_request",
            "volume",
        )
    if len(set(given.values())) > 1:
        raise ApiError(
            f"volume, size: both give the size in GB and disagree ({given['volume']} and "
            f"{given['size']}); send one of them",
            "invalid_request",
        )
    return next(iter(given.values()))


def create_volume(world: World, arguments: Arguments) -> dict[str, Any]:
    size = _size_gb(arguments)
    region_id = _known_region(
        world, arguments.optional_text("region_id") or world.catalog.regions[0]
    )
    storage_type = arguments.optional_text("storage_type") or _STORAGE_TYPES[0]
    if storage_type not in _STORAGE_TYPES:
        raise ApiError(
            f"storage_type: must be one of {', '.join(_STORAGE_TYPES)}",
            "invalid_request",
            "storage_type",
        )
    volume_id = world.ids.prefixed("v")
    volume = VolumeRecord(
        volume_id=volume_id,
        name=arguments.optional_text("name") or volume_id,
        size_gb=size,
        region_id=region_id,
        storage_type=storage_type,
        created_at=world.now,
    )
    world.volumes[volume_id] = volume
    return volume.as_json()


def attach_volume(world: World, arguments: Arguments) -> dict[str, Any]:
    volume = _settled(world.volume(arguments.text("volume_id")))
    instance = world.instance(arguments.text("instance_id"))
    if volume.instance_id is not None:
        raise invalid_state("volume_id", f"{volume.volume_id} is attached to {volume.instance_id}")
    if volume.region_id != instance.region_id:
        raise invalid_state(
            "instance_id",
            f"the volume is in {volume.region_id} and the instance in {instance.region_id}",
        )
    volume.instance_id = instance.instance_id
    return volume.as_json()


def detach_volume(world: World, arguments: Arguments) -> dict[str, Any]:
    volume = _settled(world.volume(arguments.text("volume_id")))
    if volume.instance_id is None:
        raise invalid_state("volume_id", f"{volume.volume_id} is not attached")
    volume.instance_id = None
    return volume.as_json()


def delete_volume(world: World, arguments: Arguments) -> None:
    volume = _settled(world.volume(arguments.text("volume_id")))
    if volume.instance_id is not None:
        raise invalid_state("volume_id", f"{volume.volume_id} is attached; detach it first")
    del world.volumes[volume.volume_id]


def transfer_volume(world: World, arguments: Arguments) -> dict[str, Any]:
    volume = _settled(world.volume(arguments.text("volume_id")))
    region_id = _known_region(world, arguments.text("region_id"))
    if volume.instance_id is not None:
        raise invalid_state("volume_id", f"{volume.volume_id} is attached; detach it first")
    if region_id == volume.region_id:
        raise invalid_state("region_id", f"{volume.volume_id} is already in {region_id}")
    volume.transfer_to = region_id
    volume.transfer_ends_at = world.now + world.settings.volume_transfer_seconds
    return volume.as_json()


HANDLERS = {
    "create_volume": create_volume,
    "attach_volume": attach_volume,
    "detach_volume": detach_volume,
    "delete_volume": delete_volume,
    "transfer_volume": transfer_volume,
}
