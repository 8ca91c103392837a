"""`--watch`: show a listing again and again until Ctrl-C.

On a terminal (stdout) the screen is cleared and the listing redrawn in place, under one
line saying how often and since when; elsewhere (a pipe, a file) each look is printed after
the last as a snapshot of its own: with `-o json` one JSON array per look (a stream `jq`
reads), a table after a blank line. Ctrl-C is how a watch is meant to end, so it exits 0
(success), not 130: a script that runs `timeout -s INT 60 gpueater instances --watch`
sees the watch end as asked. A failure while looking (the service unreachable) ends the
watch with its own error and exit code, as the command without --watch would.
"""

from __future__ import annotations

import datetime
import sys
import time
from collections.abc import Callable

from gpueater_ext.cli import _say

__all__ = ["watch_until_interrupted"]


def watch_until_interrupted(show: Callable[[], None], interval: float) -> None:
    """Call `show` every `interval` seconds (redrawn on a terminal) until Ctrl-C."""
    redraw = sys.stdout.isatty()
    first = True
    try:
        while True:
            if redraw:
                _say.clear_screen()
                now = datetime.datetime.now(datetime.UTC).strftime("%H:%M:%S UTC")
                _say.echo(f"every {interval:g} s, until Ctrl-C; last look {now}", err=True)
            elif not first:
                _say.echo("")
            show()
            sys.stdout.flush()
            first = False
            time.sleep(interval)
    except KeyboardInterrupt:
        return
