"""Fixtures shared by every test folder: the emulator on loopback and in-process.

- `emulator_server` (session): one `python -m gpueater_emulator` for the whole run, with the
  demo credentials of tests.emulator_process, `--boot-seconds 0 --seed 1`, test mode on.
- `emulator` (function): that server, reset to its seeded state with no faults, for a test.
- `emulator_app` (function): a fresh in-process ASGI app built from `emulator_settings`
  (same credentials, boot time 0, seed 1, test mode) with a frozen clock, `emulator_clock`,
  that only `emulator_clock.advance(seconds)` moves.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette

from gpueater_emulator import EmulatorClock, EmulatorSettings, create_app
from tests.emulator_process import (
    DEMO_ACCESS_TOKEN,
    DEMO_EMAIL,
    DEMO_PASSWORD,
    DEMO_SECRET_TOKEN,
    EmulatorProcess,
    start_emulator,
)

# 2026-11-01T00:00:00Z: a fixed start makes created_at and billing periods repeatable.
FROZEN_EPOCH = 1_793_491_200.0


@pytest.fixture(scope="session")
def emulator_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorProcess]:
    server = start_emulator(Path(tmp_path_factory.mktemp("emulator")))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def emulator(emulator_server: EmulatorProcess) -> EmulatorProcess:
    emulator_server.reset()
    emulator_server.clear_faults()
    return emulator_server


@pytest.fixture
def emulator_clock() -> EmulatorClock:
    return EmulatorClock(start=FROZEN_EPOCH)


@pytest.fixture
def emulator_settings(emulator_clock: EmulatorClock) -> EmulatorSettings:
    return EmulatorSettings(
        accounts={DEMO_EMAIL: DEMO_PASSWORD},
        tokens={DEMO_ACCESS_TOKEN: DEMO_SECRET_TOKEN},
        boot_seconds=0,
        seed=1,
        validate_requests=True,
        validate_responses=True,
        clock=emulator_clock,
    )


@pytest.fixture
def emulator_app(emulator_settings: EmulatorSettings) -> Starlette:
    return create_app(emulator_settings)


@pytest.fixture
def anyio_backend() -> str:
    # The emulator is an asyncio application; trio is not a target.
    return "asyncio"
