"""`eater.run(task, detach=True)` and the cost lines of a run, against the `--sshd` emulator.

What a user of the SDK notices: a detached run returns while its job still runs (the job
is recorded on this machine, its instance left alone), and the price is said before the
service is asked to launch anything.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gpueater_emulator.pytest_plugin import EmulatorProcess
from gpueater_ext import GPUEater, Resources, RunEvent, Task
from gpueater_ext._jobs.finish import finish_ended_jobs
from gpueater_ext._jobs.local import find_job, jobs_file
from tests.sdk.run_fixtures import Events, Recorder, live_instances, make_client, run_home

__all__ = ["run_home"]  # the fixture, used by name

PRODUCT = Resources(products=("a1.rx580",))


def test_the_price_is_said_before_any_launch_request(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path
) -> None:
    seen_at_cost: list[tuple[int, int]] = []

    events = Events()

    def on_event(event: RunEvent) -> None:
        # The run waits for this callback: what the emulator has now is what it had then.
        events(event)
        if event.stage == "cost":
            state = gpueater_emulator_sshd.state()
            launches = state["requests"].get("launch_ondemand_instance", 0)
            seen_at_cost.append((launches, len(state["instances"])))

    with make_client(gpueater_emulator_sshd) as eater:
        result = eater.run(
            Task(run="true", resources=PRODUCT),
            stdout=Recorder(),
            stderr=Recorder(),
            on_event=on_event,
        )
    assert seen_at_cost == [(0, 0)]
    cost_line = next(line for line in events.lines if line.startswith("price $"))
    price = result.price_per_hour
    assert price is not None
    assert price > 0
    assert f"${price:.4f}/h" in cost_line
    assert f"at most ${price * 4:.2f}" in cost_line  # the default 4 h lease
    assert events.stages().index("cost") < events.stages().index("instance")
    assert result.cost is not None
    assert result.cost.usd == price * result.duration / 3600
    shown = result.to_dict()["cost"]
    assert shown["usd"] == round(price * shown["seconds"] / 3600, 6)


def test_a_detached_run_returns_while_its_job_runs_and_is_torn_down_once_it_ends(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path
) -> None:
    script = (
        "echo started; mkdir results; echo 0.93 > results/score; "
        "while [ ! -e go ]; do sleep 0.1; done; echo finished; exit 4"
    )
    with make_client(gpueater_emulator_sshd) as eater:
        out, events = Recorder(), Events()
        detached = Task(run=script, name="detached-sdk", outputs=("results",), resources=PRODUCT)
        result = eater.run(detached, stdout=out, on_event=events, detach=True)
        # Outputs of a job that still runs cannot come back yet: said, and when they will.
        folder = Path.cwd() / "gpueater-outputs" / "detached-sdk"
        said = [line for line in events.lines if "outputs come back" in line]
        assert said == [
            f"the outputs come back to {folder} once the job has ended (job logs -f, job list, "
            "job cancel or gc), before the teardown; until then they are in "
            "~/gpueater/detached-sdk on detached-sdk"
        ]
        assert result.detached
        assert result.ok
        assert result.exit_code is None
        assert result.teardown_done is False
        assert result.job_id is not None
        assert result.instance is not None
        record = find_job("detached-sdk")
        assert (record.job_id, record.state) == (result.job_id, "running")
        assert record.instance_id == result.instance.instance_id
        assert record.price_per_hour == result.price_per_hour
        assert jobs_file().stat().st_mode & 0o777 == 0o600  # the ledger is the user's alone
        # Nothing was streamed: the job's output stays on the instance.
        assert bytes(out.data) == b""
        assert [i["instance_id"] for i in live_instances(gpueater_emulator_sshd)] == [
            result.instance.instance_id
        ]
        # While it runs, gc's pass leaves it alone.
        assert finish_ended_jobs(lambda _record: eater) == []
        assert len(live_instances(gpueater_emulator_sshd)) == 1
        disk = gpueater_emulator_sshd.disk(result.instance.instance_id)
        (disk / "gpueater" / "detached-sdk" / "go").touch()
        _wait_until_ended(eater, result.job_id)
        done = finish_ended_jobs(lambda _record: eater)
    assert len(done) == 1, done
    assert f"outputs fetched to {folder}; terminated detached-sdk" in done[0]
    assert (folder / "results" / "score").read_text() == "0.93\n"
    assert live_instances(gpueater_emulator_sshd) == []
    ended = find_job(result.job_id)
    assert (ended.state, ended.exit_code, ended.teardown_done) == ("exited", 4, True)
    assert ended.ended is not None
    assert ended.ended >= ended.started


def _wait_until_ended(eater: GPUEater, job_id: str) -> None:
    """Follow the job to its end through the supervisor (no sleeps, no clock)."""
    from gpueater_ext._jobs.finish import find_instance, job_target
    from gpueater_ext._ssh.job_remote import stream_job

    record = find_job(job_id)
    instance = find_instance(eater, record)
    assert instance is not None
    sink = Recorder()
    assert stream_job(job_target(record, instance), job_id, sink, Recorder()) == 4
    assert sink.text == "started\nfinished\n"


def test_an_async_detached_run_returns_while_its_job_runs(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path
) -> None:
    import asyncio

    from gpueater_ext import AsyncGPUEater, RunResult

    task = Task(run="while [ ! -e go ]; do sleep 0.1; done", name="detached-async",
                resources=PRODUCT)  # fmt: skip

    async def main() -> RunResult:
        emulator = gpueater_emulator_sshd
        async with AsyncGPUEater(
            emulator.url, email=emulator.email, password=emulator.password
        ) as eater:
            return await eater.run(task, stdout=Recorder(), detach=True)

    result = asyncio.run(main())
    assert result.detached
    assert result.job_id == find_job("detached-async").job_id
    assert result.instance is not None
    disk = gpueater_emulator_sshd.disk(result.instance.instance_id)
    assert (disk / ".gpueater" / "jobs" / result.job_id / "started").exists()  # it runs
    assert not (disk / ".gpueater" / "jobs" / result.job_id / "exit").exists()
    assert len(live_instances(gpueater_emulator_sshd)) == 1


def test_a_run_on_several_nodes_is_not_detached_and_nothing_launches(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path
) -> None:
    from gpueater_ext import InvalidArgumentError

    with (
        make_client(gpueater_emulator_sshd) as eater,
        pytest.raises(InvalidArgumentError, match="several nodes cannot be detached"),
    ):
        eater.run(Task(run="true", nodes=2, resources=PRODUCT), detach=True)
    assert gpueater_emulator_sshd.state()["instances"] == []
