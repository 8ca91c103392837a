"""synchronize_files against a real sshd: hostile names, --delete, excludes, .gitignore,
wildcards that must mean one file, and a second run that transfers nothing."""

from __future__ import annotations

import json
import os
import pwd
import sys
from pathlib import Path
from typing import Literal

import pytest

from gpueater_ext._errors import SSHError
from gpueater_ext._ssh.argv import ssh_argv
from gpueater_ext._ssh.known_hosts import known_hosts_file
from gpueater_ext._ssh.sync import parse_itemized, rsync_glob_escape, synchronize_files
from gpueater_ext._ssh.target import SshTarget
from tests.support.trees import hostile_tree
from tests.support.trees import read_tree as tree

pytestmark = pytest.mark.sshd

# Each would run, split or expand something if a shell or a glob ever saw it.


def no_markers(folder: Path) -> None:
    """No planted command ran: here, where rsync ran, or in the remote user's home."""
    remote_home = Path(pwd.getpwuid(os.geteuid()).pw_dir)
    assert not list(folder.rglob("MARK*"))
    assert not list(Path.cwd().glob("MARK*"))
    assert not list(remote_home.glob("MARK*"))


def test_hostile_names_survive_up_and_down_and_a_second_sync_sends_nothing(
    ssh_target: SshTarget, tmp_path: Path
) -> None:
    local = tmp_path / "local"
    expected = hostile_tree(local)
    # Wildcards in the remote folder's own name, with a decoy the pattern would match.
    remote = tmp_path / "remote [x]*?"
    (tmp_path / "remote x-decoy").mkdir()

    sent = synchronize_files(ssh_target, "put", local, str(remote))
    assert tree(remote) == expected
    assert sorted(sent.transferred) == sorted(expected)
    assert not list((tmp_path / "remote x-decoy").iterdir())

    again = synchronize_files(ssh_target, "put", local, str(remote))
    assert again.items == []

    back = tmp_path / "back" / "here"
    received = synchronize_files(ssh_target, "get", str(remote), back)
    assert tree(back) == expected
    assert sorted(received.transferred) == sorted(expected)
    assert synchronize_files(ssh_target, "get", str(remote), back).items == []
    no_markers(tmp_path)


def test_delete_removes_only_what_the_source_lacks_and_keeps_excluded_files(
    ssh_target: SshTarget, tmp_path: Path
) -> None:
    local, remote = tmp_path / "local", tmp_path / "remote"
    local.mkdir()
    (local / "keep.txt").write_text("keep")
    (local / "gone.txt").write_text("gone")
    synchronize_files(ssh_target, "put", local, str(remote))
    (local / "gone.txt").unlink()
    (remote / "cache.pyc").write_text("remote only, excluded")
    (remote / "stray.txt").write_text("remote only")

    preview = synchronize_files(
        ssh_target, "put", local, str(remote), delete=True, exclude=["*.pyc"], dry_run=True
    )
    assert sorted(preview.deleted) == ["gone.txt", "stray.txt"]
    assert (remote / "stray.txt").exists()

    done = synchronize_files(ssh_target, "put", local, str(remote), delete=True, exclude=["*.pyc"])
    assert sorted(done.deleted) == ["gone.txt", "stray.txt"]
    assert sorted(tree(remote)) == ["cache.pyc", "keep.txt"]

    (remote / "new-remote.txt").write_text("x")
    (local / "local-only.txt").write_text("x")
    down = synchronize_files(ssh_target, "get", str(remote), local, delete=True)
    assert down.deleted == ["local-only.txt"]
    assert sorted(tree(local)) == ["cache.pyc", "keep.txt", "new-remote.txt"]


def test_excludes_and_gitignore_leave_files_out_of_an_upload(
    ssh_target: SshTarget, tmp_path: Path
) -> None:
    local = tmp_path / "project"
    (local / "build").mkdir(parents=True)
    (local / "src").mkdir()
    (local / ".gitignore").write_text("*.log\nbuild/\n")
    (local / "src" / ".gitignore").write_text("secret.env\n")
    for name in ("main.py", "run.log", "build/out.bin", "src/app.py", "src/secret.env"):
        (local / name).write_text(name)
    (local / "data.csv").write_text("big")

    plain = tmp_path / "plain"
    synchronize_files(ssh_target, "put", local, str(plain), exclude=["*.csv"])
    assert "data.csv" not in tree(plain)
    assert {"run.log", "build/out.bin", "src/secret.env"} <= set(tree(plain))

    ignoring = tmp_path / "ignoring"
    synchronize_files(ssh_target, "put", local, str(ignoring), gitignore=True)
    assert sorted(tree(ignoring)) == [
        ".gitignore",
        "data.csv",
        "main.py",
        "src/.gitignore",
        "src/app.py",
    ]


