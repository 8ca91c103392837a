"""`gpueater emulator` and `python -m gpueater_emulator` as a user runs them: without the
`[emulator]` extra, with `--help`, and ready in one step (the `emulator` profile).

Without the extra: a `sitecustomize` on PYTHONPATH puts None in sys.modules for the extra's
import names before anything runs, which is what Python itself reports for a module that
is not installed (`import` raises ModuleNotFoundError, `importlib.util.find_spec` answers
None). It runs the real entry points (the `gpueater` script, `python -m`) in a fresh
process in a fraction of a second; a second virtualenv with only the runtime dependencies
would test the same two lookups but cost seconds of pip per run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gpueater_emulator.entry import EXTRA_MODULES
from tests.support.cli import GPUEATER

_HIDE_EXTRA = f"""\
import sys
for _name in {EXTRA_MODULES!r}:
    sys.modules[_name] = None
"""


def _environment(home: Path, **extra: str) -> dict[str, str]:
    environment = {"PATH": os.environ["PATH"], "HOME": str(home), "NO_COLOR": "1", **extra}
    for name in ("LANG", "LC_ALL"):
        if name in os.environ:
            environment[name] = os.environ[name]
    return environment


@pytest.fixture
def without_extra(tmp_path: Path) -> dict[str, str]:
    hide = tmp_path / "hide-extra"
    hide.mkdir()
    (hide / "sitecustomize.py").write_text(_HIDE_EXTRA)
    return _environment(tmp_path, PYTHONPATH=str(hide))


@pytest.mark.parametrize(
    "command",
    [[GPUEATER, "emulator"], [sys.executable, "-m", "gpueater_emulator"]],
    ids=["gpueater emulator", "python -m gpueater_emulator"],
)
def test_without_the_extra_both_entry_points_say_how_to_install_it(command, without_extra):
    result = subprocess.run(
        [*command, "--port", "0"],
        env=without_extra,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "pip install 'gpueater[emulator]'" in lines[0]
    assert "starlette" in lines[0]


def test_help_names_the_command_and_no_repository_path(tmp_path: Path):
    result = subprocess.run(
        [GPUEATER, "emulator", "--help"],
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.startswith("usage: gpueater emulator ")
    assert "python -m" not in result.stdout
    assert "openapi/" not in result.stdout
    assert ".yaml" not in result.stdout
    for option in ("--configure", "--persist", "--sshd", "--boot-seconds"):
        assert option in result.stdout


class RunningCommand:
    """`gpueater emulator ...` in the background; its stderr lines as they come."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [GPUEATER, *args],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def stderr_until(self, marker: str) -> list[str]:
        assert self.process.stderr is not None
        lines = []
        for line in self.process.stderr:
            lines.append(line)
            if marker in line:
                return lines
        raise AssertionError(f"the command ended before printing {marker!r}: {lines}")

    def stop(self) -> tuple[str, str]:
        self.process.terminate()
        stdout, stderr = self.process.communicate(timeout=30)
        return stdout, stderr


@pytest.fixture
def running() -> Iterator[list[RunningCommand]]:
    started: list[RunningCommand] = []
    yield started
    for command in started:
        if command.process.poll() is None:
            command.process.kill()
        command.process.communicate(timeout=30)


def _start(running, env: dict[str, str], *args: str) -> RunningCommand:
    command = RunningCommand(["emulator", "--port", "0", "--boot-seconds", "0", *args], env)
    running.append(command)
    return command


def test_configure_saves_a_profile_the_next_command_uses(tmp_path: Path, running):
    env = _environment(tmp_path)
    emulator = _start(running, env, "--configure")
    printed = "".join(emulator.stderr_until("saved profile"))
    eater = tmp_path / ".eater"
    assert eater.stat().st_mode & 0o777 == 0o600
    profile = json.loads(eater.read_text())["emulator"]
    assert profile["url"].startswith("http://127.0.0.1:")
    assert profile["password"] not in printed  # saved, not shown

    listed = subprocess.run(
        [GPUEATER, "--profile", "emulator", "instances", "-o", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == []
    _, rest = emulator.stop()
    assert profile["password"] not in rest


def test_without_configure_the_profile_is_printed_and_nothing_saved(tmp_path: Path, running):
    emulator = _start(running, _environment(tmp_path))
    emulator.stderr_until("save it with --configure")
    stdout, stderr = emulator.stop()
    profile = json.loads(stdout)["emulator"]
    assert set(profile) == {"url", "email", "password"}
    assert profile["password"] not in stderr  # only in the entry the user asked for
    assert not (tmp_path / ".eater").exists()


def test_persist_keeps_the_saved_profile_valid_across_restarts(tmp_path: Path, running):
    env = _environment(tmp_path)  # HOME is tmp_path: the data directory is inside it
    first = _start(running, env, "--persist", "--configure")
    first.stderr_until("saved profile")
    eater = tmp_path / ".eater"
    before = json.loads(eater.read_text())["emulator"]
    key = subprocess.run(
        [GPUEATER, "--profile", "emulator", "ssh-key", "generate", "kept", "--register"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert key.returncode == 0, key.stderr
    first.stop()

    second = _start(running, env, "--persist", "--configure")
    second.stderr_until("saved profile")
    after = json.loads(eater.read_text())["emulator"]
    assert (after["email"], after["password"]) == (before["email"], before["password"])
    keys = subprocess.run(
        [GPUEATER, "--profile", "emulator", "ssh-keys", "-o", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert keys.returncode == 0, keys.stderr
    assert [key["name"] for key in json.loads(keys.stdout)] == ["kept"]
    assert list((tmp_path / ".local" / "share" / "gpueater-emulator").iterdir())
