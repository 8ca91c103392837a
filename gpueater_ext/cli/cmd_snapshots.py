"""Snapshots of instance disks: `snapshots INSTANCE` and `snapshot create|tag|delete|restore`."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import click

from gpueater_ext.cli import _say
from gpueater_ext.cli._confirm import confirm_destroy
from gpueater_ext.cli._lookup import find_instance
from gpueater_ext.cli._names import pick_by_name
from gpueater_ext.cli._output import Column, print_json, print_object, print_table
from gpueater_ext.cli._state import CliState, output_option, pass_state, yes_option

if TYPE_CHECKING:
    from gpueater_ext import GPUEater, Instance, Snapshot

__all__ = ["snapshot", "snapshots"]

SNAPSHOT_COLUMNS = (
    Column.field("ID", "snapshot_id"),
    Column.field("TAG", "tag"),
    Column.field("INSTANCE", "instance_id"),
    Column.field("STATUS", "status"),
    Column.field("GB", "size", "right"),
    Column.field("CREATED", "created_at"),
)


def find_snapshot(client: GPUEater, name: str, of: Instance | None = None) -> Snapshot:
    """A snapshot by id, tag or unique prefix: of one instance, else of any instance (the
    service lists snapshots per instance, so that is one call per instance)."""
    instances = [of] if of is not None else client.instance_list()
    candidates = [found for instance in instances for found in client.snapshot_list(instance)]
    return pick_by_name(
        candidates,
        name,
        kind="snapshot",
        id_of=lambda snapshot: snapshot.snapshot_id,
        label_of=lambda snapshot: snapshot.tag,
    )


@click.command()
@click.argument("instance")
@output_option
@pass_state
def snapshots(state: CliState, instance: str) -> None:
    """An instance's snapshots."""
    client = state.client()
    found = client.snapshot_list(find_instance(client, instance))
    if state.json:
        print_json(found)
    else:
        print_table(found, SNAPSHOT_COLUMNS, empty="no snapshots")


@click.group()
def snapshot() -> None:
    """Take, rename, delete and restore snapshots of instance disks.

    A SNAPSHOT is named by its id, its tag, or a unique prefix of either.
    """


@snapshot.command("create")
@click.argument("instance")
@click.option("--tag", metavar="TAG", help="A name for the snapshot.")
@output_option
@pass_state
def create_snapshot(state: CliState, instance: str, tag: str | None) -> None:
    """Take a snapshot of INSTANCE's disk."""
    client = state.client()
    taken = client.snapshot_instance(find_instance(client, instance), tag=tag)
    if state.json:
        print_json(taken)
    else:
        print_object(taken)


@snapshot.command("tag")
@click.argument("snapshot_name", metavar="SNAPSHOT")
@click.argument("new_tag")
@output_option
@pass_state
def tag_snapshot(state: CliState, snapshot_name: str, new_tag: str) -> None:
    """Change SNAPSHOT's tag to NEW_TAG."""
    client = state.client()
    chosen = find_snapshot(client, snapshot_name)
    client.change_snapshot_tag(snapshot_id=chosen.snapshot_id, tag=new_tag)
    # The service answers a rename with data: null; what it confirmed is this one change.
    renamed = dataclasses.replace(chosen, tag=new_tag)
    if state.json:
        print_json(renamed)
    else:
        print_object(renamed)


@snapshot.command("delete")
@click.argument("snapshot_name", metavar="SNAPSHOT")
@yes_option
@output_option
@pass_state
def delete_snapshot(state: CliState, snapshot_name: str) -> None:
    """Delete a snapshot."""
    client = state.client()
    chosen = find_snapshot(client, snapshot_name)
    shown = f"{chosen.tag or '-'} ({chosen.snapshot_id}, of instance {chosen.instance_id})"
    confirm_destroy("delete snapshot", [shown], assume_yes=state.yes)
    client.delete_snapshot(snapshot_id=chosen.snapshot_id, instance_id=chosen.instance_id)
    if state.json:
        print_json({"snapshot_id": chosen.snapshot_id, "tag": chosen.tag, "deleted": True})
    elif state.chatty:
        _say.echo(f"deleted snapshot {shown}", err=True)


@snapshot.command("restore")
@click.argument("instance")
@click.argument("snapshot_name", metavar="SNAPSHOT")
@yes_option
@output_option
@pass_state
def restore_snapshot(state: CliState, instance: str, snapshot_name: str) -> None:
    """Replace INSTANCE's disk with one of its snapshots (what is on the disk now is lost)."""
    client = state.client()
    target = find_instance(client, instance)
    chosen = find_snapshot(client, snapshot_name, of=target)
    # Destroying: everything written to the disk since the snapshot is overwritten.
    confirm_destroy(
        f"overwrite the disk of {target.tag} ({target.instance_id}) with snapshot",
        [chosen.snapshot_id],
        assume_yes=state.yes,
    )
    client.restore_from_snapshot(target, snapshot_id=chosen.snapshot_id)
    result = {"instance_id": target.instance_id, "snapshot_id": chosen.snapshot_id}
    if state.json:
        print_json({**result, "restored": True})
    elif state.chatty:
        shown = f"{target.tag} ({target.instance_id})"
        _say.echo(f"restored {shown} from snapshot {chosen.snapshot_id}", err=True)
