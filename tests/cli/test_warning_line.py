"""A warning (here: a world-readable ~/.eater) reaches a CLI user as one `warning:` line."""

from __future__ import annotations

import json

from tests.support.cli import Cli


def test_a_readable_config_file_draws_one_warning_line(cli: Cli):
    cli.without_credentials()
    eater = cli.home / ".eater"
    profile = {"email": cli.emulator.email, "password": cli.emulator.password}
    eater.write_text(json.dumps({"gpueater": profile}))
    eater.chmod(0o644)
    result = cli.ok("instances", "-o", "json")
    assert result.json() == []
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("warning: ")
    assert "chmod 600" in lines[0]
