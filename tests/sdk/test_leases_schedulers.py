"""The gc timer's backends, with a fake Runner that records every tool call and holds a
fake crontab: the machine's own crontab and systemd are never touched. The CLI's
`--install`/`--uninstall` go through GPUEATER_TEST_SCHEDULER_LOG (a recording backend)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from gpueater_ext._jobs.schedulers import (
    Crontab,
    SchedulerError,
    SystemdUser,
    find_scheduler,
    gc_command,
)


class FakeTools:
    """`crontab -l`/`crontab -` on a text in memory; `systemctl` answers `systemd_status`."""

    def __init__(self, crontab: str | None = "", systemd_status: int = 0) -> None:
        self.crontab = crontab
        self.systemd_status = systemd_status
        self.calls: list[list[str]] = []

    def __call__(self, argv: Sequence[str], stdin: str | None) -> tuple[int, str]:
        self.calls.append(list(argv))
        if argv[0] == "systemctl":
            return self.systemd_status, ""
        if self.crontab is None:
            return 127, ""
        if list(argv) == ["crontab", "-l"]:
            return (0, self.crontab) if self.crontab else (1, "")
        assert list(argv) == ["crontab", "-"]
        self.crontab = stdin or ""
        return 0, ""


def test_crontab_install_is_one_marked_block_and_keeps_the_users_lines():
    tools = FakeTools(crontab="MAILTO=me\n0 3 * * * backup\n")
    cron = Crontab(tools)
    cron.install(["/venv/bin/python", "-m", "gpueater_ext.cli", "gc"])
    cron.install(["/venv/bin/python", "-m", "gpueater_ext.cli", "gc"])  # idempotent
    text = tools.crontab or ""
    assert text.startswith("MAILTO=me\n0 3 * * * backup\n")
    assert text.count("gpueater_ext.cli gc") == 1
    assert "*/15 * * * * /venv/bin/python -m gpueater_ext.cli gc >/dev/null 2>&1\n" in text
    cron.uninstall()
    assert tools.crontab == "MAILTO=me\n0 3 * * * backup\n"
    assert cron.uninstall().startswith("no gpueater gc entry")


def test_crontab_quotes_a_path_with_spaces():
    tools = FakeTools()
    Crontab(tools).install(["/my venv/bin/python", "-m", "gpueater_ext.cli", "gc"])
    assert "'/my venv/bin/python' -m gpueater_ext.cli gc" in (tools.crontab or "")


def test_systemd_writes_a_service_and_a_timer_and_enables_it(tmp_path: Path):
    tools = FakeTools()
    systemd = SystemdUser(tools, folder=tmp_path / "units")
    assert systemd.available()
    said = systemd.install(["/venv/bin/python", "-m", "gpueater_ext.cli", "gc"])
    assert "gpueater-gc.timer" in said
    service = (tmp_path / "units" / "gpueater-gc.service").read_text()
    timer = (tmp_path / "units" / "gpueater-gc.timer").read_text()
    assert 'ExecStart="/venv/bin/python" "-m" "gpueater_ext.cli" "gc"' in service
    assert "Persistent=true" in timer
    assert ["systemctl", "--user", "daemon-reload"] in tools.calls
    assert ["systemctl", "--user", "enable", "--now", "gpueater-gc.timer"] in tools.calls
    systemd.uninstall()
    assert list((tmp_path / "units").iterdir()) == []
    assert ["systemctl", "--user", "disable", "--now", "gpueater-gc.timer"] in tools.calls


def test_systemd_is_preferred_then_crontab_then_a_one_line_error(tmp_path: Path):
    both = FakeTools(systemd_status=0)
    chosen = find_scheduler([SystemdUser(both, folder=tmp_path), Crontab(both)])
    assert chosen.name == "systemd"
    cron_only = FakeTools(systemd_status=1)
    assert find_scheduler([SystemdUser(cron_only, folder=tmp_path), Crontab(cron_only)]).name == (
        "crontab"
    )
    none = FakeTools(crontab=None, systemd_status=127)
    with pytest.raises(SchedulerError) as raised:
        find_scheduler([SystemdUser(none, folder=tmp_path), Crontab(none)])
    assert str(raised.value).startswith("no scheduler found")
    assert "\n" not in str(raised.value)


def test_a_failing_tool_is_an_error_naming_it(tmp_path: Path):
    tools = FakeTools(systemd_status=0)
    tools.systemd_status = 1
    with pytest.raises(SchedulerError, match="daemon-reload"):
        SystemdUser(tools, folder=tmp_path).install(gc_command())


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    gpueater = str(Path(sys.executable).with_name("gpueater"))
    return subprocess.run(
        [gpueater, *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_the_cli_installs_and_uninstalls_through_the_injected_scheduler(tmp_path: Path):
    log = tmp_path / "scheduler.log"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "GPUEATER_TEST_SCHEDULER_LOG": str(log),
    }
    assert cli("gc", "--install", env=env).returncode == 0
    assert cli("gc", "--uninstall", env=env).returncode == 0
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    assert [call["call"] for call in calls] == ["install", "uninstall"]
    assert calls[0]["command"] == [sys.executable, "-m", "gpueater_ext.cli", "gc"]


def test_the_timers_command_runs_gc(tmp_path: Path):
    # The very words the timer runs: they must reach `gpueater gc` (here with no leases).
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    done = subprocess.run(gc_command(), env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "0 expired leases; 0 not yet due" in done.stderr


def test_no_scheduler_is_one_error_line(tmp_path: Path):
    empty = tmp_path / "bin"
    empty.mkdir()  # neither systemctl nor crontab on PATH: nothing real can be reached
    result = cli("gc", "--install", env={"PATH": str(empty), "HOME": str(tmp_path)})
    assert result.returncode == 1
    assert result.stderr.startswith("error: no scheduler found")
    assert "Traceback" not in result.stderr
