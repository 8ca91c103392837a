"""The emulator on loopback for this repository's tests: the shipped pytest plugin's
process management (gpueater_emulator.pytest_plugin, which tests/conftest.py enables), and
the demo credentials of the in-process apps (tests/conftest.py's `emulator_settings`).

Use the plugin's fixtures (`gpueater_emulator`, `gpueater_emulator_sshd`, ...) or, for a
server of a test's own (other options, other credentials), `start_emulator`.
"""

from __future__ import annotations

from gpueater_emulator.pytest_plugin import EmulatorProcess, EmulatorStartError, start_emulator
from tests.support.demo_credentials import (
    DEMO_ACCESS_TOKEN,
    DEMO_EMAIL,
    DEMO_PASSWORD,
    DEMO_SECRET_TOKEN,
)

__all__ = [
    "DEMO_ACCESS_TOKEN",
    "DEMO_EMAIL",
    "DEMO_PASSWORD",
    "DEMO_SECRET_TOKEN",
    "EmulatorProcess",
    "EmulatorStartError",
    "start_emulator",
]
