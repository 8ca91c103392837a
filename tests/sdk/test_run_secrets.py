"""A secret of a run reaches its job's environment and nothing else: not a repr, an event,
an error, a file (local or on the instance) or a process's command line."""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

import pytest

from gpueater_emulator.pytest_plugin import EmulatorProcess
from gpueater_ext import InvalidArgumentError, Resources, Task
from tests.sdk.run_fixtures import Events, Recorder, live_instances, make_client, run_home

__all__ = ["run_home"]  # the fixture, used by name

# The job proves it has the secret by its digest, and records every command line on the
# machine while it runs (the instance's processes are this machine's, under the emulator).
JOB = """\
printf %s "$RUN_TOKEN" | sha256sum | cut -d' ' -f1
for cmdline in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < "$cmdline"; echo; done > commands.txt
exit 4
"""


def files_holding(root: Path, needle: bytes) -> list[Path]:
    found = []
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            try:
                if needle in path.read_bytes():
                    found.append(path)
            except OSError:
                continue
    return found


def test_a_secret_reaches_the_job_and_nowhere_else(
    gpueater_emulator_sshd: EmulatorProcess,
    run_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret = "tok-" + secrets.token_hex(16)
    monkeypatch.setenv("RUN_TOKEN", secret)
    task = Task(
        run=JOB,
        secrets=("RUN_TOKEN",),
        env={"VISIBLE": "yes"},
        outputs=("commands.txt", "missing.txt"),
        outputs_dir=tmp_path / "results",
        teardown="keep",
        resources=Resources(products=("a1.rx580",)),
    )
    stdout, stderr, events = Recorder(), Recorder(), Events()
    with make_client(gpueater_emulator_sshd) as eater:
        result = eater.run(task, stdout=stdout, stderr=stderr, on_event=events)
        assert result.instance is not None
        disk = gpueater_emulator_sshd.disk(result.instance.instance_id)
        on_instance = files_holding(disk, secret.encode())
        eater.terminate_instance(result.instance)

    assert stdout.text.strip() == hashlib.sha256(secret.encode()).hexdigest()
    assert result.exit_code == 4
    commands = (tmp_path / "results" / "commands.txt").read_text()
    assert "sha256sum" in commands, "the listing was taken while the job ran"
    assert secret not in commands
    assert result.outputs_error is not None  # missing.txt: an error text to check too
    texts = [repr(result), str(result.outputs_error), repr(task), *events.lines, stderr.text]
    assert [text for text in texts if secret in text] == []
    assert on_instance == []
    assert files_holding(tmp_path, secret.encode()) == []
    assert live_instances(gpueater_emulator_sshd) == []


def test_a_secret_missing_from_the_environment_launches_nothing(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RUN_TOKEN", raising=False)
    task = Task(run="true", secrets=("RUN_TOKEN",))
    with (
        make_client(gpueater_emulator_sshd) as eater,
        pytest.raises(InvalidArgumentError) as raised,
    ):
        eater.run(task, stdout=Recorder(), stderr=Recorder())
    assert "RUN_TOKEN" in str(raised.value)
    assert gpueater_emulator_sshd.state()["requests"].get("ondemand_list", 0) == 0
    assert gpueater_emulator_sshd.state()["instances"] == []
