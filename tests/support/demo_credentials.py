"""The fixed credentials of the in-process apps (tests/conftest.py's `emulator_settings`).

A module of its own so that tests/conftest.py can import them without importing the
plugin before pytest registers it (pytest can only rewrite the asserts of a plugin it
imports itself, and warns otherwise)."""

from __future__ import annotations

__all__ = ["DEMO_ACCESS_TOKEN", "DEMO_EMAIL", "DEMO_PASSWORD", "DEMO_SECRET_TOKEN"]

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-password"
DEMO_ACCESS_TOKEN = "demo-access-token"
DEMO_SECRET_TOKEN = "demo-secret-token"
