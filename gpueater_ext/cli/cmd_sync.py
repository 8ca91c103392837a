"""`sync`: mirror a folder to or from an instance with rsync (`INSTANCE:PATH` on one side).

What changed is said in words, never with rsync's item codes (`<f+++++++++`), in the table
and in `-o json`'s `changes` alike (`change_word`):
- sent / received: a file DST did not have (sent to the instance, received from it);
- updated: a file (or link) whose content changed;
- created: a folder or link DST did not have;
- linked: a hard link to another file of the copy;
- touched: only its times or permissions changed;
- deleted: removed from DST (`--delete`);
- *refused: a link from the instance that points outside the folder, left out (as before).
In a dry run the table says "would be sent" and so on; JSON keeps the word and says
`"dry_run": true`.
"""

from __future__ import annotations

import sys
from pathlib import Path, PurePosixPath

import click

from gpueater_ext._ssh import REFUSED, SyncItem
from gpueater_ext.cli import _say
from gpueater_ext.cli._confirm import confirm_destroy
from gpueater_ext.cli._lookup import find_instance
from gpueater_ext.cli._output import Column, print_json, print_table
from gpueater_ext.cli._progress import sync_progress
from gpueater_ext.cli._state import CliState, output_option, pass_state, yes_option
from gpueater_ext.cli.cmd_files import parse_transfer
from gpueater_ext.cli.cmd_ssh import key_file_option

__all__ = ["sync"]

CHANGE_COLUMNS = (
    Column.field("CHANGE", "change"),
    Column.field("PATH", "path"),  # escaped like every cell
)


def change_word(item: SyncItem, action: str) -> str:
    """What happened to `item` in DST, in a word (see the module's docstring)."""
    if item.refused or item.deleted:
        return REFUSED if item.refused else "deleted"
    update, attributes = item.change[:1], item.change[2:]
    new = attributes.startswith("+")  # rsync marks every attribute of a new item with +
    if update in ("<", ">"):
        if new:
            return "sent" if action == "put" else "received"
        return "updated"
    if update == "c":
        return "created" if new else "updated"
    if update == "h":
        return "linked"
    return "touched"


def _summary(changes: list[dict[str, str]], dry_run: bool) -> str:
    counts: dict[str, int] = {}
    for change in changes:
        counts[change["change"]] = counts.get(change["change"], 0) + 1
    if not counts:
        return "nothing to change" if dry_run else "nothing changed"
    said = ", ".join(f"{count} {word}" for word, count in counts.items())
    return f"would be: {said}" if dry_run else said


@click.command()
@click.argument("src")
@click.argument("dst")
@click.option("--delete", is_flag=True, help="Delete what SRC does not have from DST (asks first).")
@click.option(
    "--exclude",
    "excludes",
    multiple=True,
    metavar="PATTERN",
    help="Leave out files matching PATTERN (rsync's patterns: '*.pyc', '/data'); repeatable.",
)
@click.option(
    "--gitignore", is_flag=True, help="Leave out what the source's .gitignore files list."
)
@click.option("-n", "--dry-run", is_flag=True, help="Show what would change; change nothing.")
@key_file_option
@yes_option
@output_option
@pass_state
def sync(
    state: CliState,
    src: str,
    dst: str,
    delete: bool,
    excludes: tuple[str, ...],
    gitignore: bool,
    dry_run: bool,
    key_file: Path | None,
) -> None:
    """Make folder DST hold what folder SRC holds, sending only changes (rsync).

    One side is INSTANCE:PATH: `sync ./project web:project` uploads,
    `sync web:results ./results` downloads. The instance needs rsync.
    """
    transfer = parse_transfer(src, dst)
    client = state.client()
    instance = find_instance(client, transfer.instance)
    where = f"{dst!r}" + (f" on {instance.tag}" if transfer.action == "put" else "")
    if delete and not dry_run:
        confirm_destroy(
            "delete", [f"what {src!r} does not have from {where}"], assume_yes=state.yes
        )
    show_progress = state.chatty and sys.stderr.isatty()
    name = PurePosixPath(transfer.src).name or transfer.src
    direction = "from" if transfer.action == "get" else "to"
    doing = f"syncing {name!r} {direction} {instance.tag}"
    with sync_progress(doing, enabled=show_progress) as update:
        result = client.synchronize_files(
            instance,
            action=transfer.action,
            src=transfer.src,
            dst=transfer.dst,
            delete=delete,
            exclude=list(excludes),
            gitignore=gitignore,
            dry_run=dry_run,
            on_progress=update,
            key_file=key_file,
        )
    changes = [
        {"change": change_word(item, transfer.action), "path": item.path} for item in result.items
    ]
    if state.json:
        print_json(
            {
                "instance_id": instance.instance_id,
                "action": transfer.action,
                "src": transfer.src,
                "dst": transfer.dst,
                "dry_run": dry_run,
                "transferred": result.transferred,
                "deleted": result.deleted,
                "changes": changes,
            }
        )
        return
    would = "would be " if dry_run else ""
    shown = [
        change if change["change"] == REFUSED else {**change, "change": would + change["change"]}
        for change in changes
    ]
    print_table(shown, CHANGE_COLUMNS, empty="nothing to change")
    if state.chatty and changes:
        _say.echo(_summary(changes, dry_run), err=True)
