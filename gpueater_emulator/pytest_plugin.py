"""pytest fixtures that run the GPUEater emulator for your own tests.

Enable it where you want it, in a `conftest.py`::

    pytest_plugins = ["gpueater_emulator.pytest_plugin"]

or for one run: `pytest -p gpueater_emulator.pytest_plugin`. It is opt-in rather than a
`pytest11` entry point on purpose: an entry point would load it into every pytest run of
every project whose environment has gpueater installed, adding its fixtures and options to
test suites that never asked for them (and `-p no:...` to every suite that wants it gone).

The fixtures (all named `gpueater_*`, so they cannot clash with yours):

- `gpueater_emulator`: an `EmulatorProcess`, a real `python -m gpueater_emulator` on a free
  loopback port, started once per session and reset (seeded account, no faults, counters
  at 0) before each test that uses it. `.url`, `.email`/`.password`,
  `.access_token`/`.secret_token`, `.add_fault()`, `.clear_faults()`, `.advance_clock()`,
  `.state()`, `.log()`. Instances boot in 0 s; `advance_clock` moves billing and builds.
- `gpueater_client`: a `gpueater_ext.GPUEater` with its URL and credentials (never those of
  `~/.eater`), closed after the test. `gpueater_async_client`: an `AsyncGPUEater` likewise,
  for `async with gpueater_async_client as eater:` in your event loop.
- `gpueater_emulator_sshd`: the same, started with `--sshd`, so RUNNING instances are real
  OpenSSH servers on 127.0.0.1 (`.disk(instance_id)` is the instance's home here). It skips
  the test when OpenSSH's server is not installed, or fails it when the environment sets
  `GPUEATER_REQUIRE_SSHD=1` (as CI should).
- `start_emulator(folder, *options)`: your own emulator, with other options; stop it with
  `.stop()` or a `with` block.

Importing this module imports only the standard library and pytest: the emulator runs in
a process of its own, and the SDK is imported when a client fixture is first used. Without
the `[emulator]` extra a fixture fails with the one line saying how to install it.

Credentials are random for each emulator process (nothing guessable is accepted on the
loopback port). Every answer the emulator gives is checked against its spec (test mode), so
an answer your code sees is one the spec allows.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from gpueater_ext import AsyncGPUEater, GPUEater

__all__ = [
    "EmulatorProcess",
    "EmulatorStartError",
    "gpueater_async_client",
    "gpueater_client",
    "gpueater_emulator",
    "gpueater_emulator_process",
    "gpueater_emulator_sshd",
    "gpueater_emulator_sshd_process",
    "start_emulator",
]

DEFAULT_EMAIL = "demo@example.com"
_START_TIMEOUT_SECONDS = 20.0
_STOP_TIMEOUT_SECONDS = 10.0
_CONTROL_TIMEOUT_SECONDS = 10.0
_REQUIRE_SSHD = "GPUEATER_REQUIRE_SSHD"


class EmulatorStartError(RuntimeError):
    """The emulator exited (or never became ready); the message holds its output."""

    def __init__(self, message: str, returncode: int | None) -> None:
        super().__init__(message)
        self.returncode = returncode


class EmulatorProcess:
    """A running emulator: where it listens, the credentials it accepts, its control calls."""

    def __init__(
        self,
        process: subprocess.Popen[bytes],
        url: str,
        log_path: Path,
        email: str,
        password: str,
        access_token: str,
        secret_token: str,
    ) -> None:
        self.process = process
        self.url = url
        self.log_path = log_path
        self.email = email
        self.password = password
        self.access_token = access_token
        self.secret_token = secret_token

    def __repr__(self) -> str:  # no secrets in a repr (pytest prints fixtures' reprs)
        return f"EmulatorProcess(url={self.url!r}, email={self.email!r})"

    def _control(self, method: str, path: str, body: Any = None) -> Any:
        import httpx

        # A fresh connection per control call, so tests that count connections only see
        # their own (the emulator does not count /_emulator calls anyway).
        response = httpx.request(
            method, self.url + path, json=body, timeout=_CONTROL_TIMEOUT_SECONDS
        )
        response.raise_for_status()
        return response.json()

    def state(self) -> dict[str, Any]:
        """`{"instances", "ssh_keys", "volumes", "snapshots", "requests": {operationId: n},
        "connections": n, "faults", ...}`"""
        state: dict[str, Any] = self._control("GET", "/_emulator/state")
        return state

    def disk(self, instance_id: str) -> Path:
        """`--sshd`: the instance's disk on this machine (its home: relative paths land here)."""
        return Path(self.state()["disks"][instance_id])

    def reset(self) -> None:
        """Back to the seeded account; request and connection counters start again at 0."""
        self._control("POST", "/_emulator/reset")

    def add_fault(self, operation: str, kind: str, count: int = 1, **extra: Any) -> dict[str, Any]:
        """Queue a fault, for example `add_fault("launch_ondemand_instance", "drop_after_commit")`
        or `add_fault("*", "delay", seconds=0.5)`."""
        added: dict[str, Any] = self._control(
            "POST",
            "/_emulator/faults",
            {"operation": operation, "kind": kind, "count": count, **extra},
        )
        return added

    def clear_faults(self) -> None:
        self._control("DELETE", "/_emulator/faults")

    def advance_clock(self, seconds: float) -> None:
        """Move the emulator's clock forward: boots, builds and transactions that are due finish."""
        self._control("POST", "/_emulator/clock", {"seconds": seconds})

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def __enter__(self) -> EmulatorProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def stop(self) -> int:
        """SIGTERM, then wait; answers the exit status (0 for a clean shutdown)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=_STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def start_emulator(
    folder: Path,
    *extra_args: str,
    email: str = DEFAULT_EMAIL,
    password: str | None = None,
    access_token: str | None = None,
    secret_token: str | None = None,
) -> EmulatorProcess:
    """Start an emulator on a free loopback port and wait until it accepts connections.

    Its ready file and log live in `folder`. Defaults: `email` with a random password, a
    random token pair, `--boot-seconds 0 --seed 1`, and test mode (every answer is checked
    against the spec). `extra_args` are appended, so a later option wins. Raises
    EmulatorStartError with the emulator's output when it exits instead.
    """
    password = password or secrets.token_urlsafe(12)
    access_token = access_token or secrets.token_hex(16)
    secret_token = secret_token or secrets.token_hex(32)
    folder.mkdir(parents=True, exist_ok=True)
    ready_file = folder / "emulator.url"
    ready_file.unlink(missing_ok=True)
    log_path = folder / "emulator.log"
    # The secrets travel in an argument list only this user's processes can read on Linux
    # (/proc/PID/cmdline is world-readable, though): they are throwaway test credentials of
    # a loopback service that lives as long as the test session.
    command = [
        sys.executable,
        "-m",
        "gpueater_emulator",
        "--port", "0",
        "--ready-file", str(ready_file),
        "--account", f"{email}:{password}",
        "--token", f"{access_token}:{secret_token}",
        "--boot-seconds", "0",
        "--seed", "1",
        *extra_args,
    ]  # fmt: skip
    environment = {**os.environ, "GPUEATER_EMULATOR_STRICT": "1"}
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 (our interpreter, an argument list, no shell)
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=environment
        )
    deadline = time.monotonic() + _START_TIMEOUT_SECONDS
    while not ready_file.is_file() or not ready_file.read_text(encoding="utf-8").strip():
        if process.poll() is not None or time.monotonic() > deadline:
            if process.poll() is None:
                process.kill()
            process.wait()
            output = log_path.read_text(encoding="utf-8", errors="replace").strip()
            raise EmulatorStartError(f"the emulator did not start: {output}", process.returncode)
        time.sleep(0.02)
    url = ready_file.read_text(encoding="utf-8").strip()
    return EmulatorProcess(process, url, log_path, email, password, access_token, secret_token)


def _session_emulator(
    factory: pytest.TempPathFactory, name: str, *options: str
) -> Iterator[EmulatorProcess]:
    refused: str | None = None
    try:
        server = start_emulator(factory.mktemp(name), *options)
    except EmulatorStartError as failed:
        refused = str(failed)
    if refused is not None:  # outside the except block: the report is that line alone
        if "--sshd" in options and "--sshd:" in refused and not os.environ.get(_REQUIRE_SSHD):
            pytest.skip(refused)
        pytest.fail(refused, pytrace=False)
    try:
        yield server
    finally:
        server.stop()


def _fresh(server: EmulatorProcess) -> EmulatorProcess:
    server.reset()
    server.clear_faults()
    return server


@pytest.fixture(scope="session")
def gpueater_emulator_process(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[EmulatorProcess]:
    """The session's emulator, as it is (use `gpueater_emulator` for a reset one)."""
    yield from _session_emulator(tmp_path_factory, "gpueater-emulator")


