"""User-level timers that run `gpueater gc` while no `gpueater` process is alive.

Two backends, the first that exists wins (`find_scheduler`):
- **systemd user units**: `gpueater-gc.service` (runs gc once) and `gpueater-gc.timer`
  (every 15 minutes, `Persistent=true` so a run missed while the machine slept happens at
  wake-up) in `$XDG_CONFIG_HOME/systemd/user` (default `~/.config/systemd/user`), then
  `systemctl --user daemon-reload` and `enable --now`. Chosen when `systemctl --user` answers
  (a user manager is running).
- **crontab**: a block between two marker lines in `crontab -l`, replaced as a whole on
  every install (so installing twice leaves one block) and removed on uninstall; the user's
  other lines are kept as they are.
Neither: SchedulerError "no scheduler found" (one line, naming both).

Each backend runs its tools through an injected `Runner` (argv in, (status, stdout) out;
never a shell string), and `find_scheduler` takes the backends to try: tests pass fakes and
never touch the machine's crontab or systemd. `GPUEATER_TEST_SCHEDULER_LOG=<file>` (test-only)
makes `find_scheduler` return a RecordingScheduler that appends each call to that file.

The timer's command is this Python running the CLI (`python -m gpueater_ext.cli gc`), so it
keeps working in a virtualenv that is not on the timer's PATH; it uses the user's default
profile and `~/.eater`, as a `gpueater gc` typed by hand does.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from gpueater_ext._errors import GPUEaterError

__all__ = [
    "TEST_LOG",
    "Crontab",
    "RecordingScheduler",
    "Runner",
    "Scheduler",
    "SchedulerError",
    "SystemdUser",
    "find_scheduler",
    "gc_command",
    "run_tool",
    "without_block",
]

TEST_LOG = "GPUEATER_TEST_SCHEDULER_LOG"
_BEGIN = "# >>> gpueater gc (managed by `gpueater gc --install`; remove with --uninstall) >>>"
_END = "# <<< gpueater gc <<<"
_UNIT = "gpueater-gc"
_EVERY_MINUTES = 15

Runner = Callable[[Sequence[str], str | None], tuple[int, str]]


class SchedulerError(GPUEaterError):
    """No scheduler was found, or installing or removing the timer failed."""


class Scheduler(Protocol):
    """A user-level timer backend."""

    name: str

    def available(self) -> bool: ...

    def install(self, command: Sequence[str]) -> str:
        """Install (or replace) the timer running `command`; says what was done."""
        ...

    def uninstall(self) -> str:
        """Remove the timer if it is there; says what was done."""
        ...


def gc_command() -> list[str]:
    return [sys.executable, "-m", "gpueater_ext.cli", "gc"]


def run_tool(argv: Sequence[str], stdin: str | None) -> tuple[int, str]:
    """The real Runner: the tool's status and stdout; 127 when it is not installed."""
    try:
        done = subprocess.run(  # noqa: S603 (argument list)
            list(argv), input=stdin, capture_output=True, text=True, timeout=60, check=False
        )
    except (FileNotFoundError, PermissionError):
        return 127, ""
    except subprocess.TimeoutExpired:
        return 124, ""
    return done.returncode, done.stdout


