"""Run `python -m gpueater_emulator` as a real server on loopback for integration tests.

Shared by every test folder through the fixtures in tests/conftest.py; use those rather
than this module directly unless a test needs its own server (other options, other
credentials).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

__all__ = [
    "DEMO_ACCESS_TOKEN",
    "DEMO_EMAIL",
    "DEMO_PASSWORD",
    "DEMO_SECRET_TOKEN",
    "EmulatorProcess",
    "start_emulator",
]

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-password"
DEMO_ACCESS_TOKEN = "demo-access-token"
DEMO_SECRET_TOKEN = "demo-secret-token"

_START_TIMEOUT_SECONDS = 20.0
_STOP_TIMEOUT_SECONDS = 10.0
_CONTROL_TIMEOUT_SECONDS = 10.0


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

    def _control(self, method: str, path: str, body: Any = None) -> Any:
        # A fresh connection per control call, so tests that count connections only see
        # their own (the emulator does not count /_emulator calls anyway).
        response = httpx.request(
            method, self.url + path, json=body, timeout=_CONTROL_TIMEOUT_SECONDS
        )
        response.raise_for_status()
        return response.json()

    def state(self) -> dict[str, Any]:
        """`{"instances", "ssh_keys", "volumes", "snapshots", "requests": {operationId: n},
        "connections": n, "faults"}`"""
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

    def __enter__(self) -> EmulatorProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

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
    tmp_dir: Path,
    *extra_args: str,
    email: str = DEMO_EMAIL,
    password: str = DEMO_PASSWORD,
    access_token: str = DEMO_ACCESS_TOKEN,
    secret_token: str = DEMO_SECRET_TOKEN,
) -> EmulatorProcess:
    """Start an emulator on a free loopback port and wait until it accepts connections.

    Defaults: the demo credentials above, `--boot-seconds 0 --seed 1`, and test mode (every
    answer is checked against the spec). `extra_args` are appended, so a later option wins.
    """
    tmp_dir.mkdir(parents=True, exist_ok=True)
    ready_file = tmp_dir / "emulator.url"
    ready_file.unlink(missing_ok=True)
    log_path = tmp_dir / "emulator.log"
    command = [
        sys.executable,
        "-m",
        "gpueater_emulator",
        "--port",
        "0",
        "--ready-file",
        str(ready_file),
        "--account",
        f"{email}:{password}",
        "--token",
        f"{access_token}:{secret_token}",
        "--boot-seconds",
        "0",
        "--seed",
        "1",
        *extra_args,
    ]
    environment = {**os.environ, "GPUEATER_EMULATOR_STRICT": "1"}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=environment
        )
    deadline = time.monotonic() + _START_TIMEOUT_SECONDS
    while not ready_file.is_file() or not ready_file.read_text(encoding="utf-8").strip():
        if process.poll() is not None or time.monotonic() > deadline:
            if process.poll() is None:
                process.kill()
            process.wait()
            output = log_path.read_text(encoding="utf-8", errors="replace")
            raise RuntimeError(f"the emulator did not start: {output}")
        time.sleep(0.02)
    url = ready_file.read_text(encoding="utf-8").strip()
    return EmulatorProcess(process, url, log_path, email, password, access_token, secret_token)
