"""Ctrl-C (a real SIGINT to a real `gpueater` process group, as a terminal sends it) against
the `--sshd` emulator's instances, whose processes this machine sees through their PID
namespace."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from typing import Any

import pytest

from tests.support.cli import GPUEATER, Cli
from tests.support.emulator_process import EmulatorProcess
from tests.support.sshd_instances import Workspace

pytestmark = pytest.mark.sshd


@pytest.fixture(scope="module")
def cli(sshd_emulator: EmulatorProcess, workspace: Workspace) -> Cli:
    return Cli(workspace.home, sshd_emulator)


@pytest.fixture(scope="module")
def box(cli: Cli) -> dict[str, Any]:
    cli.ok("ssh-key", "generate", "ctrl-c-key", "--register")
    launched = cli.ok(
        "launch", "--product", "a1.rx580", "--image", "Ubuntu16.04 x64",
        "--ssh-key", "ctrl-c-key", "--tag", "ctrl-c", "--wait", "ssh", "-o", "json",
    )  # fmt: skip
    instance: dict[str, Any] = launched.json()
    return instance


def _running(command_line: str) -> int:
    found = subprocess.run(
        ["pgrep", "-f", "-x", command_line], capture_output=True, text=True, check=False
    )
    return len(found.stdout.split())


def _until(condition: Any, what: str, bound: float = 30.0) -> None:
    """Poll until `condition()`; the bound only stops a broken run from hanging."""
    deadline = time.monotonic() + bound
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def _start(cli: Cli, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [GPUEATER, *args], env=cli.env, cwd=cli.home, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip


def test_ctrl_c_on_a_remote_command_ends_it_on_the_instance(cli: Cli, box):
    sleeper = f"sleep 97{uuid.uuid4().int % 10000:04d}"
    process = _start(cli, "ssh", "ctrl-c", "--", *sleeper.split())
    _until(lambda: _running(sleeper) == 1, "the remote command never started")
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C on a terminal does
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    _until(lambda: _running(sleeper) == 0, "the remote command outlived the client")


def test_a_remote_command_keeps_its_stdin_and_status(cli: Cli, box):
    piped = cli("ssh", "ctrl-c", "--", "sh", "-c", "cat; exit 7", input="kept\n")
    assert (piped.code, piped.stdout) == (7, "kept\n")


def test_ctrl_c_during_an_upload_exits_130_with_one_line(cli: Cli, box, workspace: Workspace):
    big = workspace.home / "big.bin"
    with big.open("wb") as out:
        out.truncate(4 << 30)  # sparse: reading it costs no disk
    process = _start(cli, "cp", str(big), "ctrl-c:big.bin")
    disk = cli.emulator.disk(box["instance_id"])
    _until(lambda: any(disk.glob(".gpueater-put.*")), "the upload never started")
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert errors == ["error: interrupted"], stderr
    assert "Traceback" not in stderr
    assert not (disk / "big.bin").exists()
