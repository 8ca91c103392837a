"""A node's output with its rank in front of every line: `[0] loss 0.31`.

The nodes of a multi-node run stream at once into one stdout (and one stderr). Each
node's bytes go through its own `RankedWriter`, which holds a partial line back until its
newline arrives and then writes the whole line, prefix included, in one `write` under the
lock it shares with the other nodes' writers of that stream: lines of different nodes
never interleave mid-line. A line that never ends is still shown: after `MAX_LINE` bytes
without a newline the part held back is written as a line of its own, and `finish()`
writes what is left at the end. Carriage returns (progress bars) are part of the line:
the redraws of one line come out when it ends. The writer below (the CLI's `JobOutput`)
still decides how the bytes are shown (escaped on a terminal).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gpueater_ext._jobs.job import BinaryWriter

__all__ = ["MAX_LINE", "RankedWriter", "ranked_writers"]

MAX_LINE = 64 * 1024  # bytes held back at most while waiting for a newline


class RankedWriter:
    """Whole lines of one node, each prefixed `[rank] `, into a writer shared with others."""

    def __init__(self, rank: int, writer: BinaryWriter, lock: threading.Lock) -> None:
        self._prefix = f"[{rank}] ".encode("ascii")
        self._writer = writer
        self._lock = lock
        self._partial = bytearray()

    def write(self, data: bytes, /) -> int:
        self._partial += data
        end = self._partial.rfind(b"\n") + 1
        if not end and len(self._partial) >= MAX_LINE:
            end = len(self._partial)
            self._emit(bytes(self._partial) + b"\n")
        elif end:
            self._emit(bytes(self._partial[:end]))
        del self._partial[:end]
        return len(data)

    def flush(self) -> None:
        """Nothing to do: a whole line is written (and flushed below) as soon as it ends."""

    def finish(self) -> None:
        """At the end of the stream: the last line, if it had no newline, gets one."""
        if self._partial:
            self._emit(bytes(self._partial) + b"\n")
            self._partial.clear()

    def _emit(self, lines: bytes) -> None:
        shown = b"".join(self._prefix + line for line in lines.splitlines(keepends=True))
        with self._lock:
            self._writer.write(shown)
            flush = getattr(self._writer, "flush", None)
            if flush is not None:
                flush()


def ranked_writers(count: int, writer: BinaryWriter) -> list[RankedWriter]:
    """One RankedWriter per rank, all into `writer` under one lock."""
    lock = threading.Lock()
    return [RankedWriter(rank, writer, lock) for rank in range(count)]
