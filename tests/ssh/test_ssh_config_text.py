"""ssh_config text and the ~/.ssh/config edit, without a server: names, quoting, Include."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gpueater_ext._models import Instance
from gpueater_ext._ssh.config import (
    host_names,
    include_line,
    ssh_config_hosts,
    ssh_config_text,
    write_ssh_config,
)
from gpueater_ext._ssh.target import service_label

DIRECTIVES = {
    "HostName",
    "Port",
    "User",
    "IdentityFile",
    "IdentitiesOnly",
    "HostKeyAlias",
    "HashKnownHosts",
    "UpdateHostKeys",
    "UserKnownHostsFile",
    "GlobalKnownHostsFile",
    "StrictHostKeyChecking",
    "CheckHostIP",
    "ServerAliveInterval",
    "ServerAliveCountMax",
}


def instance(instance_id: str, tag: str, state: str = "RUNNING") -> Instance:
    return Instance(
        instance_id=instance_id,
        machine_resource_id="m" + instance_id,
        connection_id="c" + instance_id,
        tag=tag,
        state=state,
        ipv4="203.0.113.7",
        sshd_port=2222,
        sshd_user="ubuntu",
        ssh_key_file_name="work key",
    )


HOSTILE_TAGS = [
    "web-1",
    "Web-1",
    "web 1",
    "x\nHost *\n    ProxyCommand touch /tmp/pwned",
    'q"uote',
    "*",
    "!neg,comma",
    "",
    "ünï",
    "web-1-i2",
]


def test_host_names_are_safe_patterns_and_unique() -> None:
    instances = [instance(f"i{n}", tag) for n, tag in enumerate(HOSTILE_TAGS)]
    names = host_names(instances)
    assert len(set(names.values())) == len(instances)
    for name in names.values():
        assert re.fullmatch(r"gpueater-[0-9a-f]{8}-[a-z0-9][a-z0-9._-]*", name), name
    assert names["i0"] != names["i1"]  # "web-1" and "Web-1" clash once lowercased
    # nothing usable in the tag: the id
    assert names["i7"] == f"gpueater-{service_label(None)}-i7"


def test_no_tag_or_path_adds_a_directive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / 'home "with" %h spaces'))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    instances = [instance(f"i{n}", tag) for n, tag in enumerate(HOSTILE_TAGS)]
    instances.append(instance("stopped", "stopped", state="STOPPED"))
    hosts, skipped = ssh_config_hosts(instances)
    assert skipped == []
    assert [host.instance_id for host in hosts] == [f"i{n}" for n in range(len(HOSTILE_TAGS))]
    text = ssh_config_text(hosts)
    blocks = 0
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if line.startswith("Host "):
            blocks += 1
            continue
        keyword, _, value = line.strip().partition(" ")
        assert line.startswith("    ")
        assert keyword in DIRECTIVES, line
        if keyword in ("IdentityFile", "UserKnownHostsFile"):
            assert value.startswith('"')
            assert value.endswith('"')
            assert "%h" not in value.replace("%%", "")
    assert blocks == len(HOSTILE_TAGS)


def test_include_goes_on_top_once_and_the_users_entries_stay_byte_for_byte(
    tmp_path: Path,
) -> None:
    user_config = tmp_path / "ssh" / "config"
    user_config.parent.mkdir()
    own = b"Host work\n    HostName work.example\r\n    User me\n# no newline at the end"
    user_config.write_bytes(own)
    user_config.chmod(0o640)
    project = tmp_path / "gpueater config" / "ssh_config"

    first = write_ssh_config([], service_url=None, path=project, user_config=user_config)
    second = write_ssh_config([], service_url=None, path=project, user_config=user_config)

    assert (first.include_added, second.include_added) == (True, False)
    content = user_config.read_bytes()
    include = include_line(project).encode()
    assert content.startswith(b"# Added by gpueater")
    assert content.splitlines(keepends=True)[1] == include
    assert content.count(include) == 1
    assert content.endswith(b"\n" + own)
    assert user_config.stat().st_mode & 0o777 == 0o640
    assert first.backup is not None
    assert first.backup.read_bytes() == own
    assert project.stat().st_mode & 0o777 == 0o600


def test_a_symlinked_config_is_edited_where_it_points(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "ssh_config"
    real.parent.mkdir()
    real.write_bytes(b"Host a\n")
    link = tmp_path / "ssh" / "config"
    link.parent.mkdir()
    link.symlink_to(real)
    write_ssh_config([], service_url=None, path=tmp_path / "project", user_config=link)
    assert link.is_symlink()
    assert real.read_bytes().endswith(b"\nHost a\n")


def test_include_escapes_globs_and_quotes() -> None:
    assert include_line(Path('/x/a*b "c"/f')) == 'Include "/x/a\\\\*b \\"c\\"/f"\n'


def blocks_of(text: str) -> dict[str, str]:
    """Host name -> its whole block (the comment line included), as the file holds it."""
    found = {}
    for chunk in text.split("\n\n")[1:]:
        found[chunk.splitlines()[1].removeprefix("Host ")] = chunk.rstrip("\n") + "\n"
    return found


def test_a_write_replaces_its_own_services_blocks_and_keeps_the_others(tmp_path: Path) -> None:
    from gpueater_ext._models import from_service

    project, user_config = tmp_path / "ssh_config", tmp_path / ".ssh" / "config"
    ours, theirs = instance("1", "web-1"), instance("2", "web-1")
    from_service([ours], "https://a.example")
    from_service([theirs], "https://b.example")

    def write(hosts: list[Instance], url: str) -> None:
        found = ssh_config_hosts(hosts)[0]
        write_ssh_config(found, service_url=url, path=project, user_config=user_config)

    write([ours], "https://a.example")
    write([theirs], "https://b.example")
    both = blocks_of(project.read_text())
    label_a, label_b = service_label("https://a.example"), service_label("https://b.example")
    assert set(both) == {f"gpueater-{label_a}-web-1", f"gpueater-{label_b}-web-1"}
    write([], "https://a.example")  # a's instance was terminated: its block drops out
    left = blocks_of(project.read_text())
    assert left == {f"gpueater-{label_b}-web-1": both[f"gpueater-{label_b}-web-1"]}


def test_a_block_edited_by_hand_is_not_carried_over(tmp_path: Path) -> None:
    from gpueater_ext._models import from_service

    project, user_config = tmp_path / "ssh_config", tmp_path / ".ssh" / "config"
    theirs = instance("2", "db")
    from_service([theirs], "https://b.example")
    write_ssh_config(
        ssh_config_hosts([theirs])[0], service_url="https://b.example", path=project,
        user_config=user_config,
    )  # fmt: skip
    edited = project.read_text().replace("    Port 2222\n", "    ProxyCommand touch pwned\n")
    project.write_text(edited + '\n# instance 9, tag "x"\nHost *\n    User root\n')
    write_ssh_config([], service_url="https://a.example", path=project, user_config=user_config)
    text = project.read_text()
    assert "ProxyCommand" not in text
    assert "Host *" not in text
    assert "Host gpueater-" not in text  # the edited block was dropped, not half-kept


def test_the_clients_write_keeps_another_services_blocks(emulator, tmp_path, monkeypatch):
    from gpueater_ext import GPUEater
    from gpueater_ext._models import from_service
    from gpueater_ext._ssh.config import project_ssh_config_file

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    elsewhere = instance("2", "db")
    from_service([elsewhere], "https://b.example")
    project = project_ssh_config_file()
    project.parent.mkdir(parents=True)
    write_ssh_config(
        ssh_config_hosts([elsewhere])[0], service_url="https://b.example", path=project,
        user_config=tmp_path / ".ssh" / "config",
    )  # fmt: skip
    kept = blocks_of(project.read_text())
    with GPUEater(emulator.url, email=emulator.email, password=emulator.password) as eater:
        written = eater.ssh_config(write=True).written
    assert written is not None
    assert written.path == project
    assert blocks_of(project.read_text()) == kept  # the emulator has no instance running