@pytest.fixture
def gpueater_emulator(gpueater_emulator_process: EmulatorProcess) -> EmulatorProcess:
    """The session's emulator, reset to its seeded account with no faults."""
    return _fresh(gpueater_emulator_process)


@pytest.fixture(scope="session")
def gpueater_emulator_sshd_process(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[EmulatorProcess]:
    """The session's `--sshd` emulator, as it is."""
    yield from _session_emulator(tmp_path_factory, "gpueater-emulator-sshd", "--sshd")


@pytest.fixture
def gpueater_emulator_sshd(gpueater_emulator_sshd_process: EmulatorProcess) -> EmulatorProcess:
    """An emulator whose RUNNING instances are real SSH targets, reset for this test."""
    return _fresh(gpueater_emulator_sshd_process)


@pytest.fixture
def gpueater_client(gpueater_emulator: EmulatorProcess) -> Iterator[GPUEater]:
    """A `gpueater_ext.GPUEater` for the reset emulator."""
    from gpueater_ext import GPUEater

    with GPUEater(
        gpueater_emulator.url, email=gpueater_emulator.email, password=gpueater_emulator.password
    ) as client:
        yield client


@pytest.fixture
def gpueater_async_client(gpueater_emulator: EmulatorProcess) -> AsyncGPUEater:
    """A `gpueater_ext.AsyncGPUEater` for the reset emulator, not yet opened: use it as
    `async with gpueater_async_client as eater:` inside your event loop. A plain fixture
    rather than an async one, so it works under asyncio.run, anyio or pytest-asyncio alike."""
    from gpueater_ext import AsyncGPUEater

    return AsyncGPUEater(
        gpueater_emulator.url, email=gpueater_emulator.email, password=gpueater_emulator.password
    )
