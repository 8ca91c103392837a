"""A lost write's message names the `gpueater` command to check with, never a Python call
(issue 17: "Check with subscribed_list()" reached CLI users)."""

from __future__ import annotations

from tests.support.cli import Cli


def test_a_lost_subscribe_names_gpueater_subscriptions(cli: Cli):
    cli.emulator.add_fault("subscribe_instance", "http_500")
    failed = cli("subscribe", "instance", "a1.rx580 monthly", "--yes")
    assert failed.code == 5  # the outcome is unknown
    said, line = failed.stderr.strip().splitlines()
    assert said.startswith("note: subscribe to instance plan a1.rx580 monthly")  # its price
    assert line.startswith("error: subscribe_instance: the service answered HTTP 500")
    assert "check with `gpueater subscriptions` before calling it again" in line
    assert "()" not in line  # no Python call in a CLI message


def test_a_lost_rename_shows_a_progress_note_and_names_gpueater_show(cli: Cli, launched):
    instance_id = launched["instance_id"]
    cli.emulator.add_fault("change_instance_tag", "http_500")
    failed = cli("tag", instance_id, "renamed")
    assert failed.code == 5  # the outcome is unknown
    lines = failed.stderr.strip().splitlines()
    assert lines[0].startswith("note: change_instance_tag: the service answered HTTP 500;")
    assert "looking for what change_instance_tag did (up to 2 s)" in lines[0]
    assert lines[-1].startswith("error: change_instance_tag: the service answered HTTP 500")
    assert f"check with `gpueater show {instance_id}` before calling it again" in lines[-1]


def test_a_bad_reconcile_timeout_is_a_usage_error(cli: Cli):
    refused = cli("instances", env={"GPUEATER_RECONCILE_TIMEOUT": "soon"})
    assert refused.code == 2
    assert refused.stderr.strip() == (
        "error: GPUEATER_RECONCILE_TIMEOUT: 'soon' is not a number of seconds (0 or more); "
        "fix or unset it"
    )