class SystemdUser:
    name = "systemd"

    def __init__(self, runner: Runner = run_tool, folder: Path | None = None) -> None:
        self._run = runner
        config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
        self.folder = folder or Path(config) / "systemd" / "user"

    def available(self) -> bool:
        status, _ = self._run(["systemctl", "--user", "show-environment"], None)
        return status == 0

    def install(self, command: Sequence[str]) -> str:
        from gpueater_ext._local_files import write_file

        service = (
            "[Unit]\nDescription=gpueater gc: end instances whose lease has expired\n\n"
            f"[Service]\nType=oneshot\nExecStart={_systemd_words(command)}\n"
        )
        timer = (
            "[Unit]\nDescription=Run gpueater gc every 15 minutes\n\n"
            f"[Timer]\nOnBootSec=2min\nOnUnitActiveSec={_EVERY_MINUTES}min\nPersistent=true\n\n"
            "[Install]\nWantedBy=timers.target\n"
        )
        self.folder.mkdir(parents=True, exist_ok=True)
        write_file(self.folder / f"{_UNIT}.service", service.encode(), mode=0o644)
        write_file(self.folder / f"{_UNIT}.timer", timer.encode(), mode=0o644)
        self._must(["systemctl", "--user", "daemon-reload"])
        self._must(["systemctl", "--user", "enable", "--now", f"{_UNIT}.timer"])
        return f"installed the systemd user timer {_UNIT}.timer (every {_EVERY_MINUTES} min)"

    def uninstall(self) -> str:
        units = [self.folder / f"{_UNIT}.{kind}" for kind in ("timer", "service")]
        if not any(unit.exists() for unit in units):
            return "no gpueater gc timer was installed in systemd"
        self._run(["systemctl", "--user", "disable", "--now", f"{_UNIT}.timer"], None)
        for unit in units:
            unit.unlink(missing_ok=True)
        self._must(["systemctl", "--user", "daemon-reload"])
        return f"removed the systemd user timer {_UNIT}.timer"

    def _must(self, argv: list[str]) -> None:
        status, _ = self._run(argv, None)
        if status != 0:
            raise SchedulerError(f"`{shlex.join(argv)}` failed with status {status}")


def _systemd_words(command: Sequence[str]) -> str:
    """ExecStart words: double-quoted, with systemd's own escapes for \\, " and %."""
    quoted = []
    for word in command:
        escaped = word.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")
        quoted.append(f'"{escaped}"')
    return " ".join(quoted)


class Crontab:
    name = "crontab"

    def __init__(self, runner: Runner = run_tool) -> None:
        self._run = runner

    def available(self) -> bool:
        status, _ = self._run(["crontab", "-l"], None)
        return status != 127  # 1 with "no crontab for user" still means cron is there

    def _current(self) -> str:
        status, text = self._run(["crontab", "-l"], None)
        return text if status == 0 else ""

    def install(self, command: Sequence[str]) -> str:
        line = f"*/{_EVERY_MINUTES} * * * * {shlex.join(command)} >/dev/null 2>&1"
        kept = without_block(self._current())
        self._write(f"{kept}{_BEGIN}\n{line}\n{_END}\n")
        return f"installed a crontab entry running gpueater gc every {_EVERY_MINUTES} min"

    def uninstall(self) -> str:
        current = self._current()
        if _BEGIN not in current:
            return "no gpueater gc entry was installed in the crontab"
        self._write(without_block(current))
        return "removed the gpueater gc entry from the crontab"

    def _write(self, text: str) -> None:
        status, _ = self._run(["crontab", "-"], text)
        if status != 0:
            raise SchedulerError(f"`crontab -` failed with status {status}")


def without_block(text: str) -> str:
    """The crontab without this tool's marked block (every copy), ending with a newline."""
    kept: list[str] = []
    inside = False
    for line in text.splitlines():
        if line == _BEGIN:
            inside = True
        elif line == _END and inside:
            inside = False
        elif not inside:
            kept.append(line)
    return "".join(f"{line}\n" for line in kept)


class RecordingScheduler:
    """Test-only: appends `{"call": ..., "command": ...}` lines to a file, touches nothing."""

    name = "recording"

    def __init__(self, log: Path) -> None:
        self.log = log

    def available(self) -> bool:
        return True

    def _record(self, call: str, command: Sequence[str] | None) -> None:
        with self.log.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"call": call, "command": list(command or [])}) + "\n")

    def install(self, command: Sequence[str]) -> str:
        self._record("install", command)
        return "installed the recording scheduler's timer"

    def uninstall(self) -> str:
        self._record("uninstall", None)
        return "removed the recording scheduler's timer"


def find_scheduler(backends: Sequence[Scheduler] | None = None) -> Scheduler:
    """The first available backend (default: systemd user units, then crontab)."""
    log = os.environ.get(TEST_LOG)
    if backends is None and log:
        return RecordingScheduler(Path(log))
    for backend in backends if backends is not None else (SystemdUser(), Crontab()):
        if backend.available():
            return backend
    raise SchedulerError(
        "no scheduler found: neither `systemctl --user` nor `crontab` answers here; run "
        "`gpueater gc` yourself (or from another scheduler) to end expired leases"
    )
