"""`gpueater configure` run by many processes at once, or killed in the middle of saving:
~/.eater keeps every profile, stays valid and private, and no temporary holding a password
is left behind (issue 17: twelve parallel runs lost three profiles; a killed run left
`~/..eater.XXXX` with the password)."""

from __future__ import annotations

import json
import signal
import subprocess

import pytest

from gpueater_ext._local_files import KILL_AT_STEP
from tests.support.cli import GPUEATER, Cli
from tests.support.local_files import assert_private, temporaries

PARALLEL = 20


def configure_argv(cli: Cli, profile: str) -> list[str]:
    return [GPUEATER, "--profile", profile, "configure", "--email", cli.emulator.email,
            "--password-stdin"]  # fmt: skip


@pytest.mark.slow
def test_twenty_parallel_configures_keep_every_profile(cli: Cli):
    cli.without_credentials()
    running = [
        subprocess.Popen(
            configure_argv(cli, f"p{n}"),
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=cli.env,
            cwd=cli.home,
        )
        for n in range(PARALLEL)
    ]
    for process in running:
        assert process.stdin is not None
        process.stdin.write(cli.emulator.password.encode() + b"\n")
        process.stdin.close()
    for process in running:
        assert process.wait(timeout=120) == 0, process.stderr.read() if process.stderr else ""
        if process.stderr:
            process.stderr.close()
    eater = cli.home / ".eater"
    document = json.loads(eater.read_text())
    assert sorted(document) == sorted(f"p{n}" for n in range(PARALLEL))
    assert all(section["email"] == cli.emulator.email for section in document.values())
    assert_private([eater])
    assert sorted(p.name for p in cli.home.iterdir()) == [".eater", ".local"]  # no strays


@pytest.mark.slow
def test_a_killed_configure_leaves_no_readable_password(cli: Cli):
    # Every step of save_config is killed in tests/sdk/test_local_files_kills.py; here the
    # real command is killed at a few of them: just after the temporary appears, in the
    # middle of the password's profile, and just before the move.
    cli.without_credentials()
    eater = cli.home / ".eater"
    old = {f"team-{n}": {"email": f"user{n}@example.com", "password": "old"} for n in range(4)}
    eater.write_text(json.dumps(old, indent=2) + "\n")
    eater.chmod(0o600)

    def run(extra: dict[str, str]) -> int:
        completed = subprocess.run(
            configure_argv(cli, "new"),
            input=cli.emulator.password + "\n",
            capture_output=True,
            text=True,
            env={**cli.env, **extra},
            cwd=cli.home,
            timeout=120,
            check=False,
        )
        return completed.returncode

    for step in (2, 20, 30):
        assert run({KILL_AT_STEP: str(step)}) == -signal.SIGKILL
        assert json.loads(eater.read_text()) == old
        left = temporaries(cli.home)
        assert left
        assert_private(left)  # the password's temporary: the owner's only
    assert run({}) == 0
    assert json.loads(eater.read_text())["new"]["email"] == cli.emulator.email
    assert temporaries(cli.home) == []  # the next run removed the killed runs' temporaries
