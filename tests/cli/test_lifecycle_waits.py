"""The life cycle as a person chains it: --wait covers an instance still on its way."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import GPUEATER, Cli
from tests.support.emulator_process import EmulatorProcess, start_emulator


@pytest.fixture(scope="module")
def slow_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorProcess]:
    """Boots take ten minutes of the emulator's clock, which the test moves on by hand: an
    instance stays LAUNCHING for as long as the test needs it to."""
    with start_emulator(tmp_path_factory.mktemp("slow"), "--boot-seconds", "600") as server:
        yield server


@pytest.fixture
def slow_cli(tmp_path: Path, slow_emulator: EmulatorProcess) -> Cli:
    slow_emulator.reset()
    home = tmp_path / "home"
    home.mkdir()
    cli = Cli(home, slow_emulator)
    cli.ok("ssh-key", "generate", "slow-key", "--register")
    cli.ok(
        "launch", "--product", "a1.rx580", "--image", "Ubuntu16.04 x64",
        "--ssh-key", "slow-key", "--tag", "web-1",
    )  # fmt: skip
    slow_emulator.advance_clock(600)
    assert cli.ok("show", "web-1", "-o", "json").json()["state"] == "RUNNING"
    return cli


def _run_while_the_clock_moves(cli: Cli, *args: str) -> tuple[int, str, str]:
    """Run the command; while it runs, move the emulator's clock on so each phase ends."""
    process = subprocess.Popen(
        [GPUEATER, *args], env=cli.env, cwd=cli.home, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    while process.poll() is None:
        time.sleep(0.5)
        cli.emulator.advance_clock(600)
    stdout, stderr = process.communicate()
    return process.returncode, stdout, stderr


@pytest.mark.slow
@pytest.mark.parametrize(("command", "final"), [("restart", "RUNNING"), ("stop", "STOPPED")])
def test_wait_covers_an_instance_still_launching(slow_cli: Cli, command: str, final: str):
    slow_cli.ok("emergency-restart", "web-1", "--yes")
    assert slow_cli.ok("show", "web-1", "-o", "json").json()["state"] == "LAUNCHING"
    code, stdout, stderr = _run_while_the_clock_moves(
        slow_cli, command, "web-1", "--wait", "-o", "json"
    )
    assert code == 0, stderr
    assert json.loads(stdout)["state"] == final


def test_restart_without_wait_says_what_it_waits_for(cli: Cli, launched):
    result = cli.ok("restart", "web-1")
    progress = [line for line in result.stderr.splitlines() if line.startswith("waiting for")]
    assert progress, result.stderr
    assert "web-1" in progress[0]
    assert any("STOPP" in line for line in progress)


def test_terminate_wait_reports_the_final_state(cli: Cli, launched):
    result = cli.ok("terminate", "web-1", "--yes", "--wait", "-o", "json")
    assert result.json()["state"] == "TERMINATED"
    assert cli.ok("instances", "-o", "json").json() == []
