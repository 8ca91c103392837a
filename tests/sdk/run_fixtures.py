"""Shared pieces of the SDK's `run` tests: a client of the `--sshd` emulator with its own
HOME, config and state folders, writers that record what a job wrote, and event recorders.

Every run here is real: a real emulator process, its instances real OpenSSH servers on
127.0.0.1, rsync and ssh as installed, files on disk. Without OpenSSH's server or rsync
the tests skip (fail under GPUEATER_REQUIRE_SSHD, as in CI).
"""

from __future__ import annotations

import io
import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from gpueater_emulator.pytest_plugin import EmulatorProcess
from gpueater_ext import GPUEater, Instance, RunEvent

__all__ = [
    "Events",
    "Recorder",
    "live_instances",
    "make_client",
    "run_home",
]


def _require_tools() -> None:
    missing = [n for n in ("ssh", "ssh-keygen", "rsync") if shutil.which(n) is None]
    if missing:
        if os.environ.get("GPUEATER_REQUIRE_SSHD"):
            pytest.fail(f"GPUEATER_REQUIRE_SSHD is set, but {', '.join(missing)} is missing")
        pytest.skip(f"{', '.join(missing)} not installed")


@pytest.fixture
def run_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HOME, the config and the state folder (known_hosts, locks) of this test alone."""
    _require_tools()
    home = Path(os.environ["HOME"])  # tests/sdk/conftest.py made it a temporary folder
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return home


def make_client(emulator: EmulatorProcess, **options: object) -> GPUEater:
    return GPUEater(
        emulator.url,
        email=emulator.email,
        password=emulator.password,
        **options,  # type: ignore[arg-type]
    )


def live_instances(emulator: EmulatorProcess) -> list[dict[str, object]]:
    """The emulator's instances that are not terminated, as its own state shows them."""
    instances: list[dict[str, object]] = emulator.state()["instances"]
    return [i for i in instances if i.get("state") not in ("TERMINATED", "TERMINATING")]


class Recorder(io.RawIOBase):
    """A binary writer that keeps what it was given, in order, and can call back on it
    (`on_write(all_bytes_so_far)`), e.g. to press Ctrl-C at a chosen point."""

    def __init__(self, on_write: Callable[[bytes], None] | None = None) -> None:
        super().__init__()
        self.data = bytearray()
        self.lock = threading.Lock()
        self.on_write = on_write

    def writable(self) -> bool:
        return True

    def write(self, chunk: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        with self.lock:
            self.data += bytes(chunk)
            seen = bytes(self.data)
        if self.on_write is not None:
            self.on_write(seen)
        return len(chunk)

    @property
    def text(self) -> str:
        return bytes(self.data).decode()


class Events:
    """An `on_event` callback that records every event; `raise_at(stage, text)` presses
    Ctrl-C (raises KeyboardInterrupt) at the first event of that stage holding the text."""

    def __init__(self) -> None:
        self.events: list[RunEvent] = []
        self._interrupt: tuple[str, str] | None = None

    def raise_at(self, stage: str, text: str = "") -> Events:
        self._interrupt = (stage, text)
        return self

    def __call__(self, event: RunEvent) -> None:
        self.events.append(event)
        if self._interrupt is not None:
            stage, text = self._interrupt
            if event.stage == stage and text in event.message:
                self._interrupt = None
                raise KeyboardInterrupt

    @property
    def lines(self) -> list[str]:
        return [str(event) for event in self.events]

    def stages(self) -> list[str]:
        return [event.stage for event in self.events]


def instance_of(client: GPUEater, instance_id: str) -> Instance | None:
    return next((i for i in client.instance_list() if i.instance_id == instance_id), None)


def processes_running(words: str) -> list[int]:
    """The pids on this machine (the emulator's instances' namespaces included) whose
    command line is `words`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").strip()
        except OSError:
            continue
        if entry.name.isdigit() and line == words.encode():
            found.append(int(entry.name))
    return found
