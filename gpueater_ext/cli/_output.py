"""Printing results: tables for people; JSON, YAML or CSV for programs (`-o`).

With a data format (`-o json|yaml|csv`, see `_data_formats`) stdout holds the data and
nothing else, with the API's field names, so `gpueater ... -o json | jq` always works;
times in it are ISO 8601 strings (`iso_time`), as the service writes its own.
Tables are fitted to the terminal's width (`_table`); `--no-header` leaves out the heading
line of a table or CSV, `--wide` shows a table in full.
Table cells and `key: value` lines hold data from the service, so each is escaped with
`printable` (a tag cannot clear the screen or fake a line).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import click

from gpueater_ext._printable import printable
from gpueater_ext.cli import _say
from gpueater_ext.cli._state import CliState
from gpueater_ext.cli._table import Column, draw_table

__all__ = ["Column", "iso_time", "plain", "print_json", "print_object", "print_table"]


def _state() -> CliState:
    """The global options of the running command (defaults outside a command)."""
    context = click.get_current_context(silent=True)
    found = context.find_object(CliState) if context is not None else None
    return found if found is not None else CliState()


def iso_time(seconds: float) -> str:
    """A moment given as seconds since the epoch, as the service writes times:
    ISO 8601 in UTC to the second (`2026-11-29T05:42:31Z`)."""
    moment = datetime.datetime.fromtimestamp(seconds, datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# Exact types that are JSON already. plain() visits every value of every row (40 fields
# per instance): answering these first, by one set lookup, instead of walking the checks
# below (an ABC isinstance, getattr, is_dataclass...) made it ~3x faster (issue 25).
_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """A model, list or dict as JSON-ready data with the API's field names."""
    kind = type(value)
    if kind in _JSON_SCALARS:
        return value
    if kind is dict:
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return plain(to_dict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return plain(dataclasses.asdict(value))
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.isoformat().replace("+00:00", "Z")
    return value


def print_json(value: Any) -> None:
    """Print `value` as data in the chosen format: JSON (also when no format was chosen),
    YAML or CSV. The historic name is kept: every command calls it for its data."""
    from gpueater_ext.cli import _data_formats

    state = _state()
    data = plain(value)
    if state.output == "yaml":
        _data_formats.write_yaml(data)
    elif state.output == "csv":
        _data_formats.write_csv(data, header=not state.no_header)
    else:
        _data_formats.write_json(data)


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return printable(str(value))  # one line: a newline in a tag must not start a fake row


def print_table(rows: Iterable[Any], columns: Sequence[Column], *, empty: str) -> None:
    """Rows for people, fitted to the terminal (see `_table`); `empty` (on stderr) when
    there are none, so stdout stays empty."""
    plain_rows = [plain(row) for row in rows]
    if not plain_rows:
        _say.echo(empty, err=True)
        return
    state = _state()
    draw_table(
        [column.heading for column in columns],
        [[_cell(column.value(row)) for column in columns] for row in plain_rows],
        columns,
        header=not state.no_header,
        wide=state.wide,
    )


def print_object(value: Any, fields: Sequence[str] | None = None) -> None:
    """One thing as `key: value` lines (table mode)."""
    data = plain(value)
    names = fields if fields is not None else list(data)
    width = max((len(name) for name in names), default=0)
    for name in names:
        _say.echo(f"{name.ljust(width)}  {_cell(data.get(name))}")
