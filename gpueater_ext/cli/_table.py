"""Tables for people, fitted to the terminal: never wider than it, never wrapped mid-word.

How wide: `--wide` never cuts. Otherwise the width is COLUMNS when it is set to a number
(as most tools honour it), else the terminal's own when stdout is a terminal. Through a
pipe or into a file, with COLUMNS unset, rows are never cut: what reads them is a program
or a file, which has no edge to fit and wants whole ids and names.

How a table that is too wide is fitted, in this order:
1. optional columns (a convenience such as instances' SSH, whose content is derivable from
   another column) are left out, the rightmost first;
2. the widest columns are cut, one character at a time, until the rows fit; a cut cell
   ends in an ellipsis (`…`), so a cut value is never mistaken for a whole one; no column
   is cut below its heading's width (or 6 characters, whichever is more, or its own
   width if that is less).
When even that cannot fit (a very narrow terminal), rows are as narrow as those floors
allow and the terminal wraps them. Widths are counted in terminal cells (rich's), so wide
characters are counted right.

rich is imported only here, when a table is drawn: it costs more start-up time than the
rest of a command that prints JSON.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.segment import Segment

__all__ = ["Column", "draw_table", "fitted_widths", "table_width"]

_UNLIMITED = 100_000
_GAP = 2  # rich's padding between two columns with pad_edge=False
_SHORTEST_CUT = 6


@dataclasses.dataclass(frozen=True)
class Column:
    """A table column: its heading, how to get the cell from a plain row, and whether it
    may be left out when the table does not fit (`optional`; `--wide` shows it)."""

    heading: str
    value: Callable[[Mapping[str, Any]], object]
    justify: str = "left"
    optional: bool = False

    @classmethod
    def field(
        cls, heading: str, name: str, justify: str = "left", *, optional: bool = False
    ) -> Column:
        return cls(heading, lambda row: row.get(name), justify, optional)


def table_width(*, wide: bool) -> int | None:
    """The width tables must fit in, or None for no limit (see the module's docstring)."""
    if wide:
        return None
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if not sys.stdout.isatty():
        return None
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns or None
    except OSError:
        return None


def fitted_widths(
    natural: Sequence[int], floors: Sequence[int], optional: Sequence[bool], available: int | None
) -> list[int | None]:
    """Each column's width (None: left out) so the row fits in `available` cells."""
    widths: list[int | None] = list(natural)

    def total() -> int:
        shown = [width for width in widths if width is not None]
        return sum(shown) + _GAP * max(len(shown) - 1, 0)

    if available is None:
        return widths
    for index in reversed(range(len(widths))):
        if total() <= available:
            return widths
        if optional[index]:
            widths[index] = None
    while total() > available:
        # Cutting the widest first spreads the cut over the wide columns, sparing the
        # narrow ones (ids, states, prices); one cell at a time keeps ties fair.
        cuttable = [
            index
            for index, width in enumerate(widths)
            if width is not None and width > floors[index]
        ]
        if not cuttable:
            break
        widest = max(cuttable, key=lambda index: (widths[index] or 0, index))
        widths[widest] = (widths[widest] or 0) - 1
    return widths


def draw_table(
    headings: Sequence[str],
    cells: Sequence[Sequence[str]],
    columns: Sequence[Column],
    *,
    header: bool,
    wide: bool,
) -> None:
    """Print escaped `cells` under `headings`, fitted to the width (see above)."""
    from rich.cells import cell_len
    from rich.console import Console
    from rich.segment import Segment, Segments
    from rich.table import Table
    from rich.text import Text

    natural = [
        max([cell_len(heading) if header else 0, *(cell_len(row[at]) for row in cells)])
        for at, heading in enumerate(headings)
    ]
    floors = [
        min(width, max(cell_len(heading), _SHORTEST_CUT))
        for width, heading in zip(natural, headings, strict=True)
    ]
    widths = fitted_widths(
        natural, floors, [column.optional for column in columns], table_width(wide=wide)
    )
    shown = [at for at, width in enumerate(widths) if width is not None]
    table = Table(box=None, header_style="bold", pad_edge=False, show_header=header)
    for at in shown:
        table.add_column(
            headings[at],
            justify=columns[at].justify,  # type: ignore[arg-type]
            no_wrap=True,
            overflow="ellipsis",
            width=widths[at],
        )
    for row in cells:
        # Text, not str: a cell holds data (tags, file names), never rich markup to interpret.
        table.add_row(*(Text(row[at]) for at in shown))
    console = Console(width=_UNLIMITED)
    for line in console.render_lines(table, console.options, pad=False):
        console.print(Segments([*_without_trailing_spaces(line), Segment.line()]), end="")


def _without_trailing_spaces(line: list[Segment]) -> list[Segment]:
    """rich pads every cell to its column's width; a line's end is not kept padded, so a
    row piped to grep or pasted ends where its text does."""
    from rich.segment import Segment

    kept = list(line)
    while kept and not kept[-1].text.strip():
        kept.pop()
    if kept:
        last = kept[-1]
        kept[-1] = Segment(last.text.rstrip(), last.style, last.control)
    return kept
