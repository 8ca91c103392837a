"""With -o json, a lifecycle command whose only action failed leaves stdout empty."""

from __future__ import annotations

from typing import Any

from tests.support.cli import Cli


def test_a_failed_action_prints_no_json(cli: Cli, launched: dict[str, Any]):
    cli.emulator.add_fault("emergency_restart_instance", "http_500", count=3)
    result = cli("emergency-restart", "web-1", "--yes", "-o", "json")
    assert result.code == 1
    assert result.stdout == ""
    assert "emergency_restart_instance" in result.error_line
