"""`eater.run(task)` end to end: a real emulator whose instances are real sshd servers.

What a user of the SDK notices: the workdir arrives (without what .gitignore and exclude
leave out), the job's output comes back in order, its exit status is the result's, the
outputs come home (after a failure too), and the instance is gone afterwards.
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from gpueater_emulator.pytest_plugin import EmulatorProcess
from gpueater_ext import NotFoundError, Resources, RunResult, Task
from tests.sdk.run_fixtures import Events, Recorder, live_instances, make_client, run_home

__all__ = ["run_home"]  # the fixture, used by name

TRAIN = """\
set -e
echo "step 1"
echo "warning 1" >&2
echo "step 2"
echo "warning 2" >&2
mkdir -p out
printf 'accuracy=0.93\\n' > out/metrics.txt
ls -a | sort
exit "${EXIT_WITH:-0}"
"""


def workdir(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "train.sh").write_text(TRAIN)
    (folder / ".gitignore").write_text("data.bin\n")
    (folder / "data.bin").write_bytes(b"\0" * 1000)
    (folder / "notes.tmp").write_text("scratch")
    (folder / "config.txt").write_text("lr=0.1\n")
    return folder


def task(tmp_path: Path, **changes: object) -> Task:
    base = Task(
        run="sh train.sh",
        workdir=workdir(tmp_path),
        exclude=("*.tmp",),
        outputs=("out",),
        outputs_dir=tmp_path / "results",
        resources=Resources(products=("a1.rx580",)),
    )
    return base.replace(**changes)


def test_a_workdir_script_is_synced_run_and_torn_down(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path, tmp_path: Path
) -> None:
    stdout, stderr, events = Recorder(), Recorder(), Events()
    with make_client(gpueater_emulator_sshd) as eater:
        result = eater.run(task(tmp_path), stdout=stdout, stderr=stderr, on_event=events)

    assert isinstance(result, RunResult)
    assert result.exit_code == 0
    assert result.ok
    listed = stdout.text.split("\n", 2)[2].split()
    assert stdout.text.startswith("step 1\nstep 2\n")
    assert "train.sh" in listed
    assert "config.txt" in listed
    assert "data.bin" not in listed, ".gitignore is honoured"
    assert "notes.tmp" not in listed, "exclude is honoured"
    assert stderr.text == "warning 1\nwarning 2\n"
    assert (tmp_path / "results" / "out" / "metrics.txt").read_text() == "accuracy=0.93\n"
    assert result.outputs_dir == (tmp_path / "results").absolute()
    assert result.launched
    assert result.teardown == "down"
    assert result.teardown_done
    assert result.instance is not None
    assert result.instance.tag.startswith("gpueater-")
    assert live_instances(gpueater_emulator_sshd) == []
    # The user's run key: made once, private, registered once.
    key = run_home / ".ssh" / "gpueater-run.pem"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    keys = [k for k in gpueater_emulator_sshd.state()["ssh_keys"] if k["name"] == "gpueater-run"]
    assert len(keys) == 1
    stages = events.stages()
    assert stages.index("instance") < stages.index("sync") < stages.index("run")
    assert stages.index("run") < stages.index("outputs") < stages.index("teardown")
    assert any("terminated" in line for line in events.lines)


def test_a_failing_job_gives_its_exit_status_and_its_outputs_still_come_back(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path, tmp_path: Path
) -> None:
    failing = task(tmp_path, env={"EXIT_WITH": "3"})
    with make_client(gpueater_emulator_sshd) as eater:
        result = eater.run(failing, stdout=Recorder(), stderr=Recorder())
    assert result.exit_code == 3
    assert not result.ok
    assert (tmp_path / "results" / "out" / "metrics.txt").read_text() == "accuracy=0.93\n"
    assert result.teardown_done
    assert live_instances(gpueater_emulator_sshd) == []


def test_a_missing_output_is_reported_and_the_instance_still_torn_down(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path, tmp_path: Path
) -> None:
    missing = task(tmp_path, outputs=("out", "no-such-file"))
    with make_client(gpueater_emulator_sshd) as eater:
        result = eater.run(missing, stdout=Recorder(), stderr=Recorder())
    assert result.exit_code == 0
    assert result.outputs_error is not None
    assert "no-such-file" in result.outputs_error
    assert not result.ok, "a run whose outputs did not all come back is not ok"
    assert (tmp_path / "results" / "out" / "metrics.txt").exists(), "the others came back"
    assert live_instances(gpueater_emulator_sshd) == []


def test_a_price_ceiling_below_everything_launches_nothing(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path, tmp_path: Path
) -> None:
    cheap = task(tmp_path, resources=Resources(max_price=0.0001))
    with make_client(gpueater_emulator_sshd) as eater, pytest.raises(NotFoundError) as raised:
        eater.run(cheap, stdout=Recorder(), stderr=Recorder())
    assert "the cheapest in stock is" in str(raised.value)
    assert gpueater_emulator_sshd.state()["instances"] == []
    assert gpueater_emulator_sshd.state()["requests"].get("launch_ondemand_instance", 0) == 0


def test_the_run_key_is_made_once_and_registered_again_when_deleted_on_the_service(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path
) -> None:
    quick = Task(run="echo hi", resources=Resources(products=("a1.rx580",)))
    with make_client(gpueater_emulator_sshd) as eater:
        eater.run(quick, stdout=Recorder())
        key_file = run_home / ".ssh" / "gpueater-run.pem"
        first_key = key_file.read_bytes()
        (registered,) = [k for k in eater.ssh_key_list() if k.name == "gpueater-run"]
        eater.delete_ssh_key(id=registered.id)
        again = eater.run(quick, stdout=Recorder())
        (registered_again,) = [k for k in eater.ssh_key_list() if k.name == "gpueater-run"]
    assert again.exit_code == 0
    assert key_file.read_bytes() == first_key, "the private key is not made again"
    assert registered_again.public_key == registered.public_key
    assert registered_again.id != registered.id
    assert live_instances(gpueater_emulator_sshd) == []


def test_a_run_on_an_instance_subscription(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path
) -> None:
    with make_client(gpueater_emulator_sshd) as eater:
        plan = next(p for p in eater.subscription_instance_list() if p.kind == "instance")
        subscription = eater.subscribe_instance(subscription_id=plan.plan_id)
        on_it = Task(
            run="echo on-plan", resources=Resources(subscription=subscription.subscription_id)
        )
        out = Recorder()
        result = eater.run(on_it, stdout=out)
    assert result.exit_code == 0
    assert out.text == "on-plan\n"
    assert gpueater_emulator_sshd.state()["requests"]["launch_subcription_instance"] == 1
    assert live_instances(gpueater_emulator_sshd) == []
