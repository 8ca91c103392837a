"""`run --shutdown-on-expiry` schedules a shutdown on the instance itself (a supervised
sleep, `_jobs.shutdown_backstop`), and a second run with the same name replaces it.

The sleeper is real, on an `--sshd` emulator instance, which is this machine: the test uses
a 300-day lease so nothing can fire while it runs, and ends the sleeper itself.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from tests.support.cli import Cli
from tests.support.emulator_process import EmulatorProcess
from tests.support.run_process import instance_tagged, run

pytestmark = pytest.mark.sshd

DAYS = 300
ALIVE = 'kill -0 "$1" && tr "\\0" " " < "/proc/$1/cmdline"'


@pytest.fixture
def cli(tmp_path: Path, gpueater_emulator_sshd: EmulatorProcess) -> Cli:
    home = tmp_path / "home"
    (home / "project").mkdir(parents=True)
    return Cli(home, gpueater_emulator_sshd)


def backstop(cli: Cli) -> tuple[str, datetime.datetime]:
    disk = cli.emulator.disk(instance_tagged(cli.emulator, "guarded"))
    pid, when = (disk / ".gpueater" / "shutdown-at").read_text().split()
    return pid, datetime.datetime.fromisoformat(when.replace("Z", "+00:00"))


def run_guarded(cli: Cli) -> str:
    """A kept run named "guarded" with a DAYS-long backstop; its stderr."""
    kept = ("run", "--name", "guarded", "--product", "a1.rx580", "--keep")
    guarded = ("--shutdown-on-expiry", "--max-duration", f"{DAYS}d", "--", "true")
    code, _, stderr = run(cli, *kept, *guarded)
    assert code == 0, stderr
    return stderr


def sleeper(cli: Cli, pid: str) -> str:
    """The sleeper's command line as the instance sees it ("" once it is gone)."""
    result = cli("ssh", "guarded", "--", "sh", "-c", ALIVE, "sh", pid)
    return result.stdout if result.code == 0 else ""


@pytest.mark.slow
def test_the_backstop_is_scheduled_on_the_instance_and_replaced_by_the_next_run(cli: Cli):
    assert "guarded shuts itself down at " in run_guarded(cli)
    first, fires = backstop(cli)
    try:
        expected = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=DAYS)
        assert abs((fires - expected).total_seconds()) < 600
        assert "gpueater-shutdown" in sleeper(cli, first)
        assert str(DAYS * 86400) in sleeper(cli, first)

        run_guarded(cli)
        second, _ = backstop(cli)
        assert second != first
        assert sleeper(cli, first) == ""  # the previous one was ended
        assert "gpueater-shutdown" in sleeper(cli, second)
    finally:
        pid, _ = backstop(cli)
        cli("ssh", "guarded", "--", "sh", "-c", 'kill "$1"', "sh", pid)
        cli("terminate", "guarded", "--yes")


def test_without_the_option_nothing_is_scheduled(cli: Cli):
    code, _, stderr = run(cli, "run", "--name", "guarded", "--product", "a1.rx580", "--keep",
                          "--", "true")  # fmt: skip
    assert code == 0, stderr
    disk = cli.emulator.disk(instance_tagged(cli.emulator, "guarded"))
    assert not (disk / ".gpueater" / "shutdown-at").exists()
    assert "shuts itself down" not in stderr
    cli("terminate", "guarded", "--yes")


@pytest.mark.slow
def test_lease_extend_moves_the_backstop_to_the_new_deadline(cli: Cli):
    run_guarded(cli)
    first, fires = backstop(cli)
    try:
        lease = cli.ok("lease", "list", "-o", "json").json()[0]
        assert lease["shutdown_backstop"] is True

        extended = cli.ok("lease", "extend", "guarded", "2d")
        assert "guarded now shuts itself down at " in extended.stderr
        second, moved = backstop(cli)
        assert second != first
        assert sleeper(cli, first) == ""  # the old sleeper no longer fires
        assert "gpueater-shutdown" in sleeper(cli, second)
        deadline = cli.ok("lease", "list", "-o", "json").json()[0]["deadline"]
        new_deadline = datetime.datetime.fromisoformat(deadline.replace("Z", "+00:00"))
        assert abs((moved - new_deadline).total_seconds()) <= 5  # fires with the lease
        assert abs((moved - fires).total_seconds() - 2 * 86400) <= 5
    finally:
        pid, _ = backstop(cli)
        cli("ssh", "guarded", "--", "sh", "-c", 'kill "$1"', "sh", pid)
        cli("terminate", "guarded", "--yes")


@pytest.mark.slow
def test_when_the_backstop_cannot_be_moved_nothing_is_extended(cli: Cli):
    run_guarded(cli)
    pid, _ = backstop(cli)
    cli("ssh", "guarded", "--", "sh", "-c", 'kill "$1"', "sh", pid)
    before = cli.ok("lease", "list", "-o", "json").json()[0]["deadline"]
    cli.ok("stop", "guarded", "--yes")  # no SSH any more: the backstop cannot be reached
    refused = cli("lease", "extend", "guarded", "2d")
    assert refused.code != 0
    assert "warning: nothing extended: the shutdown backstop on guarded" in refused.stderr
    assert refused.stderr.count("error: ") == 1
    assert "Traceback" not in refused.stderr
    assert cli.ok("lease", "list", "-o", "json").json()[0]["deadline"] == before
    cli("terminate", "guarded", "--yes")
