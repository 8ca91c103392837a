"""The work of a run on its instance: sync the workdir, setup once, the job, the outputs.

Each function is blocking (run through a `Blocking` effect) and talks to the instance
through the SSH layer; the job runs under the supervisor of `_ssh.job_remote`, so it outlives a
dropped connection and its output is streamed from where it was.

Choices made here (the issue left them open):
- The remote workdir is `~/gpueater/<tag>` (the instance's tag: the task's name, or the
  generated one), so runs of two tasks on one instance never share a folder, and a named
  instance keeps its folder (checkpoints included) from run to run.
- The sync sends only what changed (rsync), honours the workdir's `.gitignore` files and
  the task's `exclude`, and deletes nothing on the instance: what the job wrote there
  (outputs, checkpoints) stays. Without a workdir the remote folder is only created.
- `setup` runs in the remote workdir with the task's env and secrets; it is done once per
  instance: a marker named after the sha256 of its text and env (never a secret's value)
  is kept on the instance after it succeeds (`~/.gpueater/setup/<digest>`), so a changed
  text or env runs it again, and a failed setup runs again next time.
- `outputs` come back under the local outputs folder with their relative paths kept
  (`results/a.txt` -> `<outputs folder>/results/a.txt`), folders recursively; downloads keep
  only what stays inside that folder (`_ssh.transfer`'s rules).
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import secrets
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from gpueater_ext._errors import InvalidArgumentError, SSHError

if TYPE_CHECKING:
    from gpueater_ext._ssh import SshTarget

__all__ = [
    "BinaryWriter",
    "SecretValues",
    "checked_outputs",
    "default_writer",
    "fetch_outputs",
    "follow_job",
    "new_job_id",
    "other_running_jobs",
    "remote_workdir",
    "setup_marker",
    "setup_needed",
    "start_job",
    "stop_job",
    "sync_workdir",
]


class BinaryWriter(Protocol):
    """Where a job's bytes go: anything with `write(bytes)` (`sys.stdout.buffer`, a file)."""

    def write(self, data: bytes, /) -> Any: ...


class SecretValues(Mapping[str, str]):
    """The secrets' values for the job: a read-only mapping whose repr names the variables
    only, so no traceback with locals, log of an effect or debugger shows a value."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = dict(values)

    def __getitem__(self, name: str) -> str:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"SecretValues({', '.join(self._values)}; values hidden)"


class _TextWriter:
    """A job's bytes into a text stream that has no binary buffer (a notebook's
    sys.stdout), decoded as UTF-8 across chunk boundaries; undecodable bytes become U+FFFD."""

    def __init__(self, stream: Any) -> None:
        import codecs

        self._stream = stream
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def write(self, data: bytes, /) -> int:
        self._stream.write(self._decoder.decode(bytes(data)))
        return len(data)

    def flush(self) -> None:
        flush = getattr(self._stream, "flush", None)
        if flush is not None:
            flush()


def default_writer(stream: Any) -> BinaryWriter:
    """Where a job's bytes go by default: `stream`'s binary buffer (sys.stdout.buffer), or
    the stream itself, decoded, when it has none."""
    buffer = getattr(stream, "buffer", None)
    return buffer if buffer is not None else _TextWriter(stream)


def remote_workdir(tag: str) -> str:
    """The run's folder on the instance, relative to the remote user's home."""
    return f"gpueater/{tag}"


def new_job_id() -> str:
    """`run-<UTC time>-<8 hex>`: sortable, unique, and plain enough for any remote name."""
    return f"run-{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{secrets.token_hex(4)}"


def checked_outputs(outputs: tuple[str, ...]) -> tuple[str, ...]:
    """The outputs as clean relative paths; one leaving the workdir is refused up front."""
    cleaned = []
    for path in outputs:
        normal = posixpath.normpath(path)
        if posixpath.isabs(normal) or normal == "." or normal.split("/")[0] == "..":
            raise InvalidArgumentError(
                f"outputs: {path!r} is not a path inside the workdir (give it relative to it, "
                "without '..')"
            )
        cleaned.append(normal)
    return tuple(cleaned)


def setup_marker(setup: str, env: Mapping[str, str]) -> str:
    """The name of the marker that says this setup (text and env) was done on the instance."""
    material = json.dumps(["setup", setup, sorted(env.items())], ensure_ascii=False).encode()
    return hashlib.sha256(material).hexdigest()


def sync_workdir(
    target: SshTarget, workdir: Path | None, remote: str, exclude: tuple[str, ...]
) -> int:
    """Send the workdir's changes to `remote`; returns how many files travelled."""
    from gpueater_ext import _ssh

    if workdir is None:
        _ssh.make_directory(target, remote)
        return 0
    if not workdir.is_dir():
        raise SSHError(f"workdir {workdir} is not a folder: name the folder to send")
    result = _ssh.synchronize_files(
        target, "put", workdir, remote, exclude=list(exclude), gitignore=True
    )
    return len(result.transferred)


