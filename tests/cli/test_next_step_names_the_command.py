"""A lost write's message names the `gpueater` command to check with, never a Python call
(issue 17: "Check with subscribed_list()" reached CLI users)."""

from __future__ import annotations

from tests.cli.conftest import Cli


def test_a_lost_subscribe_names_gpueater_subscriptions(cli: Cli):
    cli.emulator.add_fault("subscribe_instance", "http_500")
    failed = cli("subscribe", "instance", "a1.rx580 monthly")
    assert failed.code == 1
    [line] = failed.stderr.strip().splitlines()
    assert line.startswith("error: subscribe_instance: the service answered HTTP 500")
    assert "check with `gpueater subscriptions` before calling it again" in line
    assert "()" not in line  # no Python call in a CLI message
