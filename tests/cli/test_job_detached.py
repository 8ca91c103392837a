"""`gpueater run --detach` and `gpueater job logs|list|cancel`, end to end: the real
command in a subprocess against the `--sshd` emulator, whose instances are real sshd
servers with disks this test sees (`emulator.disk(id)`) and processes this machine sees.

Jobs that must be caught mid-run wait for a file the test creates on the instance's disk,
so nothing depends on timing.
"""

from __future__ import annotations

import json
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from gpueater_emulator.pytest_plugin import start_emulator
from tests.support.cli import GPUEATER, Cli
from tests.support.emulator_process import EmulatorProcess
from tests.support.run_process import BOUND, _running, cli, instance_tagged, live_ids

__all__ = ["cli"]  # the fixture, used by name

pytestmark = pytest.mark.sshd

# Bytes a terminal would mangle and UTF-8 cannot decode: a pipe must carry them as they are.
STDOUT = b"first line\n\x00\x01\xff\xfe raw \x1b[31m\nlast line without newline"
STDERR = b"to stderr \xe2\x82\n"


def _octal(data: bytes) -> str:
    return "".join(f"\\{byte:03o}" for byte in data)


WAITING_JOB = (
    f"printf '{_octal(STDOUT[:11])}'; while [ ! -e go ]; do sleep 0.1; done; "
    f"printf '{_octal(STDOUT[11:])}'; printf '{_octal(STDERR)}' >&2; exit 3"
)


def gpueater(cli: Cli, *args: str) -> tuple[int, bytes, str]:
    done = subprocess.run(
        [GPUEATER, *args], env=cli.env, cwd=cli.home, stdin=subprocess.DEVNULL,
        capture_output=True, timeout=BOUND, check=False,
    )  # fmt: skip
    stderr = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    return done.returncode, done.stdout, stderr


def jobs(cli: Cli) -> dict[str, dict[str, object]]:
    code, stdout, stderr = gpueater(cli, "job", "list", "-o", "json")
    assert code == 0, stderr
    return {str(row["name"]): row for row in json.loads(stdout)}


def leases(cli: Cli) -> list[dict[str, object]]:
    code, stdout, stderr = gpueater(cli, "lease", "list", "-o", "json")
    assert code == 0, stderr
    rows: list[dict[str, object]] = json.loads(stdout)
    return rows


def detach(cli: Cli, name: str, *args: str) -> tuple[int, str]:
    words = ("run", "--detach", "--name", name, "--product", "a1.rx580", *args)
    code, stdout, stderr = gpueater(cli, *words)
    assert code == 0, stderr
    assert stdout == b""  # nothing of the job is streamed
    return code, stderr


def go(emulator: EmulatorProcess, name: str) -> None:
    disk = emulator.disk(instance_tagged(emulator, name))
    (disk / "gpueater" / name / "go").touch()


@pytest.mark.slow
def test_a_detached_jobs_logs_are_complete_after_it_ends_and_list_follows_its_state(
    cli: Cli,
):
    _code, stderr = detach(cli, "kept", "--keep", "--", "sh", "-c", WAITING_JOB)
    last = stderr.strip().splitlines()[-1]
    assert "runs detached on kept" in last
    assert "gpueater job logs kept -f" in last
    running = jobs(cli)["kept"]
    assert (running["state"], running["exit_code"]) == ("running", None)
    # While it runs, `job logs` prints what there is so far and exits.
    code, stdout, stderr = gpueater(cli, "job", "logs", "kept")
    assert (code, stdout) == (0, STDOUT[:11]), stderr
    go(cli.emulator, "kept")
    code, stdout, stderr = gpueater(cli, "job", "logs", "kept", "-f")
    assert code == 3, stderr  # the job's exit status
    assert stdout == STDOUT
    assert "to stderr" in stderr
    # After the end, without -f: the same bytes, byte for byte, stdout and stderr apart.
    done = subprocess.run(
        [GPUEATER, "job", "logs", "kept"], env=cli.env, capture_output=True, timeout=BOUND
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, STDOUT, STDERR)
    ended = jobs(cli)["kept"]
    assert (ended["state"], ended["exit_code"], ended["teardown"]) == ("exited", 3, "keep")
    duration, cost = ended["duration"], ended["cost"]
    assert isinstance(duration, float)
    assert duration > 0
    assert isinstance(cost, dict)
    assert cost["price_per_hour"] > 0
    assert cost["usd"] == round(cost["price_per_hour"] * cost["seconds"] / 3600, 6)
    assert len(live_ids(cli.emulator)) == 1  # keep: still there
    code, table, stderr = gpueater(cli, "job", "list")
    assert code == 0, stderr
    header, row = table.decode().splitlines()
    assert header.split() == ["NAME", "JOB", "INSTANCE", "STATE", "EXIT", "DURATION", "COST",
                              "TEARDOWN"]  # fmt: skip
    assert row.split()[0] == "kept"
    assert " exited " in row
    assert " keep" in row