def test_a_remote_source_with_wildcards_means_that_folder(
    ssh_target: SshTarget, tmp_path: Path
) -> None:
    for name in ("data*", "data-other", "data?", "datax", "[d]ata", "data"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "which").write_text(name)
    for name in ("data*", "data?", "[d]ata"):
        target = tmp_path / "got" / name
        synchronize_files(ssh_target, "get", str(tmp_path / name), target)
        assert tree(target) == {"which": name.encode()}


def test_the_glob_escape_touches_only_components_with_wildcards() -> None:
    assert rsync_glob_escape("./a\\b/c*d/[x]/e?") == "./a\\b/c\\*d/\\[x]/e\\?"
    assert rsync_glob_escape("/plain/back\\slash") == "/plain/back\\slash"
    assert rsync_glob_escape("/x*/back\\slash*") == "/x\\*/back\\\\slash\\*"


def test_itemized_lines_give_the_change_and_the_literal_name() -> None:
    item = parse_itemized(b">f+++++++++ dir/new\\#012line \\#342\\#234\\#223")
    assert item is not None
    assert (item.change, item.path, item.transferred) == (">f+++++++++", "dir/new\nline ✓", True)
    deleted = parse_itemized(b"*deleting   old file")
    assert deleted is not None
    assert (deleted.deleted, deleted.path) == (True, "old file")
    assert parse_itemized(b"created directory x") is None
    assert parse_itemized(b"          1,234 100%    1.00MB/s    0:00:00 (xfr#1)") is None


STAND_IN_SSH = """#!{python}
import json, sys
with open({record!r}, "w") as out:
    json.dump(sys.argv[1:], out)
sys.exit(255)
"""


def test_rsync_hands_ssh_exactly_the_projects_arguments(
    isolated_home: Path, tmp_path: Path
) -> None:
    """rsync splits --rsh itself: key and known_hosts paths with spaces and quotes must
    reach ssh as the same single arguments `ssh_argv` builds."""
    record = tmp_path / "argv.json"
    stand_in = tmp_path / "stand-in ssh"
    stand_in.write_text(STAND_IN_SSH.format(python=sys.executable, record=str(record)))
    stand_in.chmod(0o755)
    key = tmp_path / 'it\'s a "key" %h'
    key.write_text("not a real key")
    key.chmod(0o600)
    target = SshTarget("sync-1", "127.0.0.1", 2222, "ubuntu", key, ssh_program=str(stand_in))
    local = tmp_path / "local"
    local.mkdir()
    with pytest.raises(SSHError):
        synchronize_files(target, "get", "remote dir", local, dry_run=True)
    received = json.loads(record.read_text())
    expected = ssh_argv(target, known_hosts_file(), None)[1:]
    assert received[: len(expected)] == expected
    assert received[len(expected) : len(expected) + 2] == ["rsync", "--server"]


def test_a_download_keeps_no_link_that_points_outside_the_folder(
    ssh_target: SshTarget, tmp_path: Path
) -> None:
    remote = tmp_path / "remote"
    remote.mkdir()
    (remote / "inside.txt").write_text("x")
    (remote / "ok-link").symlink_to("inside.txt")
    (remote / "escape").symlink_to(tmp_path / "secret")
    (remote / "climb").symlink_to("../secret")
    local = tmp_path / "local"
    synchronize_files(ssh_target, "get", str(remote), local)
    assert sorted(p.name for p in local.iterdir()) == ["inside.txt", "ok-link"]


@pytest.mark.parametrize(
    ("action", "dst"), [("put", "."), ("put", "/"), ("put", "./"), ("get", "~")]
)
def test_delete_refuses_a_home_or_root_destination(
    ssh_target: SshTarget, tmp_path: Path, action: Literal["get", "put"], dst: str
) -> None:
    local = tmp_path / "local"
    local.mkdir()
    destination = str(Path.home()) if dst == "~" else dst  # HOME is a temporary folder here
    src = str(local) if action == "put" else "remote"
    with pytest.raises(SSHError, match="refusing to delete"):
        synchronize_files(ssh_target, action, src, destination, delete=True)
