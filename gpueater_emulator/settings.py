"""How an emulator is configured, and the clock every time-based transition reads."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .ids import DEFAULT_ADDRESS_POOL
from .ssh_exposure import SshMachines

if TYPE_CHECKING:
    from .store import WorldStore

__all__ = ["DEFAULT_SESSION_TTL", "EmulatorClock", "EmulatorSettings"]

DEFAULT_SESSION_TTL = 3600.0


class EmulatorClock:
    """Wall-clock seconds plus an offset that can only grow.

    Boot, stop, image builds, transactions and billing all read this clock, so a test (or
    `POST /_emulator/clock`) can move time forward instead of sleeping.
    """

    def __init__(self, start: float | None = None) -> None:
        # A fixed start freezes the clock: only advance() moves it (deterministic tests).
        self._frozen_at = start
        self._offset = 0.0

    def now(self) -> float:
        base = time.time() if self._frozen_at is None else self._frozen_at
        return base + self._offset

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the emulator's clock only moves forward")
        self._offset += seconds

    @property
    def offset(self) -> float:
        """Seconds added so far: what a state folder keeps, so a restart resumes the same
        clock (wall-clock time goes on while the emulator is down, as on the service)."""
        return self._offset

    def resume(self, offset: float) -> None:
        """Take up the offset a state folder kept (never moving the clock back)."""
        self._offset = max(self._offset, offset)


@dataclass
class EmulatorSettings:
    """Everything `create_app` needs; `python -m gpueater_emulator` fills it from its options."""

    # email -> password and access token -> secret token; every credential logs in to the
    # one emulated account.
    accounts: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    session_ttl: float = DEFAULT_SESSION_TTL
    # LAUNCHING -> RUNNING, and STOPPING -> STOPPED, take this long.
    boot_seconds: float = 3.0
    seed: int = 0
    latency_ms: int = 0
    validate_requests: bool = True
    # Test mode: an answer that breaks the spec raises instead of being sent.
    validate_responses: bool = False
    # Slower work, not exposed as command-line options: move the clock to see it finish.
    image_build_seconds: float = 60.0
    transaction_seconds: float = 30.0
    volume_transfer_seconds: float = 10.0
    clock: EmulatorClock = field(default_factory=EmulatorClock)
    # `--sshd`: each instance a machine of its own (machines.py), with its disk in
    # state_dir; None: instances are records only.
    ssh_machines: SshMachines | None = None
    # The one place the emulator keeps files (instance disks, host keys, copies); the
    # server makes a temporary folder per process for it.
    state_dir: Path | None = None
    # `--state-dir`: the SQLite file the world is kept in, written once per API call; None:
    # the world lives in memory only and ends with the process.
    store: WorldStore | None = None
    # Where instances' addresses come from (see ids.DEFAULT_ADDRESS_POOL); tests shrink it
    # to reach a full pool.
    address_pool: str = DEFAULT_ADDRESS_POOL
