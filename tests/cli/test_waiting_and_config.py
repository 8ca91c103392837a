"""Waiting that is interrupted or times out never leaves a billed instance unmentioned; the
other ways to configure; the emulator command."""

from __future__ import annotations

import json
import signal
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import GPUEATER, Cli
from tests.support.emulator_process import EmulatorProcess, start_emulator

LAUNCH = ("launch", "--product", "a1.rx580", "--image", "Ubuntu16.04 x64", "--ssh-key", "slow-key")


@pytest.fixture(scope="module")
def slow_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorProcess]:
    """Instances take ten minutes to boot: a wait can only end by timeout or Ctrl-C."""
    with start_emulator(tmp_path_factory.mktemp("slow"), "--boot-seconds", "600") as server:
        yield server


@pytest.fixture
def slow_cli(tmp_path: Path, slow_emulator: EmulatorProcess) -> Cli:
    slow_emulator.reset()
    home = tmp_path / "home"
    home.mkdir()
    cli = Cli(home, slow_emulator)
    cli.ok("ssh-key", "generate", "slow-key", "--register")
    return cli


def test_ctrl_c_while_waiting_says_which_instance_exists(slow_cli: Cli):
    process = subprocess.Popen(
        [GPUEATER, *LAUNCH, "--tag", "slow", "--wait", "running"],
        env=slow_cli.env,
        cwd=slow_cli.home,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    price = process.stderr.readline()  # "note: launching a1.rx580 on demand at $..."
    assert price.startswith("note: launching a1.rx580")
    first = process.stderr.readline()  # "launched slow (<id>)": the wait has begun
    assert first.startswith("launched slow")
    process.send_signal(signal.SIGINT)
    stdout, rest = process.communicate(timeout=60)
    (instance,) = slow_cli.emulator.state()["instances"]
    assert process.returncode == 130
    assert stdout == ""
    assert f"gpueater terminate {instance['instance_id']}" in rest
    assert "Traceback" not in rest


def test_timeout_with_on_timeout_terminate_leaves_nothing_billed(slow_cli: Cli):
    result = slow_cli(*LAUNCH, "--wait", "running", "--timeout", "1", "--on-timeout", "terminate")
    assert result.code == 4
    assert "terminated" in result.error_line
    assert slow_cli.emulator.state()["instances"] == []


def test_timeout_keeping_the_instance_says_how_to_terminate_it(slow_cli: Cli):
    result = slow_cli(*LAUNCH, "--wait", "running", "--timeout", "1")
    (instance,) = slow_cli.emulator.state()["instances"]
    assert result.code == 4
    assert f"gpueater terminate {instance['instance_id']}" in result.error_line


def test_max_price_refuses_before_launching(cli: Cli):
    cli.ok("ssh-key", "generate", "k", "--register")
    result = cli("launch", "--product", "a1.rx580", "--image", "Ubuntu16.04 x64",
                 "--ssh-key", "k", "--max-price", "0.1")  # fmt: skip
    assert result.code == 1
    assert "--max-price" in result.error_line
    assert cli.emulator.state()["instances"] == []


def test_configure_with_the_token_pair_into_a_named_profile(cli: Cli):
    cli.without_credentials()
    cli.ok(
        "--url", cli.emulator.url, "--profile", "work", "configure",
        "--access-token", cli.emulator.access_token, "--secret-token-stdin",
        input=cli.emulator.secret_token + "\n",
    )  # fmt: skip
    saved = json.loads((cli.home / ".eater").read_text())
    assert saved["work"]["access_token"] == cli.emulator.access_token
    assert stat.S_IMODE((cli.home / ".eater").stat().st_mode) == 0o600
    cli.env.pop("GPUEATER_URL")
    assert cli.ok("--profile", "work", "images", "-o", "json").json()
    missing = cli("images")  # the default profile was never written
    assert missing.code == 2


def test_configure_refuses_a_wrong_password_and_writes_nothing(cli: Cli):
    cli.without_credentials()
    result = cli("--url", cli.emulator.url, "configure", "--email", cli.emulator.email,
                 "--password-stdin", input="wrong-password\n")  # fmt: skip
    assert result.code == 1
    assert "wrong-password" not in result.stderr
    assert not (cli.home / ".eater").exists()


def test_emulator_command_passes_its_options_through(cli: Cli):
    result = cli.ok("emulator", "--help")
    assert "--boot-seconds" in result.stdout
    assert "--sshd" in result.stdout
