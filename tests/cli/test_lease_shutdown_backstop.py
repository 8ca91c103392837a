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


def sleeper(cli: Cli, pid: str) -> str:
    """The sleeper's command line as the instance sees it ("" once it is gone)."""
    result = cli("ssh", "guarded", "--", "sh", "-c", ALIVE, "sh", pid)
    return result.stdout if result.code == 0 else ""


@pytest.mark.slow
def test_the_backstop_is_scheduled_on_the_instance_and_replaced_by_the_next_run(cli: Cli):
    args = ("run", "--name", "guarded", "--product", "a1.rx580", "--keep")
    code, _, stderr = run(cli, *args, "--shutdown-on-expiry", "--max-duration", f"{DAYS}d",
                          "--", "true")  # fmt: skip
    assert code == 0, stderr
    assert "guarded shuts itself down at " in stderr
    first, fires = backstop(cli)
    try:
        expected = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=DAYS)
        assert abs((fires - expected).total_seconds()) < 600
        assert "gpueater-shutdown" in sleeper(cli, first)
        assert str(DAYS * 86400) in sleeper(cli, first)

        code, _, stderr = run(cli, *args, "--shutdown-on-expiry", "--max-duration", f"{DAYS}d",
                              "--", "true")  # fmt: skip
        assert code == 0, stderr
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
