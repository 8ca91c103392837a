"""Instance operations: the launch catalogs, launching, and the life cycle."""

from __future__ import annotations

from typing import Any

from ..arguments import Arguments
from ..catalog import OsImage, Product
from ..errors import ApiError, invalid_state, not_found
from ..lifecycle import advance, begin_phase, leave_running
from ..records import InstanceRecord, InstanceState, SshKeyRecord
from ..world import World

__all__ = ["HANDLERS", "instance_for_action", "seed_running_instances"]


def _ssh_keys_json(world: World) -> list[dict[str, Any]]:
    return [key.as_json() for key in world.ssh_keys.values()]


def ondemand_list(world: World, arguments: Arguments) -> dict[str, Any]:
    return {
        "images": world.images_json(),
        "ssh_keys": _ssh_keys_json(world),
        "products": [product.as_json() for product in world.catalog.products],
    }


def subscription_list(world: World, arguments: Arguments) -> dict[str, Any]:
    active = [
        subscription.as_json()
        for subscription in world.subscriptions.values()
        if subscription.plan.kind == "instance" and subscription.status == "ACTIVE"
    ]
    return {
        "images": world.images_json(),
        "ssh_keys": _ssh_keys_json(world),
        "subscriptions": active,
    }


def _launch_image(world: World, alias: str, product: Product) -> OsImage:
    image = world.image_by_alias(alias)
    if image is None:
        raise not_found("image", "image with alias", alias)
    if image.vendor is not None and image.vendor != product.vendor:
        raise ApiError(
            f"image: {image.name} carries a {image.vendor} driver; {product.name} cannot boot it",
            "incompatible",
            "image",
        )
    return image


def _create_instance(
    world: World,
    product: Product,
    image: OsImage,
    key: SshKeyRecord,
    tag: str,
    subscription_id: str | None = None,
) -> InstanceRecord:
    now = world.now
    instance_id = world.ids.numeric()
    instance = InstanceRecord(
        instance_id=instance_id,
        machine_resource_id=world.ids.numeric(),
        connection_id=world.ids.numeric(),
        tag=tag,
        product=product,
        image=image,
        region_id=product.pool[0] if product.pool else world.catalog.regions[0],
        ssh_key_name=key.name,
        public_key=key.public_key,
        ipv4=world.new_address(instance_id),
        created_at=now,
        subscription_id=subscription_id,
    )
    machines = world.settings.ssh_machines
    if machines is not None:
        # A user image's fingerprint is its key: the new disk starts as a copy of its disk.
        machines.provision(instance, image.key if image.key in world.user_images else None)
    begin_phase(instance, InstanceState.LAUNCHING, now, world.settings.boot_seconds)
    world.instances[instance.instance_id] = instance
    return instance


def _ondemand_product(world: World, product_id: str) -> Product:
    """The product an on-demand launch may use, or the service's refusal."""
    product = world.catalog.product(product_id)
    if product is None:
        raise not_found("product_id", "product", product_id)
    if product.limited:
        raise ApiError(
            f"product_id: {product.name} is offered to a limited set of accounts only",
            "product_limited",
            "product_id",
        )
    if not product.pool:
        raise ApiError(f"product_id: {product.name} is out of stock", "out_of_stock", "product_id")
    return product


def launch_ondemand_instance(world: World, arguments: Arguments) -> None:
    product = _ondemand_product(world, arguments.text("product_id"))
    image = _launch_image(world, arguments.text("image"), product)
    key = world.ssh_key(arguments.text("ssh_key_id"))
    _create_instance(world, product, image, key, arguments.optional_text("tag"))


def seed_running_instances(
    world: World, count: int, product_id: str, image_alias: str, ssh_key_id: str
) -> list[InstanceRecord]:
    """`count` on-demand instances, RUNNING at once, exactly as launches make them (same
    checks, ids, addresses and billing), for the control interface's seeding: filling an
    account by launches costs a list read-back each, which grows with the square of the fleet."""
    product = _ondemand_product(world, product_id)
    image = _launch_image(world, image_alias, product)
    key = world.ssh_key(ssh_key_id)
    seeded: list[InstanceRecord] = []
    try:
        for _ in range(count):
            instance = _create_instance(world, product, image, key, "")  # untagged, as launched
            instance.phase_ends_at = world.now  # booted: the next advance makes it RUNNING
            seeded.append(instance)
    except ApiError:
        for instance in seeded:  # all or nothing: a full address pool seeds none
            del world.instances[instance.instance_id]
        raise
    advance(world)
    return seeded


