"""Ctrl-C while the launch request itself is in flight still says what to look for: the
service may accept the launch after the command stopped listening."""

from __future__ import annotations

import signal
import subprocess
import time

from tests.support.cli import GPUEATER, Cli

_DEADLINE_SECONDS = 30.0


def test_ctrl_c_during_the_launch_call_names_the_tag_to_look_for(cli: Cli):
    cli.ok("ssh-key", "generate", "work-key", "--register")
    # The launch is held before its effect, then proceeds although the client gave up.
    cli.emulator.add_fault("launch_ondemand_instance", "delay", seconds=1)
    process = subprocess.Popen(
        [GPUEATER, "launch", "--product", "a1.rx580", "--image", "Ubuntu16.04 x64",
         "--ssh-key", "work-key", "--tag", "late"],
        env=cli.env, cwd=cli.home, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + _DEADLINE_SECONDS
    while cli.emulator.state()["requests"].get("launch_ondemand_instance", 0) < 1:
        assert process.poll() is None
        assert time.monotonic() < deadline
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=_DEADLINE_SECONDS)
    assert process.returncode == 130
    assert stdout == ""
    assert "gpueater instances --tag late" in stderr
    # The held launch still lands: the note was warranted. Waiting for it here also keeps
    # it from landing in the next test's freshly reset emulator.
    # It lands under the launch's own tag (never renamed: the command was stopped), and the
    # command the note names lists it.
    while not cli.emulator.state()["instances"]:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    [landed] = cli.emulator.state()["instances"]
    assert landed["tag"].startswith("late-launch-")
    assert landed["instance_id"] in cli.ok("instances", "--tag", "late").stdout
