"""The whole file pipeline with relative remote paths, through a stand-in for ssh.

The real sshd's sessions start in the real user's home, which tests must not touch. The
stand-in plays ssh and sshd together: it skips the options up to `--`, drops the host and
runs the remote command string with `sh -c` in a sandbox folder that serves as the home.
So relative paths such as `-rf`, `(x` or `~` go through the real scripts, tar and find.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest

from gpueater_ext._errors import SSHError
from gpueater_ext._ssh import (
    SshTarget,
    capture_command,
    copy_file,
    delete_file,
    file_list,
    make_directory,
    move_file,
)
from tests.ssh.names import hostile_names


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    folder = tmp_path / "remote home"
    folder.mkdir()
    return folder


@pytest.fixture
def standin_target(tmp_path: Path, sandbox: Path, isolated_home: Path) -> SshTarget:
    program = tmp_path / "ssh-standin"
    program.write_text(
        "#!/bin/sh\n"
        'while [ "$#" -gt 0 ] && [ "$1" != -- ]; do shift; done\n'
        "shift 2\n"
        f'cd {shlex.quote(str(sandbox))} && exec sh -c "$1"\n'
    )
    program.chmod(0o700)
    key = tmp_path / "key.pem"
    key.write_text("not read by the stand-in\n")
    key.chmod(0o600)
    return SshTarget("standin-1", "127.0.0.1", 22, "root", key, ssh_program=str(program))


def test_relative_hostile_paths_mean_exactly_those_files(standin_target, sandbox, tmp_path):
    marker = tmp_path / "planted-command-ran"
    names = hostile_names(marker)
    local = tmp_path / "local"
    local.mkdir()
    for name in names:
        (local / name).write_bytes(os.fsencode(name))
        copy_file(standin_target, "put", local / name, name)
    assert {entry.name for entry in file_list(standin_target)} == set(names)
    assert sorted(os.listdir(sandbox)) == sorted(names)
    back = tmp_path / "back"
    back.mkdir()
    for name in names:
        copy_file(standin_target, "get", name, back)
        assert (back / name).read_bytes() == os.fsencode(name)
        delete_file(standin_target, name)
        make_directory(standin_target, f"{name}/{name}")
    assert sorted(os.listdir(sandbox)) == sorted(names)
    move_file(standin_target, "get", names[0], tmp_path / "moved", recursive=True)
    assert os.listdir(tmp_path / "moved") == [names[0]]
    assert not marker.exists()


def test_a_missing_remote_path_is_reported_as_such(standin_target):
    with pytest.raises(SSHError, match="does not exist"):
        file_list(standin_target, "-missing")
    result = capture_command(standin_target, ["ls", "--", "-missing"])
    assert result.exit_code != 0
