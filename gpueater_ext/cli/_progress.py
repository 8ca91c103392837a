"""Showing a wait, or a file copy, on stderr while it lasts.

A wait (`progress`): the state it is in and the time so far. On a terminal it is one line
redrawn in place (rich's status spinner); elsewhere one line per change of state, so logs
stay readable. A state comes from the service, so the line is escaped (`printable`) and
given to rich as Text, never as markup it would interpret.

A copy (`transfer_progress`; `sync_progress` for rsync's own count): bytes so far (of
how many, for an upload), the share done and the rate, then what is copied
(`21.0 MB of 300.0 MB (7%), 55.1 MB/s copying 'big.bin' to web-1`), one line redrawn in
place through `_say.status_line`; only on a terminal, since a log gains nothing from a
hundred redraws. Redrawn at most ten times a second (and
always for the first and the last bytes), then erased once the copy ends, so the line
that says what was copied stands alone.
Quiet and data (`-o json`) modes show neither.
"""

from __future__ import annotations

import contextlib
import re
import sys
import time
from collections.abc import Callable, Iterator

from gpueater_ext._printable import printable
from gpueater_ext.cli import _say

__all__ = ["human_bytes", "progress", "sync_progress", "transfer_progress"]

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
def _status_line() -> Iterator[Callable[[str, bool], None]]:
    """Yields `draw(text, last)`: the line redrawn at most ten times a second (the first
    and the `last` always); erased when the block ends, if it was ever drawn."""
    drawn = [0.0]

    def draw(text: str, last: bool) -> None:
        now = time.monotonic()
        if drawn[0] and not last and now - drawn[0] < 1 / _REDRAWS_PER_SECOND:
            return
        drawn[0] = now
        _say.status_line(text)

    try:
        yield draw
    finally:
        if drawn[0]:
            _say.status_line(None)


@contextlib.contextmanager
def transfer_progress(what: str, *, enabled: bool) -> Iterator[None]:
    """While inside, a file copy (`_ssh.progress`) shows `done of total (%), rate what`."""
    if not enabled:
        yield
        return
    from gpueater_ext._ssh import reporting_transfer

    started = time.monotonic()
    with _status_line() as draw:

        def report(done: int, total: int | None) -> None:
            elapsed = time.monotonic() - started
            rate = f", {human_bytes(done / elapsed)}/s" if elapsed > 0.5 else ""
            # The numbers first: a long name is what the terminal's width cuts, not them.
            if total:
                share = min(done * 100 // total, 100)
                numbers = f"{human_bytes(done)} of {human_bytes(total)} ({share}%){rate}"
                draw(f"{numbers} {what}", done >= total)
            else:
                draw(f"{human_bytes(done)}{rate} {what}", False)

        with reporting_transfer(report):
            yield


# rsync's --info=progress2 line: bytes so far, the share of the whole, the rate, ...
_RSYNC_PROGRESS = re.compile(r"([\d,]+)\s+(\d+)%\s+(\S+/s)")


@contextlib.contextmanager
def sync_progress(what: str, *, enabled: bool) -> Iterator[Callable[[str], None] | None]:
    """Yields the `on_progress(line)` to give rsync's progress lines to (None when not
    enabled): shown as a copy is, `done (share%), rate what`; a line of another shape
    (another rsync version's) is not shown rather than shown raw."""
    if not enabled:
        yield None
        return
    with _status_line() as draw:

        def on_progress(line: str) -> None:
            found = _RSYNC_PROGRESS.match(line.strip())
            if found is not None:
                done, share, rate = found.groups()
                size = human_bytes(int(done.replace(",", "")))
                draw(f"{size} ({share}%), {rate} {what}", share == "100")

        yield on_progress
