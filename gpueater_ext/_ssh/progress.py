"""How far a file copy has got, for whoever shows it (the CLI's progress line).

A copy is one tar stream over one ssh call (`_ssh.transfer`); while a caller is inside
`reporting_transfer(callback)`, the stream's bytes are counted and `callback(done, total)`
is called as they pass: `total` is the upload's size (the file's, or the sum of a folder's
regular files), None for a download, whose size only the instance knows. The current
thread or task only (a context variable, like `_plans.reconcile.reporting`), so the SDK's
methods keep their signatures and nothing is counted when nobody listens.
"""

from __future__ import annotations

import contextlib
import contextvars
import io
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer, WriteableBuffer

__all__ = ["TransferReport", "counted_reader", "counted_writer", "reporting_transfer", "size_of"]

TransferReport = Callable[[int, "int | None"], None]
_REPORT: contextvars.ContextVar[TransferReport | None] = contextvars.ContextVar(
    "gpueater_transfer_report", default=None
)


@contextlib.contextmanager
def reporting_transfer(callback: TransferReport) -> Iterator[None]:
    """While inside, file copies report `callback(bytes so far, total or None)`."""
    token = _REPORT.set(callback)
    try:
        yield
    finally:
        _REPORT.reset(token)


def size_of(path: Path) -> int:
    """What an upload of `path` carries: a file's size, or a folder's regular files'
    (links are not followed, as the archive does not follow them)."""
    if not path.is_dir():
        return path.stat().st_size
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):  # gone meanwhile: the archive says so itself
                found = os.lstat(os.path.join(folder, name))
                total += found.st_size if stat.S_ISREG(found.st_mode) else 0
    return total


class _Counted(io.RawIOBase):
    def __init__(self, stream: IO[bytes], report: TransferReport, total: int | None) -> None:
        super().__init__()
        self._stream, self._report, self._total, self._done = stream, report, total, 0

    def _count(self, size: int) -> None:
        if size:
            self._done += size
            self._report(self._done, self._total)


class _CountedReader(_Counted):
    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        data = self._stream.read(len(view))
        view[: len(data)] = data
        self._count(len(data))
        return len(data)


class _CountedWriter(_Counted):
    def writable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer) -> int:
        written = self._stream.write(data)
        size = memoryview(data).nbytes if written is None else written
        self._count(size)
        return size


def counted_reader(stream: IO[bytes]) -> IO[bytes]:
    """`stream`, counted for the current report if there is one (else `stream` itself)."""
    report = _REPORT.get()
    if report is None:
        return stream
    # Unbuffered: tarfile's stream reads until it has what it asked for, and the caller
    # goes on reading `stream` itself after the archive (nothing may sit in a buffer here).
    return cast(IO[bytes], _CountedReader(stream, report, None))


def counted_writer(stream: IO[bytes], total: Callable[[], int]) -> IO[bytes]:
    """`stream`, counted against `total()` (asked only when someone listens)."""
    report = _REPORT.get()
    if report is None:
        return stream
    return cast(IO[bytes], _CountedWriter(stream, report, total()))
