"""A job's output in `gpueater run`: the user's program's bytes, but from an instance.

Through a pipe they pass exactly (logs and binary output stay intact); on a real terminal
(a pty) every control character but newline, tab and CR is shown escaped, so a job cannot
retitle the window or clear the screen through the tool (`_say.JobOutput`).
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
from pathlib import Path

import pytest

from gpueater_ext._printable import printable
from tests.support.cli import GPUEATER, Cli
from tests.support.emulator_process import EmulatorProcess

pytestmark = pytest.mark.sshd

# Clear the screen, retitle the window, a one-byte C1 CSI, a bidi override, then a progress
# bar redrawn with CR, a tab, a UTF-8 character and a byte that is not UTF-8.
JOB_BYTES = b"\x1b[2J\x1b]0;pwned\x07\xc2\x9b\xe2\x80\xaeA\r50%\r100%\tok \xc3\xa9 \xff\n"
PRINTF = "".join(f"\\{byte:03o}" for byte in JOB_BYTES)


@pytest.fixture
def cli(tmp_path: Path, gpueater_emulator_sshd: EmulatorProcess) -> Cli:
    home = tmp_path / "home"
    home.mkdir()
    return Cli(home, gpueater_emulator_sshd)


def test_through_a_pipe_the_jobs_bytes_pass_exactly(cli: Cli):
    completed = subprocess.run(
        [GPUEATER, "run", "--name", "piped", "--", "printf", PRINTF],
        env=cli.env, cwd=cli.home, stdin=subprocess.DEVNULL, capture_output=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == JOB_BYTES


def test_on_a_terminal_control_sequences_are_shown_not_obeyed(cli: Cli):
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [GPUEATER, "-q", "run", "--name", "on-tty", "--", "printf", PRINTF],
        stdin=subprocess.DEVNULL, stdout=terminal, stderr=subprocess.PIPE,
        env=cli.env, cwd=cli.home, start_new_session=True,
    )  # fmt: skip
    os.close(terminal)
    screen = b""
    try:
        while True:
            ready, _, _ = select.select([controller], [], [], 120)
            if not ready:
                break
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal closed: the process exited
                break
            if not chunk:
                break
            screen += chunk
    finally:
        stderr = process.communicate(timeout=120)[1]
        os.close(controller)
    assert process.returncode == 0, stderr
    text = JOB_BYTES.decode("utf-8", "surrogateescape")
    # The pty turns each newline into CR LF on its way to the screen (onlcr).
    shown = printable(text, keep="\n\t\r").replace("\n", "\r\n")
    assert screen.decode("utf-8") == shown
    assert "\\x1b[2J\\x1b]0;pwned\\x07\\x9b\\u202eA\r50%\r100%\tok é \\xff" in shown
