"""The real `gpueater` on a real pseudo-terminal of a given size, as a person runs it.

`Terminal` starts the command with stdin, stdout and stderr on a pty whose window size is
set (so the tool sees a terminal that many columns wide), collects what the terminal would
show, sends keys (answers to questions) and delivers Ctrl-C as a terminal does: SIGINT to
the process group.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import termios
from collections.abc import Mapping, Sequence
from types import TracebackType

from tests.support.cli import GPUEATER

__all__ = ["Terminal"]

_BOUND = 60.0  # only stops a broken run from hanging; never what a test asserts


class Terminal:
    def __init__(
        self,
        args: Sequence[str],
        env: Mapping[str, str],
        cwd: os.PathLike[str] | str,
        *,
        columns: int = 80,
        lines: int = 24,
    ) -> None:
        self._controller, terminal = pty.openpty()
        fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        self.process = subprocess.Popen(
            [GPUEATER, *args],
            stdin=terminal,
            stdout=terminal,
            stderr=terminal,
            env=dict(env),
            cwd=cwd,
            start_new_session=True,
        )
        os.close(terminal)
        self.screen = b""

    def _read_once(self, timeout: float) -> bool:
        ready, _, _ = select.select([self._controller], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self._controller, 65536)
        except OSError:  # the terminal closed: the process exited
            return False
        self.screen += chunk
        return bool(chunk)

    def wait_for(self, text: str, *, count: int = 1) -> str:
        """Read until `text` has been shown `count` times (or the process ended)."""
        while self.screen.decode("utf-8", "replace").count(text) < count:
            if not self._read_once(_BOUND):
                break
        return self.text

    def send(self, keys: str) -> None:
        os.write(self._controller, keys.encode())

    def ctrl_c(self) -> None:
        os.killpg(self.process.pid, signal.SIGINT)

    def finish(self) -> int:
        """Read everything until the process exits; its exit code."""
        while self._read_once(_BOUND):
            pass
        return self.process.wait(timeout=_BOUND)

    @property
    def text(self) -> str:
        return self.screen.decode("utf-8", "replace")

    def __enter__(self) -> Terminal:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        where: TracebackType | None,
    ) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        os.close(self._controller)
