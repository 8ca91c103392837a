"""Naming things on the command line: an exact id, else an exact tag, else a unique prefix.

Exact matches win over prefixes so that an id that happens to prefix another still names
itself; an ambiguous name is a usage error that lists the candidates, never a guess.

A name that matched only as a prefix is remembered for the running command: destroying
with --yes refuses it (see `_confirm`), because in a script `terminate job1 --yes` run after
job1 is gone would otherwise terminate job10.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import click

from gpueater_ext._errors import NotFoundError
from gpueater_ext.cli._exit import CliUsageError

__all__ = ["names_matched_by_prefix", "pick_by_name"]

T = TypeVar("T")

_PREFIX_MATCHES = "gpueater.names_matched_by_prefix"


def names_matched_by_prefix() -> list[str]:
    """What the running command resolved only by prefix, as `'typed' (meaning)` strings."""
    context = click.get_current_context(silent=True)
    if context is None:
        return []
    matched: list[str] = context.find_root().meta.get(_PREFIX_MATCHES, [])
    return matched


def _remember_prefix_match(name: str, meaning: str) -> None:
    context = click.get_current_context(silent=True)
    if context is not None:
        context.find_root().meta.setdefault(_PREFIX_MATCHES, []).append(f"{name!r} ({meaning})")


def pick_by_name(
    items: Sequence[T],
    name: str,
    *,
    kind: str,
    id_of: Callable[[T], str],
    label_of: Callable[[T], str | None],
) -> T:
    """The item that `name` designates (the one rule: `_instance_arg.designated`);
    `label_of` gives its tag or name (or None)."""
    # Here, not at the top: `_confirm` imports this module for every command that may
    # destroy, and _instance_arg brings the plans' forms with it (~9 ms of `gpueater
    # instances`, which names nothing; issue 25).
    from gpueater_ext._instance_arg import designated

    matches, by_prefix = designated(items, name, id_of, label_of)
    if len(matches) > 1:
        shown = ", ".join(f"{id_of(item)} ({label_of(item) or '-'})" for item in matches[:10])
        raise CliUsageError(f"{kind} name {name!r} is ambiguous: it matches {shown}; use the id")
    if matches:
        found = matches[0]
        if by_prefix:
            _remember_prefix_match(name, f"{id_of(found)} {label_of(found) or ''}".strip())
        return found
    raise NotFoundError(f"no {kind} is named {name!r} (by id, {_label_word(kind)} or prefix)")


def _label_word(kind: str) -> str:
    return "tag" if kind in {"instance", "snapshot"} else "name"
