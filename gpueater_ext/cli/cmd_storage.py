"""Extended volumes: `volumes` and `volume create|attach|detach|delete|transfer`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from gpueater_ext._cost import gigabytes, volume_price
from gpueater_ext.cli import _say
from gpueater_ext.cli._confirm import confirm_destroy, confirm_spending
from gpueater_ext.cli._lookup import check_region, find_instance
from gpueater_ext.cli._names import pick_by_name
from gpueater_ext.cli._output import Column, print_json, print_object, print_table
from gpueater_ext.cli._state import CliState, output_option, pass_state, yes_option

if TYPE_CHECKING:
    from gpueater_ext import GPUEater, Volume

__all__ = ["volume", "volumes"]

VOLUME_COLUMNS = (
    Column.field("ID", "volume_id"),
    Column.field("NAME", "name"),
    Column.field("GB", "size", "right"),
    Column.field("TYPE", "storage_type"),
    Column.field("REGION", "region_id"),
    Column.field("STATUS", "status"),
    Column.field("INSTANCE", "instance_id"),
)
VOLUME_FIELDS = [
    "volume_id",
    "name",
    "size",
    "storage_type",
    "region_id",
    "status",
    "instance_id",
    "created_at",
]


def find_volume(client: GPUEater, name: str) -> Volume:
    """A volume by id, name or unique prefix (the account's volumes come with the storage
    plans: `subscription_storage_list`)."""
    return pick_by_name(
        client.subscription_storage_list().volumes,
        name,
        kind="volume",
        id_of=lambda volume: volume.volume_id,
        label_of=lambda volume: volume.name,
    )


def _print_volume(state: CliState, volume: Volume) -> None:
    if state.json:
        print_json(volume)
    else:
        print_object(volume, VOLUME_FIELDS)


@click.command()
@output_option
@pass_state
def volumes(state: CliState) -> None:
    """The account's extended volumes."""
    found = state.client().subscription_storage_list().volumes
    if state.json:
        print_json(found)
    else:
        print_table(found, VOLUME_COLUMNS, empty="no volumes")


@click.group()
def volume() -> None:
    """Create, attach, detach, delete and move extended volumes.

    A VOLUME is named by its id, its name, or a unique prefix of either.
    """


@volume.command("create")
@click.option("--size", type=click.IntRange(min=1), required=True, metavar="GB", help="Size.")
@click.option("--region", metavar="REGION", help="Region (default: the service's).")
@click.option("--type", "storage_type", metavar="TYPE", help="Storage type, such as ssd or hdd.")
@click.option("--name", metavar="NAME", help="A name for the volume (default: its id).")
@yes_option
@output_option
@pass_state
def create_volume(
    state: CliState, size: int, region: str | None, storage_type: str | None, name: str | None
) -> None:
    """Create an extended volume of --size GB.

    A volume is storage kept (and most likely billed) every month, so what is known of its
    price is shown and the creation asked for on a terminal; without one it is refused
    unless --yes. The service lists no price for volumes: the storage plans' rate is shown.
    """
    # Sent as `volume`, the field the service reads (spec 3.0.0, `create_volume`).
    client = state.client()
    if region is not None:
        check_region(client, region)
    described = " ".join(
        part
        for part in (
            f"a {gigabytes(size)}",
            storage_type,
            "volume",
            f"named {name}" if name else None,
            f"in {region}" if region else None,
        )
        if part
    )
    confirm_spending(
        "create",
        described,
        volume_price(size, client.subscription_storage_list().plans),
        assume_yes=state.yes,
        say=state.chatty,
    )
    created = client.create_volume(
        volume=size, region_id=region, storage_type=storage_type, name=name
    )
    _print_volume(state, created)


@volume.command("attach")
@click.argument("volume_name", metavar="VOLUME")
@click.argument("instance")
@output_option
@pass_state
def attach_volume(state: CliState, volume_name: str, instance: str) -> None:
    """Attach VOLUME to a RUNNING INSTANCE in the same region."""
    client = state.client()
    chosen = find_volume(client, volume_name)
    target = find_instance(client, instance)
    # Checked here rather than left to the service: its answer for a stopped instance is
    # not documented, and "start it first" is the useful thing to say.
    if target.state != "RUNNING":
        raise click.ClickException(
            f"instance {target.tag} ({target.instance_id}) is {target.state}: volumes attach "
            f"to a RUNNING instance; start it first (gpueater start {target.instance_id} --wait)"
        )
    _print_volume(
        state, client.attach_volume(volume_id=chosen.volume_id, instance_id=target.instance_id)
    )


@volume.command("detach")
@click.argument("volume_name", metavar="VOLUME")
@output_option
@pass_state
def detach_volume(state: CliState, volume_name: str) -> None:
    """Detach VOLUME from its instance."""
    client = state.client()
    chosen = find_volume(client, volume_name)
    _print_volume(state, client.detach_volume(volume_id=chosen.volume_id))


@volume.command("delete")
@click.argument("volume_name", metavar="VOLUME")
@yes_option
@output_option
@pass_state
def delete_volume(state: CliState, volume_name: str) -> None:
    """Delete a detached VOLUME and the data on it."""
    client = state.client()
    chosen = find_volume(client, volume_name)
    confirm_destroy("delete volume", [f"{chosen.name} ({chosen.volume_id})"], assume_yes=state.yes)
    client.delete_volume(volume_id=chosen.volume_id)
    if state.json:
        print_json({"volume_id": chosen.volume_id, "name": chosen.name, "deleted": True})
    elif state.chatty:
        _say.echo(f"deleted volume {chosen.name} ({chosen.volume_id})", err=True)


@volume.command("transfer")
@click.argument("volume_name", metavar="VOLUME")
@click.option("--region", required=True, metavar="REGION", help="Where to move it.")
@output_option
@pass_state
def transfer_volume(state: CliState, volume_name: str, region: str) -> None:
    """Move a detached VOLUME to another region."""
    client = state.client()
    chosen = find_volume(client, volume_name)
    check_region(client, region)
    _print_volume(state, client.transfer_volume(volume_id=chosen.volume_id, region_id=region))
