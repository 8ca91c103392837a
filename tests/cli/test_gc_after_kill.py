"""A run killed with SIGKILL mid-job leaves its instance leased; `gpueater gc` ends it once
the lease has expired (the emulator's clock and this tool's moved forward), not before, and
`gc --dry-run` only says what it would do.

Against the `--sshd` emulator, the real command in subprocesses. This tool's clock moves
through GPUEATER_TEST_CLOCK_OFFSET (test-only, `_jobs.leases`), the service's through
POST /_emulator/clock.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.support.cli import Cli
from tests.support.emulator_process import EmulatorProcess
from tests.support.run_process import BOUND, Lines, instance_tagged, live_ids, start

pytestmark = pytest.mark.sshd

HOURS_2 = {"GPUEATER_TEST_CLOCK_OFFSET": str(2 * 3600 + 60)}


@pytest.fixture
def cli(tmp_path: Path, gpueater_emulator_sshd: EmulatorProcess) -> Cli:
    home = tmp_path / "home"
    (home / "project").mkdir(parents=True)
    return Cli(home, gpueater_emulator_sshd)


def killed_mid_job(cli: Cli, *options: str) -> str:
    """Start a run whose job waits forever, SIGKILL the CLI once the job runs; the id."""
    process = start(
        cli, "run", "--name", "forgotten", "--product", "a1.rx580", *options, "--",
        "sh", "-c", "echo started; while :; do sleep 1; done",
    )  # fmt: skip
    try:
        Lines(process.stdout).until("started")  # type: ignore[arg-type]
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=BOUND)
        for stream in (process.stdout, process.stderr):
            stream.close()  # type: ignore[union-attr]
    return instance_tagged(cli.emulator, "forgotten")


def leases(cli: Cli, env: dict[str, str] | None = None) -> list[dict[str, object]]:
    found: list[dict[str, object]] = cli.ok("lease", "list", "-o", "json", env=env).json()
    return found


@pytest.mark.slow
def test_a_killed_runs_instance_is_ended_by_gc_once_its_lease_expires(cli: Cli):
    instance_id = killed_mid_job(cli, "--max-duration", "2h")
    (lease,) = leases(cli)
    assert lease["instance_id"] == instance_id
    assert lease["action"] == "terminate"
    assert lease["service_url"] == cli.emulator.url

    early = cli.ok("gc")  # not yet due: nothing is sent
    assert "terminated" not in early.stdout
    assert live_ids(cli.emulator) == [instance_id]
    assert len(leases(cli)) == 1
    table = cli.ok("instances").stdout
    assert "EXPIRES IN" in table
    assert "1h 59m" in table

    cli.emulator.advance_clock(2 * 3600 + 60)
    before = cli.emulator.state()
    dry = cli.ok("gc", "--dry-run", env=HOURS_2)
    assert f"forgotten ({instance_id}): would terminate" in dry.stdout
    after = cli.emulator.state()
    assert after["instances"] == before["instances"]
    assert after["requests"].get("terminate_instance") == before["requests"].get(
        "terminate_instance"
    )
    assert len(leases(cli)) == 1  # a dry run keeps the ledger as it was

    done = cli.ok("gc", env=HOURS_2)
    assert f"forgotten ({instance_id}): terminated" in done.stdout
    assert live_ids(cli.emulator) == []
    assert leases(cli) == []
    again = cli.ok("gc", "-o", "json", env=HOURS_2).json()
    assert again["leases"] == []  # nothing left to do


@pytest.mark.slow
def test_a_finished_run_releases_its_lease_and_a_kept_one_is_stopped_at_expiry(cli: Cli):
    down = start(cli, "run", "--name", "short", "--product", "a1.rx580", "--", "true")
    down.communicate(timeout=BOUND)
    assert down.returncode == 0
    assert leases(cli) == []  # terminated by its teardown: nothing left to lease

    kept = start(
        cli, "run", "--name", "kept", "--product", "a1.rx580", "--keep",
        "--idle-timeout", "10m", "--", "true",
    )  # fmt: skip
    kept.communicate(timeout=BOUND)
    assert kept.returncode == 0
    (lease,) = leases(cli)
    assert lease["tag"] == "kept"
    assert lease["action"] == "stop"
    table = cli.ok("lease", "list").stdout
    assert "9m" in table or "10m" in table  # the idle timeout, not the 4 h default
    done = cli.ok("gc", env={"GPUEATER_TEST_CLOCK_OFFSET": "660"})
    assert "kept (" in done.stdout
    assert "stopped" in done.stdout
    assert cli.ok("show", "kept", "-o", "json").json()["state"] in ("STOPPING", "STOPPED")
    assert leases(cli) == []
