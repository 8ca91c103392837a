"""`await async_eater.run(task)`: the same run in asyncio, and a cancelled run (the async
form of Ctrl-C) still stops its remote job and tears down before the cancellation ends it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from gpueater_emulator.pytest_plugin import EmulatorProcess
from gpueater_ext import AsyncGPUEater, Resources, RunResult, Task
from tests.sdk.run_fixtures import Events, Recorder, live_instances, run_home

__all__ = ["run_home"]  # the fixture, used by name

RESOURCES = Resources(products=("a1.rx580",))


def async_client(emulator: EmulatorProcess) -> AsyncGPUEater:
    return AsyncGPUEater(emulator.url, email=emulator.email, password=emulator.password)


def test_an_async_run_streams_the_job_and_terminates(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path
) -> None:
    stdout, stderr = Recorder(), Recorder()
    task = Task(run="echo one; echo two >&2; echo three; exit 5", resources=RESOURCES)

    async def main() -> RunResult:
        async with async_client(gpueater_emulator_sshd) as eater:
            return await eater.run(task, stdout=stdout, stderr=stderr)

    result = asyncio.run(main())
    assert result.exit_code == 5
    assert stdout.text == "one\nthree\n"
    assert stderr.text == "two\n"
    assert result.teardown_done
    assert result.to_dict()["exit_code"] == 5
    assert result.to_dict()["instance"]["tag"] == result.instance.tag  # type: ignore[union-attr]
    assert live_instances(gpueater_emulator_sshd) == []


def test_a_cancelled_async_run_stops_the_job_and_tears_down(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path, tmp_path: Path
) -> None:
    events = Events()
    task = Task(
        run="mkdir -p out; echo kept > out/log.txt; echo started; sleep 300",
        outputs=("out",),
        outputs_dir=tmp_path / "results",
        resources=RESOURCES,
    )

    async def main() -> None:
        loop = asyncio.get_running_loop()
        async with async_client(gpueater_emulator_sshd) as eater:
            running: asyncio.Task[RunResult] | None = None

            def cancel_once_started(seen: bytes) -> None:  # called in the stream's thread
                if b"started\n" in seen and running is not None:
                    loop.call_soon_threadsafe(running.cancel)

            stdout = Recorder(cancel_once_started)
            running = asyncio.create_task(
                eater.run(task, stdout=stdout, stderr=Recorder(), on_event=events)
            )
            with pytest.raises(asyncio.CancelledError):
                await running

    asyncio.run(main())
    assert any(line.startswith("stopped the remote job") for line in events.lines)
    assert (tmp_path / "results" / "out" / "log.txt").read_text() == "kept\n"
    assert any(line.startswith("terminated ") for line in events.lines)
    assert live_instances(gpueater_emulator_sshd) == []
