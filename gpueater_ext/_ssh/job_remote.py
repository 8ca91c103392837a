"""Jobs on an instance: start a command under a supervisor that outlives the SSH
connection, stream its output live (resuming after a dropped connection), stop it, read its
status, and remember setup steps that are done.

All functions are synchronous and block; the async client runs them in a worker thread.
The remote scripts and the job folder layout are in `_ssh.job_supervisor` (its docstring is
the contract `gpueater job` builds on).

- Job ids are the caller's: `[A-Za-z0-9._-]{1,64}`, not starting with a dot.
- Environment values and secrets travel on ssh's standard input, never on a command line
  (local or remote) and never in a file; on the instance only the job's own processes
  hold them, in their environment (which, like any process's, the same user and root
  can read in /proc).
- Output is bytes, passed through exactly as the instance wrote them: text from an
  instance is not trusted, so deciding how to show it on a terminal (escaping) is the
  caller's job; `stream_job` never interprets it.
- A job ends when its command does; processes it left in the background are not waited
  for (their later output stays in the job's files but is not streamed).
- Limits: where systemd-logind is set to kill a user's processes when their session ends
  (`KillUserProcesses=yes`, not the default on Ubuntu or Debian), a job ends with the SSH
  session that started it.
- Reconnecting: a stream whose ssh ends with 255 or is killed reconnects with the byte
  offsets delivered so far, so nothing is lost or repeated. Up to `MAX_RECONNECTS`
  attempts in a row with backoff; a session that reached the instance's script resets
  the count. Refused authentication and a changed host key are not retried.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from gpueater_ext._errors import InvalidArgumentError, SSHError, WaitTimeoutError
from gpueater_ext._ssh.argv import remote_path
from gpueater_ext._ssh.job_stream import ByteSink, JobOffsets, Session, follow_once
from gpueater_ext._ssh.job_supervisor import (
    ENV_RESERVED_PREFIX,
    JOB_EXIT_REASONS,
    NO_SUCH_JOB,
    list_words,
    mark_step_words,
    start_words,
    status_words,
    step_done_words,
    stop_words,
    stream_words,
)
from gpueater_ext._ssh.known_hosts import host_key_changed_error
from gpueater_ext._ssh.remote import until_client_leaves
from gpueater_ext._ssh.run import SSH_FAILED, CommandResult, capture_command, ssh_error
from gpueater_ext._ssh.target import SshTarget

__all__ = [
    "MAX_RECONNECTS",
    "ByteSink",
    "JobOffsets",
    "JobStatus",
    "check_job_id",
    "job_folder",
    "job_status",
    "list_jobs",
    "mark_step_done",
    "start_job",
    "step_done",
    "stop_job",
    "stream_job",
]

MAX_RECONNECTS = 6
_BACKOFF_FIRST = 0.5
_BACKOFF_MAX = 8.0
# Short calls (start, status, stop, markers) try this many times when ssh itself fails.
_SHORT_CALL_ATTEMPTS = 3
# Extra follows after the job ended, for output that arrived after the last read.
_MAX_DRAINS = 2

_JOB_ID = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MARKER = re.compile(r"[0-9a-f]{8,128}")
_DIGITS = re.compile(r"[0-9]{1,20}")
# Bytes that travel as themselves in an environment line; every other byte as \0NNN.
_PLAIN_BYTES = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.,:/=+@%"
)
# ssh's words for failures that another attempt cannot fix.
_PERMANENT = (b"Permission denied", b"Host key verification failed", b"No such file")


def check_job_id(job_id: str) -> str:
    """The job id as given, or InvalidArgumentError saying what a job id may be."""
    if not isinstance(job_id, str) or not _JOB_ID.fullmatch(job_id):
        raise InvalidArgumentError(
            f"job id {job_id!r} is not usable: use 1 to 64 letters, digits, '.', '_' or '-', "
            "not starting with '.'"
        )
    return job_id


def job_folder(job_id: str) -> str:
    """The job's folder on the instance, relative to the remote home folder."""
    return f".gpueater/jobs/{check_job_id(job_id)}"


