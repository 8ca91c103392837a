"""`gpueater run` end to end: the real command in a subprocess, through pipes as a script
runs it, against the `--sshd` emulator whose instances are real SSH targets with disks of
their own (seen from here through `emulator.disk(id)`) and processes this machine sees.

What is asserted is what a user notices: the bytes on stdout and stderr, the exit status,
the files that came back, and the emulator's state (which instances exist afterwards).
Jobs that must be caught mid-run wait for a file the test creates on the instance's disk,
so nothing depends on timing.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import uuid
from pathlib import Path

import pytest

from tests.support.cli import Cli
from tests.support.run_process import (
    BOUND,
    TRAIN,
    Lines,
    _running,
    cli,
    instance_tagged,
    live_ids,
    run,
    start,
    task_file,
)

__all__ = ["cli"]  # the fixture, used by name

pytestmark = pytest.mark.sshd

TASK = """\
name: {name}
resources:
  product: a1.rx580
workdir: src
exclude: [data.bin]
run: sh train.sh
env:
  EPOCHS: 2
outputs: [results]
"""


def test_a_workdir_is_synced_run_its_outputs_fetched_and_the_instance_terminated(cli: Cli):
    code, stdout, stderr = run(cli, "run", task_file(cli, TASK.format(name="train-1")))
    assert code == 0, stderr
    assert stdout == "epoch 1 of 2\nepoch 2 of 2\n"  # the job's stdout, nothing else
    assert "to stderr\n" in stderr
    fetched = cli.home / "project" / "gpueater-outputs" / "train-1" / "results" / "metrics.txt"
    assert fetched.read_text() == "loss=0.25\n"
    assert live_ids(cli.emulator) == []  # teardown `down` is the default
    for step in ("launching", "syncing", "running", "fetching", "terminat"):
        assert step in stderr, step


def test_a_failed_job_exits_with_its_status_and_its_outputs_still_come_back(cli: Cli):
    path = task_file(cli, TASK.format(name="fails"))
    code, stdout, stderr = run(cli, "run", path, "--env", "EXIT_WITH=3", "--outputs-dir", "out")
    assert code == 3, stderr
    assert stdout.endswith("epoch 2 of 2\n")
    assert (cli.home / "project" / "out" / "results" / "metrics.txt").read_text() == "loss=0.25\n"
    assert live_ids(cli.emulator) == []


def test_output_streams_in_order_through_a_pipe_while_the_job_runs(cli: Cli):
    # The job prints, then waits for a file only this test creates after reading that line
    # from the pipe: the line must have travelled while the job was still running.
    with start(
        cli, "run", "--name", "live", "--product", "a1.rx580", "--",
        "sh", "-c", "echo first; while [ ! -e go ]; do sleep 0.1; done; echo second",
    ) as process:  # fmt: skip
        stdout = Lines(process.stdout)  # type: ignore[arg-type]
        assert stdout.until("first") == ["first\n"]
        disk = cli.emulator.disk(instance_tagged(cli.emulator, "live"))
        (disk / "gpueater" / "live" / "go").touch()
        assert stdout.rest() == "first\nsecond\n"
        stderr = process.stderr.read()  # type: ignore[union-attr]
        process.wait(timeout=BOUND)
    assert process.returncode == 0, stderr


def test_json_prints_one_result_object_and_the_jobs_output_goes_to_stderr(cli: Cli):
    path = task_file(cli, TASK.format(name="as-json"))
    code, stdout, stderr = run(cli, "run", path, "-o", "json")
    assert code == 0, stderr
    result = json.loads(stdout)
    assert result["exit_code"] == 0
    assert result["tag"] == "as-json"
    assert result["teardown"] == "down"
    assert result["teardown_done"] is True
    assert result["interrupted"] is False
    assert Path(result["outputs_dir"]).name == "as-json"
    assert "epoch 1 of 2\n" in stderr
    assert "gpueater:" not in stderr  # no progress lines in JSON mode


@pytest.mark.slow
def test_a_second_run_with_the_same_name_reuses_the_instance_and_skips_setup(cli: Cli):
    text = TASK.format(name="again") + "setup: echo set up >> setup-runs.txt\n"
    path = task_file(cli, text)
    code, stdout, stderr = run(cli, "run", path, "--keep", "-o", "json")
    assert code == 0, stderr
    first = json.loads(stdout)
    assert live_ids(cli.emulator) == [first["instance_id"]]
    remote = cli.emulator.disk(first["instance_id"]) / "gpueater" / "again"
    assert (remote / "train.sh").read_text() == TRAIN
    assert not (remote / "data.bin").exists()  # excluded
    code, stdout, stderr = run(cli, "run", path, "--down", "-o", "json")
    assert code == 0, stderr
    second = json.loads(stdout)
    assert second["instance_id"] == first["instance_id"]
    assert second["setup_skipped"] is True
    assert first["setup_skipped"] is False
    launches = cli.emulator.state()["requests"].get("launch_ondemand_instance")
    assert launches == 1
    assert live_ids(cli.emulator) == []


def test_ctrl_c_stops_the_remote_job_fetches_outputs_and_tears_down(cli: Cli):
    sleeper = f"sleep 96{uuid.uuid4().int % 10000:04d}"
    script = f"mkdir -p results; echo partial > results/log.txt; echo started; {sleeper}"
    words = ("--name", "stopped", "--outputs", "results", "--", "sh", "-c", script)
    with start(cli, "run", *words) as process:
        stdout = Lines(process.stdout)  # type: ignore[arg-type]
        stdout.until("started")
        assert _running(sleeper) == 1
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C on a terminal does
        stderr = process.stderr.read()  # type: ignore[union-attr]
        stdout.rest()
        process.wait(timeout=BOUND)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert _running(sleeper) == 0  # no remote job keeps running unseen
    assert live_ids(cli.emulator) == []
    outputs = cli.home / "project" / "gpueater-outputs" / "stopped" / "results" / "log.txt"
    assert outputs.read_text() == "partial\n"


def _all_command_lines() -> str:
    """Every process's argv on this machine: the CLI's, ssh's, and the instances' own."""
    words = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                words.append((entry / "cmdline").read_bytes().replace(b"\0", b" "))
            except OSError:
                continue  # ended meanwhile
    return b"\n".join(words).decode("utf-8", "replace")


def test_a_secret_reaches_the_job_and_nowhere_else(cli: Cli, tmp_path: Path):
    secret = f"s3cr3t-{uuid.uuid4().hex}"
    # The job checks the value against its hash, so the value is on no command line of ours.
    digest = hashlib.sha256(secret.encode()).hexdigest()
    script = (
        f'[ "$(printf %s "$HF_TOKEN" | sha256sum | cut -c1-64)" = {digest} ] || exit 9; '
        "echo checked; while [ ! -e go ]; do sleep 0.1; done; echo done"
    )
    with start(
        cli, "--debug", "run", "--name", "secretive", "--secret", "HF_TOKEN", "--keep",
        "--", "sh", "-c", script,
        env={"HF_TOKEN": secret},
    ) as process:  # fmt: skip
        stdout = Lines(process.stdout)  # type: ignore[arg-type]
        stdout.until("checked")
        # While the job runs: no process here or on the instance has it on its command line.
        assert secret not in _all_command_lines()
        instance_id = instance_tagged(cli.emulator, "secretive")
        disk = cli.emulator.disk(instance_id)
        (disk / "gpueater" / "secretive" / "go").touch()
        out = stdout.rest()
        stderr = process.stderr.read()  # type: ignore[union-attr]
        process.wait(timeout=BOUND)
    assert process.returncode == 0, stderr
    assert out == "checked\ndone\n"
    assert secret not in stderr  # --debug logs included
    assert secret not in cli.emulator.log()
    # No file here holds it; on the instance, only files no one else can read.
    for root in (cli.home, disk):
        for path in root.rglob("*"):
            if path.is_file() and not path.is_symlink() and secret.encode() in path.read_bytes():
                assert root == disk, path
                assert path.stat().st_mode & 0o077 == 0, path
    cli.ok("terminate", instance_id, "--yes")
