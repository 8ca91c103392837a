"""The data formats of `-o`: JSON, YAML and CSV, each the same data with the API's names.

- JSON: a list prints one array, a single thing one object. `ensure_ascii` (json's default,
  said here so nobody turns it off) writes every control and non-ASCII character as
  `\\uXXXX`, so JSON output cannot drive a terminal.
- YAML: PyYAML's `safe_dump` of the same data, block style, keys in the API's order.
  `allow_unicode=False` makes the emitter double-quote and escape every control and
  non-ASCII character, as JSON does. PyYAML is imported only here, when YAML is asked for:
  it costs start-up time every other command would pay.
- CSV: one row per item of a list (one row for a single thing; a thing that only wraps a
  list, such as `ports`' `{"port_list": [...]}`, is that list), a heading line of field
  names (left out with --no-header). A nested object's fields become `outer.inner` columns;
  a list inside a row is one cell holding its JSON. Empty (None) is an empty cell, booleans
  `true`/`false` as in JSON. CSV is opened in spreadsheets, so text cells are defused as
  OWASP advises against formula injection: a cell that starts with `=`, `+`, `-`, `@`, a
  tab or a carriage return gets a leading apostrophe (`'=1+2`), which spreadsheets show as
  text. Numbers stay numbers (`-1.5` is not text). Control and other unprintable
  characters are escaped by `printable` (a newline in a tag is the two characters `\\n`),
  so `cat out.csv` cannot drive a terminal either and every record is one line.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any

from gpueater_ext._printable import printable

__all__ = ["csv_cell", "csv_rows", "write_csv", "write_json", "write_yaml"]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_json(data: Any) -> None:
    # dumps, then one write: json.dump writes each token separately (~190,000 writes for
    # 2,000 instances, a quarter of the output's cost).
    text = json.dumps(data, indent=2, sort_keys=False, default=str, ensure_ascii=True)
    sys.stdout.write(text + "\n")


def write_yaml(data: Any) -> None:
    import yaml

    # safe_dump: plain data only (a str subclass cannot smuggle a python/object tag in).
    yaml.safe_dump(
        data,
        sys.stdout,
        sort_keys=False,
        allow_unicode=False,
        default_flow_style=False,
        width=2**31 - 1,  # a long value stays on one line, whole
    )


def _flattened(row: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    cells: dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            cells.update(_flattened(value, f"{name}."))
        else:
            cells[name] = value
    return cells


def csv_cell(value: Any) -> str:
    """One cell as CSV text: defused against formulas, unprintable characters escaped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, list | tuple | Mapping):
        raw = json.dumps(value, default=str, ensure_ascii=True, separators=(",", ":"))
    else:
        raw = str(value)
    # Judged before escaping: a leading tab is escaped to `\t`, and still defused.
    return ("'" if raw.startswith(_FORMULA_STARTS) else "") + printable(raw)


def csv_rows(data: Any) -> tuple[list[str], list[list[str]]]:
    """(heading, rows) of `data`: a list of things, or one thing."""
    if isinstance(data, Mapping) and len(data) == 1:
        (only,) = data.values()
        if isinstance(only, list):
            data = only
    items = data if isinstance(data, list) else [data]
    flat = [_flattened(item) if isinstance(item, Mapping) else {"value": item} for item in items]
    heading: dict[str, None] = {}
    for row in flat:
        heading.update(dict.fromkeys(row))
    names = list(heading)
    return [csv_cell(name) for name in names], [
        [csv_cell(row.get(name)) for name in names] for row in flat
    ]


def write_csv(data: Any, *, header: bool) -> None:
    import csv  # -o csv only

    heading, rows = csv_rows(data)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    if header and heading:
        writer.writerow(heading)
    writer.writerows(rows)
