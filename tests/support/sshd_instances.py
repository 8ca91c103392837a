"""Fixtures for sync, tunnels and ssh-config against a real OpenSSH server on 127.0.0.1.

A pytest plugin (tests/conftest.py loads it), since tests/cli and tests/ssh both use it.
SDK-level tests of the SSH layer use tests/ssh's own fixtures (`private_sshd`, `client_key`,
`isolated_home`, `ssh_target`): the SSH layer talks to the private sshd directly.

- `sshd_emulator` (session): the plugin's emulator with `--sshd`, whose RUNNING instances
  are a real OpenSSH server on 127.0.0.1, not reset between tests (for instances launched
  once per module), with `workspace` (module): a HOME of the module's own. The instance's
  side is its disk, `sshd_emulator.disk(instance_id)`: its home.
- `reset_sshd_emulator` (function): the same emulator reset for the test (skips without ssh
  or rsync), `sshd_cli` (the `gpueater` command with its own HOME, pointed at it), and
  `running_instance`, launched through the CLI; `echo_server`, a tunnel's far end.

Without OpenSSH's server these tests skip, unless GPUEATER_REQUIRE_SSHD is set (CI).
"""

from __future__ import annotations

import dataclasses
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import Cli
from tests.support.emulator_process import EmulatorProcess
from tests.support.sshd import sshd_required


def require_tools(*names: str) -> None:
    missing = [name for name in names if shutil.which(name) is None]
    if missing:
        if sshd_required():
            pytest.fail(f"GPUEATER_REQUIRE_SSHD is set, but {', '.join(missing)} is missing")
        pytest.skip(f"{', '.join(missing)} not installed")


@pytest.fixture(scope="session")
def sshd_emulator(gpueater_emulator_sshd_process: EmulatorProcess) -> EmulatorProcess:
    """The plugin's `--sshd` emulator, not reset between tests: for module-scoped instances."""
    return gpueater_emulator_sshd_process


@dataclasses.dataclass(frozen=True)
class Workspace:
    home: Path

    @property
    def known_hosts(self) -> Path:
        return self.home / ".config" / "gpueater" / "known_hosts"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A HOME of the module's own (so ~/.ssh and the project's known_hosts are temporary)."""
    root = tmp_path_factory.mktemp("ssh-cli")
    home = root / "home"
    home.mkdir()
    return Workspace(home)


@pytest.fixture
def reset_sshd_emulator(gpueater_emulator_sshd: EmulatorProcess) -> EmulatorProcess:
    """The plugin's `--sshd` emulator, reset for the test; skips without ssh or rsync."""
    require_tools("ssh", "ssh-keygen", "rsync")
    return gpueater_emulator_sshd


@pytest.fixture
def sshd_cli(tmp_path: Path, reset_sshd_emulator: EmulatorProcess) -> Cli:
    home = tmp_path / "home"
    home.mkdir()
    cli = Cli(home, reset_sshd_emulator)
    # The project's config folder (known_hosts, ssh_config) inside the test's own folder.
    cli.env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    return cli


def launch(cli: Cli, tag: str, key: str = "work-key") -> dict[str, Any]:
    if not (cli.home / ".ssh" / f"{key}.pem").exists():
        cli.ok("ssh-key", "generate", key, "--register", "-o", "json")
    result = cli.ok(
        "launch",
        "--product", "a1.rx580",
        "--image", "Ubuntu16.04 x64",
        "--ssh-key", key,
        "--tag", tag,
        "--wait", "running",
        "-o", "json",
    )  # fmt: skip
    instance: dict[str, Any] = result.json()
    return instance


@pytest.fixture
def running_instance(sshd_cli: Cli) -> dict[str, Any]:
    return launch(sshd_cli, "box-1")


class EchoServer:
    """A TCP server on 127.0.0.1 (the instance's side of a tunnel) that sends back, upper
    cased, whatever each connection sends, so both directions can be checked."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._echo, args=(connection,), daemon=True).start()

    @staticmethod
    def _echo(connection: socket.socket) -> None:
        with connection:
            while data := connection.recv(65536):
                connection.sendall(data.upper())

    def close(self) -> None:
        self._listener.close()


@pytest.fixture
def echo_server() -> Iterator[EchoServer]:
    server = EchoServer()
    yield server
    server.close()


def exchange(port: int, payload: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(payload)
        connection.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    return received