def setup_needed(target: SshTarget, marker: str) -> bool:
    from gpueater_ext import _ssh

    return not _ssh.os_errors_as_ssh(_ssh.step_done)(target, marker)


def start_job(
    target: SshTarget,
    job_id: str,
    words: list[str],
    *,
    cwd: str,
    env: Mapping[str, str],
    secret_values: Mapping[str, str],
) -> None:
    """Start the job under the instance's supervisor; returns once it runs."""
    from gpueater_ext import _ssh

    _ssh.os_errors_as_ssh(_ssh.start_job)(
        target, job_id, words, cwd=cwd, env=env, secrets=secret_values
    )


def follow_job(
    target: SshTarget,
    job_id: str,
    *,
    stdout: BinaryWriter,
    stderr: BinaryWriter,
    on_reconnect: Callable[[int, str], None] | None,
    marker: str | None = None,
) -> int:
    """Stream the job to its end (reconnecting when the connection drops); its exit code.
    With a `marker`, a job that exits 0 marks that step done on the instance."""
    from gpueater_ext import _ssh

    exit_code: int = _ssh.os_errors_as_ssh(_ssh.stream_job)(
        target,
        job_id,
        stdout,  # a BinaryIO for stream_job: it calls write() and, if there, flush()
        stderr,
        on_reconnect=on_reconnect,
    )
    if marker is not None and exit_code == 0:
        _ssh.os_errors_as_ssh(_ssh.mark_step_done)(target, marker)
    return exit_code


# The supervisor's job folders (`_ssh.job_supervisor`) without an `exit` file: jobs that may
# still run. A fixed script: nothing from the caller is in it.
_UNFINISHED_JOBS = """cd "$HOME/.gpueater/jobs" 2>/dev/null || exit 0
for d in */; do [ -d "$d" ] && [ ! -e "$d/exit" ] && printf '%s\\n' "${d%/}"; done
exit 0
"""


def other_running_jobs(target: SshTarget, own: set[str]) -> list[str]:
    """The ids of jobs running on the instance other than `own` (another run's)."""
    from gpueater_ext import _ssh
    from gpueater_ext._ssh import capture_command, os_errors_as_ssh, ssh_error

    listed = os_errors_as_ssh(capture_command)(target, ["sh", "-c", _UNFINISHED_JOBS])
    if listed.exit_code != 0:
        raise ssh_error(target, listed.stderr, "looking for other runs' jobs")
    running = []
    for line in listed.stdout.decode("ascii", "replace").splitlines():
        if line in own:
            continue
        try:
            job_id = _ssh.check_job_id(line)  # a name from the instance: checked
        except InvalidArgumentError:
            continue
        if _ssh.os_errors_as_ssh(_ssh.job_status)(target, job_id).state == "running":
            running.append(job_id)
    return running


def stop_job(target: SshTarget, job_id: str) -> None:
    from gpueater_ext import _ssh

    _ssh.os_errors_as_ssh(_ssh.stop_job)(target, job_id)


def fetch_outputs(
    target: SshTarget, remote: str, outputs: tuple[str, ...], folder: Path
) -> list[str]:
    """Copy each output back under `folder`; returns the problems, one line per output
    that did not come back (the others are still fetched)."""
    from gpueater_ext import _ssh

    problems = []
    for path in outputs:
        local_parent = folder / posixpath.dirname(path)
        try:
            local_parent.mkdir(parents=True, exist_ok=True)
            _ssh.copy_file(target, "get", f"{remote}/{path}", local_parent, recursive=True)
        except SSHError as failed:
            problems.append(f"{path}: {failed}")
        except OSError as failed:
            problems.append(f"{path}: {failed.strerror or failed} ({failed.filename or folder})")
    return problems
