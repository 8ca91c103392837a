"""Confirmation before destroying: asked on a terminal, refused without one unless --yes."""

from __future__ import annotations

import sys

import click

from gpueater_ext.cli import _say
from gpueater_ext.cli._exit import CliUsageError
from gpueater_ext.cli._names import names_matched_by_prefix

__all__ = ["confirm_destroy"]


def confirm_destroy(action: str, targets: list[str], *, assume_yes: bool) -> None:
    """Return when the user agreed (or passed --yes); raise otherwise.

    Without a terminal nobody can answer, and destroying by default would be the
    expensive mistake, so scripts must say --yes. With --yes nobody sees what a name
    resolved to, so a name that matched only as a prefix is refused: a person at the
    prompt sees the full names, a script must give exact ids or tags.
    """
    if assume_yes:
        guessed = names_matched_by_prefix()
        if guessed:
            raise CliUsageError(
                f"refusing to {action} with --yes: {', '.join(guessed)} matched only as a "
                "prefix; give the exact id or tag"
            )
        return
    what = f"{action} {', '.join(targets)}"
    if not sys.stdin.isatty():
        raise CliUsageError(f"refusing to {what} without confirmation: pass --yes")
    if not _say.confirm(f"{what[0].upper()}{what[1:]}?", default=False):
        raise click.ClickException(f"cancelled: did not {what}")
