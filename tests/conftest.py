"""Fixtures shared by every test folder: the emulator on loopback and in-process.

The loopback emulator comes from the plugin users get (gpueater_emulator.pytest_plugin):
`gpueater_emulator_process` (session: one `python -m gpueater_emulator`, random credentials,
`--boot-seconds 0 --seed 1`, test mode on), `gpueater_emulator` (reset for a test),
`gpueater_emulator_sshd`, `gpueater_client`, `gpueater_async_client`.
- `emulator` (function): `gpueater_emulator` under the short name most tests here use.
- `emulator_app` (function): a fresh in-process ASGI app built from `emulator_settings`
  (same credentials, boot time 0, seed 1, test mode) with a frozen clock, `emulator_clock`,
  that only `emulator_clock.advance(seconds)` moves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from starlette.applications import Starlette

from gpueater_emulator import EmulatorClock, EmulatorSettings, create_app
from tests.support.demo_credentials import (
    DEMO_ACCESS_TOKEN,
    DEMO_EMAIL,
    DEMO_PASSWORD,
    DEMO_SECRET_TOKEN,
)

if TYPE_CHECKING:
    from gpueater_emulator.pytest_plugin import EmulatorProcess

# pytester: tests/emulator/test_plugin.py runs a user's test file as a user would.
# tests.support.sshd_instances: the `--sshd` emulator's fixtures, which tests/cli and
# tests/ssh both use (a plugin, so no folder imports another folder's conftest).
pytest_plugins = ["pytester", "gpueater_emulator.pytest_plugin", "tests.support.sshd_instances"]

# 2026-11-01T00:00:00Z: a fixed start makes created_at and billing periods repeatable.
FROZEN_EPOCH = 1_793_491_200.0


@pytest.fixture
def emulator(gpueater_emulator: EmulatorProcess) -> EmulatorProcess:
    return gpueater_emulator


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
