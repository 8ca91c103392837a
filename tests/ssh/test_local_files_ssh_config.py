"""`ssh-config --write` from many processes at once, or killed at any step: the project's
file is one writer's whole text, `~/.ssh/config` gets one Include and keeps the user's own
text byte for byte, and no temporary is left behind."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from gpueater_ext._ssh.config import SshConfigHost, include_line, ssh_config_text, write_ssh_config
from gpueater_ext._ssh.target import SshTarget
from tests.support.local_files import (
    assert_private,
    forked_writer,
    in_parallel_processes,
    kill_at_every_step,
    temporaries,
)

OWN = b"Host personal\n    HostName personal.example\n    User me\n"


def hosts(writer: int, known_hosts: Path) -> list[SshConfigHost]:
    found = []
    for n in range(3):
        instance_id = f"w{writer}-{n}"
        target = SshTarget(instance_id, "127.0.0.1", 2200 + n, "root", Path("/keys/k.pem"),
                           known_hosts=known_hosts)  # fmt: skip
        found.append(SshConfigHost(f"gpueater-box-{instance_id}", instance_id, "box", target))
    return found


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path, Path]:
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True, mode=0o700)
    (tmp_path / "config").mkdir(mode=0o700)
    user_config = home / ".ssh" / "config"
    user_config.write_bytes(OWN)
    user_config.chmod(0o600)
    return home, tmp_path / "config" / "ssh_config", user_config


def test_twenty_parallel_writers_leave_one_include_and_a_whole_file(layout):
    home, project, user_config = layout
    known_hosts = project.with_name("known_hosts")
    texts = {ssh_config_text(hosts(n, known_hosts)).encode() for n in range(20)}

    def writer(n: int):
        return lambda: write_ssh_config(
            hosts(n, known_hosts), service_url=None, path=project, user_config=user_config
        )

    in_parallel_processes([writer(n) for n in range(20)], home)
    assert project.read_bytes() in texts
    content = user_config.read_bytes()
    assert content.count(b"Include ") == 1
    assert content.endswith(b"\n" + OWN)
    assert user_config.with_name("config.gpueater-backup").read_bytes() == OWN
    assert temporaries(project.parent, user_config.parent) == []
    assert sorted(p.name for p in user_config.parent.iterdir()) == [
        "config",
        "config.gpueater-backup",
    ]
    assert_private([project, user_config])


@pytest.mark.slow
def test_a_writer_killed_at_any_step_leaves_old_or_new_files(layout):
    home, project, user_config = layout
    known_hosts = project.with_name("known_hosts")
    old_project = ssh_config_text(hosts(1, known_hosts)).encode()
    new_project = ssh_config_text(hosts(2, known_hosts)).encode()
    with_include = b"# Added by gpueater: Host blocks of your GPUEater instances.\n"
    with_include += include_line(project).encode() + b"\n" + OWN
    backup = user_config.with_name("config.gpueater-backup")

    def reset() -> None:
        project.write_bytes(old_project)
        user_config.write_bytes(OWN)
        backup.unlink(missing_ok=True)

    def after_kill(step: int) -> None:
        assert project.read_bytes() in (old_project, new_project), step
        assert user_config.read_bytes() in (OWN, with_include), step
        assert not backup.exists() or backup.read_bytes() == OWN, step
        assert_private(temporaries(project.parent, user_config.parent))

    writer = forked_writer(
        lambda: write_ssh_config(
            hosts(2, known_hosts), service_url=None, path=project, user_config=user_config
        ),
        home,
    )
    kills = kill_at_every_step(writer, after_kill, before=reset)
    assert kills >= 20
    assert (project.read_bytes(), user_config.read_bytes()) == (new_project, with_include)
    assert temporaries(project.parent, user_config.parent) == []
    assert stat.S_IMODE(user_config.stat().st_mode) == 0o600
