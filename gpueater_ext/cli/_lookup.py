"""Turning what the user typed into the SDK's objects (instances, products, images, keys)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from gpueater_ext.cli._names import pick_by_name

if TYPE_CHECKING:
    from gpueater_ext import GPUEater, Instance, SshKey

__all__ = [
    "check_region",
    "find_instance",
    "find_instances",
    "find_registered_key",
    "known_regions",
]


def find_instances(client: GPUEater, names: Sequence[str]) -> list[Instance]:
    """The instances the names designate, in order, from one `instance_list` call.

    All names are resolved before anything is acted on: a typo in the third name must
    not leave the first two already terminated.
    """
    instances = client.instance_list()
    chosen: list[Instance] = []
    for name in names:
        found = pick_by_name(
            instances,
            name,
            kind="instance",
            id_of=lambda instance: instance.instance_id,
            label_of=lambda instance: instance.tag,
        )
        if found not in chosen:
            chosen.append(found)
    return chosen


def find_instance(client: GPUEater, name: str) -> Instance:
    return find_instances(client, [name])[0]


def find_registered_key(client: GPUEater, name: str) -> SshKey:
    return pick_by_name(
        client.ssh_key_list(),
        name,
        kind="SSH key",
        id_of=lambda key: key.id,
        label_of=lambda key: key.name,
    )


def known_regions(client: GPUEater) -> list[str]:
    """The regions the service offers products in (the products' pools), sorted."""
    return sorted(
        {region for product in client.ondemand_list().products for region in product.pool or []}
    )


def check_region(client: GPUEater, region: str) -> str:
    """`region` if the service knows it, else NotFoundError listing the regions it knows:
    a typo is named before anything is asked of the service (every --region goes here)."""
    regions = known_regions(client)
    if region not in regions:
        from gpueater_ext import NotFoundError

        raise NotFoundError(f"no region named {region!r}; regions: {', '.join(regions)}")
    return region
