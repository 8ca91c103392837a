"""What the job tests share: an instance of the `--sshd` emulator (a real sshd with its own
disk, /tmp and process list) as an SshTarget, and small helpers to look at it.

`JobBox.disk` is the instance's home seen from this machine; remote relative paths point
there. `JobBox.remote(words)` runs a command on the instance (its own process list when
the emulator isolates instances).
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

from gpueater_ext import GPUEater, save_ssh_key
from gpueater_ext._ssh.job_remote import stream_job
from gpueater_ext._ssh.run import CommandResult, capture_command
from gpueater_ext._ssh.target import SshTarget
from tests.support.emulator_process import EmulatorProcess

T = TypeVar("T")


@dataclass(frozen=True)
class JobBox:
    target: SshTarget
    disk: Path

    def remote(self, words: list[str], *, input_bytes: bytes | None = None) -> CommandResult:
        return capture_command(self.target, words, input_bytes=input_bytes)

    def process_args(self) -> str:
        """Every process's arguments on the instance, as `ps -eo args` shows them."""
        result = self.remote(["ps", "-eo", "args"])
        assert result.exit_code == 0, result.stderr
        return result.stdout.decode(errors="replace")


def launch_box(emulator: EmulatorProcess, tag: str, root: Path) -> Iterator[JobBox]:
    """A RUNNING instance whose sshd answers, launched as a user would; terminated after.

    HOME and the config folder (~/.ssh, the project's known_hosts) are folders of its own
    under `root` while it lives, so other SSH tests never see its keys or host keys."""
    with pytest.MonkeyPatch.context() as patch:
        (root / "home").mkdir()
        (root / "config").mkdir()
        patch.setenv("HOME", str(root / "home"))
        patch.setenv("XDG_CONFIG_HOME", str(root / "config"))
        yield from _launch(emulator, tag)


def _launch(emulator: EmulatorProcess, tag: str) -> Iterator[JobBox]:
    with GPUEater(url=emulator.url, email=emulator.email, password=emulator.password) as eater:
        catalog = eater.ondemand_list()
        key_name = f"{tag}-{uuid.uuid4().hex[:8]}"
        pair = eater.generate_ssh_key()
        key_file = save_ssh_key(key_name, pair.private_key)
        key = eater.register_ssh_key(name=key_name, public_key=pair.public_key)
        launched = eater.launch_ondemand_instance(
            product_id=catalog.get_product("a1.rx580").id,
            image=catalog.get_image("Ubuntu16.04 x64").alias,
            ssh_key_id=key.id,
            tag=tag,
        )
        instance = eater.wait_for_ssh(launched, timeout=60, poll=0.1)
        yield JobBox(
            SshTarget.for_instance(instance, key_file=key_file), emulator.disk(instance.instance_id)
        )
        eater.terminate_instance(instance)


def new_job_id() -> str:
    return f"job-{uuid.uuid4().hex[:12]}"


def until(condition: Callable[[], T], what: str, bound: float = 30.0) -> T:
    """Poll until `condition()` is true; the bound only stops a broken run from hanging."""
    deadline = time.monotonic() + bound
    while not (value := condition()):
        assert time.monotonic() < deadline, what
        time.sleep(0.05)
    return value


class PipeReader:
    """The reading end of a real pipe that a stream writes into, read incrementally."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.data = b""

    def read_until(self, wanted: bytes) -> bytes:
        """Read from the pipe until `wanted` has arrived (the writer ending fails the test)."""
        while wanted not in self.data:
            chunk = os.read(self.fd, 65536)
            assert chunk, f"the stream ended before {wanted!r} arrived; got {self.data!r}"
            self.data += chunk
        return self.data

    def read_to_end(self) -> bytes:
        while chunk := os.read(self.fd, 65536):
            self.data += chunk
        return self.data


class CountingSink:
    """A pipe's writing end that calls `on_write(total bytes so far)` after each write."""

    def __init__(self, fd: int, on_write: Callable[[int], None] | None = None) -> None:
        self._file = os.fdopen(fd, "wb")
        self._on_write = on_write
        self.total = 0

    def write(self, data: bytes) -> int:
        written = self._file.write(data)
        self.total += written
        if self._on_write is not None:
            self._on_write(self.total)
        return written

    def flush(self) -> None:
        self._file.flush()

    def close(self) -> None:
        self._file.close()


class StreamThread:
    """`stream_job` running in a thread, its stdout and stderr into real pipes."""

    def __init__(
        self,
        box: JobBox,
        job_id: str,
        *,
        on_stdout: Callable[[int], None] | None = None,
        **options: Any,
    ) -> None:
        out_read, out_write = os.pipe()
        err_read, err_write = os.pipe()
        self.stdout = PipeReader(out_read)
        self.stderr = PipeReader(err_read)
        self.result: int | None = None
        self.error: BaseException | None = None
        self._sinks = (CountingSink(out_write, on_stdout), CountingSink(err_write))

        def follow() -> None:
            try:
                self.result = stream_job(box.target, job_id, *self._sinks, **options)
            except BaseException as error:  # reported by join()
                self.error = error
            finally:
                for sink in self._sinks:
                    sink.close()

        self._thread = threading.Thread(target=follow, daemon=True)
        self._thread.start()

    def join(self) -> int:
        """Drain both pipes, wait for the stream; its exit status (or its exception)."""
        self.stderr_thread = threading.Thread(target=self.stderr.read_to_end, daemon=True)
        self.stderr_thread.start()
        self.stdout.read_to_end()
        self.stderr_thread.join(30)
        self._thread.join(30)
        assert not self._thread.is_alive(), "stream_job did not return"
        for fd in (self.stdout.fd, self.stderr.fd):
            os.close(fd)
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return self.result


def local_ssh_processes(marker: str) -> list[int]:
    """Pids of this process's ssh children whose arguments hold `marker`."""
    found = []
    me = str(os.getpid())
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = stat.rsplit(")", 1)[1].split()[1]
        if parent == me and cmdline.startswith(b"ssh\0") and marker.encode() in cmdline:
            found.append(int(entry.name))
    return found
