"""`gpueater sync`, `tunnel`, `jupyter` and `ssh-config` through the real entry point, against
an emulator whose instances are SSH targets on a private sshd (127.0.0.1)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest

from gpueater_ext._ssh.target import service_label
from tests.support.cli import GPUEATER, Cli
from tests.support.sshd_instances import EchoServer, exchange, launch
from tests.support.trees import hostile_tree
from tests.support.trees import read_tree as tree
from tests.support.web_console import console_rename

pytestmark = pytest.mark.sshd


@pytest.mark.slow
def test_sync_up_and_down_with_delete_excludes_and_gitignore(
    sshd_cli: Cli, running_instance: dict[str, Any], tmp_path: Path
) -> None:
    local = tmp_path / "project"
    expected = hostile_tree(local)
    (local / ".gitignore").write_text("*.log\n")
    (local / "debug.log").write_text("ignored")
    (local / "data.bin").write_text("excluded")
    expected[".gitignore"] = b"*.log\n"
    # On the instance, relative to its home; `remote` is the same folder on its disk here.
    remote = sshd_cli.emulator.disk(running_instance["instance_id"]) / "on the instance [1]"
    remote.mkdir()
    (remote / "stray").write_text("only remote")
    dst = f"box-1:{remote.name}"

    refused = sshd_cli("sync", str(local), dst, "--delete", "--gitignore")
    assert refused.code == 2
    assert "--yes" in refused.error_line
    assert (remote / "stray").exists()

    args = ["sync", str(local), dst, "--delete", "--gitignore", "--exclude", "*.bin", "--yes"]
    first = sshd_cli.ok(*args, "-o", "json").json()
    assert tree(remote) == expected
    assert first["deleted"] == ["stray"]
    assert sorted(first["transferred"]) == sorted(expected)

    second = sshd_cli.ok(*args, "-o", "json").json()
    assert (second["transferred"], second["deleted"]) == ([], [])

    back = tmp_path / "back"
    sshd_cli.ok("sync", dst, str(back))
    assert tree(back) == expected


def test_tunnel_carries_bytes_and_ends_cleanly_on_ctrl_c(
    sshd_cli: Cli, running_instance: dict[str, Any], echo_server: EchoServer
) -> None:
    with subprocess.Popen(
        [GPUEATER, "tunnel", "box-1", f"0:{echo_server.port}", "-o", "json"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=sshd_cli.env,
        cwd=sshd_cli.home,
        text=True,
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        try:
            shown = json.loads("".join(iter(process.stdout.readline, "}\n")) + "}")
            port = shown["local_port"]
            assert exchange(port, b"ping \x00\xff" * 1000) == b"PING \x00\xff" * 1000
            process.send_signal(signal.SIGINT)
            code = process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
        stderr = process.stderr.read()
    assert code == 130, stderr
    assert "Traceback" not in stderr
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_tunnel_on_a_taken_local_port_fails_at_once(
    sshd_cli: Cli, running_instance: dict[str, Any], echo_server: EchoServer
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = sshd_cli("tunnel", "box-1", f"{port}:{echo_server.port}")
    assert result.code == 1
    assert f"local port {port} is already in use" in result.error_line


def test_jupyter_without_jupyter_on_the_instance_says_so(
    sshd_cli: Cli, running_instance: dict[str, Any]
) -> None:
    remote_home = Path(os.path.expanduser(f"~{os.environ.get('USER', '')}"))
    if shutil.which("jupyter") or (remote_home / ".local" / "bin" / "jupyter").exists():
        pytest.skip("jupyter is installed where the test sshd runs commands")
    result = sshd_cli("jupyter", "box-1")
    assert result.code == 1
    assert "jupyter is not installed on box-1" in result.error_line


@pytest.mark.slow
def test_ssh_config_write_makes_plain_ssh_work_and_keeps_the_users_entries(
    sshd_cli: Cli, running_instance: dict[str, Any], tmp_path: Path
) -> None:
    # A tag this tool never sends (tests/sdk/test_tag_rule.py), given in the web console.
    odd = launch(sshd_cli, "odd")
    planted = "Odd tag\nHost *\n  ProxyCommand touch pwned"
    console_rename(sshd_cli.emulator, odd["instance_id"], planted)
    user_config = sshd_cli.home / ".ssh" / "config"
    own = b"Host personal\n    HostName personal.example\n    User me\n"
    user_config.write_bytes(own)

    first = sshd_cli.ok("ssh-config", "--write", "-o", "json").json()
    second = sshd_cli.ok("ssh-config", "--write", "-o", "json").json()
    assert (first["include_added"], second["include_added"]) == (True, False)
    content = user_config.read_bytes()
    assert content.count(b"Include ") == 1
    assert content.endswith(b"\n" + own)
    names = {host["instance_id"]: host["name"] for host in second["hosts"]}
    prefix = f"gpueater-{service_label(sshd_cli.emulator.url)}-"
    assert names[running_instance["instance_id"]] == prefix + "box-1"
    assert names[odd["instance_id"]] == prefix + "odd-tag-host-proxycommand-touch-pwned"

    written = Path(second["file"])
    for config in (written, user_config):
        for name in names.values():
            ran = subprocess.run(
                ["ssh", "-F", str(config), "-o", "BatchMode=yes", name, "true"],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=60,
                check=False,
            )
            assert ran.returncode == 0, ran.stderr
    assert not list(tmp_path.rglob("pwned"))

    sshd_cli.ok("terminate", odd["instance_id"], "--yes")
    third = sshd_cli.ok("ssh-config", "--write", "-o", "json").json()
    assert [host["name"] for host in third["hosts"]] == [prefix + "box-1"]
    assert (prefix + "odd").encode() not in written.read_bytes()
    assert user_config.read_bytes() == content
