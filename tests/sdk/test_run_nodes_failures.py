"""A multi-node run that is interrupted, or whose launch fails part way, against the
`--sshd` emulator: every node's job is stopped and every launched node torn down. And the
async client runs several nodes too."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
from pathlib import Path

import pytest

from gpueater_emulator.pytest_plugin import EmulatorProcess
from gpueater_ext import (
    AsyncGPUEater,
    GPUEaterError,
    Resources,
    RunEvent,
    RunInterrupted,
    Task,
)
from tests.sdk.run_fixtures import (
    Recorder,
    live_instances,
    make_client,
    processes_running,
    run_home,
)

__all__ = ["run_home"]  # the fixture, used by name

RESOURCES = Resources(products=("a1.rx580",))


@pytest.mark.slow
def test_ctrl_c_stops_every_nodes_job_and_tears_all_down(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path
) -> None:
    emulator = gpueater_emulator_sshd
    disks: dict[str, Path] = {}

    def ctrl_c_once_all_run(data: bytes) -> None:
        lines = data.decode().splitlines()
        if disks or not all(f"[{rank}] started" in lines for rank in range(3)):
            return
        for instance in live_instances(emulator):
            disks[str(instance["tag"])] = emulator.disk(str(instance["instance_id"]))
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, to the whole process

    sleeper = f"sleep 600.{secrets.randbelow(10**6):06d}"  # a command line this test owns
    task = Task(run=f"echo started; exec {sleeper}", resources=RESOURCES, nodes=3)
    with make_client(emulator) as eater, pytest.raises(RunInterrupted) as raised:
        eater.run(task, stdout=Recorder(ctrl_c_once_all_run))
    result = raised.value.result
    assert result.interrupted
    assert len(result.nodes) == 3
    assert len(disks) == 3, "all three ran when Ctrl-C came"
    assert processes_running(sleeper) == [], "no node's job is left"
    assert live_instances(emulator) == []
    assert result.teardown_done


def test_a_launch_failing_part_way_tears_down_the_nodes_already_launched(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path
) -> None:
    emulator = gpueater_emulator_sshd

    def refuse_launches_after_the_first(event: RunEvent) -> None:
        if event.message.startswith("launched ") and not emulator.state()["faults"]:
            emulator.add_fault("launch_ondemand_instance", "http_500", count=100)

    task = Task(run="echo never", resources=RESOURCES, nodes=3)
    out = Recorder()
    with make_client(emulator, reconcile_timeout=0) as eater, pytest.raises(GPUEaterError):
        eater.run(task, stdout=out, on_event=refuse_launches_after_the_first)
    emulator.clear_faults()
    assert b"never" not in bytes(out.data)
    launched = emulator.state()["requests"].get("terminate_instance", 0)
    assert launched >= 1, "the node launched before the failure was terminated"
    assert live_instances(emulator) == []


def test_the_async_client_runs_two_nodes(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path
) -> None:
    emulator = gpueater_emulator_sshd
    out = Recorder()

    async def main() -> list[int | None]:
        async with AsyncGPUEater(
            emulator.url, email=emulator.email, password=emulator.password
        ) as eater:
            task = Task(run="echo rank $GPUEATER_NODE_RANK", resources=RESOURCES, nodes=2)
            result = await eater.run(task, stdout=out)
        return [node.exit_code for node in result.nodes]

    assert asyncio.run(main()) == [0, 0]
    assert sorted(bytes(out.data).decode().splitlines()) == ["[0] rank 0", "[1] rank 1"]
    assert live_instances(emulator) == []
