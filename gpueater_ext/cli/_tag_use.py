"""A tag names one instance: `launch --tag` and `tag` refuse a tag a live instance has.

Every command names an instance by id, tag or prefix, so a second instance with the same
tag makes `gpueater ssh TAG` and `terminate TAG` ambiguous for both. `launch` and `tag`
therefore refuse a tag that a live instance (any state but TERMINATING) already carries,
or that a launch of it still in flight carries as its launch tag (`TAG-launch-<hex>`);
the error names the instance(s) with their state and exits 2 (usage), as other
refusals the user fixes by changing the command do. `--allow-duplicate-tag` shares the
tag on purpose (a fleet that `terminate --tag T --all` ends together).

Best effort: the check reads `instance_list` just before the call, so two commands racing
with the same new tag can both pass. Each launch still returns its own instance (the
SDK's launch tags, `_plans.launch`); the tag is then shared and names both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from gpueater_ext.cli._exit import CliUsageError

if TYPE_CHECKING:
    from gpueater_ext import GPUEater, Instance

__all__ = ["allow_duplicate_tag_option", "refuse_tag_in_use"]

_SHOWN = 5  # instances named in the error; more are counted


def allow_duplicate_tag_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--allow-duplicate-tag",
        is_flag=True,
        help="Give the tag even if another live instance has it (names then need the id).",
    )(command)


def refuse_tag_in_use(
    client: GPUEater, tag: str, *, allowed: bool, renaming: Instance | None = None
) -> None:
    """Raise CliUsageError when a live instance other than `renaming` carries `tag` (or a
    launch tag made for it), unless `allowed`."""
    if allowed:
        return
    from gpueater_ext._plans import is_launch_tag_of

    holders = [
        i
        for i in client.instance_list()
        if i.state != "TERMINATING"
        and (i.tag == tag or is_launch_tag_of(i.tag, tag))
        and (renaming is None or i.instance_id != renaming.instance_id)
    ]
    if not holders:
        return
    shown = ", ".join(f"{i.instance_id} ({i.state})" for i in holders[:_SHOWN])
    if len(holders) > _SHOWN:
        shown += f" and {len(holders) - _SHOWN} more"
    whom = "instance" if len(holders) == 1 else "instances"
    raise CliUsageError(
        f"tag {tag!r} is already used by {whom} {shown}: choose another tag, or pass "
        "--allow-duplicate-tag to share it (the tag then names more than one instance, "
        "so commands need the id)"
    )
