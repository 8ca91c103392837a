"""A fresh Python interpreter running a user's script against an emulator, as a user's own
process would: its own HOME, the emulator's URL and credentials in the environment, and no
other GPUEATER_ setting of the machine's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.emulator_process import EmulatorProcess

__all__ = ["run_python"]


def run_python(
    script: str, emulator: EmulatorProcess, home: Path, *flags: str
) -> subprocess.CompletedProcess[str]:
    """`python FLAGS -c SCRIPT` in `home`, reaching `emulator`; never raises on its exit."""
    # None of this machine's GPUEATER_ settings (a profile, a config file, tokens) leak in.
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GPUEATER_")}
    environment.update(
        HOME=str(home),
        GPUEATER_URL=emulator.url,
        GPUEATER_EMAIL=emulator.email,
        GPUEATER_PASSWORD=emulator.password,
    )
    return subprocess.run(
        [sys.executable, *flags, "-c", script],
        env=environment,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
