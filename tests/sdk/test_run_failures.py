"""When a stage of `run` fails, or its teardown does: what is raised, what the result says,
and that the message names what is left running and the command that ends it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gpueater_emulator.pytest_plugin import EmulatorProcess
from gpueater_ext import Resources, RunTeardownError, SSHError, Task
from tests.sdk.run_fixtures import Recorder, live_instances, make_client, run_home

__all__ = ["run_home"]  # the fixture, used by name

RESOURCES = Resources(products=("a1.rx580",))


def refuse_terminations(emulator: EmulatorProcess) -> None:
    """Every terminate answers 500 before acting (the instance stays), so the teardown fails."""
    emulator.add_fault("terminate_instance", "http_500", count=50)


def test_a_failed_teardown_is_in_the_result_with_the_command_that_ends_the_instance(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path
) -> None:
    refuse_terminations(gpueater_emulator_sshd)
    with make_client(gpueater_emulator_sshd, reconcile_timeout=0) as eater:
        result = eater.run(Task(run="echo hi", resources=RESOURCES), stdout=Recorder())
        assert result.exit_code == 0
        assert not result.ok
        assert not result.teardown_done
        assert result.instance is not None
        assert result.teardown_error is not None
        assert result.left_running is not None
        assert f"gpueater terminate {result.instance.instance_id}" in result.left_running
        (left,) = live_instances(gpueater_emulator_sshd)
        assert left["instance_id"] == result.instance.instance_id
        gpueater_emulator_sshd.clear_faults()
        eater.terminate_instance(result.instance)


def registered_key_without_its_private_half(tmp_path: Path) -> str:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / "elsewhere")],
        check=True,
    )
    return (tmp_path / "elsewhere.pub").read_text().strip()


def test_a_stage_failing_after_the_launch_still_terminates_and_raises_its_error(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path, tmp_path: Path
) -> None:
    public = registered_key_without_its_private_half(tmp_path)
    task = Task(run="true", resources=Resources(products=("a1.rx580",), ssh_key="lost-key"))
    with make_client(gpueater_emulator_sshd) as eater:
        eater.register_ssh_key(name="lost-key", public_key=public)
        with pytest.raises(SSHError) as raised:
            eater.run(task, stdout=Recorder())
    assert "lost-key.pem" in str(raised.value), "it names the missing key file"
    assert gpueater_emulator_sshd.state()["requests"]["launch_ondemand_instance"] == 1
    assert live_instances(gpueater_emulator_sshd) == []


def test_a_stage_failure_and_a_failed_teardown_raise_one_error_saying_both(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path, tmp_path: Path
) -> None:
    public = registered_key_without_its_private_half(tmp_path)
    task = Task(run="true", resources=Resources(products=("a1.rx580",), ssh_key="lost-key"))
    with make_client(gpueater_emulator_sshd, reconcile_timeout=0) as eater:
        eater.register_ssh_key(name="lost-key", public_key=public)
        refuse_terminations(gpueater_emulator_sshd)
        with pytest.raises(RunTeardownError) as raised:
            eater.run(task, stdout=Recorder())
        instance = raised.value.result.instance
        assert instance is not None
        message = str(raised.value)
        assert "lost-key.pem" in message
        assert "then the teardown failed" in message
        assert f"eater.terminate_instance('{instance.instance_id}')" in message
        cli_line = raised.value.describe(cli=True)
        assert f"end it with `gpueater terminate {instance.instance_id}`" in cli_line
        assert isinstance(raised.value.__cause__, SSHError)
        assert raised.value.result.left_running is not None
        assert f"gpueater terminate {instance.instance_id}" in raised.value.result.left_running
        gpueater_emulator_sshd.clear_faults()
        eater.terminate_instance(instance)
    assert live_instances(gpueater_emulator_sshd) == []


def test_a_failing_setup_stops_the_run_and_tears_down(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path
) -> None:
    task = Task(setup="echo no-disk >&2; exit 7", run="echo never", resources=RESOURCES)
    stdout, stderr = Recorder(), Recorder()
    with make_client(gpueater_emulator_sshd) as eater:
        result = eater.run(task, stdout=stdout, stderr=stderr)
    assert result.exit_code == 7
    assert result.failed_stage == "setup"
    assert stderr.text == "no-disk\n"
    assert stdout.text == ""
    assert result.teardown_done
    assert live_instances(gpueater_emulator_sshd) == []
