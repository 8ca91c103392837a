"""Everything the CLI writes for people goes through here, escaped by `printable`.

Messages, notes, warnings, errors, prompts and confirmations nearly always quote text from
the service or an instance (a tag, a name, an error message, an instance's stderr), so
each function here shows that text with `gpueater_ext._printable.printable`: an escape
sequence planted in a tag is shown, never obeyed. Escaping our own text changes nothing
(it is printable), so whole lines are escaped rather than trusting each caller to escape
the parts it interpolated. Tables and key/value output (`_output`), pickers and progress
lines are built on the same function; tests/cli/test_output_chokepoints.py fails when a
CLI module writes to the terminal any other way.

Not escaped, by design: JSON output (json escapes every control character itself), and
the remote command's own stdout/stderr in `gpueater ssh INSTANCE -- CMD` and interactive
logins, which are the user's data and reach the terminal from ssh directly.

A job's output in `gpueater run` (`JobOutput`) is the user's program's, but it comes from
an instance through the tool: through a pipe or into a file its bytes pass exactly as sent
(logs and binary output stay intact); on a terminal every control character but newline,
tab and carriage return is shown escaped (progress bars that redraw a line with CR still
work; a sequence that retitles the window or clears the screen is shown, not obeyed).
"""

from __future__ import annotations

import codecs
import os
import sys
from typing import Any

import click

from gpueater_ext._printable import printable

__all__ = [
    "JobOutput",
    "clear_screen",
    "confirm",
    "echo",
    "error",
    "note",
    "one_line_text",
    "prompt",
    "status_line",
    "warning",
]


def one_line_text(text: str) -> str:
    """`text` on one line: runs of whitespace (newlines too) become one space, the rest
    escaped."""
    return printable(" ".join(text.split()))


def echo(text: str, *, err: bool = False, lines: bool = False, nl: bool = True) -> None:
    """Print `text` escaped; with `lines`, its newlines and tabs are kept (several lines)."""
    click.echo(printable(text, keep="\n\t" if lines else ""), err=err, nl=nl)


def warning(text: str) -> None:
    """One `warning:` line on stderr."""
    click.echo(f"warning: {one_line_text(text)}", err=True)


def note(text: str) -> None:
    """One `note:` line on stderr: what the tool is doing while it would otherwise be silent."""
    click.echo(f"note: {one_line_text(text)}", err=True)


def error(text: str) -> None:
    """One `error:` line on stderr."""
    click.echo(f"error: {one_line_text(text)}", err=True)


def prompt(text: str, **options: Any) -> Any:
    """click.prompt on stderr, its text escaped."""
    return click.prompt(printable(text), err=True, **options)


def confirm(text: str, **options: Any) -> bool:
    """click.confirm on stderr, its text escaped."""
    return bool(click.confirm(printable(text), err=True, **options))


class JobOutput:
    """A binary writer (`write(bytes)`, `flush()`) for a job's own stdout or stderr: exact
    bytes through a pipe, escaped on a terminal (see the module's docstring)."""

    def __init__(self, *, err: bool) -> None:
        self._err = err
        self._terminal = (sys.stderr if err else sys.stdout).isatty()
        # Chunks split UTF-8 characters anywhere: the decoder holds a partial one back.
        self._decoder = codecs.lookup("utf-8").incrementaldecoder("surrogateescape")

    def write(self, data: bytes) -> int:
        if self._terminal:
            text = self._decoder.decode(data)
            if text:
                shown = printable(text, keep="\n\t\r").encode("utf-8", "surrogateescape")
                click.echo(shown, err=self._err, nl=False)
        elif data:
            click.echo(data, err=self._err, nl=False)  # bytes: written and flushed as they are
        return len(data)

    def flush(self) -> None:
        """Nothing to do: every write is flushed (a partial character waits for its end)."""

    def finish(self) -> None:
        """At the end of the output: show a character left incomplete as its bytes."""
        if self._terminal:
            rest = self._decoder.decode(b"", final=True)
            if rest:
                click.echo(printable(rest).encode("utf-8"), err=self._err, nl=False)


def clear_screen() -> None:
    """Clear the terminal (`--watch` redraws): click's own fixed sequence, no data in it."""
    click.clear()


# Carriage return, the line, erase to the end of the line: a progress line redrawn in place.
_REDRAW, _ERASE = "\r", "\x1b[K"


def status_line(text: str | None) -> None:
    """Redraw the one progress line at the bottom of the terminal (stderr) with `text`,
    escaped and cut to the terminal's width so it never wraps (a wrapped line could not be
    redrawn); None erases it, leaving the cursor where the next line starts."""
    if text is None:
        click.echo(_REDRAW + _ERASE, err=True, nl=False)
        return
    try:
        width = os.get_terminal_size(2).columns or 80  # 0: a terminal that never said
    except OSError:
        width = 80
    line = one_line_text(text)
    if len(line) >= width:
        line = line[: max(width - 2, 0)] + "…"
    click.echo(_REDRAW + line + _ERASE, err=True, nl=False)
