"""Running the real `gpueater` entry point in a subprocess against the emulator on loopback.

Each test gets its own HOME (so ~/.eater and ~/.ssh are temporary) and no terminal, as a
script would run it.
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

GPUEATER = str(Path(sys.executable).with_name("gpueater"))


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
    def __init__(self, home: Path, emulator: EmulatorProcess) -> None:
        self.home = home
        self.emulator = emulator
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
        completed = subprocess.run(
            [GPUEATER, *args],
            input=input if input is not None else "",
            capture_output=True,
            text=True,
            env={**self.env, **(env or {})},
            cwd=self.home,
            timeout=120,
            check=False,
        )
        return Run(completed.returncode, completed.stdout, completed.stderr)

    def ok(self, *args: str, **kwargs: Any) -> Run:
        result = self(*args, **kwargs)
        assert result.code == 0, (args, result.stderr)
        return result

    def without_credentials(self) -> None:
        for name in ("GPUEATER_EMAIL", "GPUEATER_PASSWORD"):
            self.env.pop(name, None)
