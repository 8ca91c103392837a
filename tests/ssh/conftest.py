"""A real OpenSSH server on 127.0.0.1 for the SSH tests, with everything in temporary folders.

Tests marked `sshd` skip when no OpenSSH server is installed, unless GPUEATER_REQUIRE_SSHD is
set (CI sets it), in which case a missing server fails them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gpueater_emulator._sshd import PrivateSshd
from gpueater_ext._ssh.target import SshTarget
from tests.support.sshd import ClientKey, generate_client_key, new_private_sshd


@pytest.fixture(scope="package")
def isolated_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """HOME and the config folder (so the project's known_hosts) inside a temporary folder.

    The config folder's name holds a space, a '%' and a quote on purpose: ssh reads option
    values with its own quoting and %-token rules, and the SSH layer must survive them.
    Package scope: the patched HOME ends with the last SSH test.
    """
    root = tmp_path_factory.mktemp("home")
    home = root / "home"
    config = root / 'config dir %h "q"'
    home.mkdir()
    config.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(home))
        patch.setenv("XDG_CONFIG_HOME", str(config))
        yield home


@pytest.fixture(scope="session")
def private_sshd() -> Iterator[PrivateSshd]:
    with new_private_sshd() as sshd:
        yield sshd


@pytest.fixture(scope="session")
def client_key(tmp_path_factory: pytest.TempPathFactory, private_sshd: PrivateSshd) -> ClientKey:
    """A key pair the session's sshd accepts; its folder name needs quoting for ssh too."""
    key = generate_client_key(tmp_path_factory.mktemp("keys") / "client keys %r")
    private_sshd.authorize(key.public_line)
    return key


@pytest.fixture(scope="package")
def ssh_target(isolated_home: Path, private_sshd: PrivateSshd, client_key: ClientKey) -> SshTarget:
    """The session's sshd as an instance; known_hosts is the project's default location."""
    return SshTarget(
        instance_id="ssh-test-1",
        host=private_sshd.host,
        port=private_sshd.port,
        user=private_sshd.user,
        key_file=client_key.private,
    )


@pytest.fixture
def remote_folder(tmp_path: Path) -> Path:
    """A folder the instance side works in (the sshd runs on this machine)."""
    folder = tmp_path / "remote side"
    folder.mkdir()
    return folder


@pytest.fixture
def local_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "local side"
    folder.mkdir()
    return folder
