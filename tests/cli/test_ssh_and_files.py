"""`gpueater ssh`, `cp`, `mv`, `rm`, `mkdir`, `ls` through the real entry point, against an
instance of the `--sshd` emulator launched with `--wait ssh`."""

from __future__ import annotations

import os
import pwd
import shutil
from pathlib import Path
from typing import Any

import pytest

from gpueater_ext._ssh.target import host_key_alias
from tests.support.cli import Cli
from tests.support.emulator_process import EmulatorProcess
from tests.support.sshd_instances import Workspace

pytestmark = pytest.mark.sshd


@pytest.fixture(scope="module")
def cli(sshd_emulator: EmulatorProcess, workspace: Workspace) -> Cli:
    return Cli(workspace.home, sshd_emulator)


@pytest.fixture(scope="module")
def box(cli: Cli) -> dict[str, Any]:
    """A RUNNING instance whose sshd answers, launched as a user would."""
    cli.ok("ssh-key", "generate", "cli-key", "--register")
    launched = cli.ok(
        "launch",
        "--product", "a1.rx580",
        "--image", "Ubuntu16.04 x64",
        "--ssh-key", "cli-key",
        "--tag", "cli-box",
        "--wait", "ssh",
        "-o", "json",
    )  # fmt: skip
    instance: dict[str, Any] = launched.json()
    return instance


@pytest.fixture
def disk(sshd_emulator: EmulatorProcess, box: dict[str, Any]) -> Path:
    """The instance's disk on this machine: its home, where relative paths point."""
    return sshd_emulator.disk(box["instance_id"])


@pytest.fixture
def remote(disk: Path, request: pytest.FixtureRequest) -> Path:
    """This test's folder on the instance, seen from this machine; on the instance it is
    `remote.name`, relative to the home folder."""
    folder = disk / str(request.node.name)
    folder.mkdir()
    return folder


@pytest.fixture
def local(workspace: Workspace, request: pytest.FixtureRequest) -> Path:
    folder = workspace.home / str(request.node.name)
    folder.mkdir()
    return folder


@pytest.mark.slow
def test_launch_wait_ssh_returns_an_instance_whose_commands_run(cli: Cli, box):
    assert box["state"] == "RUNNING"
    assert cli.ok("ssh", "cli-box", "--", "uname", "-s").stdout.strip() == "Linux"
    failing = cli("ssh", "cli-box", "--", "sh", "-c", "echo out; echo err >&2; exit 7")
    assert (failing.code, failing.stdout, failing.stderr.strip()) == (7, "out\n", "err")
    collected = cli("ssh", "cli-box", "-o", "json", "--", "sh", "-c", "printf 'a b'; exit 3")
    assert collected.code == 3
    assert collected.json() == {"exit_code": 3, "stdout": "a b", "stderr": ""}
    # The words arrive as they are: no remote shell sees them.
    echoed = cli.ok("ssh", "cli-box", "--", "printf", "%s|", "$(id)", "a b", "*")
    assert echoed.stdout == "$(id)|a b|*|"


@pytest.mark.slow
def test_cp_files_and_folders_both_ways(cli: Cli, box, remote: Path, local: Path):
    (local / "notes.txt").write_bytes(b"\x00binary\xff\n")
    tree = local / "project"
    (tree / "sub").mkdir(parents=True)
    (tree / "sub" / "deep.bin").write_bytes(bytes(range(256)))
    (tree / "top.txt").write_text("top")

    cli.ok("cp", str(local / "notes.txt"), f"cli-box:{remote.name}/")
    cli.ok("cp", "-r", str(tree), f"cli-box:{remote.name}/project-copy")
    assert (remote / "notes.txt").read_bytes() == b"\x00binary\xff\n"
    assert (remote / "project-copy" / "sub" / "deep.bin").read_bytes() == bytes(range(256))

    cli.ok("cp", f"cli-box:{remote.name}/notes.txt", str(local / "back.txt"))
    cli.ok("cp", "-r", f"cli-box:{remote.name}/project-copy", str(local / "tree-back"))
    assert (local / "back.txt").read_bytes() == b"\x00binary\xff\n"
    assert (local / "tree-back" / "sub" / "deep.bin").read_bytes() == bytes(range(256))
    assert (local / "tree-back" / "top.txt").read_text() == "top"

    folder_without_r = cli("cp", str(tree), f"cli-box:{remote.name}/x")
    assert folder_without_r.code == 1
    assert "gpueater cp -r" in folder_without_r.error_line
    assert "recursive=" not in folder_without_r.error_line  # the SDK keyword is not the CLI's
    both_local = cli("cp", str(local / "notes.txt"), str(local / "other.txt"))
    assert both_local.code == 2
    assert "INSTANCE:PATH" in both_local.error_line


@pytest.mark.slow
def test_mkdir_ls_mv_rm(cli: Cli, box, remote: Path, local: Path):
    cli.ok("mkdir", "cli-box", f"{remote.name}/a/b")
    # Without a path, ls lists the instance's home: its own disk.
    home = cli.ok("ls", "cli-box", "-o", "json").json()
    assert remote.name in [entry["name"] for entry in home]
    (local / "up.txt").write_text("12345")
    cli.ok("mv", str(local / "up.txt"), f"cli-box:{remote.name}/a/moved.txt")
    assert not (local / "up.txt").exists()

    listed = cli.ok("ls", "cli-box", f"{remote.name}/a", "-o", "json").json()
    assert [(e["name"], e["type"], e["size"]) for e in listed] == [
        ("b", "directory", listed[0]["size"]),
        ("moved.txt", "file", 5),
    ]
    assert "moved.txt" in cli.ok("ls", "cli-box", f"{remote.name}/a").stdout

    cli.ok("mv", f"cli-box:{remote.name}/a/moved.txt", str(local / "down.txt"))
    assert (local / "down.txt").read_text() == "12345"
    assert not (remote / "a" / "moved.txt").exists()

    refused = cli("rm", "cli-box", f"{remote.name}/a", "-r")
    assert refused.code == 2
    assert "--yes" in refused.error_line
    assert (remote / "a" / "b").is_dir()
    cli.ok("rm", "cli-box", f"{remote.name}/a", "-r", "--yes")
    assert not (remote / "a").exists()
    missing = cli("rm", "cli-box", f"{remote.name}/a")
    assert missing.code == 1
    assert "No such file" in missing.error_line