@pytest.mark.slow
def test_job_logs_follow_of_a_down_job_tears_the_instance_down_when_it_ends(cli: Cli):
    detach(cli, "downed", "--", "sh", "-c", WAITING_JOB)
    assert len(live_ids(cli.emulator)) == 1
    [lease] = leases(cli)  # the instance's lease names the job that ends it
    assert lease["job_id"] == jobs(cli)["downed"]["job_id"]
    go(cli.emulator, "downed")
    code, stdout, stderr = gpueater(cli, "job", "logs", "downed", "-f")
    assert code == 3, stderr
    assert stdout == STDOUT
    assert live_ids(cli.emulator) == []  # terminated once the job ended
    last = stderr.strip().splitlines()[-1]
    assert "exited with status 3" in last
    assert "terminated downed" in last
    assert "$" in last
    record = jobs(cli)["downed"]
    assert (record["state"], record["teardown_done"]) == ("exited", True)
    assert leases(cli) == []  # nothing left for gc to end
    # Its output went with the instance: one clear line, not a traceback.
    code, _stdout, stderr = gpueater(cli, "job", "logs", "downed")
    assert code == 3, stderr  # not found
    assert stderr.startswith("error: ")
    assert "gone" in stderr


@pytest.mark.slow
def test_job_cancel_stops_the_remote_process_and_applies_the_teardown(cli: Cli, tmp_path: Path):
    sleeper = f"sleep 97{uuid.uuid4().int % 10000:04d}"
    words = ("run", "--detach", "--name", "cancelled", "--product", "a1.rx580", "--stop")
    code, stdout, stderr = gpueater(cli, *words, "-o", "json", "--", "sh", "-c", sleeper)
    assert code == 0, stderr
    started = json.loads(stdout)
    assert (started["detached"], started["exit_code"]) == (True, None)
    assert started["job_id"] == jobs(cli)["cancelled"]["job_id"]
    assert _running(sleeper) == 1
    # Pointed at another service (which has no such instance), `job list` still asks the
    # job's own: the job is not taken for lost, nor its teardown for done.
    mine = cli.emulator
    other = start_emulator(tmp_path / "other", email=mine.email, password=mine.password)
    try:
        code, listed, stderr = gpueater(cli, "--url", other.url, "job", "list", "-o", "json")
    finally:
        other.stop()
    assert code == 0, stderr
    assert [row["state"] for row in json.loads(listed)] == ["running"], stderr
    instance_id = instance_tagged(cli.emulator, "cancelled")
    code, _stdout, stderr = gpueater(cli, "job", "cancel", "cancelled")
    assert code == 0, stderr
    assert _running(sleeper) == 0  # the remote process is gone
    states = {i["instance_id"]: i["state"] for i in cli.emulator.state()["instances"]}
    assert states[instance_id] in ("STOPPED", "STOPPING")  # the teardown `stop`
    assert "stopped cancelled" in stderr
    record = jobs(cli)["cancelled"]
    assert (record["state"], record["teardown_done"]) == ("cancelled", True)


@pytest.mark.slow
def test_a_runs_last_line_and_json_say_its_duration_and_cost(cli: Cli):
    code, stdout, stderr = gpueater(cli, "run", "--product", "a1.rx580", "--", "true")
    assert code == 0, stderr
    lines = stderr.strip().splitlines()
    assert lines[0].startswith("gpueater: price $")
    assert "at most $" in lines[0]
    assert "done in" in lines[-1]
    assert "cost " in lines[-1]
    assert "cost about $" in lines[-1]
    code, stdout, stderr = gpueater(cli, "run", "--product", "a1.rx580", "-o", "json", "--", "true")
    assert code == 0, stderr
    result = json.loads(stdout)
    cost = result["cost"]
    assert cost["currency"] == "USD"
    assert cost["price_per_hour"] > 0
    assert cost["usd"] == round(cost["price_per_hour"] * cost["seconds"] / 3600, 6)


