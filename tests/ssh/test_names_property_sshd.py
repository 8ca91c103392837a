"""200+ generated names through the real sshd: up, listed, down, byte for byte.

Each example carries a batch of names in one folder copy each way (names travel inside the
tar stream and through `find`), and uses two of them as paths on ssh's command line.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gpueater_ext._ssh import copy_file, delete_file, file_list
from tests.ssh.names import file_names, planted_commands

pytestmark = pytest.mark.sshd

BATCH = 20
EXAMPLES = 10


def files_in(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in os.listdir(folder)}


@pytest.mark.slow
def test_two_hundred_generated_names_round_trip(ssh_target, tmp_path_factory):
    marker = tmp_path_factory.mktemp("markers") / "planted-command-ran"
    local_root = tmp_path_factory.mktemp("local")
    remote_root = tmp_path_factory.mktemp("remote")
    checked: list[str] = []
    names = file_names(planted_commands(marker))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(batch=st.lists(names, min_size=BATCH, max_size=BATCH, unique=True))
    def check(batch: list[str]) -> None:
        local = local_root / f"{len(checked)} up"
        back = local_root / f"{len(checked)} back"
        remote = remote_root / str(len(checked))
        local.mkdir()
        content = {name: os.fsencode(name) + b"\x00\n" for name in batch}
        for name, data in content.items():
            (local / name).write_bytes(data)
        copy_file(ssh_target, "put", local, str(remote), recursive=True)
        assert files_in(remote) == content
        assert [entry.name for entry in file_list(ssh_target, str(remote))] == sorted(batch)
        copy_file(ssh_target, "get", str(remote), back, recursive=True)
        assert files_in(back) == content
        # Two names as paths on the command line: one up into a folder named by the other.
        first, second = batch[0], batch[1]
        (remote / second).unlink()
        (remote / second).mkdir()
        copy_file(ssh_target, "put", local / first, str(remote / second))
        copy_file(ssh_target, "get", str(remote / second / first), back / second)
        assert (back / second).read_bytes() == content[first]
        delete_file(ssh_target, str(remote), recursive=True)
        assert not remote.exists()
        assert not marker.exists()
        checked.extend(batch)

    check()
    assert len(checked) >= 200
