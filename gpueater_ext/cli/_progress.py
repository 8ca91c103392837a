"""Showing a wait, or a file copy, on stderr while it lasts.

A wait (`progress`): the state it is in and the time so far. On a terminal it is one line
redrawn in place (rich's status spinner); elsewhere one line per change of state, so logs
stay readable. A state comes from the service, so the line is escaped (`printable`) and
given to rich as Text, never as markup it would interpret.

A copy (`transfer_progress`): bytes so far (of how many, for an upload), the share done
and the rate, then what is copied (`21.0 MB of 300.0 MB (7%), 55.1 MB/s copying 'big.bin'
to web-1`), one line redrawn in place through `_say.status_line`; only on a terminal,
since a log gains nothing from a hundred redraws. Redrawn at most ten times a second (and
always for the first and the last bytes), then erased once the copy ends, so the line
that says what was copied stands alone.
Quiet and data (`-o json`) modes show neither.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator

from gpueater_ext._printable import printable
from gpueater_ext.cli import _say

__all__ = ["human_bytes", "progress", "transfer_progress"]

_REDRAWS_PER_SECOND = 10


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


def human_bytes(count: float) -> str:
    """`count` bytes in the unit people read them in (decimal, as disks and links are sold)."""
    for unit in ("B", "kB", "MB", "GB"):
        if count < 1000:
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    return f"{count:.1f} TB"


@contextlib.contextmanager
def transfer_progress(what: str, *, enabled: bool) -> Iterator[None]:
    """While inside, a file copy (`_ssh_progress`) shows `done of total (%), rate what`."""
    if not enabled:
        yield
        return
    from gpueater_ext._ssh_progress import reporting_transfer

    started = time.monotonic()
    drawn = [0.0]

    def report(done: int, total: int | None) -> None:
        now = time.monotonic()
        last = total is not None and done >= total
        if drawn[0] and not last and now - drawn[0] < 1 / _REDRAWS_PER_SECOND:
            return
        drawn[0] = now
        elapsed = now - started
        rate = f", {human_bytes(done / elapsed)}/s" if elapsed > 0.5 else ""
        # The numbers first: a long name is what the terminal's width cuts, not them.
        if total:
            share = min(done * 100 // total, 100)
            _say.status_line(f"{human_bytes(done)} of {human_bytes(total)} ({share}%){rate} {what}")
        else:
            _say.status_line(f"{human_bytes(done)}{rate} {what}")

    try:
        with reporting_transfer(report):
            yield
    finally:
        if drawn[0]:
            _say.status_line(None)
