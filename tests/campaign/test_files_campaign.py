"""Credential and key files, through the real `gpueater` command under hostile umasks.

- `gpueater configure` writes ~/.eater and `gpueater ssh-key generate` writes
  ~/.ssh/NAME.pem with mode 0600 whether the umask is 000 or 022;
- a ~/.eater that is a symbolic link is refused for writing, and the link and its target
  stay as they were;
- a truncated or non-JSON ~/.eater gives one `error:` line (reading and writing alike)
  and is left byte for byte, mode for mode, as it was.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.campaign.harness import SUMMARY
from tests.support.cli import GPUEATER, Cli, Run

UMASKS = (0o000, 0o022)
BROKEN_FILES = {
    "truncated": '{"gpueater": {"email": "someone@example.com", "password": "hunt',
    "not JSON": "email = someone@example.com\npassword = hunter2\n",
    "empty": "",
}
_checked: dict[str, int] = {"files_checked": 0, "refusals_checked": 0}


@pytest.fixture
def cli(tmp_path, emulator):
    """The command line with its own HOME, as in tests/cli (whose fixtures live there)."""
    home = tmp_path / "home"
    home.mkdir()
    return Cli(home, emulator)


def _run(cli: Cli, *args: str, umask: int, stdin: str = "") -> Run:
    completed = subprocess.run(
        [GPUEATER, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=cli.env,
        cwd=cli.home,
        timeout=60,
        check=False,
        umask=umask,
    )
    return Run(completed.returncode, completed.stdout, completed.stderr)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _record(kind: str) -> None:
    _checked[kind] += 1
    SUMMARY.add("files", dict(_checked))


@pytest.mark.parametrize("umask", UMASKS, ids=["umask000", "umask022"])
def test_configure_and_saved_keys_are_0600_whatever_the_umask(cli, umask):
    configured = _run(
        cli,
        "configure", "--email", cli.emulator.email, "--password-stdin",
        umask=umask,
        stdin=cli.emulator.password,
    )  # fmt: skip
    assert configured.code == 0, configured.stderr
    generated = _run(cli, "ssh-key", "generate", "campaign-key", umask=umask)
    assert generated.code == 0, generated.stderr
    eater = cli.home / ".eater"
    key = cli.home / ".ssh" / "campaign-key.pem"
    assert _mode(eater) == 0o600
    assert _mode(key) == 0o600
    assert _mode(key.parent) == 0o700
    _record("files_checked")
    _record("files_checked")


def test_a_symlinked_eater_is_refused_for_writing(cli):
    target = cli.home / "elsewhere.json"
    target.write_text('{"other": {"email": "a@example.com", "password": "kept-as-is"}}\n')
    target.chmod(0o600)
    before = target.read_bytes()
    link = cli.home / ".eater"
    link.symlink_to(target)
    run = _run(
        cli,
        "configure", "--email", cli.emulator.email, "--password-stdin",
        umask=0o022,
        stdin=cli.emulator.password,
    )  # fmt: skip
    assert run.code == 2
    assert "symbolic link" in run.error_line
    assert link.is_symlink()
    assert target.read_bytes() == before
    _record("refusals_checked")


@pytest.mark.parametrize("content", BROKEN_FILES.values(), ids=BROKEN_FILES.keys())
@pytest.mark.parametrize("command", ["instances", "configure"])
def test_a_broken_eater_gives_one_error_line_and_is_left_untouched(cli, content, command):
    """Reading it (a command that needs credentials) and writing it (configure, after a
    successful login) both stop with one error line."""
    cli.without_credentials()
    arguments = [command]
    if command == "configure":
        arguments += ["--email", cli.emulator.email, "--password-stdin"]
    eater = cli.home / ".eater"
    eater.write_text(content)
    eater.chmod(0o600)
    stamp = os.stat(eater)
    run = _run(cli, *arguments, umask=0o022, stdin=cli.emulator.password)
    assert run.code == 2, run.stderr
    assert str(eater) in run.error_line
    assert run.stdout == ""
    assert eater.read_text() == content
    assert os.stat(eater).st_mtime_ns == stamp.st_mtime_ns
    assert _mode(eater) == 0o600
    assert [p.name for p in cli.home.iterdir() if p.name.startswith(".eater")] == [".eater"]
    _record("refusals_checked")
