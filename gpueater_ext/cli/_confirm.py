"""Confirmation before destroying or committing money: asked on a terminal, refused without
one unless --yes.

Destroying (terminate, delete, unsubscribe) and committing recurring money (subscribe,
volume create) share one rule: without a terminal nobody can answer, and doing it by
default would be the expensive mistake, so scripts must say --yes (exit 2 otherwise, the
line naming --yes). With --yes nobody sees what a name resolved to, so a name that matched
only as a prefix is refused: a person at the prompt sees the full names, a script must
give exact ids or names. A "no" at the prompt cancels (exit 1, nothing done).

Money is shown before it is committed: the question carries the price, and with --yes
the price is still said on stderr (a `note:`), so a script's log shows what it agreed to.
`launch` is not asked about: it says its hourly price and goes on, since scripts and
`make demo` launch unattended and stopping an instance ends its hourly charge.
"""

from __future__ import annotations

import sys

import click

from gpueater_ext.cli import _say
from gpueater_ext.cli._exit import CliUsageError
from gpueater_ext.cli._names import names_matched_by_prefix

__all__ = ["confirm_destroy", "confirm_spending"]


def confirm_destroy(action: str, targets: list[str], *, assume_yes: bool) -> None:
    """Return when the user agreed to `action` on `targets` (or passed --yes); raise
    otherwise."""
    _agreed(action, f"{action} {', '.join(targets)}", assume_yes=assume_yes)


def confirm_spending(action: str, target: str, price: str, *, assume_yes: bool, say: bool) -> None:
    """Return when the user agreed to `action` on `target` at `price` (`$199.00 a month`,
    or what is known of it), or passed --yes; raise otherwise. The price is a line of its
    own above the question; with --yes, `say` tells it in a note (False with -o json or
    --quiet)."""
    what = f"{action} {target}"
    _agreed(action, what, price=price, assume_yes=assume_yes)
    if assume_yes and say:
        _say.note(f"{what}; price: {price}")


def _agreed(action: str, what: str, *, assume_yes: bool, price: str | None = None) -> None:
    if assume_yes:
        guessed = names_matched_by_prefix()
        if guessed:
            raise CliUsageError(
                f"refusing to {action} with --yes: {', '.join(guessed)} matched only as a "
                "prefix; give the exact id, tag or name"
            )
        return
    if not sys.stdin.isatty():
        priced = f" (price: {price})" if price is not None else ""
        raise CliUsageError(f"refusing to {what} without confirmation{priced}: pass --yes")
    if price is not None:
        _say.echo(f"price: {price}", err=True)
    if not _say.confirm(f"{what[0].upper()}{what[1:]}?", default=False):
        raise click.ClickException(f"cancelled: did not {what}")
