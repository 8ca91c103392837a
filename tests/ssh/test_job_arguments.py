"""The job functions' arguments: what is refused before anything runs, and the environment
encoding, checked by running the supervisor's own scripts in this machine's sh."""

from __future__ import annotations

import io
import os
import subprocess
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gpueater_ext import InvalidArgumentError
from gpueater_ext._ssh.job_remote import (
    _environment_lines,
    check_job_id,
    job_status,
    mark_step_done,
    start_job,
    step_done,
    stop_job,
    stream_job,
)
from gpueater_ext._ssh.job_supervisor import start_words
from gpueater_ext._ssh.target import SshTarget

# Any attempt to run ssh fails loudly with SSHError: these calls must stop before it.
NOWHERE = SshTarget(
    instance_id="1",
    host="127.0.0.1",
    port=9,
    user="root",
    key_file=Path("/nonexistent/key"),
    ssh_program="/nonexistent/ssh",
)


@pytest.mark.parametrize(
    "job_id", ["", ".hidden", "a/b", "..", "x" * 65, "a b", "a\nb", "é", "$(id)", 7]
)
def test_unusable_job_ids_are_refused_before_anything_runs(job_id):
    for call in (
        lambda: start_job(NOWHERE, job_id, ["true"], cwd="w"),
        lambda: stream_job(NOWHERE, job_id, io.BytesIO(), io.BytesIO()),
        lambda: stop_job(NOWHERE, job_id),
        lambda: job_status(NOWHERE, job_id),
    ):
        with pytest.raises(InvalidArgumentError, match="job id"):
            call()


@pytest.mark.parametrize("job_id", ["a", "run-2026.12.01_x", "-x", "0" * 64, "A.b-c_d"])
def test_usable_job_ids(job_id):
    assert check_job_id(job_id) == job_id


@pytest.mark.parametrize(
    ("env", "secrets", "message"),
    [
        ({"1X": "v"}, {}, "name '1X' is not usable"),
        ({"A-B": "v"}, {}, "name 'A-B' is not usable"),
        ({"": "v"}, {}, "name '' is not usable"),
        ({}, {"_gpueater_dir": "v"}, "reserved"),
        ({"A": "v"}, {"A": "zq"}, "A is given both"),
        ({}, {"TOKEN": "zq\0zq"}, "TOKEN holds a NUL"),
        ({}, {"TOKEN": "\ud800"}, "TOKEN is not encodable"),
        ({"A": 1}, {}, "must be a string"),
    ],
)
def test_unusable_environments_are_refused(env, secrets, message):
    with pytest.raises(InvalidArgumentError, match=message) as raised:
        start_job(NOWHERE, "job", ["true"], cwd="w", env=env, secrets=secrets)
    assert "zq" not in str(raised.value)  # a refused secret's value is never repeated


@pytest.mark.parametrize("command", [[], "echo hi"])
def test_the_command_is_a_non_empty_list_of_words(command):
    with pytest.raises(InvalidArgumentError, match="non-empty list of words"):
        start_job(NOWHERE, "job", command, cwd="w")


@pytest.mark.parametrize("marker", ["", "ABCDEF12", "abc", "../../etc", "g" * 16, "a" * 129])
def test_unusable_step_markers(marker):
    with pytest.raises(InvalidArgumentError, match="hex digest"):
        step_done(NOWHERE, marker)
    with pytest.raises(InvalidArgumentError, match="hex digest"):
        mark_step_done(NOWHERE, marker)


@pytest.mark.parametrize("grace", [-1, 3601])
def test_stop_grace_is_bounded(grace):
    with pytest.raises(InvalidArgumentError, match="grace"):
        stop_job(NOWHERE, "job", grace=grace)


def run_locally(home: Path, job_id: str, words: list[str], stdin: bytes) -> Path:
    """The start script in this machine's sh with HOME=home (sshd's part: a session of its
    own); the job's folder once its exit status is recorded."""
    started = subprocess.run(
        ["setsid", "-w", *start_words(job_id, "w", words)],
        input=stdin,
        capture_output=True,
        env={**os.environ, "HOME": str(home)},
        cwd=home,
        check=False,
    )
    assert started.returncode == 0, started.stderr
    folder = home / ".gpueater" / "jobs" / job_id
    deadline = time.monotonic() + 30
    while not (folder / "exit").exists():
        assert time.monotonic() < deadline, "the job never ended"
        time.sleep(0.01)
    return folder


VALUES = st.text(st.characters(blacklist_characters="\0", blacklist_categories=["Cs"]))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=VALUES, raw=st.binary().filter(lambda b: b"\0" not in b))
def test_every_value_arrives_exactly(tmp_path: Path, value: str, raw: bytes):
    """Text and arbitrary bytes (as surrogate escapes), newlines, quotes, backslashes and
    `$(...)` included, reach the command's environment byte for byte."""
    job_id = f"p{time.monotonic_ns()}"
    undecodable = raw.decode("utf-8", "surrogateescape")
    stdin = _environment_lines({"V": value}, {"RAW": undecodable})
    folder = run_locally(
        tmp_path, job_id, ["sh", "-c", 'printf %s "$V"; printf %s "$RAW" >&2'], stdin
    )
    assert (folder / "exit").read_text() == "0\n"
    assert (folder / "stdout").read_bytes() == value.encode()
    assert (folder / "stderr").read_bytes() == raw


def test_an_environment_cut_short_runs_nothing_and_frees_the_id(tmp_path: Path):
    words = start_words("cut", "w", ["sh", "-c", "echo ran >> ran"])
    lines = _environment_lines({"A": "1"}, {})
    assert lines.endswith(b"end\n")
    cut = subprocess.run(
        ["setsid", "-w", *words],
        input=lines[: -len(b"end\n")],
        capture_output=True,
        env={**os.environ, "HOME": str(tmp_path)},
        cwd=tmp_path,
        check=False,
    )
    assert cut.returncode == 67
    assert not (tmp_path / ".gpueater" / "jobs" / "cut").exists()
    assert not (tmp_path / "w" / "ran").exists()
    folder = run_locally(tmp_path, "cut", ["sh", "-c", "echo ran >> ran"], lines)
    assert (folder / "exit").read_text() == "0\n"
    assert (tmp_path / "w" / "ran").read_text() == "ran\n"
