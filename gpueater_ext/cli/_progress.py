"""Showing a wait on stderr: the state it is in and the time so far.

On a terminal it is one line redrawn in place (rich's status spinner); elsewhere one line
per change of state, so logs stay readable. Quiet and JSON modes show nothing. A state comes
from the service, so the line is escaped (`printable`) and given to rich as Text, never as
markup it would interpret.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator

from gpueater_ext._printable import printable
from gpueater_ext.cli import _say

__all__ = ["progress"]


@contextlib.contextmanager
def progress(what: str, *, enabled: bool) -> Iterator[Callable[[str], None]]:
    """Yields `update(state)`; call it after each poll."""
    started = time.monotonic()
    last: list[str] = []

    def line(state: str) -> str:
        return printable(f"{what}: {state} ({time.monotonic() - started:.0f} s)")

    if not enabled:
        yield lambda state: None
        return
    if not sys.stderr.isatty():

        def update_plain(state: str) -> None:
            if not last or last[-1] != state:
                last.append(state)
                _say.echo(line(state), err=True)

        yield update_plain
        return
    from rich.console import Console
    from rich.text import Text

    with Console(stderr=True).status(Text(printable(what))) as status:
        yield lambda state: status.update(Text(line(state)))
