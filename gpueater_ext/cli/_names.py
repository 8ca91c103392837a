"""Naming things on the command line: an exact id, else an exact tag, else a unique prefix.

Exact matches win over prefixes so that an id that happens to prefix another still names
itself; an ambiguous name is a usage error that lists the candidates, never a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from gpueater_ext._errors import NotFoundError
from gpueater_ext.cli._exit import CliUsageError

__all__ = ["pick_by_name"]

T = TypeVar("T")


def pick_by_name(
    items: Sequence[T],
    name: str,
    *,
    kind: str,
    id_of: Callable[[T], str],
    label_of: Callable[[T], str | None],
) -> T:
    """The item that `name` designates; `label_of` gives its tag or name (or None)."""

    def unique(matches: list[T]) -> T | None:
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            shown = ", ".join(f"{id_of(item)} ({label_of(item) or '-'})" for item in matches[:10])
            raise CliUsageError(
                f"{kind} name {name!r} is ambiguous: it matches {shown}; use the id"
            )
        return None

    for matches in (
        [item for item in items if id_of(item) == name],
        [item for item in items if label_of(item) == name],
        [
            item
            for item in items
            if id_of(item).startswith(name) or (label_of(item) or "").startswith(name)
        ],
    ):
        found = unique(matches) if name else None
        if found is not None:
            return found
    raise NotFoundError(f"no {kind} is named {name!r} (by id, {_label_word(kind)} or prefix)")


def _label_word(kind: str) -> str:
    return "tag" if kind in {"instance", "snapshot"} else "name"
