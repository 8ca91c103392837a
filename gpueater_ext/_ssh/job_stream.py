"""One ssh session that follows a job's output: bytes from the instance to the caller's
sinks as they arrive, counted, so a later session can start exactly where this one ended.

`_ssh.job_remote.stream_job` runs these sessions one after another (reconnecting); this module
knows nothing of jobs beyond the remote words it is given.

- ssh's own messages go to a private log file (`ssh -E`), never into the job's stderr,
  so they are neither shown as the job's output nor counted in its offsets.
- The remote script prints `STREAM_PREAMBLE` on both streams before the job's bytes;
  whatever comes first (a login shell's greeting) is dropped and never counted, and
  seeing it on stdout is how a session proves it connected.
- Bytes are passed on as they are, never decoded (the caller decides how to show them).
"""

from __future__ import annotations

import os
import selectors
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from gpueater_ext._errors import GPUEaterError, SSHError
from gpueater_ext._ssh.job_supervisor import STREAM_PREAMBLE
from gpueater_ext._ssh.run import prepared_argv
from gpueater_ext._ssh.target import SshTarget

__all__ = ["ByteSink", "JobOffsets", "Session", "follow_once", "write_all"]

_CHUNK = 65536


class ByteSink(Protocol):
    """Where a job's output goes: anything with `write(bytes)` (a binary file, a pipe,
    `sys.stdout.buffer`, io.BytesIO); `flush()` is called after each write when it exists."""

    def write(self, data: bytes, /) -> object: ...


@dataclass
class JobOffsets:
    """How many bytes of the job's stdout and stderr were delivered so far.

    `stream_job` updates the object it is given as bytes are written, so after an
    interruption the caller can resume exactly where it stopped.
    """

    stdout: int = 0
    stderr: int = 0


@dataclass(frozen=True)
class Session:
    """How one session ended: ssh's exit status (255: ssh failed; negative: the ssh process
    was ended by that signal), ssh's own messages, and whether it reached the script."""

    exit_code: int
    log: bytes
    connected: bool


def write_all(sink: ByteSink, data: bytes) -> None:
    """Write every byte and flush (live output). Bytes, never a memoryview, reach `sink`;
    a raw file that takes fewer bytes at a time gets the rest in further writes."""
    while data:
        written = sink.write(data)
        if not isinstance(written, int) or not 0 < written < len(data):
            break
        data = data[written:]
    flush = getattr(sink, "flush", None)
    if flush is not None:
        flush()


@dataclass
class _Channel:
    """One of ssh's output streams: noise until the preamble, then the job's bytes."""

    sink: ByteSink
    started: bool = False
    pending: bytes = field(default=b"")

    def accept(self, chunk: bytes) -> bytes:
        """The job's bytes in `chunk` (none before the preamble has been seen)."""
        if self.started:
            return chunk
        self.pending += chunk
        at = self.pending.find(STREAM_PREAMBLE)
        if at < 0:
            # Keep only what could be the start of a preamble split across reads.
            self.pending = self.pending[-(len(STREAM_PREAMBLE) - 1) :]
            return b""
        self.started = True
        rest, self.pending = self.pending[at + len(STREAM_PREAMBLE) :], b""
        return rest


def follow_once(
    target: SshTarget,
    remote_words: list[str],
    sinks: tuple[ByteSink, ByteSink],
    offsets: JobOffsets,
    *,
    deadline: float | None,
    at_deadline: Callable[[], GPUEaterError],
) -> Session:
    """Run `remote_words` (which print the preamble, then the job's stdout and stderr) in
    one ssh session, writing the job's bytes to `sinks` and counting them in `offsets`.

    When `deadline` (a time.monotonic() value) passes, raises `at_deadline()`. Whatever
    ends this call, the local ssh process has ended when it returns or raises.
    """
    handle, log_name = tempfile.mkstemp(prefix="gpueater-ssh-", suffix=".log")
    os.close(handle)
    log_file = Path(log_name)
    channels = (_Channel(sinks[0]), _Channel(sinks[1]))
    try:
        argv = prepared_argv(target, remote_words, extra_options=["-E", str(log_file)])
        try:
            process = subprocess.Popen(  # noqa: S603 (argument list)
                argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
        except FileNotFoundError:
            raise SSHError(
                f"{target.ssh_program!r} not found: install OpenSSH's client "
                "(`apt-get install openssh-client`)"
            ) from None
        try:
            _pump(process, channels, offsets, deadline, at_deadline)
            exit_code = process.wait()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            for stream in (process.stdout, process.stderr):
                if stream is not None:
                    stream.close()
        log = log_file.read_bytes()
    finally:
        log_file.unlink(missing_ok=True)
    return Session(exit_code, log, connected=channels[0].started)


def _pump(
    process: subprocess.Popen[bytes],
    channels: tuple[_Channel, _Channel],
    offsets: JobOffsets,
    deadline: float | None,
    at_deadline: Callable[[], GPUEaterError],
) -> None:
    """Copy ssh's stdout and stderr to the sinks as bytes arrive, until both end."""
    assert process.stdout is not None
    assert process.stderr is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ, 0)
        selector.register(process.stderr, selectors.EVENT_READ, 1)
        while selector.get_map():
            timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready = selector.select(timeout)
            if not ready and deadline is not None and time.monotonic() >= deadline:
                raise at_deadline()
            for key, _ in ready:
                chunk = os.read(key.fd, _CHUNK)
                if not chunk:
                    selector.unregister(key.fileobj)
                    continue
                data = channels[key.data].accept(chunk)
                if not data:
                    continue
                write_all(channels[key.data].sink, data)
                if key.data == 0:
                    offsets.stdout += len(data)
                else:
                    offsets.stderr += len(data)
