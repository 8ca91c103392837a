"""The `gpueater` command against the emulator on loopback (the runner: tests/support/cli.py).

- `cli` (function): the command with a HOME of the test's own, pointed at the reset emulator.
- `launched` (function): a RUNNING instance launched through the CLI with a freshly
  generated, registered key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import Cli
from tests.support.emulator_process import EmulatorProcess


@pytest.fixture
def cli(tmp_path: Path, emulator: EmulatorProcess) -> Cli:
    home = tmp_path / "home"
    home.mkdir()
    return Cli(home, emulator)


@pytest.fixture
def launched(cli: Cli) -> dict[str, Any]:
    """A RUNNING instance launched through the CLI with a freshly generated, registered key."""
    cli.ok("ssh-key", "generate", "work-key", "--register", "-o", "json")
    result = cli.ok(
        "launch",
        "--product", "a1.rx580",
        "--image", "Ubuntu16.04 x64",
        "--ssh-key", "work-key",
        "--tag", "web-1",
        "--wait", "running",
        "-o", "json",
    )  # fmt: skip
    instance: dict[str, Any] = result.json()
    return instance
