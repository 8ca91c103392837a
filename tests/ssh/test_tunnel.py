"""Tunnels against a real sshd: bytes both ways, a taken local port, closing."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from gpueater_ext._errors import SSHError
from gpueater_ext._ssh.target import SshTarget
from gpueater_ext._ssh.tunnel import open_tunnel
from tests.support.sshd_instances import EchoServer, exchange

pytestmark = pytest.mark.sshd


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        yield listener.getsockname()[1]


def test_a_tunnel_carries_bytes_both_ways_and_closes(
    ssh_target: SshTarget, echo_server: EchoServer
) -> None:
    payload = bytes(range(256)) * 512  # 128 KiB, every byte value
    with open_tunnel(ssh_target, 0, echo_server.port) as tunnel:
        assert tunnel.is_open
        assert tunnel.url("/lab") == f"http://127.0.0.1:{tunnel.local_port}/lab"
        assert exchange(tunnel.local_port, payload) == payload.upper()
        assert exchange(tunnel.local_port, b"second connection") == b"SECOND CONNECTION"
    assert not tunnel.is_open
    with pytest.raises(ConnectionRefusedError):  # nothing listens there any more
        socket.create_connection(("127.0.0.1", tunnel.local_port), timeout=2).close()


def test_a_taken_local_port_fails_at_once(
    ssh_target: SshTarget, echo_server: EchoServer, taken_port: int
) -> None:
    with pytest.raises(SSHError, match=f"local port {taken_port} is already in use"):
        open_tunnel(ssh_target, taken_port, echo_server.port)


def test_ssh_itself_refuses_a_port_taken_after_the_check(
    ssh_target: SshTarget,
    echo_server: EchoServer,
    taken_port: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ExitOnForwardFailure: ssh exits instead of running without its forward."""
    monkeypatch.setattr("gpueater_ext._ssh.tunnel.check_local_port_free", lambda port: port)
    with pytest.raises(SSHError, match="opening a tunnel") as raised:
        open_tunnel(ssh_target, taken_port, echo_server.port)
    assert "forwarding" in str(raised.value).lower() or "bind" in str(raised.value).lower()


def test_a_missing_key_fails_before_ssh_starts(
    ssh_target: SshTarget, tmp_path: Path, echo_server: EchoServer
) -> None:
    target = SshTarget(
        ssh_target.instance_id,
        ssh_target.host,
        ssh_target.port,
        ssh_target.user,
        tmp_path / "absent.pem",
    )
    with pytest.raises(SSHError, match="not found"):
        open_tunnel(target, 0, echo_server.port)
