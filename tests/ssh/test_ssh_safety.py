"""Host keys, key files and targets: the checks that stand between a user and a bad connection."""

from __future__ import annotations

import dataclasses
import os
import stat
from pathlib import Path

import pytest

from gpueater_ext._errors import SSHError
from gpueater_ext._ssh import (
    HostKeyChangedError,
    SshTarget,
    capture_command,
    copy_file,
    default_key_file,
    forget_host_key,
    known_hosts_file,
    run_command,
    save_ssh_key,
    ssh_argv,
)
from gpueater_ext._ssh.target import host_key_alias, service_label
from tests.support.sshd import new_private_sshd


@pytest.mark.sshd
def test_host_key_is_recorded_under_the_alias_in_the_projects_file(ssh_target, isolated_home):
    assert capture_command(ssh_target, ["true"]).exit_code == 0
    path = known_hosts_file()
    assert path.is_relative_to(Path(os.environ["XDG_CONFIG_HOME"]))
    assert path.read_text().split()[0] == host_key_alias("ssh-test-1")
    assert not (isolated_home / ".ssh" / "known_hosts").exists()


@pytest.mark.sshd
def test_a_changed_host_key_is_refused_with_an_explanation(ssh_target, client_key, local_folder):
    # A second server answering as the same instance presents a different host key.
    assert capture_command(ssh_target, ["true"]).exit_code == 0
    with new_private_sshd() as impostor:
        impostor.authorize(client_key.public_line)
        moved = dataclasses.replace(ssh_target, port=impostor.port)
        with pytest.raises(HostKeyChangedError) as refused:
            capture_command(moved, ["touch", str(local_folder / "ran")])
        message = str(refused.value)
        assert host_key_alias("ssh-test-1") in message
        assert f"ssh-keygen -R {host_key_alias('ssh-test-1')} -f " in message
        with pytest.raises(HostKeyChangedError):
            copy_file(moved, "get", "/etc/hostname", local_folder / "x")
        with pytest.raises(HostKeyChangedError):
            run_command(moved, ["touch", str(local_folder / "ran")])
        assert list(local_folder.iterdir()) == []
        # Forgetting the alias, as terminating does, lets the new key be learnt.
        forget_host_key("ssh-test-1")
        assert capture_command(moved, ["true"]).exit_code == 0
    forget_host_key("ssh-test-1")
    assert capture_command(ssh_target, ["true"]).exit_code == 0


def test_missing_key_file_is_a_one_line_error(tmp_path):
    target = SshTarget("i-1", "127.0.0.1", 22, "root", tmp_path / "absent.pem", ssh_program="false")
    with pytest.raises(SSHError) as missing:
        capture_command(target, ["true"])
    message = str(missing.value)
    assert "\n" not in message
    assert "not found" in message
    assert str(tmp_path / "absent.pem") in message


def test_key_file_readable_by_others_is_a_one_line_error(tmp_path):
    key = tmp_path / "exposed.pem"
    key.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")  # checked before ssh reads it
    key.chmod(0o644)
    target = SshTarget("i-1", "127.0.0.1", 22, "root", key, ssh_program="false")
    with pytest.raises(SSHError) as exposed:
        run_command(target, ["true"])
    message = str(exposed.value)
    assert "\n" not in message
    assert "0644" in message
    assert f"chmod 600 {key}" in message


@pytest.mark.parametrize(
    "changes",
    [
        {"host": "-oProxyCommand=touch x"},
        {"host": "a b"},
        {"host": ""},
        {"user": "-lroot"},
        {"user": "root;id"},
        {"port": 0},
        {"port": 70000},
        {"port": True},
        {"instance_id": "../x"},
        {"instance_id": "-R"},
    ],
)
def test_values_ssh_could_misread_are_rejected(changes):
    fields = {"instance_id": "i-1", "host": "127.0.0.1", "port": 22, "user": "root"}
    with pytest.raises(SSHError):
        SshTarget(**(fields | changes), key_file=Path("k"))


def test_save_ssh_key_writes_0600_in_a_0700_folder_and_never_overwrites(isolated_home):
    path = save_ssh_key("my-key", "-----BEGIN OPENSSH PRIVATE KEY-----\nabc")
    assert path == default_key_file("my-key") == isolated_home / ".ssh" / "my-key.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert path.read_text().endswith("abc\n")
    with pytest.raises(SSHError, match="already exists"):
        save_ssh_key("my-key", "other")
    assert path.read_text().endswith("abc\n")


def test_save_ssh_key_does_not_follow_a_planted_link(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("precious")
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "k.pem").symlink_to(victim)
    with pytest.raises(SSHError):
        save_ssh_key("k", "secret", folder=tmp_path / "keys")
    assert victim.read_text() == "precious"


@pytest.mark.parametrize("name", ["", ".", "..", "a/b", "new\nline"])
def test_key_names_that_are_not_file_names_are_rejected(name, tmp_path):
    with pytest.raises(SSHError):
        save_ssh_key(name, "secret", folder=tmp_path)


def test_key_and_known_hosts_paths_reach_ssh_as_exactly_those_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = SshTarget("i-1", "127.0.0.1", 22, "root", Path("~root"))
    argv = ssh_argv(target, Path('known "hosts" %h'), ["true"])
    assert f'IdentityFile="{tmp_path}/~root"' in argv
    assert f'UserKnownHostsFile="{tmp_path}/known \\"hosts\\" %%h"' in argv
    assert argv[argv.index("--") :] == ["--", "127.0.0.1", "true"]


@dataclasses.dataclass
class ListedInstance:
    instance_id: str = "i-9"
    ipv4: str | None = "203.0.113.9"
    sshd_port: int | None = None
    sshd_user: str | None = None
    ssh_key_file_name: str | None = "team key"


def test_target_for_an_instance_uses_its_own_endpoint_and_key(isolated_home):
    target = SshTarget.for_instance(ListedInstance(sshd_port=2222, sshd_user="ubuntu"))
    assert (target.host, target.port, target.user) == ("203.0.113.9", 2222, "ubuntu")
    assert target.key_file == isolated_home / ".ssh" / "team key.pem"
    assert target.host_key_alias == f"gpueater-{service_label(None)}-i-9"
    defaults = SshTarget.for_instance(ListedInstance(), key_file="/keys/k.pem")
    assert (defaults.port, defaults.user, defaults.key_file) == (22, "root", Path("/keys/k.pem"))
    with pytest.raises(SSHError, match="no IPv4"):
        SshTarget.for_instance(ListedInstance(ipv4=None))
    with pytest.raises(SSHError, match="names no key file"):
        SshTarget.for_instance(ListedInstance(ssh_key_file_name=None))