@dataclass(frozen=True)
class JobStatus:
    """A job's state: `running`, `exited` (with `exit_code`; 128+N means killed by signal
    N) or `unknown` (`reason` says why: no such job, still starting, or its supervisor is
    gone without recording an end). `stdout_bytes`/`stderr_bytes`: the output so far."""

    state: Literal["running", "exited", "unknown"]
    exit_code: int | None = None
    stdout_bytes: int = 0
    stderr_bytes: int = 0
    reason: str | None = None


def _job_error(target: SshTarget, job_id: str, exit_code: int) -> SSHError:
    return SSHError(f"job {job_id!r} on {target.describe()} {JOB_EXIT_REASONS[exit_code]}")


def _capture(
    target: SshTarget, words: list[str], doing: str, *, input_bytes: bytes | None = None
) -> CommandResult:
    """A short remote call, tried again (a few times, with a pause) when ssh itself failed."""
    for attempt in range(1, _SHORT_CALL_ATTEMPTS + 1):
        result = capture_command(target, words, input_bytes=input_bytes)
        if result.exit_code != SSH_FAILED:
            return result
        if attempt == _SHORT_CALL_ATTEMPTS or any(m in result.stderr for m in _PERMANENT):
            break
        time.sleep(_BACKOFF_FIRST * attempt)
    raise ssh_error(target, result.stderr, doing)


def _checked(target: SshTarget, job_id: str, result: CommandResult, doing: str) -> bytes:
    if result.exit_code in JOB_EXIT_REASONS:
        raise _job_error(target, job_id, result.exit_code)
    if result.exit_code != 0:
        raise ssh_error(target, result.stderr, doing)
    return result.stdout


def _environment_lines(env: Mapping[str, str], secrets: Mapping[str, str]) -> bytes:
    """The start script's standard input: `v NAME VALUE` per variable, then `end`."""
    both = set(env) & set(secrets)
    if both:
        raise InvalidArgumentError(
            f"{sorted(both)[0]} is given both as an environment variable and as a secret: "
            "give it once"
        )
    lines = []
    for source in (env, secrets):
        for name, value in source.items():
            if not isinstance(name, str) or not _ENV_NAME.fullmatch(name):
                raise InvalidArgumentError(
                    f"environment variable name {name!r} is not usable: use letters, digits "
                    "and '_', not starting with a digit"
                )
            if name.startswith(ENV_RESERVED_PREFIX):
                raise InvalidArgumentError(
                    f"environment variable {name} is not usable: names starting with "
                    f"{ENV_RESERVED_PREFIX!r} are reserved for gpueater's job supervisor"
                )
            if not isinstance(value, str):
                raise InvalidArgumentError(f"the value of {name} must be a string")
            try:
                data = value.encode("utf-8", "surrogateescape")
            except UnicodeEncodeError:
                raise InvalidArgumentError(f"the value of {name} is not encodable text") from None
            if b"\0" in data:
                # Only the name: the value may be a secret.
                raise InvalidArgumentError(f"the value of {name} holds a NUL character")
            encoded = "".join(chr(b) if b in _PLAIN_BYTES else f"\\0{b:03o}" for b in data)
            lines.append(f"v {name} {encoded}\n")
    lines.append("end\n")
    return "".join(lines).encode("ascii")


def start_job(
    target: SshTarget,
    job_id: str,
    command_words: Sequence[str],
    *,
    cwd: str,
    env: Mapping[str, str] | None = None,
    secrets: Mapping[str, str] | None = None,
) -> bool:
    """Start `command_words` (run exactly as given; say `["sh", "-c", script]` for shell
    syntax) as job `job_id` in the remote folder `cwd` (created if missing; relative to
    the remote home), with `env` and `secrets` added to its environment.

    Returns True when this call started it, False when a job with this id already exists
    (nothing new runs; it may be this call's own, when ssh failed after starting it and
    the call tried again). Returns once the command has its environment.
    The command gets /dev/null as its standard input.
    """
    check_job_id(job_id)
    words = list(command_words)
    if not words or isinstance(command_words, str):
        raise InvalidArgumentError("the job's command must be a non-empty list of words")
    payload = _environment_lines(env or {}, secrets or {})
    result = _capture(
        target, start_words(job_id, remote_path(cwd), words), "starting a job", input_bytes=payload
    )
    # The last line: a login shell may print something first.
    answer = (_checked(target, job_id, result, "starting a job").strip().splitlines() or [b""])[-1]
    if answer not in (b"started", b"exists"):
        raise SSHError(f"starting job {job_id!r} on {target.describe()} gave no clear answer")
    return answer == b"started"


