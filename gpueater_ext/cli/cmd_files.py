"""Files on an instance: `cp`, `mv`, `rm`, `mkdir`, `ls`.

A remote path is written `INSTANCE:PATH`, as with scp: an argument is remote when it holds
a ':' before any '/' (write `./a:b` for a local file so named). `INSTANCE:` alone is the
remote user's home. Paths are taken literally on both sides: no glob, `~` or `$VAR`
expansion happens on the instance, whatever the name holds.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Literal

import click

from gpueater_ext.cli import _say
from gpueater_ext.cli._confirm import confirm_destroy
from gpueater_ext.cli._exit import CliUsageError
from gpueater_ext.cli._lookup import find_instance
from gpueater_ext.cli._output import Column, iso_time, plain, print_json, print_table
from gpueater_ext.cli._progress import transfer_progress
from gpueater_ext.cli._state import CliState, output_option, pass_state, yes_option
from gpueater_ext.cli.cmd_ssh import key_file_option

if TYPE_CHECKING:
    from gpueater_ext import GPUEater, Instance, RemoteFileEntry

__all__ = ["cp", "ls", "mkdir", "mv", "rm"]


@dataclasses.dataclass(frozen=True)
class Transfer:
    """A cp or mv as the SDK takes it: which way, and the paths on each side."""

    instance: str
    action: Literal["get", "put"]
    src: str
    dst: str


def _remote_part(argument: str) -> tuple[str, str] | None:
    """(instance, path) when `argument` is `INSTANCE:PATH`, else None (a local path)."""
    name, colon, path = argument.partition(":")
    if not colon or not name or "/" in name:
        return None
    return name, path or "."


def parse_transfer(src: str, dst: str) -> Transfer:
    """The transfer `SRC DST` describe; exactly one of them must be remote."""
    remote_src, remote_dst = _remote_part(src), _remote_part(dst)
    if remote_src and not remote_dst:
        return Transfer(remote_src[0], "get", remote_src[1], dst)
    if remote_dst and not remote_src:
        return Transfer(remote_dst[0], "put", src, remote_dst[1])
    raise CliUsageError(
        "exactly one of SRC and DST must be INSTANCE:PATH (write ./NAME for a local path "
        "holding ':')"
    )


def _transfer_command(name: str, verb: str, summary: str) -> click.Command:
    """cp and mv: same arguments, different SDK method."""

    @click.command(name, help=summary)
    @click.argument("src")
    @click.argument("dst")
    @click.option("-r", "--recursive", is_flag=True, help="Copy folders and their content.")
    @key_file_option
    @output_option
    @pass_state
    def command(
        state: CliState, src: str, dst: str, recursive: bool, key_file: Path | None
    ) -> None:
        transfer = parse_transfer(src, dst)
        client = state.client()
        instance = find_instance(client, transfer.instance)
        method = client.copy_file if name == "cp" else client.move_file
        where = "from" if transfer.action == "get" else "to"
        doing = f"copying {PurePosixPath(transfer.src).name!r} {where} {instance.tag}"
        with transfer_progress(doing, enabled=state.chatty and sys.stderr.isatty()):
            method(
                instance,
                action=transfer.action,
                src=transfer.src,
                dst=transfer.dst,
                recursive=recursive,
                key_file=key_file,
            )
        done = {
            "instance_id": instance.instance_id,
            "action": transfer.action,
            "src": transfer.src,
            "dst": transfer.dst,
            "recursive": recursive,
        }
        if state.json:
            print_json(done)
        elif state.chatty:
            _say.echo(
                f"{verb} {transfer.src!r} {where} {instance.tag} ({instance.instance_id}) "
                f"as {transfer.dst!r}",
                err=True,
            )

    return command


cp = _transfer_command(
    "cp",
    "copied",
    "Copy a file (a folder with -r) to or from an instance: cp FILE web:PATH, cp web:PATH FILE.",
)
mv = _transfer_command(
    "mv",
    "moved",
    "Move a file (a folder with -r) to or from an instance; the source is deleted once copied.",
)


def _instance_for(state: CliState, name: str) -> tuple[GPUEater, Instance]:
    client = state.client()
    return client, find_instance(client, name)


@click.command()
@click.argument("instance")
@click.argument("path")
@click.option("-r", "--recursive", is_flag=True, help="Delete a folder and all it holds.")
@key_file_option
@yes_option
@output_option
@pass_state
def rm(state: CliState, instance: str, path: str, recursive: bool, key_file: Path | None) -> None:
    """Delete a file on an instance (a folder with -r, after confirmation)."""
    client, found = _instance_for(state, instance)
    if recursive:
        confirm_destroy(
            "delete", [f"{path!r} and everything in it on {found.tag}"], assume_yes=state.yes
        )
    client.delete_file(found, src=path, recursive=recursive, key_file=key_file)
    if state.json:
        print_json({"instance_id": found.instance_id, "path": path, "deleted": True})
    elif state.chatty:
        _say.echo(f"deleted {path!r} on {found.tag} ({found.instance_id})", err=True)


@click.command()
@click.argument("instance")
@click.argument("path")
@key_file_option
@output_option
@pass_state
def mkdir(state: CliState, instance: str, path: str, key_file: Path | None) -> None:
    """Create a folder on an instance, with any missing parents."""
    client, found = _instance_for(state, instance)
    client.make_directory(found, dst=path, key_file=key_file)
    if state.json:
        print_json({"instance_id": found.instance_id, "path": path, "created": True})
    elif state.chatty:
        _say.echo(f"created {path!r} on {found.tag} ({found.instance_id})", err=True)


def _modified(row: Mapping[str, Any]) -> str:
    # The row's `modified` is already ISO 8601 (`_entry_rows`): shown to the minute.
    return str(row["modified"])[:16].replace("T", " ")


def _entry_rows(entries: Sequence[RemoteFileEntry]) -> list[dict[str, Any]]:
    """Entries as data: `modified` as an ISO 8601 time, as every time in the CLI's output
    (the SDK's entry holds seconds since the epoch)."""
    return [{**plain(entry), "modified": iso_time(entry.modified)} for entry in entries]


LIST_COLUMNS = (
    Column.field("TYPE", "type"),
    Column.field("SIZE", "size", "right"),
    Column("MODIFIED (UTC)", _modified),
    Column.field("NAME", "name"),  # escaped like every cell, undecodable bytes as \xNN
)


@click.command()
@click.argument("instance")
@click.argument("path", default=".")
@key_file_option
@output_option
@pass_state
def ls(state: CliState, instance: str, path: str, key_file: Path | None) -> None:
    """List a folder on an instance (default: the remote user's home)."""
    client, found = _instance_for(state, instance)
    entries = client.file_list(found, src=path, key_file=key_file)
    rows = _entry_rows(entries)
    if state.json:
        print_json(rows)
    else:
        print_table(rows, LIST_COLUMNS, empty=f"{path!r} is empty")
