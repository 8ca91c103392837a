"""The SSH extras end to end: the SDK's methods and the `gpueater` command against the
emulator's `--sshd` mode, where RUNNING instances are a real OpenSSH server on 127.0.0.1.

- `sshd_emulator` (session): the plugin's `gpueater_emulator_sshd_process`, an emulator
  with `--sshd`, not reset between tests; skips without OpenSSH's server (fails instead
  under GPUEATER_REQUIRE_SSHD, as in CI).
- `workspace` (module): a HOME of its own (so ~/.ssh and the project's known_hosts are
  temporary). The instance's side is its disk, `sshd_emulator.disk(instance_id)`: its home,
  where relative remote paths point.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests.emulator_process import EmulatorProcess


@pytest.fixture(scope="session")
def sshd_emulator(gpueater_emulator_sshd_process: EmulatorProcess) -> EmulatorProcess:
    return gpueater_emulator_sshd_process


@dataclasses.dataclass(frozen=True)
class Workspace:
    home: Path

    @property
    def known_hosts(self) -> Path:
        return self.home / ".config" / "gpueater" / "known_hosts"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("ssh-cli")
    home = root / "home"
    home.mkdir()
    return Workspace(home)