_STATES: dict[str, Literal["running", "exited", "unknown"]] = {
    "running": "running",
    "exited": "exited",
    "starting": "unknown",
    "lost": "unknown",
}
_REASONS = {
    "starting": "it is being started, or its start was cut short",
    "lost": "its supervisor ended without recording an exit status",
}


def job_status(target: SshTarget, job_id: str) -> JobStatus:
    """The job's state as the instance records it (see JobStatus)."""
    check_job_id(job_id)
    result = _capture(target, status_words(job_id), "reading a job's status")
    if result.exit_code == NO_SUCH_JOB:
        return JobStatus("unknown", reason=f"there is no job {job_id!r} on the instance")
    lines = _checked(target, job_id, result, "reading a job's status").splitlines()
    fields = lines[-1].split() if lines else []
    try:
        state, code, out, err = (field.decode("ascii") for field in fields)
        # The instance's files are not trusted: an exit status is what a shell can report.
        exit_code = _exit_status(code) if state == "exited" else None
        return JobStatus(
            _STATES[state],
            exit_code=exit_code,
            stdout_bytes=_size(out),
            stderr_bytes=_size(err),
            reason=_REASONS.get(state),
        )
    except (ValueError, KeyError, UnicodeDecodeError):
        raise SSHError(
            f"the status of job {job_id!r} on {target.describe()} could not be read"
        ) from None


def _exit_status(text: str) -> int:
    if not _DIGITS.fullmatch(text) or int(text) > 255:
        raise ValueError(text)
    return int(text)


def _size(text: str) -> int:
    if not _DIGITS.fullmatch(text):
        raise ValueError(text)
    return int(text)


def list_jobs(target: SshTarget) -> list[str]:
    """The ids of every job the instance has a folder for (running or not), sorted.
    Folder names that are not usable job ids are left out: they are not ours."""
    result = _capture(target, list_words(), "listing jobs")
    if result.exit_code != 0:
        raise ssh_error(target, result.stderr, "listing jobs")
    names = result.stdout.decode("utf-8", "replace").splitlines()
    return sorted(name for name in names if _JOB_ID.fullmatch(name))


def stop_job(target: SshTarget, job_id: str, *, grace: float = 10.0) -> None:
    """TERM to the job's whole process group, KILL to what is left after `grace` seconds;
    returns once the group is gone. A job that already ended (or is lost) is left alone;
    a job id the instance does not know raises SSHError."""
    check_job_id(job_id)
    if not 0 <= grace <= 3600:
        raise InvalidArgumentError("grace must be between 0 and 3600 seconds")
    result = _capture(target, stop_words(job_id, round(grace * 10)), "stopping a job")
    _checked(target, job_id, result, "stopping a job")


def step_done(target: SshTarget, marker: str) -> bool:
    """Whether `mark_step_done(target, marker)` was called on this instance before."""
    result = _capture(target, step_done_words(_check_marker(marker)), "reading a setup marker")
    if result.exit_code not in (0, 1):
        raise ssh_error(target, result.stderr, "reading a setup marker")
    return result.exit_code == 0


def mark_step_done(target: SshTarget, marker: str) -> None:
    """Record on the instance (`~/.gpueater/setup/<marker>`) that a step is done."""
    result = _capture(target, mark_step_words(_check_marker(marker)), "recording a setup marker")
    if result.exit_code != 0:
        raise ssh_error(target, result.stderr, "recording a setup marker")


def _check_marker(marker: str) -> str:
    if not isinstance(marker, str) or not _MARKER.fullmatch(marker):
        raise InvalidArgumentError("a step marker is a lower-case hex digest (8 to 128 digits)")
    return marker


