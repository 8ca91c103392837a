"""The emulators `scripts/bench.py` measures against: processes on loopback it starts and
stops itself, an account filled through the control interface, and SDK clients for it."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from gpueater_ext import GPUEater

__all__ = ["EMAIL", "PASSWORD", "Emulator", "client", "launch_arguments", "running_emulator"]

EMAIL = "bench@example.com"
PASSWORD = "bench-password"  # noqa: S105 - the throwaway emulator's own account


class Emulator:
    """`python -m gpueater_emulator` on a free loopback port, stopped by `stop()`."""

    def __init__(self, folder: Path, *options: str) -> None:
        ready = folder / "emulator.url"
        self.log = folder / "emulator.log"
        command = [
            sys.executable, "-m", "gpueater_emulator", "--port", "0",
            "--ready-file", str(ready), "--account", f"{EMAIL}:{PASSWORD}",
            "--no-validate", "--boot-seconds", "0", "--seed", "1", *options,
        ]  # fmt: skip
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - a fixed argument list
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 30
        while not (ready.is_file() and ready.read_text(encoding="utf-8").strip()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the emulator did not start:\n{self.log.read_text()}")
            time.sleep(0.02)
        self.url = ready.read_text(encoding="utf-8").strip()

    def _control(self, method: str, path: str, body: object = None) -> Any:
        with httpx.Client(base_url=self.url, timeout=60) as control:
            response = control.request(method, path, json=body)
            if response.is_error:
                raise RuntimeError(f"{method} {path}: {response.status_code} {response.text}")
            return response.json()

    def state(self) -> dict[str, Any]:
        state: dict[str, Any] = self._control("GET", "/_emulator/state")
        return state

    def seed(self, count: int) -> None:
        """`count` RUNNING instances at once (`POST /_emulator/instances`), as launches
        would make them: filling an account by launches grows with the square of its size."""
        with client(self) as eater:
            arguments = launch_arguments(eater)
        self._control("POST", "/_emulator/instances", {"count": count, **arguments})

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def running_emulator(folder: Path, *options: str) -> Iterator[Emulator]:
    folder.mkdir()
    emulator = Emulator(folder, *options)
    try:
        yield emulator
    finally:
        emulator.stop()


def client(emulator: Emulator, url: str | None = None) -> GPUEater:
    """An SDK client of the bench account, at `url` (a proxy in front of it) if given."""
    return GPUEater(url or emulator.url, email=EMAIL, password=PASSWORD)


def launch_arguments(eater: GPUEater) -> dict[str, Any]:
    """A product, image and registered key a launch in the bench account can use."""
    catalog = eater.ondemand_list()
    pair = eater.generate_ssh_key()
    key = eater.register_ssh_key(name=f"bench-{time.monotonic_ns()}", public_key=pair.public_key)
    return {
        "product_id": catalog.get_product("a1.rx580").id,
        "image": catalog.get_image("Ubuntu16.04 x64").alias,
        "ssh_key_id": key.id,
    }
