"""Printing results: tables for people, JSON for scripts.

With `-o json` a list prints one JSON array and a single thing one JSON object, using the
API's field names; nothing else goes to stdout, so `gpueater ... -o json | jq` always works.
Table cells and `key: value` lines hold data from the service, so each is escaped with
`printable` (a tag cannot clear the screen or fake a line). JSON is written with
`ensure_ascii=True`, which escapes every control and non-ASCII character itself.
rich is imported only when a table is drawn: it costs more start-up time than the rest of
the command.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from gpueater_ext._printable import printable
from gpueater_ext.cli import _say

__all__ = ["Column", "plain", "print_json", "print_object", "print_table"]

_UNLIMITED = 100_000


@dataclasses.dataclass(frozen=True)
class Column:
    """A table column: its heading and how to get the cell from a plain row."""

    heading: str
    value: Callable[[Mapping[str, Any]], object]
    justify: str = "left"

    @classmethod
    def field(cls, heading: str, name: str, justify: str = "left") -> Column:
        return cls(heading, lambda row: row.get(name), justify)


def plain(value: Any) -> Any:
    """A model, list or dict as JSON-ready data with the API's field names."""
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return plain(to_dict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return plain(dataclasses.asdict(value))
    return value


def print_json(value: Any) -> None:
    # ensure_ascii (json's default, said here so nobody turns it off): every control and
    # non-ASCII character is written as \uXXXX, so JSON output cannot drive a terminal.
    json.dump(plain(value), sys.stdout, indent=2, sort_keys=False, default=str, ensure_ascii=True)
    sys.stdout.write("\n")


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return printable(str(value))  # one line: a newline in a tag must not start a fake row


def print_table(rows: Iterable[Any], columns: Sequence[Column], *, empty: str) -> None:
    plain_rows = [plain(row) for row in rows]
    if not plain_rows:
        _say.echo(empty, err=True)
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in columns:
        table.add_column(column.heading, justify=column.justify, no_wrap=True)  # type: ignore[arg-type]
    for row in plain_rows:
        # Text, not str: a cell holds data (tags, file names), never rich markup to interpret.
        table.add_row(*(Text(_cell(column.value(row))) for column in columns))
    # Cells are copied and pasted (ids, ssh lines), so rows are never cut or wrapped to fit
    # a width: a long row runs past the edge and the terminal wraps it, as `ps` output does.
    Console(width=_UNLIMITED).print(table)


def print_object(value: Any, fields: Sequence[str] | None = None) -> None:
    """One thing as `key: value` lines (table mode)."""
    data = plain(value)
    names = fields if fields is not None else list(data)
    width = max((len(name) for name in names), default=0)
    for name in names:
        _say.echo(f"{name.ljust(width)}  {_cell(data.get(name))}")