def _deadline_passed(target: SshTarget, job_id: str) -> WaitTimeoutError:
    return WaitTimeoutError(
        f"stopped following job {job_id!r} at its deadline; it keeps running on {target.describe()}"
    )


def _why_dropped(session: Session) -> str:
    if session.exit_code < 0:
        return f"the ssh client was ended by signal {-session.exit_code}"
    lines = [line.strip() for line in session.log.decode(errors="replace").splitlines()]
    useful = [line for line in lines if line]
    return useful[-1] if useful else "the connection ended"


def _left_running(target: SshTarget, job_id: str, why: str, attempts: int) -> SSHError:
    folder = job_folder(job_id)
    return SSHError(
        f"lost the connection to {target.describe()} and could not reconnect "
        f"({attempts} attempts; last: {why}); job {job_id!r} keeps running there, its output "
        f"in ~/{folder}/: follow it with `gpueater ssh {target.instance_id} -- tail -f "
        f"{folder}/stdout`, or end it with `gpueater terminate {target.instance_id}`"
    )


def _sleep_until(seconds: float, deadline: float | None) -> None:
    if deadline is not None:
        seconds = min(seconds, max(0.0, deadline - time.monotonic()))
    time.sleep(seconds)


def stream_job(
    target: SshTarget,
    job_id: str,
    stdout: ByteSink,
    stderr: ByteSink,
    *,
    offsets: JobOffsets | None = None,
    on_reconnect: Callable[[int, str], None] | None = None,
    deadline: float | None = None,
) -> int:
    """Write the job's stdout and stderr to `stdout` and `stderr` as they arrive (flushed
    per chunk), from `offsets` (default: the beginning), until the job ended and both are
    drained; returns its exit status (128+N: killed by signal N).

    When the connection drops, reconnects from the offsets delivered so far (no byte lost
    or repeated), calling `on_reconnect(attempt, reason)` first; gives up after
    MAX_RECONNECTS failed attempts in a row with an SSHError naming what is left running
    and how to follow or end it. `deadline` (a `time.monotonic()` value): when it passes,
    WaitTimeoutError (the job keeps running). Any exception ends the local ssh process.
    """
    check_job_id(job_id)
    offsets = offsets if offsets is not None else JobOffsets()
    sinks = (stdout, stderr)
    failures = 0
    drains = 0
    while True:
        session = follow_once(
            target,
            until_client_leaves(stream_words(job_id, offsets.stdout, offsets.stderr)),
            sinks,
            offsets,
            deadline=deadline,
            at_deadline=lambda: _deadline_passed(target, job_id),
        )
        if session.exit_code == 0:
            status = job_status(target, job_id)
            if status.state != "exited" or status.exit_code is None:
                raise SSHError(f"following job {job_id!r} on {target.describe()} ended early")
            drained = (
                status.stdout_bytes <= offsets.stdout and status.stderr_bytes <= offsets.stderr
            )
            # Bytes written after tail's last read: follow once more. Only a few times,
            # though: a background process the command left behind may write forever.
            if drained or drains == _MAX_DRAINS:
                return status.exit_code
            drains += 1
            continue
        if session.exit_code in JOB_EXIT_REASONS:
            raise _job_error(target, job_id, session.exit_code)
        if session.exit_code != SSH_FAILED and session.exit_code >= 0:
            raise ssh_error(target, session.log, f"following job {job_id!r}")
        changed = host_key_changed_error(target, session.log)
        if changed is not None:
            raise changed
        why = _why_dropped(session)
        if any(marker in session.log for marker in _PERMANENT):
            raise ssh_error(target, session.log, f"following job {job_id!r}")
        failures = 1 if session.connected else failures + 1
        if failures > MAX_RECONNECTS:
            raise _left_running(target, job_id, why, MAX_RECONNECTS)
        if deadline is not None and time.monotonic() >= deadline:
            raise _deadline_passed(target, job_id)
        if on_reconnect is not None:
            on_reconnect(failures, why)
        if failures > 1:
            _sleep_until(min(_BACKOFF_FIRST * 2 ** (failures - 2), _BACKOFF_MAX), deadline)
