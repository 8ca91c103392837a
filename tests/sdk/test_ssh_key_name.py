"""A hostile `ssh_key_file_name` from the service never names a path outside ~/.ssh."""

from __future__ import annotations

from pathlib import Path

import pytest

from gpueater_ext import Instance, SSHError
from tests.sdk.fakes import instance

HOSTILE_NAMES = ["../../x/evil", "..", "a/b", "..\\..\\evil", "k\x1b[2J", "k\u202e", ""]


@pytest.mark.parametrize("name", [n for n in HOSTILE_NAMES if n])
def test_ssh_key_path_and_ssh_command_refuse_the_same_names(name: str) -> None:
    server = Instance(**{**instance(), "ssh_key_file_name": name})
    with pytest.raises(SSHError, match="cannot name a key file") as from_path:
        _ = server.ssh_key_path
    with pytest.raises(SSHError, match="cannot name a key file") as from_command:
        server.ssh_command()
    assert str(from_path.value) == str(from_command.value)


def test_a_plain_name_stays_inside_the_ssh_folder() -> None:
    server = Instance(**{**instance(), "ssh_key_file_name": "my_key"})
    path = server.ssh_key_path
    assert path == Path.home() / ".ssh" / "my_key.pem"
    assert f'IdentityFile="{path}"' in server.ssh_command()


def test_no_name_is_no_path() -> None:
    assert Instance(**{**instance(), "ssh_key_file_name": None}).ssh_key_path is None
