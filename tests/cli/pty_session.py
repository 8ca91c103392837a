"""Running the real `gpueater` on a real pseudo-terminal and answering its question, as a
person at the keyboard would."""

from __future__ import annotations

import dataclasses
import os
import pty
import select
import subprocess

from tests.cli.conftest import GPUEATER, Cli

__all__ = ["TerminalRun", "answer_on_terminal"]

_PATIENCE = 60.0  # seconds without output before giving up (a hang, not a timing check)


@dataclasses.dataclass
class TerminalRun:
    code: int
    screen: str  # everything the terminal showed (stdout and stderr share it)


def answer_on_terminal(cli: Cli, *args: str, prompt: str, answer: str) -> TerminalRun:
    """Run `gpueater ARGS` with stdin, stdout and stderr on one pty; once `prompt` shows,
    type `answer` and Enter; read until the command exits."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [GPUEATER, *args],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=cli.env,
        cwd=cli.home,
        start_new_session=True,
    )
    os.close(terminal)
    screen = b""
    answered = False
    try:
        while True:
            ready, _, _ = select.select([controller], [], [], _PATIENCE)
            if not ready:
                raise AssertionError(f"the terminal went quiet; it showed: {screen!r}")
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal closed: the process exited
                break
            if not chunk:
                break
            screen += chunk
            if not answered and prompt.encode() in screen:
                os.write(controller, answer.encode() + b"\n")
                answered = True
        code = process.wait(timeout=_PATIENCE)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(controller)
    assert answered, f"{prompt!r} never showed; the terminal showed: {screen!r}"
    return TerminalRun(code, screen.decode("utf-8", "replace").replace("\r\n", "\n"))
