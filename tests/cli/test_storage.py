"""`volumes` and `volume create|attach|detach|delete|transfer` against the emulator."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.cli import Cli


def volume_named(cli: Cli, name: str) -> dict[str, Any]:
    listed = cli.ok("volumes", "-o", "json").json()
    return next(volume for volume in listed if volume["name"] == name)


@pytest.mark.slow
def test_a_volume_is_created_attached_detached_moved_and_deleted(cli: Cli, launched):
    created = cli.ok(
        "volume", "create", "--size", "100", "--name", "data", "--yes", "-o", "json"
    ).json()
    assert (created["size"], created["status"], created["name"]) == (100, "AVAILABLE", "data")
    assert volume_named(cli, "data")["volume_id"] == created["volume_id"]

    attached = cli.ok("volume", "attach", "data", "web-1", "-o", "json").json()
    assert (attached["status"], attached["instance_id"]) == ("ATTACHED", launched["instance_id"])
    refused = cli("volume", "delete", "data", "--yes")
    assert refused.code == 1
    assert "detach" in refused.error_line

    detached = cli.ok("volume", "detach", created["volume_id"][:4], "-o", "json").json()
    assert (detached["status"], detached["instance_id"]) == ("AVAILABLE", None)

    moving = cli.ok("volume", "transfer", "data", "--region", "osaka-1", "-o", "json").json()
    assert moving["volume_id"] == created["volume_id"]
    cli.emulator.advance_clock(60)
    assert volume_named(cli, "data")["region_id"] == "osaka-1"

    deleted = cli.ok("volume", "delete", "data", "--yes", "-o", "json").json()
    assert deleted == {"volume_id": created["volume_id"], "name": "data", "deleted": True}
    assert cli.ok("volumes", "-o", "json").json() == []


def test_the_volume_table_names_each_volume(cli: Cli):
    cli.ok("volume", "create", "--size", "20", "--name", "scratch", "--yes", "--type", "hdd")
    table = cli.ok("volumes").stdout
    assert "scratch" in table
    assert "hdd" in table
    assert "AVAILABLE" in table
    assert cli.ok("volume", "delete", "scratch", "--yes").stdout == ""


def test_deleting_a_volume_without_a_terminal_needs_yes(cli: Cli):
    cli.ok("volume", "create", "--size", "10", "--name", "keep", "--yes")
    result = cli("volume", "delete", "keep", "-o", "json")
    assert result.code == 2
    assert "--yes" in result.error_line
    assert result.stdout == ""
    assert volume_named(cli, "keep")


def test_an_unknown_volume_is_not_found(cli: Cli, launched):
    for args in (("attach", "nope", "web-1"), ("detach", "nope"), ("delete", "nope", "--yes")):
        result = cli("volume", *args, "-o", "json")
        assert result.code == 3, args
        assert "no volume is named 'nope'" in result.error_line
        assert result.stdout == ""


def test_attaching_to_an_unknown_instance_is_not_found(cli: Cli):
    cli.ok("volume", "create", "--size", "10", "--name", "data", "--yes")
    result = cli("volume", "attach", "data", "no-such-box")
    assert result.code == 3
    assert "no instance is named 'no-such-box'" in result.error_line
    assert volume_named(cli, "data")["status"] == "AVAILABLE"


def test_attaching_to_a_stopped_instance_says_to_start_it(cli: Cli, launched):
    cli.ok("stop", "web-1", "--wait")
    cli.ok("volume", "create", "--size", "10", "--name", "data", "--yes")
    result = cli("volume", "attach", "data", "web-1", "-o", "json")
    assert result.code == 1
    assert "STOPPED" in result.error_line
    assert "gpueater start" in result.error_line
    assert result.stdout == ""
    assert volume_named(cli, "data")["status"] == "AVAILABLE"
