"""The `gpueater` command against the emulator on loopback, with a HOME of its own (so
~/.eater and ~/.ssh are temporary) and no terminal, as a script runs it.

`Cli` runs it in-process by default, through the installed command's own entry point
(tests/support/in_process.py), which saves starting Python and importing the CLI for each
call; `Cli(..., process=True)` runs the real `gpueater` executable instead, for what needs a
second process (a real terminal, signals, kills, start-up). tests/cli/test_in_process.py
runs representative commands both ways, so the two cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.support.emulator_process import EmulatorProcess
from tests.support.in_process import run_in_process

GPUEATER = str(Path(sys.executable).with_name("gpueater"))

# The default mode: in-process (tests that need a second process say so). The Ctrl-C tests
# that once failed in a full run with this default (on a machine loaded to 10 by other
# work) send their signals to real processes; tests/cli and the SSH files they ran after
# passed together on 3 workers with it (399 tests).
IN_A_PROCESS = False


@dataclasses.dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    @property
    def error_line(self) -> str:
        """The single `error:` line a failure must print (and nothing like a traceback)."""
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        assert "Traceback" not in self.stderr
        errors = [line for line in lines if line.startswith("error:")]
        assert len(errors) == 1, self.stderr
        return errors[0]


class Cli:
    def __init__(
        self, home: Path, emulator: EmulatorProcess, *, process: bool = IN_A_PROCESS
    ) -> None:
        self.home = home
        self.emulator = emulator
        self.process = process
        self.env = {
            "PATH": os.environ["PATH"],
            "HOME": str(home),
            "GPUEATER_URL": emulator.url,
            "GPUEATER_EMAIL": emulator.email,
            "GPUEATER_PASSWORD": emulator.password,
            "NO_COLOR": "1",
            "COLUMNS": "200",
            # A lost write is read back for the read timeout (60 s) by default: too long
            # for tests that spoil a write on purpose.
            "GPUEATER_RECONCILE_TIMEOUT": "2",
        }
        for name in ("PYTHONPATH", "LANG", "LC_ALL"):
            if name in os.environ:
                self.env[name] = os.environ[name]

    def __call__(
        self, *args: str, input: str | None = None, env: dict[str, str] | None = None
    ) -> Run:
        stdin = input if input is not None else ""
        environment = {**self.env, **(env or {})}
        if not self.process:
            return Run(*run_in_process(args, stdin=stdin, env=environment, cwd=self.home))
        completed = subprocess.run(
            [GPUEATER, *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=environment,
            cwd=self.home,
            timeout=120,
            check=False,
        )
        return Run(completed.returncode, completed.stdout, completed.stderr)

    def in_this_process(self) -> Cli:
        """The same command line (HOME, environment) run in-process through `main`."""
        twin = Cli(self.home, self.emulator, process=False)
        twin.env = self.env
        return twin

    def in_a_process(self) -> Cli:
        """The same command line (HOME, environment) run as a real `gpueater` process."""
        twin = Cli(self.home, self.emulator, process=True)
        twin.env = self.env
        return twin

    def ok(self, *args: str, **kwargs: Any) -> Run:
        result = self(*args, **kwargs)
        assert result.code == 0, (args, result.stderr)
        return result

    def without_credentials(self) -> None:
        for name in ("GPUEATER_EMAIL", "GPUEATER_PASSWORD"):
            self.env.pop(name, None)