def launch_subcription_instance(world: World, arguments: Arguments) -> None:
    subscription = world.subscription(arguments.text("subscription_id"))
    if subscription.plan.kind != "instance" or subscription.plan.product_id is None:
        raise invalid_state(
            "subscription_id", f"{subscription.subscription_id} is not for an instance"
        )
    if subscription.status != "ACTIVE":
        raise invalid_state("subscription_id", f"{subscription.subscription_id} is cancelled")
    if subscription.instance_id is not None:
        raise invalid_state(
            "subscription_id",
            f"{subscription.subscription_id} already runs instance {subscription.instance_id}",
        )
    product = world.catalog.product(subscription.plan.product_id)
    assert product is not None, "a seeded plan names a seeded product"
    image = _launch_image(world, arguments.text("image"), product)
    key = world.ssh_key(arguments.text("ssh_key_id"))
    instance = _create_instance(
        world, product, image, key, arguments.optional_text("tag"), subscription.subscription_id
    )
    subscription.instance_id = instance.instance_id


def instance_list(world: World, arguments: Arguments) -> list[dict[str, Any]]:
    return [instance.as_json() for instance in world.instances.values()]


def change_instance_tag(world: World, arguments: Arguments) -> dict[str, Any]:
    instance = world.instance(arguments.text("instance_id"))
    instance.tag = arguments.optional_text("tag")
    return instance.as_json()


def instance_for_action(
    world: World, arguments: Arguments, machine_required: bool = True
) -> InstanceRecord:
    """The instance named by instance_id and, as the life-cycle calls require,
    machine_resource_id: a machine id of another instance must not act on this one."""
    instance = world.instance(arguments.text("instance_id"))
    if machine_required:
        machine_resource_id = arguments.text("machine_resource_id")
    else:
        machine_resource_id = arguments.optional_text("machine_resource_id")
    if machine_resource_id and machine_resource_id != instance.machine_resource_id:
        raise not_found("machine_resource_id", "machine resource", machine_resource_id)
    return instance


def start_instance(world: World, arguments: Arguments) -> dict[str, Any]:
    instance = instance_for_action(world, arguments)
    if instance.state == InstanceState.STOPPING:
        raise invalid_state("instance_id", "the instance is still STOPPING; start it once STOPPED")
    if instance.state == InstanceState.STOPPED:
        begin_phase(instance, InstanceState.LAUNCHING, world.now, world.settings.boot_seconds)
    # RUNNING or LAUNCHING: already (coming) up, nothing happens, as the service documents.
    return instance.as_json()


def stop_instance(world: World, arguments: Arguments) -> dict[str, Any]:
    instance = instance_for_action(world, arguments)
    if instance.state == InstanceState.LAUNCHING:
        raise invalid_state("instance_id", "the instance is still LAUNCHING; stop it once RUNNING")
    if instance.state == InstanceState.RUNNING:
        leave_running(instance, world.now)
        begin_phase(instance, InstanceState.STOPPING, world.now, world.settings.boot_seconds)
    # STOPPING or STOPPED: nothing happens.
    return instance.as_json()


def terminate_instance(world: World, arguments: Arguments) -> dict[str, Any]:
    instance = instance_for_action(world, arguments)
    now = world.now
    leave_running(instance, now)
    instance.state = InstanceState.TERMINATING
    instance.phase_ends_at = None
    del world.instances[instance.instance_id]
    world.terminated.append(instance)
    # What depended on the instance goes with it, or is released.
    for volume in world.volumes.values():
        if volume.instance_id == instance.instance_id:
            volume.instance_id = None
    for snapshot in list(world.snapshots.values()):
        if snapshot.instance_id == instance.instance_id:
            del world.snapshots[snapshot.snapshot_id]
    for subscription in world.subscriptions.values():
        if subscription.instance_id == instance.instance_id:
            subscription.instance_id = None
    for transaction in world.transactions.values():
        if transaction.instance_id == instance.instance_id and transaction.final_status is None:
            transaction.final_progress = transaction.progress(now)
            transaction.final_status = "FAILED"
            transaction.updated_at = now
    return instance.as_json()


def emergency_restart_instance(world: World, arguments: Arguments) -> dict[str, Any]:
    instance = instance_for_action(world, arguments)
    if instance.state in {InstanceState.STOPPED, InstanceState.STOPPING}:
        raise invalid_state("instance_id", f"the instance is {instance.state}; start it instead")
    leave_running(instance, world.now)
    begin_phase(instance, InstanceState.LAUNCHING, world.now, world.settings.boot_seconds)
    return instance.as_json()


HANDLERS = {
    "ondemand_list": ondemand_list,
    "subscription_list": subscription_list,
    "launch_ondemand_instance": launch_ondemand_instance,
    "launch_subcription_instance": launch_subcription_instance,
    "instance_list": instance_list,
    "change_instance_tag": change_instance_tag,
    "start_instance": start_instance,
    "stop_instance": stop_instance,
    "terminate_instance": terminate_instance,
    "emergency_restart_instance": emergency_restart_instance,
}
