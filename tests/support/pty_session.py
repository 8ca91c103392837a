"""Running the real `gpueater` on a real pseudo-terminal, and answering its question as a
person at the keyboard would."""

from __future__ import annotations

import dataclasses
import os
import pty
import select
import subprocess

from tests.support.cli import GPUEATER, Cli

__all__ = ["TerminalRun", "on_terminal"]

_PATIENCE = 60.0  # seconds without output before giving up (a hang, not a timing check)


@dataclasses.dataclass
class TerminalRun:
    code: int  # negative (killed) when no answer was given
    screen: str  # everything the terminal showed (stdout and stderr share it)
    prompted: bool  # whether `prompt` showed


def on_terminal(
    cli: Cli, *args: str, prompt: str, answer: str | None = None, env: dict[str, str] | None = None
) -> TerminalRun:
    """Run `gpueater ARGS` with stdin, stdout and stderr on one pty. Once `prompt` shows,
    type `answer` and Enter and read until the command exits; with no answer, stop there
    (the command is killed): the screen up to the question is what the test wants."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [GPUEATER, *args],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env={**cli.env, **(env or {})},
        cwd=cli.home,
        start_new_session=True,
    )
    os.close(terminal)
    screen = b""
    prompted = False
    try:
        while select.select([controller], [], [], _PATIENCE)[0]:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal closed: the process exited
                break
            if not chunk:
                break
            screen += chunk
            if not prompted and prompt.encode() in screen:
                prompted = True
                if answer is None:
                    break
                os.write(controller, answer.encode() + b"\n")
    finally:
        if answer is None or process.poll() is None:
            process.kill()
        code = process.wait(timeout=_PATIENCE)
        os.close(controller)
    return TerminalRun(code, screen.decode("utf-8", "replace").replace("\r\n", "\n"), prompted)


def _terminal_screen(cli: Cli, env: dict[str, str], until: str, *args: str) -> str:
    """What a terminal shows until `until` appears (then the process is killed)."""
    return on_terminal(cli, *args, prompt=until, env=env).screen
