"""gc reads the service before acting: a lease whose instance is gone is dropped with
nothing sent, an instance that replaced it under the same tag is never touched, and a
renamed one is left alone with the lease kept. The ledger is written the way `run` writes
it (`record_lease`, with HOME pointing at the test's own), the CLI is the real command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gpueater_ext._jobs.leases import record_lease
from tests.support.cli import Cli

LATER = {"GPUEATER_TEST_CLOCK_OFFSET": str(3 * 3600)}


@pytest.fixture
def as_cli_home(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setenv("HOME", str(cli.home))
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    return cli


def launch(cli: Cli, tag: str) -> dict[str, Any]:
    instance: dict[str, Any] = cli.ok(
        "launch", "--product", "a1.rx580", "--image", "Ubuntu16.04 x64",
        "--ssh-key", "work-key", "--tag", tag, "--wait", "running", "-o", "json",
    ).json()  # fmt: skip
    return instance


def lease_for(cli: Cli, instance: dict[str, Any], *, hours: float = 2.0) -> None:
    record_lease(
        instance_id=str(instance["instance_id"]),
        tag=str(instance["tag"]),
        service_url=cli.emulator.url,
        profile=None,
        max_duration=hours * 3600,
        action="terminate",
    )


def ids(cli: Cli) -> list[str]:
    return sorted(str(i["instance_id"]) for i in cli.emulator.state()["instances"])


def leased_ids(cli: Cli) -> list[str]:
    return [str(x["instance_id"]) for x in cli.ok("lease", "list", "-o", "json").json()]


@pytest.mark.slow
def test_a_replaced_instance_is_not_touched_and_the_gone_ones_lease_is_dropped(
    as_cli_home: Cli,
):
    cli = as_cli_home
    cli.ok("ssh-key", "generate", "work-key", "--register")
    old = launch(cli, "trainer")
    lease_for(cli, old)
    cli.ok("terminate", str(old["instance_id"]), "--yes")
    new = launch(cli, "trainer")  # the same tag, another instance, no lease of its own
    terminates = cli.emulator.state()["requests"].get("terminate_instance")

    dry = cli.ok("gc", "--dry-run", env=LATER)
    assert "the service shows it gone; would drop the lease" in dry.stdout
    assert leased_ids(cli) == [str(old["instance_id"])]

    done = cli.ok("gc", env=LATER)
    assert f"trainer ({old['instance_id']}): the service shows it gone; lease dropped" in (
        done.stdout
    )
    assert ids(cli) == [str(new["instance_id"])]  # the replacement still runs
    assert cli.emulator.state()["requests"].get("terminate_instance") == terminates
    assert leased_ids(cli) == []


@pytest.mark.slow
def test_a_renamed_instance_is_left_alone_and_keeps_its_lease(as_cli_home: Cli):
    cli = as_cli_home
    cli.ok("ssh-key", "generate", "work-key", "--register")
    instance = launch(cli, "first-name")
    lease_for(cli, instance)
    cli.ok("tag", str(instance["instance_id"]), "another-name")
    result = cli("gc", env=LATER)
    assert result.code == 0
    assert "now tagged 'another-name'" in result.stdout
    assert f"gpueater lease release {instance['instance_id']}" in result.stdout
    assert ids(cli) == [str(instance["instance_id"])]
    assert leased_ids(cli) == [str(instance["instance_id"])]


def test_gc_before_the_deadline_sends_nothing(as_cli_home: Cli):
    cli = as_cli_home
    cli.ok("ssh-key", "generate", "work-key", "--register")
    instance = launch(cli, "young")
    lease_for(cli, instance, hours=5)
    before = cli.emulator.state()["requests"]
    result = cli.ok("gc", env=LATER)
    assert result.stdout == ""
    assert "0 expired leases; 1 not yet due" in result.stderr
    assert cli.emulator.state()["requests"].get("instance_list") == before.get("instance_list")
    assert ids(cli) == [str(instance["instance_id"])]


def test_a_service_that_cannot_be_reached_keeps_the_lease_and_fails(as_cli_home: Cli):
    cli = as_cli_home
    record_lease(
        instance_id="99",
        tag="far",
        service_url="http://127.0.0.1:9",  # nothing listens on the discard port
        profile=None,
        max_duration=60,
        action="terminate",
    )
    result = cli("gc", env={**LATER, "GPUEATER_URL": ""})
    assert result.code == 1
    assert "far (99): not ended (" in result.stdout
    assert "lease kept" in result.stdout
    assert leased_ids(cli) == ["99"]


def test_the_ledger_written_by_gc_is_private(as_cli_home: Cli, tmp_path: Path):
    cli = as_cli_home
    cli.ok("ssh-key", "generate", "work-key", "--register")
    lease_for(cli, launch(cli, "private"), hours=1)
    cli.ok("gc", env=LATER)
    ledger = cli.home / ".local" / "state" / "gpueater" / "leases.json"
    assert ledger.stat().st_mode & 0o777 == 0o600
