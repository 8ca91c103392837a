"""`ssh-config`: Host blocks for the running instances, printed or kept included from
~/.ssh/config, so plain `ssh gpueater-<label>-<tag>`, rsync and editors reach them."""

from __future__ import annotations

import click

from gpueater_ext.cli import _say
from gpueater_ext.cli._output import Column, print_json, print_table
from gpueater_ext.cli._state import CliState, output_option, pass_state

__all__ = ["ssh_config"]

HOST_COLUMNS = (
    Column.field("HOST", "name"),
    Column.field("INSTANCE", "instance_id"),
    Column.field("TAG", "tag"),
)


@click.command("ssh-config")
@click.option(
    "--write",
    is_flag=True,
    help="Keep the blocks in gpueater's own file and Include it from ~/.ssh/config "
    "(added once, at the top, with a backup; your own entries are not touched).",
)
@output_option
@pass_state
def ssh_config(state: CliState, write: bool) -> None:
    """ssh_config Host blocks (gpueater-<service label>-<tag>) for the RUNNING instances.

    Without --write the blocks are printed, to read or to paste. With it, the next
    `gpueater ssh-config --write` also drops terminated instances.
    """
    config = state.client().ssh_config(write=write)
    hosts = [{"name": h.name, "instance_id": h.instance_id, "tag": h.tag} for h in config.hosts]
    written = config.written
    if state.json:
        shown: dict[str, object] = {"hosts": hosts, "skipped": config.skipped}
        if written is not None:
            shown |= {
                "file": str(written.path),
                "user_config": str(written.user_config),
                "include_added": written.include_added,
                "backup": str(written.backup) if written.backup is not None else None,
            }
        else:
            shown["text"] = config.text
        print_json(shown)
        return
    if state.chatty:
        for note in config.skipped:
            _say.echo(f"note: no Host block for {note}", err=True)
    if written is None:
        _say.echo(config.text, nl=False, lines=True)
        return
    print_table(hosts, HOST_COLUMNS, empty="no RUNNING instances: the file has no Host blocks")
    if state.chatty:
        _say.echo(f"wrote {written.path}", err=True)
        if written.include_added:
            backup = f" (previous version: {written.backup})" if written.backup else ""
            _say.echo(f"added its Include at the top of {written.user_config}{backup}", err=True)
