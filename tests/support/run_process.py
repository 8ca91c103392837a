"""`gpueater run` as a real process against the `--sshd` emulator, for the CLI tests of runs,
detached jobs, leases and gc: a project folder with a job script, the process started in a
session of its own (so a test can send it Ctrl-C), its streams read line by line.
"""

from __future__ import annotations

import queue
import subprocess
import threading
from pathlib import Path
from typing import IO

import pytest

from tests.support.cli import GPUEATER, Cli
from tests.support.emulator_process import EmulatorProcess

BOUND = 90.0  # seconds; only stops a broken run from hanging the suite

TRAIN = """\
#!/bin/sh
echo "epoch 1 of $EPOCHS"
echo "to stderr" >&2
echo "epoch 2 of $EPOCHS"
mkdir -p results
echo "loss=0.25" > results/metrics.txt
exit "${EXIT_WITH:-0}"
"""


@pytest.fixture
def cli(tmp_path: Path, gpueater_emulator_sshd: EmulatorProcess) -> Cli:
    home = tmp_path / "home"
    home.mkdir()
    project = home / "project" / "src"
    project.mkdir(parents=True)
    (project / "train.sh").write_text(TRAIN, encoding="utf-8")
    (project / "data.bin").write_bytes(b"not for the instance")
    return Cli(home, gpueater_emulator_sshd)


def task_file(cli: Cli, text: str) -> str:
    path = cli.home / "project" / "task.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def live_ids(emulator: EmulatorProcess) -> list[str]:
    return [str(instance["instance_id"]) for instance in emulator.state()["instances"]]


def instance_tagged(emulator: EmulatorProcess, tag: str) -> str:
    found = [i for i in emulator.state()["instances"] if i.get("tag") == tag]
    assert len(found) == 1, found
    return str(found[0]["instance_id"])


class Lines:
    """A stream of a running process, read line by line as it arrives."""

    def __init__(self, stream: IO[str]) -> None:
        self._lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self._lines.put(line)
        self._lines.put("")

    def until(self, wanted: str) -> list[str]:
        """Lines up to and including the first that holds `wanted` (fails at the end)."""
        while True:
            line = self._lines.get(timeout=BOUND)
            assert line, f"the stream ended before {wanted!r}: {self.seen}"
            self.seen.append(line)
            if wanted in line:
                return self.seen

    def rest(self) -> str:
        while line := self._lines.get(timeout=BOUND):
            self.seen.append(line)
        return "".join(self.seen)


def start(cli: Cli, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [GPUEATER, *args], env={**cli.env, **(env or {})}, cwd=cli.home / "project",
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip


def run(cli: Cli, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    process = start(cli, *args, env=env)
    stdout, stderr = process.communicate(timeout=BOUND)
    assert "Traceback" not in stderr, stderr
    return process.returncode, stdout, stderr


def _running(command_line: str) -> int:
    found = subprocess.run(
        ["pgrep", "-f", "-x", command_line], capture_output=True, text=True, check=False
    )
    return len(found.stdout.split())
