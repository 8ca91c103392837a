"""The file extensions and remote commands against a real sshd on 127.0.0.1.

The sshd runs on this machine, so the "remote" side is a temporary folder the test can read.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from gpueater_ext._errors import SSHError
from gpueater_ext._ssh import (
    capture_command,
    copy_file,
    delete_file,
    file_list,
    make_directory,
    move_file,
    run_command,
)
from tests.ssh.names import hostile_names
from tests.support.trees import make_tree, read_tree

pytestmark = pytest.mark.sshd


TREE = {"a.txt": b"alpha\n", "sub/b.bin": bytes(range(256)) * 40, "sub/deeper/empty": b""}


def test_remote_command_output_and_exit_code(ssh_target):
    result = capture_command(
        ssh_target, ["sh", "-c", 'printf "%s|" "$@"; exit 7', "sh", "a b", "$x"]
    )
    assert result.exit_code == 7
    assert result.stdout == b"a b|$x|"


def test_streamed_command_returns_the_remote_exit_code(ssh_target, capfd):
    assert run_command(ssh_target, ["echo", "streamed; not a shell"]) == 0
    assert capfd.readouterr().out == "streamed; not a shell\n"
    assert run_command(ssh_target, ["sh", "-c", "exit 42"]) == 42


def test_put_and_get_a_file(ssh_target, local_folder: Path, remote_folder: Path):
    source = local_folder / "up.txt"
    source.write_bytes(b"content\x00with NUL\n")
    source.chmod(0o640)
    copy_file(ssh_target, "put", source, str(remote_folder / "renamed.txt"))
    assert (remote_folder / "renamed.txt").read_bytes() == source.read_bytes()
    assert (remote_folder / "renamed.txt").stat().st_mode & 0o777 == 0o640
    # Into an existing folder, under the source's name; an existing file is replaced.
    copy_file(ssh_target, "put", source, str(remote_folder))
    (local_folder / "down").mkdir()
    (local_folder / "down" / "renamed.txt").write_bytes(b"old")
    copy_file(ssh_target, "get", str(remote_folder / "renamed.txt"), local_folder / "down")
    assert (local_folder / "down" / "renamed.txt").read_bytes() == source.read_bytes()
    copy_file(ssh_target, "get", str(remote_folder / "up.txt"), local_folder / "copy.txt")
    assert (local_folder / "copy.txt").read_bytes() == source.read_bytes()
    assert sorted(p.name for p in local_folder.iterdir()) == ["copy.txt", "down", "up.txt"]


def test_put_and_get_a_folder(ssh_target, local_folder: Path, remote_folder: Path):
    make_tree(local_folder / "project", TREE)
    copy_file(ssh_target, "put", local_folder / "project", str(remote_folder), recursive=True)
    assert read_tree(remote_folder / "project") == TREE
    copy_file(
        ssh_target, "put", local_folder / "project", str(remote_folder / "p2"), recursive=True
    )
    assert read_tree(remote_folder / "p2") == TREE
    copy_file(ssh_target, "get", str(remote_folder / "p2"), local_folder / "back", recursive=True)
    assert read_tree(local_folder / "back") == TREE
    # A second copy merges into the existing folder, as cp -r does.
    (local_folder / "back" / "local-only").write_bytes(b"kept")
    (remote_folder / "p2" / "a.txt").write_bytes(b"changed")
    copy_file(ssh_target, "get", str(remote_folder / "p2"), local_folder, recursive=True)
    copy_file(ssh_target, "get", str(remote_folder / "p2"), local_folder / "back", recursive=True)
    assert (local_folder / "p2" / "a.txt").read_bytes() == b"changed"
    assert (local_folder / "back" / "p2" / "a.txt").read_bytes() == b"changed"
    assert (local_folder / "back" / "local-only").read_bytes() == b"kept"


def test_a_folder_needs_recursive(ssh_target, local_folder: Path, remote_folder: Path):
    (remote_folder / "f").mkdir()
    with pytest.raises(SSHError, match="recursive"):
        copy_file(ssh_target, "get", str(remote_folder / "f"), local_folder)
    with pytest.raises(SSHError, match="recursive"):
        copy_file(ssh_target, "put", local_folder, str(remote_folder))
    assert list(local_folder.iterdir()) == []


def test_missing_remote_source_is_an_error_and_leaves_nothing(
    ssh_target, local_folder, remote_folder
):
    with pytest.raises(SSHError, match="does not exist"):
        copy_file(ssh_target, "get", str(remote_folder / "nope"), local_folder / "x")
    assert list(local_folder.iterdir()) == []


def test_move_both_ways(ssh_target, local_folder: Path, remote_folder: Path):
    make_tree(local_folder / "tree", TREE)
    move_file(
        ssh_target, "put", local_folder / "tree", str(remote_folder / "moved"), recursive=True
    )
    assert not (local_folder / "tree").exists()
    assert read_tree(remote_folder / "moved") == TREE
    move_file(
        ssh_target, "get", str(remote_folder / "moved"), local_folder / "back", recursive=True
    )
    assert not (remote_folder / "moved").exists()
    assert read_tree(local_folder / "back") == TREE
    move_file(ssh_target, "put", local_folder / "back" / "a.txt", str(remote_folder))
    assert (remote_folder / "a.txt").read_bytes() == TREE["a.txt"]
    assert not (local_folder / "back" / "a.txt").exists()


def test_delete_make_directory_and_list(ssh_target, remote_folder: Path):
    make_directory(ssh_target, str(remote_folder / "new" / "nested"))
    make_directory(ssh_target, str(remote_folder / "new" / "nested"))  # exists: fine
    (remote_folder / "file").write_bytes(b"12345")
    (remote_folder / "link").symlink_to("file")
    entries = {e.name: e for e in file_list(ssh_target, str(remote_folder))}
    assert {name: (e.type, e.size) for name, e in entries.items() if e.type != "directory"} == {
        "file": ("file", 5),
        "link": ("symlink", 4),
    }
    assert entries["new"].type == "directory"
    assert [e.name for e in file_list(ssh_target, str(remote_folder / "file"))] == ["file"]
    with pytest.raises(SSHError, match="Is a directory"):
        delete_file(ssh_target, str(remote_folder / "new"))
    delete_file(ssh_target, str(remote_folder / "new"), recursive=True)
    delete_file(ssh_target, str(remote_folder / "file"))
    assert sorted(os.listdir(remote_folder)) == ["link"]
    with pytest.raises(SSHError, match="No such file"):
        delete_file(ssh_target, str(remote_folder / "file"))
    with pytest.raises(SSHError, match="does not exist"):
        file_list(ssh_target, str(remote_folder / "file"))


@pytest.mark.slow
def test_hostile_names_round_trip_and_planted_commands_never_run(
    ssh_target, local_folder: Path, remote_folder: Path, tmp_path: Path
):
    marker = tmp_path / "planted-command-ran"
    names = hostile_names(marker)
    source = local_folder / "up"
    down = local_folder / "down"
    source.mkdir()
    down.mkdir()
    for name in names:
        (source / name).write_bytes(os.fsencode(name) + b"\n")
    some = names[::3]  # mkdir and rm are one plain command each; a third of the names suffice

    def put(name: str) -> None:
        copy_file(ssh_target, "put", source / name, str(remote_folder / name))

    def make_nested_folder(name: str) -> None:
        make_directory(ssh_target, str(remote_folder / f"dir {name}" / name))

    def get(name: str) -> None:
        copy_file(ssh_target, "get", str(remote_folder / name), down)

    def delete(name: str) -> None:
        delete_file(ssh_target, str(remote_folder / name))
        delete_file(ssh_target, str(remote_folder / f"dir {name}"), recursive=True)

    # Independent ssh calls in parallel only to keep the test quick; each checks one name.
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(put, names))
        list(pool.map(make_nested_folder, some))
        listed = {e.name: e.type for e in file_list(ssh_target, str(remote_folder))}
        assert listed == dict.fromkeys(names, "file") | {f"dir {n}": "directory" for n in some}
        assert all(os.listdir(remote_folder / f"dir {n}") == [n] for n in some)
        list(pool.map(get, names))
        assert {n: (down / n).read_bytes() for n in os.listdir(down)} == {
            n: os.fsencode(n) + b"\n" for n in names
        }
        list(pool.map(delete, some))
    assert sorted(os.listdir(remote_folder)) == sorted(set(names) - set(some))
    assert not marker.exists()


def test_hostile_names_in_folders_both_ways(ssh_target, local_folder, remote_folder, tmp_path):
    marker = tmp_path / "planted-command-ran"
    names = hostile_names(marker)
    tree = {f"{name}/{name}": os.fsencode(name) for name in names}
    make_tree(local_folder / "up", tree)
    copy_file(ssh_target, "put", local_folder / "up", str(remote_folder / "tree"), recursive=True)
    assert read_tree(remote_folder / "tree") == tree
    for name in names[:8]:
        copy_file(
            ssh_target, "get", str(remote_folder / "tree" / name), local_folder, recursive=True
        )
        assert read_tree(local_folder / name) == {name: os.fsencode(name)}
    assert not marker.exists()


def test_login_shell_reads_commands_and_returns_their_exit_code(ssh_target, remote_folder):
    # Without a terminal the login shell reads its commands from standard input.
    script = (
        "from gpueater_ext._ssh import login_instance, SshTarget\n"
        "import json, sys\n"
        "fields = json.loads(sys.argv[1])\n"
        "sys.exit(login_instance(SshTarget(**fields)))\n"
    )
    fields = {
        "instance_id": ssh_target.instance_id,
        "host": ssh_target.host,
        "port": ssh_target.port,
        "user": ssh_target.user,
        "key_file": str(ssh_target.key_file),
    }
    finished = subprocess.run(
        [sys.executable, "-c", script, json.dumps(fields)],
        input=f"touch {shlex.quote(str(remote_folder / 'logged-in'))}; exit 3\n".encode(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 3, finished.stderr
    assert (remote_folder / "logged-in").exists()


def test_ssh_failure_is_exit_code_255_not_an_exception(ssh_target):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        unreachable = dataclasses.replace(ssh_target, port=closed.getsockname()[1])
        assert run_command(unreachable, ["true"]) == 255
        result = capture_command(unreachable, ["true"])
    assert result.exit_code == 255
    assert b"Connection refused" in result.stderr


def test_links_inside_folders_stay_links_both_ways(ssh_target, local_folder, remote_folder):
    tree = remote_folder / "venv"
    (tree / "bin").mkdir(parents=True)
    (tree / "bin" / "relative").symlink_to("../lib")
    (tree / "lib").mkdir()
    copy_file(ssh_target, "get", str(tree), local_folder, recursive=True)
    assert os.readlink(local_folder / "venv" / "bin" / "relative") == "../lib"
    (local_folder / "venv" / "bin" / "python").symlink_to("/usr/bin/python3")
    copy_file(ssh_target, "put", local_folder / "venv", str(remote_folder / "up"), recursive=True)
    assert os.readlink(remote_folder / "up" / "bin" / "python") == "/usr/bin/python3"
    assert os.readlink(remote_folder / "up" / "bin" / "relative") == "../lib"


def test_a_download_holding_a_link_that_leaves_it_is_refused(
    ssh_target, local_folder, remote_folder
):
    """An absolute link (a venv's bin/python) would point outside the destination: refused,
    naming the member; uploads still carry such links (the instance is the user's to shape)."""
    tree = remote_folder / "venv"
    (tree / "bin").mkdir(parents=True)
    (tree / "bin" / "python").symlink_to("/usr/bin/python3")
    with pytest.raises(SSHError, match=r"'\./bin/python'.*leaves the destination"):
        copy_file(ssh_target, "get", str(tree), local_folder, recursive=True)
    assert os.listdir(local_folder) == []


def test_large_file_streams_both_ways(ssh_target, local_folder: Path, remote_folder: Path):
    data = os.urandom(24 * 1024 * 1024)
    (local_folder / "big").write_bytes(data)
    copy_file(ssh_target, "put", local_folder / "big", str(remote_folder / "big"))
    copy_file(ssh_target, "get", str(remote_folder / "big"), local_folder / "back")
    assert (local_folder / "back").read_bytes() == data


def test_refusals_leave_both_sides_unchanged(ssh_target, local_folder: Path, remote_folder: Path):
    (local_folder / "f").write_bytes(b"file")
    (remote_folder / "f").mkdir()
    (remote_folder / "f" / "f").mkdir()
    with pytest.raises(SSHError, match="would replace a folder"):
        copy_file(ssh_target, "put", local_folder / "f", str(remote_folder / "f"))
    with pytest.raises(SSHError, match="parent folder does not exist"):
        copy_file(ssh_target, "put", local_folder / "f", str(remote_folder / "no" / "f"))
    with pytest.raises(SSHError, match="does not exist"):
        copy_file(ssh_target, "put", local_folder / "absent", str(remote_folder))
    with pytest.raises(SSHError, match="local folder"):
        copy_file(ssh_target, "get", str(remote_folder / "f"), local_folder / "no" / "x")
    with pytest.raises(SSHError, match="refusing to delete"):
        delete_file(ssh_target, f"{remote_folder}/.", recursive=True)
    assert sorted(os.listdir(remote_folder)) == ["f"]
    assert os.listdir(remote_folder / "f") == ["f"]
    assert sorted(os.listdir(local_folder)) == ["f"]
