"""Controlling a job on an instance of the `--sshd` emulator: stop ends its whole process
group, secrets reach it without touching a command line or a disk, status and the job
folder, setup markers, and a supervisor killed from outside."""

from __future__ import annotations

import hashlib
import signal
import stat
import subprocess
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from gpueater_ext import SSHError
from gpueater_ext._ssh.job_remote import (
    job_status,
    list_jobs,
    mark_step_done,
    start_job,
    step_done,
    stop_job,
)
from tests.ssh.job_instance import JobBox, StreamThread, launch_box, new_job_id, until
from tests.support.emulator_process import EmulatorProcess

pytestmark = pytest.mark.sshd


@pytest.fixture(scope="module")
def box(
    gpueater_emulator_sshd_process: EmulatorProcess, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[JobBox]:
    root = tmp_path_factory.mktemp("job-control")
    yield from launch_box(gpueater_emulator_sshd_process, "job-control", root)


def gate(name: str) -> str:
    return f"while [ ! -e {name} ]; do sleep 0.05; done"


def unique_sleep() -> str:
    """A `sleep` argument no other process on the instance has."""
    return f"3000.{uuid.uuid4().int % 10**9:09d}"


def test_stop_ends_the_whole_process_group(box: JobBox):
    child, parent = unique_sleep(), unique_sleep()
    job_id = new_job_id()
    start_job(box.target, job_id, ["sh", "-c", f"sleep {child} & sleep {parent}"], cwd="work")
    until(lambda: f"sleep {child}" in box.process_args(), "the child sleep never started")
    until(lambda: f"sleep {parent}" in box.process_args(), "the job never started")
    stream = StreamThread(box, job_id)
    stop_job(box.target, job_id, grace=5)
    processes = box.process_args()
    assert f"sleep {child}" not in processes
    assert f"sleep {parent}" not in processes
    supervisors = [line for line in processes.splitlines() if "gpueater-job" in line]
    assert not [line for line in supervisors if job_id in line]  # recorded the end and left
    assert stream.join() == 143  # 128 + TERM
    status = job_status(box.target, job_id)
    assert (status.state, status.exit_code) == ("exited", 143)


def test_stop_kills_what_ignores_term_after_the_grace(box: JobBox):
    stubborn = unique_sleep()
    job_id = new_job_id()
    start_job(box.target, job_id, ["sh", "-c", f"trap '' TERM; sleep {stubborn}"], cwd="work")
    until(lambda: f"sleep {stubborn}" in box.process_args(), "the job never started")
    stop_job(box.target, job_id, grace=0.3)
    assert f"sleep {stubborn}" not in box.process_args()
    assert job_status(box.target, job_id).exit_code == 137  # 128 + KILL


def test_the_job_gets_the_signals_a_command_in_a_terminal_gets(box: JobBox):
    """Only SIGHUP is ignored (nohup); INT and QUIT reach the job, though sh ignores them
    for a command it starts in the background."""
    job_id = new_job_id()
    start_job(box.target, job_id, ["grep", "SigIgn", "/proc/self/status"], cwd="work")
    stream = StreamThread(box, job_id)
    assert stream.join() == 0
    label, mask = stream.stdout.data.split()
    ignored = {number for number in range(1, 65) if int(mask, 16) >> (number - 1) & 1}
    assert label == b"SigIgn:"
    assert signal.SIGHUP in ignored
    assert not ignored & {signal.SIGINT, signal.SIGQUIT, signal.SIGTERM}


def test_stopping_an_ended_job_changes_nothing(box: JobBox):
    job_id = new_job_id()
    start_job(box.target, job_id, ["sh", "-c", "exit 5"], cwd="work")
    assert StreamThread(box, job_id).join() == 5
    stop_job(box.target, job_id)
    assert job_status(box.target, job_id).exit_code == 5


def test_list_jobs_names_every_job_folder_and_nothing_else(box: JobBox):
    job_id = new_job_id()
    start_job(box.target, job_id, ["true"], cwd="work")
    jobs = box.disk / ".gpueater" / "jobs"
    (jobs / "not a job id").mkdir()
    (jobs / "plain-file").touch()
    try:
        listed = list_jobs(box.target)
        assert job_id in listed
        assert "not a job id" not in listed
        assert "plain-file" not in listed
        assert listed == sorted(p.name for p in jobs.iterdir() if p.is_dir() and " " not in p.name)
    finally:
        (jobs / "not a job id").rmdir()
        (jobs / "plain-file").unlink()


@pytest.mark.parametrize("recorded", ["256\n", "-1\n", "1e3\n"])
def test_an_exit_status_no_shell_reports_is_not_believed(box: JobBox, recorded: str):
    job_id = new_job_id()
    start_job(box.target, job_id, ["true"], cwd="work")
    assert StreamThread(box, job_id).join() == 0
    (box.disk / ".gpueater" / "jobs" / job_id / "exit").write_text(recorded)
    with pytest.raises(SSHError, match=f"status of job {job_id!r} .* could not be read"):
        job_status(box.target, job_id)


def test_a_working_folder_that_cannot_be_made_starts_nothing(box: JobBox):
    (box.disk / "a-file").write_text("not a folder\n")
    job_id = new_job_id()
    with pytest.raises(SSHError, match=f"job {job_id!r} on instance .* cannot be created"):
        start_job(box.target, job_id, ["touch", "ran"], cwd="a-file/sub")
    assert job_id not in list_jobs(box.target)
    assert start_job(box.target, job_id, ["touch", "ran"], cwd="work")  # the id is still free


def test_an_unknown_job(box: JobBox):
    status = job_status(box.target, "never-started")
    assert status.state == "unknown"
    assert "no job 'never-started'" in (status.reason or "")
    with pytest.raises(SSHError, match=r"job 'never-started' on instance .* does not exist"):
        stop_job(box.target, "never-started")
    with pytest.raises(SSHError, match="does not exist"):
        StreamThread(box, "never-started").join()


def test_the_job_folder_is_private_and_as_documented(box: JobBox):
    job_id = new_job_id()
    start_job(box.target, job_id, ["sh", "-c", "echo out; echo err >&2; exit 4"], cwd="w d")
    assert StreamThread(box, job_id).join() == 4
    folder = box.disk / ".gpueater" / "jobs" / job_id
    assert stat.S_IMODE((box.disk / ".gpueater").stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert sorted(p.name for p in folder.iterdir()) == [
        "exit", "started", "stderr", "stdout", "supervisor"
    ]  # fmt: skip
    assert (folder / "stdout").read_bytes() == b"out\n"
    assert (folder / "stderr").read_bytes() == b"err\n"
    assert (folder / "exit").read_text() == "4\n"
    pid, start, group = (folder / "supervisor").read_text().split()
    assert int(pid) > 0
    assert int(start) > 0
    assert int(group) > 0
    status = job_status(box.target, job_id)
    assert (status.stdout_bytes, status.stderr_bytes) == (4, 4)
    assert (box.disk / "w d").is_dir()  # the working folder was created


SECRET = f"tok-{uuid.uuid4().hex} with space\n$(touch ~/pwned) 'q' \"dq\" \\ ü\t%s\n"
MARK = SECRET[4:36]  # its unique part: a hex string no other text holds


def _spy_local_argv(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every argument list this process starts (the real call still happens)."""
    seen: list[list[str]] = []
    real_run, real_popen = subprocess.run, subprocess.Popen

    def run(args: Any, *rest: Any, **options: Any) -> Any:
        seen.append(list(args))
        return real_run(args, *rest, **options)

    class Popen(real_popen):  # type: ignore[valid-type,misc]
        def __init__(self, args: Any, *rest: Any, **options: Any) -> None:
            seen.append(list(args))
            super().__init__(args, *rest, **options)

    monkeypatch.setattr(subprocess, "run", run)
    monkeypatch.setattr(subprocess, "Popen", Popen)
    return seen


def test_a_secret_reaches_the_job_and_nothing_else(box: JobBox, monkeypatch: pytest.MonkeyPatch):
    argv_seen = _spy_local_argv(monkeypatch)
    job_id = new_job_id()
    script = 'printf %s "$API_TOKEN" | sha256sum; printf "%s|" "$PLAIN"; ' + gate("go")
    start_job(
        box.target,
        job_id,
        ["sh", "-c", script],
        cwd=f"work/{job_id}",
        env={"PLAIN": "plain value", "PATH": "/nonexistent-first:/usr/bin:/bin"},
        secrets={"API_TOKEN": SECRET},
    )
    stream = StreamThread(box, job_id)
    digest = hashlib.sha256(SECRET.encode()).hexdigest()
    # The value arrived whole (spaces, newlines, quotes, $(...), non-ASCII, a trailing newline).
    stream.stdout.read_until(b"|")
    assert stream.stdout.data == f"{digest}  -\nplain value|".encode()
    # While the job runs and holds it: not in any process's arguments on the instance...
    assert MARK not in box.process_args()
    cmdlines = box.remote(["sh", "-c", "cat /proc/[0-9]*/cmdline"])
    assert cmdlines.stdout
    assert MARK.encode() not in cmdlines.stdout
    # ...nor in any file on its disk, /tmp included (grep reads the pattern from stdin)...
    for path in box.disk.rglob("*"):
        if path.is_file() and not path.is_symlink():
            assert MARK.encode() not in path.read_bytes(), path
    found = box.remote(
        ["grep", "-rlF", "-f", "-", "/tmp", "/var/tmp", "/dev/shm"], input_bytes=MARK.encode()
    )
    assert found.exit_code == 1, found.stdout  # 1: no match
    # ...nor in an argument list on this machine; and $(...) was never run.
    assert argv_seen
    assert not any(MARK in word for argv in argv_seen for word in argv)
    assert not (box.disk / "pwned").exists()
    (box.disk / "work" / job_id / "go").touch()
    assert stream.join() == 0


def test_setup_markers(box: JobBox):
    marker = hashlib.sha256(uuid.uuid4().bytes).hexdigest()
    assert not step_done(box.target, marker)
    mark_step_done(box.target, marker)
    assert step_done(box.target, marker)
    assert not step_done(box.target, hashlib.sha256(b"other text").hexdigest())
    assert (box.disk / ".gpueater" / "setup" / marker).is_file()


def test_a_supervisor_killed_from_outside_is_reported_not_waited_for(box: JobBox):
    job_id = new_job_id()
    start_job(box.target, job_id, ["sh", "-c", "echo up; " + gate("go")], cwd=f"work/{job_id}")
    folder = box.disk / ".gpueater" / "jobs" / job_id
    pid, _, group = (folder / "supervisor").read_text().split()
    assert box.remote(["kill", "-s", "KILL", pid]).exit_code == 0
    until(lambda: job_status(box.target, job_id).state == "unknown", "the supervisor lives on")
    assert "supervisor ended without" in (job_status(box.target, job_id).reason or "")
    with pytest.raises(SSHError, match="ended without recording an exit status"):
        StreamThread(box, job_id).join()
    # The command itself is still there; end it the way the message's reader would.
    box.remote(["kill", "-s", "TERM", "--", f"-{group}"])