def test_job_commands_name_an_unknown_job_in_one_line(cli: Cli):
    for verb in ("logs", "cancel"):
        code, _stdout, stderr = gpueater(cli, "job", verb, "nothing-here")
        assert code == 3, stderr  # not found
        assert stderr.startswith("error: ")
        assert "gpueater job list" in stderr
    code, stdout, stderr = gpueater(cli, "job", "list")
    assert (code, stdout) == (0, b"")
    assert "no detached jobs" in stderr


@pytest.mark.slow
def test_gc_tears_down_a_down_job_that_ended_while_nobody_watched(cli: Cli):
    detach(cli, "unwatched", "--", "sh", "-c", WAITING_JOB)
    instance_id = instance_tagged(cli.emulator, "unwatched")
    job_id = str(jobs(cli)["unwatched"]["job_id"])
    code, stdout, stderr = gpueater(cli, "gc")
    assert code == 0, stderr
    assert live_ids(cli.emulator) == [instance_id]  # still running: left alone
    go(cli.emulator, "unwatched")
    exit_file = cli.emulator.disk(instance_id) / ".gpueater" / "jobs" / job_id / "exit"
    _until(exit_file.exists)  # the supervisor wrote the job's end
    code, stdout, stderr = gpueater(cli, "gc")
    assert code == 0, stderr
    assert f"job {job_id} ended: terminated unwatched" in stdout.decode() + stderr
    assert live_ids(cli.emulator) == []
    record = jobs(cli)["unwatched"]
    assert (record["state"], record["exit_code"], record["teardown_done"]) == ("exited", 3, True)


OUTPUTS_JOB = (
    "mkdir -p results; printf 'epoch 3\\n' > results/a.txt; while [ ! -e go ]; do sleep 0.1; done"
)


@pytest.mark.slow
def test_a_detached_jobs_outputs_come_back_before_its_instance_is_terminated(cli: Cli):
    _code, stderr = detach(cli, "fetched", "--outputs", "results", "--", "sh", "-c", OUTPUTS_JOB)
    folder = cli.home / "gpueater-outputs" / "fetched"
    assert f"the outputs come back to {folder} once the job has ended" in stderr
    go(cli.emulator, "fetched")
    code, _stdout, stderr = gpueater(cli, "job", "logs", "fetched", "-f")
    assert code == 0, stderr
    assert (folder / "results" / "a.txt").read_text() == "epoch 3\n"
    last = stderr.strip().splitlines()[-1]
    assert f"outputs fetched to {folder}" in last
    assert "terminated fetched" in last
    assert live_ids(cli.emulator) == []
    record = jobs(cli)["fetched"]
    assert (record["outputs_pending"], record["teardown_done"]) == (False, True)


@pytest.mark.slow
def test_a_down_job_whose_outputs_did_not_all_come_back_keeps_its_instance(cli: Cli):
    outputs = ("--outputs", "results", "--outputs", "late.txt")
    detach(cli, "held", *outputs, "--", "sh", "-c", OUTPUTS_JOB)
    instance_id = instance_tagged(cli.emulator, "held")
    job_id = str(jobs(cli)["held"]["job_id"])
    go(cli.emulator, "held")
    exit_file = cli.emulator.disk(instance_id) / ".gpueater" / "jobs" / job_id / "exit"
    _until(exit_file.exists)
    code, stdout, stderr = gpueater(cli, "gc")
    said = stdout.decode() + stderr
    assert code == 0, said
    assert "1 output(s) did not come back: late.txt" in said
    assert "teardown held so as not to destroy the outputs" in said
    assert live_ids(cli.emulator) == [instance_id]  # terminating would lose late.txt
    assert jobs(cli)["held"]["outputs_pending"] is True
    # Once it is there, the next gc brings everything back, then terminates.
    (cli.emulator.disk(instance_id) / "gpueater" / "held" / "late.txt").write_text("late\n")
    code, stdout, stderr = gpueater(cli, "gc")
    assert code == 0, stderr
    folder = cli.home / "gpueater-outputs" / "held"
    assert (folder / "late.txt").read_text() == "late\n"
    assert (folder / "results" / "a.txt").read_text() == "epoch 3\n"
    assert live_ids(cli.emulator) == []
    record = jobs(cli)["held"]
    assert (record["outputs_pending"], record["teardown_done"]) == (False, True)


def _until(condition: Callable[[], bool]) -> None:
    """Wait for what another process does (bounded only so a broken run cannot hang)."""
    deadline = time.monotonic() + BOUND
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.05)
