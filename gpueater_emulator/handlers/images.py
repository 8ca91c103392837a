"""Image operations: OS images, user-defined images and snapshots."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from ..arguments import Arguments
from ..errors import ApiError, invalid_state, not_found
from ..records import InstanceState, SnapshotRecord, UserImageRecord
from ..world import World
from .instances import instance_for_action

__all__ = ["HANDLERS"]

_IMPORTED_IMAGE_GB = 40


def image_list(world: World, arguments: Arguments) -> list[dict[str, Any]]:
    images = [image.as_json() for image in world.catalog.images]
    for record in world.user_images.values():
        if record.is_ready(world.now):
            images.append(
                {
                    "name": record.name,
                    "alias": record.alias,
                    "description": record.description,
                    "user_defined": True,
                }
            )
    return images


def registered_image_list(world: World, arguments: Arguments) -> list[dict[str, Any]]:
    return [record.as_json(world.now) for record in world.user_images.values()]


def _new_user_image(
    world: World, name: str, description: str, volume_gb: int, vendor: str | None
) -> dict[str, Any]:
    taken = {image.name for image in world.catalog.images}
    taken |= {record.name for record in world.user_images.values()}
    if name in taken:
        raise ApiError(f"image_name: an image named {name!r} exists", "duplicate", "image_name")
    fingerprint = world.ids.fingerprint()
    # The alias is what a launch names; derive a readable one, unique among all images.
    alias = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or fingerprint
    if any(image.alias == alias for image in world.catalog.images) or any(
        record.alias == alias for record in world.user_images.values()
    ):
        alias = f"{alias}-{fingerprint[:8]}"
    record = UserImageRecord(
        fingerprint=fingerprint,
        name=name,
        alias=alias,
        description=description,
        volume_gb=volume_gb,
        created_at=world.now,
        build_seconds=world.settings.image_build_seconds,
        vendor=vendor,
    )
    world.user_images[fingerprint] = record
    return record.as_json(world.now)


def create_image(world: World, arguments: Arguments) -> dict[str, Any]:
    instance = instance_for_action(world, arguments, machine_required=False)
    # The disk keeps its GPU driver, so the image boots where the instance's image did.
    image = _new_user_image(
        world,
        arguments.text("image_name"),
        arguments.optional_text("description"),
        instance.product.root_storage_gb,
        instance.image.vendor,
    )
    machines = world.settings.ssh_machines
    if machines is not None:
        machines.save_image(instance.instance_id, image["fingerprint"])
    return image


def import_image(world: World, arguments: Arguments) -> dict[str, Any]:
    url = arguments.text("url")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ApiError("url: must be an http or https URL", "invalid_request", "url")
    return _new_user_image(
        world,
        arguments.text("image_name"),
        arguments.optional_text("description"),
        _IMPORTED_IMAGE_GB,
        None,
    )


def delete_image(world: World, arguments: Arguments) -> None:
    record = world.user_image(arguments.text("fingerprint"))
    del world.user_images[record.fingerprint]


def snapshot_instance(world: World, arguments: Arguments) -> dict[str, Any]:
    instance = instance_for_action(world, arguments, machine_required=False)
    snapshot = SnapshotRecord(
        snapshot_id=world.ids.prefixed("s"),
        instance_id=instance.instance_id,
        tag=arguments.optional_text("tag"),
        size_gb=instance.product.root_storage_gb,
        created_at=world.now,
    )
    machines = world.settings.ssh_machines
    if machines is not None:
        machines.save_snapshot(instance.instance_id, snapshot.snapshot_id)
    world.snapshots[snapshot.snapshot_id] = snapshot
    return snapshot.as_json()


def snapshot_list(world: World, arguments: Arguments) -> list[dict[str, Any]]:
    instance = world.instance(arguments.text("instance_id"))
    return [
        snapshot.as_json()
        for snapshot in world.snapshots.values()
        if snapshot.instance_id == instance.instance_id
    ]


def snapshots(world: World, arguments: Arguments) -> list[dict[str, Any]]:
    # The Ruby client's deprecated twin of snapshot_list: every snapshot of the account.
    return [snapshot.as_json() for snapshot in world.snapshots.values()]


def change_snapshot_tag(world: World, arguments: Arguments) -> None:
    snapshot = world.snapshot(arguments.text("snapshot_id"))
    snapshot.tag = arguments.optional_text("tag")


def delete_snapshot(world: World, arguments: Arguments) -> None:
    snapshot = world.snapshot(arguments.text("snapshot_id"))
    instance_id = arguments.optional_text("instance_id")
    if instance_id and instance_id != snapshot.instance_id:
        raise not_found("instance_id", "snapshot of instance", instance_id)
    del world.snapshots[snapshot.snapshot_id]


def restore_from_snapshot(world: World, arguments: Arguments) -> None:
    instance = instance_for_action(world, arguments, machine_required=False)
    snapshot = world.snapshot(arguments.text("snapshot_id"))
    if snapshot.instance_id != instance.instance_id:
        raise invalid_state("snapshot_id", f"{snapshot.snapshot_id} is of another instance")
    if instance.state in {InstanceState.LAUNCHING, InstanceState.STOPPING}:
        raise invalid_state(
            "instance_id", f"the instance is {instance.state}; wait until it settles"
        )
    machines = world.settings.ssh_machines
    if machines is not None:
        machines.restore_snapshot(instance.instance_id, snapshot.snapshot_id)


HANDLERS = {
    "image_list": image_list,
    "registered_image_list": registered_image_list,
    "create_image": create_image,
    "import_image": import_image,
    "delete_image": delete_image,
    "snapshot_instance": snapshot_instance,
    "snapshot_list": snapshot_list,
    "snapshots": snapshots,
    # The Ruby client's deprecated twin of snapshot_instance: the same form, the same answer.
    "take_snapshot": snapshot_instance,
    "change_snapshot_tag": change_snapshot_tag,
    "delete_snapshot": delete_snapshot,
    "restore_from_snapshot": restore_from_snapshot,
}
