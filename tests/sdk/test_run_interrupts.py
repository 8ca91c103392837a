"""Ctrl-C during `run`: the first stops the remote job, fetches the outputs and tears down,
saying so; a second skips the outputs and still tears down. The KeyboardInterrupt is
raised where Ctrl-C would land: inside the job's stream (the stdout writer) or in the
plan itself (an `on_event` callback)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gpueater_emulator.pytest_plugin import EmulatorProcess
from gpueater_ext import Resources, RunInterrupted, Task
from tests.sdk.run_fixtures import Events, Recorder, live_instances, make_client, run_home

__all__ = ["run_home"]  # the fixture, used by name

# Writes its output, then waits for far longer than any test: only a stop ends it early.
LONG_JOB = "mkdir -p out; echo partial > out/log.txt; echo started; sleep 300; echo never"


def long_task(**changes: object) -> Task:
    base = Task(
        run=LONG_JOB,
        outputs=("out",),
        resources=Resources(products=("a1.rx580",)),
    )
    return base.replace(**changes)


def ctrl_c_once_started(seen: bytes) -> None:
    if b"started\n" in seen:
        raise KeyboardInterrupt


def job_id_of(events: Events) -> str:
    for line in events.lines:
        found = re.search(r"running the job \((run-[0-9T]+-[0-9a-f]+)\)", line)
        if found:
            return found.group(1)
    raise AssertionError(f"no job started: {events.lines}")


def test_ctrl_c_during_the_job_stops_it_fetches_outputs_and_tears_down(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path, tmp_path: Path
) -> None:
    events, stdout = Events(), Recorder(ctrl_c_once_started)
    task = long_task(teardown="keep", outputs_dir=tmp_path / "results")
    with make_client(gpueater_emulator_sshd) as eater:
        with pytest.raises(KeyboardInterrupt) as raised:
            eater.run(task, stdout=stdout, stderr=Recorder(), on_event=events)
        assert isinstance(raised.value, RunInterrupted)
        result = raised.value.result
        assert result.interrupted
        assert result.exit_code is None
        assert result.instance is not None
        # The remote job was stopped, not left running: its supervisor recorded its end.
        job = job_id_of(events)
        exit_file = gpueater_emulator_sshd.disk(result.instance.instance_id) / (
            f".gpueater/jobs/{job}/exit"
        )
        assert exit_file.read_text().strip() == "143"  # 128 + SIGTERM
        assert (tmp_path / "results" / "out" / "log.txt").read_text() == "partial\n"
        assert result.teardown_done
        assert b"never" not in bytes(stdout.data)
        interrupt_lines = [e.message for e in events.events if e.stage == "interrupt"]
        assert interrupt_lines[0].startswith("interrupted: stopping the remote job")
        assert f"stopped the remote job {job}" in interrupt_lines
        eater.terminate_instance(result.instance)


def test_ctrl_c_then_a_second_one_skips_the_outputs_but_terminates(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path, tmp_path: Path
) -> None:
    events = Events().raise_at("interrupt", "interrupted")  # the second Ctrl-C
    task = long_task(outputs_dir=tmp_path / "results")
    with make_client(gpueater_emulator_sshd) as eater, pytest.raises(RunInterrupted) as raised:
        eater.run(task, stdout=Recorder(ctrl_c_once_started), stderr=Recorder(), on_event=events)
    result = raised.value.result
    assert result.outputs_error is not None
    assert "interrupted again" in result.outputs_error
    assert not (tmp_path / "results").exists()
    assert result.teardown_done
    assert live_instances(gpueater_emulator_sshd) == []
    assert any(line.startswith("terminated ") for line in events.lines)


def test_ctrl_c_before_the_job_still_terminates_the_launched_instance(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path
) -> None:
    events = Events().raise_at("instance", "launched")
    with make_client(gpueater_emulator_sshd) as eater, pytest.raises(RunInterrupted) as raised:
        eater.run(long_task(), stdout=Recorder(), stderr=Recorder(), on_event=events)
    result = raised.value.result
    assert result.exit_code is None
    assert result.teardown_done
    assert "run" not in events.stages(), "no job was started"
    assert gpueater_emulator_sshd.state()["requests"]["launch_ondemand_instance"] == 1
    assert live_instances(gpueater_emulator_sshd) == []


def test_ctrl_c_before_the_launch_launches_nothing(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path
) -> None:
    events = Events().raise_at("instance", "launching")
    with make_client(gpueater_emulator_sshd) as eater, pytest.raises(RunInterrupted) as raised:
        eater.run(long_task(), stdout=Recorder(), stderr=Recorder(), on_event=events)
    assert raised.value.result.instance is None
    assert "teardown" not in events.stages(), "nothing to tear down"
    assert gpueater_emulator_sshd.state()["requests"].get("launch_ondemand_instance", 0) == 0
