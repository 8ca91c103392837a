"""Streaming a job's output from an instance of the `--sshd` emulator: live and in order
through a pipe, its exit status, one job per id, and a dropped ssh connection resumed with
no byte lost or repeated."""

from __future__ import annotations

import dataclasses
import io
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gpueater_emulator._sshd import free_port
from gpueater_ext import SSHError, WaitTimeoutError
from gpueater_ext._ssh import job_remote as _job_remote
from gpueater_ext._ssh.job_remote import JobOffsets, job_status, start_job, stop_job, stream_job
from tests.ssh.job_instance import (
    JobBox,
    StreamThread,
    launch_box,
    local_ssh_processes,
    new_job_id,
    until,
)
from tests.support.emulator_process import EmulatorProcess

pytestmark = pytest.mark.sshd


# Waits in the job's folder for a file the test creates: the job cannot go on (or end)
# before the test has seen what it printed so far.
def gate(name: str) -> str:
    return f"while [ ! -e {name} ]; do sleep 0.05; done"


@pytest.fixture(scope="module")
def box(
    gpueater_emulator_sshd_process: EmulatorProcess, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[JobBox]:
    root = tmp_path_factory.mktemp("job-streaming")
    yield from launch_box(gpueater_emulator_sshd_process, "job-streaming", root)


def start(box: JobBox, script: str) -> tuple[str, Path]:
    """Start `sh -c script` as a new job in its own folder; (job id, the folder on disk)."""
    job_id = new_job_id()
    assert start_job(box.target, job_id, ["sh", "-c", script, "job"], cwd=f"work/{job_id}")
    return job_id, box.disk / "work" / job_id


def test_output_arrives_live_and_in_order_through_a_pipe(box: JobBox):
    job_id, folder = start(
        box,
        'for i in 1 2 3; do echo "out $i"; echo "err $i" >&2; '
        + gate("gate$i")
        + "; done; echo done",
    )
    stream = StreamThread(box, job_id)
    for i in (1, 2, 3):
        # The job waits for gate i, so line i must arrive while it still runs.
        out = stream.stdout.read_until(f"out {i}\n".encode())
        err = stream.stderr.read_until(f"err {i}\n".encode())
        assert f"out {i + 1}".encode() not in out
        assert f"err {i + 1}".encode() not in err
        assert job_status(box.target, job_id).state == "running"
        (folder / f"gate{i}").touch()
    assert stream.join() == 0
    assert stream.stdout.data == b"out 1\nout 2\nout 3\ndone\n"
    assert stream.stderr.data == b"err 1\nerr 2\nerr 3\n"


def test_a_failing_job_returns_its_exit_status(box: JobBox):
    job_id, _ = start(box, "echo partial; echo 'it broke' >&2; exit 7")
    stream = StreamThread(box, job_id)
    assert stream.join() == 7
    assert (stream.stdout.data, stream.stderr.data) == (b"partial\n", b"it broke\n")
    status = job_status(box.target, job_id)
    assert (status.state, status.exit_code) == ("exited", 7)


def test_bytes_pass_through_exactly(box: JobBox):
    """Output is bytes as written: no decoding, no newline translation, escapes kept."""
    job_id, _ = start(box, r"printf 'a\r\n\033[31mred\000\377 no newline'")
    stream = StreamThread(box, job_id)
    assert stream.join() == 0
    assert stream.stdout.data == b"a\r\n\x1b[31mred\x00\xff no newline"


def test_starting_a_job_twice_runs_it_once(box: JobBox):
    job_id, folder = start(box, 'echo ran >> runs; echo "run $$"; ' + gate("go") + "; exit 3")
    # The job cannot end before the gate opens, so the second start sees it running.
    until(lambda: (folder / "runs").exists(), "the job never started")
    assert not start_job(box.target, job_id, ["sh", "-c", "echo second >> runs"], cwd="work")
    (folder / "go").touch()
    stream = StreamThread(box, job_id)
    assert stream.join() == 3
    assert (folder / "runs").read_text() == "ran\n"
    assert stream.stdout.data.count(b"run ") == 1
    assert not (box.disk / "work" / "runs").exists()


def _kill_local_ssh() -> int:
    (pid,) = until(lambda: local_ssh_processes("gpueater-follow"), "no ssh follows the job")
    os.kill(pid, signal.SIGKILL)
    return pid


def test_a_killed_ssh_connection_resumes_without_losing_or_repeating_a_byte(box: JobBox):
    phase_a = "".join(f"a {i}\n" for i in range(3000))
    phase_b = "".join(f"b {i}\n" for i in range(40000))
    job_id, folder = start(
        box,
        'i=0; while [ $i -lt 3000 ]; do echo "a $i"; i=$((i + 1)); done; echo a-done >&2; '
        + gate("gate1")
        + '; i=0; while [ $i -lt 40000 ]; do echo "b $i"; '
        + '[ $((i % 5000)) = 0 ] && echo "e $i" >&2; i=$((i + 1)); done; '
        + gate("gate2")
        + "; echo end >&2",
    )
    reconnects: list[tuple[int, str]] = []
    killed_mid_flow: list[int] = []

    def kill_mid_flow(total: int) -> None:
        # Called in the streaming thread as bytes are written: half of phase b is out, the
        # rest is on its way (the job has written all of it and waits at gate2).
        if not killed_mid_flow and total >= len(phase_a) + len(phase_b) // 2:
            killed_mid_flow.append(_kill_local_ssh())

    stream = StreamThread(
        box,
        job_id,
        on_stdout=kill_mid_flow,
        on_reconnect=lambda attempt, why: reconnects.append((attempt, why)),
    )
    stream.stderr.read_until(b"a-done\n")
    first = _kill_local_ssh()  # while the stream waits for more
    until(lambda: local_ssh_processes("gpueater-follow") not in ([], [first]), "no reconnect")
    (folder / "gate1").touch()
    # Gate 2 only opens once phase b was cut mid-flow and the stream has come back.
    stream.stdout.read_until(phase_b[-20:].encode())
    assert killed_mid_flow
    # The killed sessions' remote halves end too: only the live session follows the job.
    until(
        lambda: box.process_args().count(f"jobs/{job_id}/stdout") == 1,
        "a dropped session's tail is still running on the instance",
    )
    (folder / "gate2").touch()
    assert stream.join() == 0
    assert stream.stdout.data == (phase_a + phase_b).encode()
    expected_err = "a-done\n" + "".join(f"e {i}\n" for i in range(0, 40000, 5000)) + "end\n"
    assert stream.stderr.data == expected_err.encode()
    assert [attempt for attempt, _ in reconnects] == [1, 1]
    assert all("signal 9" in why for _, why in reconnects)


def test_a_connection_that_cannot_come_back_names_what_is_left_running(
    box: JobBox, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(_job_remote, "_BACKOFF_FIRST", 0.01)
    job_id, _ = start(box, "echo started; " + gate("go"))
    gone = dataclasses.replace(box.target, port=free_port("127.0.0.1"))
    attempts: list[int] = []
    with (
        open(os.devnull, "wb") as out,
        open(os.devnull, "wb") as err,
        pytest.raises(SSHError) as raised,
    ):
        _job_remote.stream_job(
            gone, job_id, out, err, on_reconnect=lambda attempt, why: attempts.append(attempt)
        )
    message = str(raised.value)
    assert f"job {job_id!r} keeps running" in message
    assert f"gpueater ssh {box.target.instance_id} -- tail -f .gpueater/jobs/{job_id}/stdout" in (
        message
    )
    assert f"gpueater terminate {box.target.instance_id}" in message
    assert "Connection refused" in message
    assert attempts == list(range(1, _job_remote.MAX_RECONNECTS + 1))
    # It was true: the job still runs, and can be stopped.
    assert job_status(box.target, job_id).state == "running"
    stop_job(box.target, job_id, grace=2)
    assert job_status(box.target, job_id).exit_code == 143


class Interrupted(Exception):
    pass


class StopAfter:
    """A sink that takes `limit` bytes, then raises (as a Ctrl-C in a write would)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.data = b""

    def write(self, data: bytes) -> int:
        if len(self.data) >= self.limit:
            raise Interrupted
        self.data += data
        return len(data)


def test_an_interrupted_stream_ends_its_ssh_and_resumes_from_its_offsets(box: JobBox):
    lines = "".join(f"line {i}\n" for i in range(20000))
    job_id, folder = start(
        box,
        'i=0; while [ $i -lt 20000 ]; do echo "line $i"; i=$((i + 1)); done; echo e >&2; '
        + gate("go"),
    )
    offsets = JobOffsets()
    first, err = StopAfter(len(lines) // 3), io.BytesIO()
    with pytest.raises(Interrupted):
        stream_job(box.target, job_id, first, err, offsets=offsets)
    assert local_ssh_processes("gpueater-follow") == []
    assert offsets.stdout == len(first.data) < len(lines)
    (folder / "go").touch()
    rest = io.BytesIO()
    assert stream_job(box.target, job_id, rest, err, offsets=offsets) == 0
    assert first.data + rest.getvalue() == lines.encode()
    assert err.getvalue() == b"e\n"
    assert offsets == JobOffsets(stdout=len(lines), stderr=2)


def test_a_deadline_stops_following_but_not_the_job(box: JobBox):
    job_id, folder = start(box, "echo waiting; " + gate("go") + "; echo done")
    out = io.BytesIO()
    with pytest.raises(WaitTimeoutError, match=f"job {job_id!r} at its deadline; it keeps"):
        stream_job(box.target, job_id, out, io.BytesIO(), deadline=time.monotonic() + 1)
    assert local_ssh_processes("gpueater-follow") == []
    assert job_status(box.target, job_id).state == "running"
    (folder / "go").touch()
    offsets = JobOffsets(stdout=len(out.getvalue()))
    rest = io.BytesIO()
    assert stream_job(box.target, job_id, rest, io.BytesIO(), offsets=offsets) == 0
    assert out.getvalue() + rest.getvalue() == b"waiting\ndone\n"
