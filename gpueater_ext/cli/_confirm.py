"""Confirmation before destroying: asked on a terminal, refused without one unless --yes."""

from __future__ import annotations

import sys

import click

from gpueater_ext.cli._exit import CliUsageError

__all__ = ["confirm_destroy"]


def confirm_destroy(action: str, targets: list[str], *, assume_yes: bool) -> None:
    """Return when the user agreed (or passed --yes); raise otherwise.

    Without a terminal nobody can answer, and destroying by default would be the
    expensive mistake, so scripts must say --yes.
    """
    if assume_yes:
        return
    what = f"{action} {', '.join(targets)}"
    if not sys.stdin.isatty():
        raise CliUsageError(f"refusing to {what} without confirmation: pass --yes")
    if not click.confirm(f"{what[0].upper()}{what[1:]}?", default=False, err=True):
        raise click.ClickException(f"cancelled: did not {what}")