MARKER = "gpueater-test-marker-7f3a"
HOSTILE = [
    f"-rf $(touch {MARKER}) ; echo pwned > {MARKER}",
    f'it\'s "q" `touch {MARKER}` && x | y > z',
    "*",
    "? [a] ~ $HOME ü日本\nsecond line",
]


def markers_planted(workspace: Workspace, disk: Path) -> list[Path]:
    """Where an injected `touch` would land: the instance's home (the command's working
    folder on the instance), this machine's user's home, or the CLI's working folder."""
    homes = [disk, Path(pwd.getpwuid(os.geteuid()).pw_dir), workspace.home]
    return [home / MARKER for home in homes if (home / MARKER).exists()]


@pytest.mark.slow
def test_hostile_names_round_trip_and_never_run(
    cli: Cli, box, remote: Path, local: Path, workspace: Workspace, disk: Path
):
    folder = remote / HOSTILE[1]
    there = f"{remote.name}/{HOSTILE[1]}"  # the folder, on the instance
    cli.ok("mkdir", "cli-box", there)
    for number, name in enumerate(HOSTILE):
        (local / f"source-{number}").write_bytes(f"{number}: {name}".encode())
        cli.ok("cp", str(local / f"source-{number}"), f"cli-box:{there}/{name}")
    listed = cli.ok("ls", "cli-box", there, "-o", "json").json()
    assert sorted(entry["name"] for entry in listed) == sorted(HOSTILE)
    # People see one row per name: the newline is escaped, '[a]' is not taken as markup.
    table = cli.ok("ls", "cli-box", there).stdout.splitlines()
    assert len(table) == 1 + len(HOSTILE)
    assert any(row.rstrip().endswith("? [a] ~ $HOME ü日本\\nsecond line") for row in table)
    for number in (0, 3):
        cli.ok("cp", f"cli-box:{there}/{HOSTILE[number]}", str(local / f"back-{number}"))
        assert (local / f"back-{number}").read_bytes() == f"{number}: {HOSTILE[number]}".encode()

    cli.ok("rm", "cli-box", f"{there}/*")  # the file named '*', and nothing else
    assert sorted(p.name for p in folder.iterdir()) == sorted(set(HOSTILE) - {"*"})
    leading_dash = workspace.home / HOSTILE[0]  # the CLI runs in HOME: a relative '-...' path
    leading_dash.write_text("dash")
    cli.ok("cp", "--", leading_dash.name, f"cli-box:{remote.name}")
    assert (remote / HOSTILE[0]).read_text() == "dash"
    cli.ok("rm", "cli-box", there, "-r", "--yes")
    assert sorted(p.name for p in remote.iterdir()) == [HOSTILE[0]]
    assert markers_planted(workspace, disk) == []


def test_key_problems_are_one_line_errors_before_ssh_starts(cli: Cli, box, workspace: Workspace):
    missing = cli("ssh", "cli-box", "--key-file", str(workspace.home / "absent.pem"), "--", "true")
    assert missing.code == 255  # ssh passes remote statuses through: its own failures are 255
    assert missing.stdout == ""
    assert "absent.pem not found" in missing.error_line
    assert "ssh-key generate" in missing.error_line

    loose = workspace.home / "loose.pem"
    shutil.copyfile(workspace.home / ".ssh" / "cli-key.pem", loose)
    loose.chmod(0o644)
    readable = cli("ls", "cli-box", "-i", str(loose))
    assert readable.code == 1
    assert f"run `chmod 600 {loose}`" in readable.error_line


def test_a_changed_host_key_is_refused_with_the_reset_command(cli: Cli, box, workspace: Workspace):
    cli.ok("ssh", "cli-box", "--", "true")  # the real host key is learnt
    alias = host_key_alias(box["instance_id"], cli.emulator.url)
    recorded = workspace.known_hosts.read_text()
    assert recorded.startswith(alias + " ")
    impostor = cli.ok("ssh-key", "generate", "impostor", "-o", "json").json()["public_key"]
    workspace.known_hosts.write_text(f"{alias} {impostor}\n")
    try:
        refused = cli("ssh", "cli-box", "--", "echo", "should not run")
        assert refused.code == 255
        assert "should not run" not in refused.stdout
        assert f"ssh-keygen -R {alias}" in refused.error_line
    finally:
        workspace.known_hosts.write_text(recorded)


def test_terminate_forgets_the_host_key(cli: Cli, box, workspace: Workspace):
    other = cli.ok(
        "launch",
        "--product", "a1.rx580",
        "--image", "Ubuntu16.04 x64",
        "--ssh-key", "cli-key",
        "--tag", "short-lived",
        "--wait", "ssh",
        "-o", "json",
    ).json()  # fmt: skip
    cli.ok("ssh", "short-lived", "--", "true")
    alias = host_key_alias(other["instance_id"], cli.emulator.url)
    assert alias in workspace.known_hosts.read_text()
    cli.ok("terminate", "short-lived", "--yes")
    remembered = workspace.known_hosts.read_text()
    assert alias not in remembered
    assert host_key_alias(box["instance_id"], cli.emulator.url) in remembered
