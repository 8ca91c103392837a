"""Running a command that follows a job (a migration, an image build) while the test acts
on the emulator mid-way, without sleeping: the command's first progress line on stderr
says the job exists and has been looked at once; then the test moves the emulator's clock
(or cancels the job) and lets the command finish."""

from __future__ import annotations

import subprocess
from collections.abc import Callable

from tests.support.cli import GPUEATER, Cli, Run


def run_following(cli: Cli, *args: str, meanwhile: Callable[[str], object]) -> Run:
    """`meanwhile` receives what the command wrote on stderr up to its first progress line."""
    process = subprocess.Popen(
        [GPUEATER, *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli.env,
        cwd=cli.home,
    )
    assert process.stderr is not None
    before: list[str] = []
    try:
        for line in process.stderr:
            before.append(line)
            if line.rstrip().endswith("s)") and "%" in line:  # "<job>: RUNNING 3% (0 s)"
                break
        meanwhile("".join(before))
        stdout, rest = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return Run(process.returncode, stdout, "".join(before) + rest)
