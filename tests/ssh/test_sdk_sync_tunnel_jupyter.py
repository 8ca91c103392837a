"""The methods themselves: the seed's module API (form dicts) and AsyncGPUEater reach the
same sync and tunnel, for an instance the emulator's --sshd mode runs."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import gpueater
from gpueater_ext import AsyncGPUEater, GPUEater
from tests.support.cli import Cli
from tests.support.sshd_instances import EchoServer, exchange
from tests.support.trees import read_tree

pytestmark = pytest.mark.sshd


@pytest.fixture
def as_the_cli_user(sshd_cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """This process sees the CLI's HOME (its keys) and config folder (its known_hosts)."""
    monkeypatch.setenv("HOME", str(sshd_cli.home))
    monkeypatch.setenv("XDG_CONFIG_HOME", sshd_cli.env["XDG_CONFIG_HOME"])
    emulator = sshd_cli.emulator
    yield {"url": emulator.url, "email": emulator.email, "password": emulator.password}
    gpueater.set_client(None)


def test_the_module_api_syncs_and_tunnels_with_form_dicts(
    sshd_cli: Cli,
    as_the_cli_user: dict[str, Any],
    running_instance: dict[str, Any],
    echo_server: EchoServer,
    tmp_path: Path,
) -> None:
    with GPUEater(**as_the_cli_user) as client:
        gpueater.set_client(client)
        local = tmp_path / "local"
        local.mkdir()
        (local / "weights.bin").write_bytes(b"\x00" * 1000)
        form = {"instance_id": running_instance["instance_id"], "action": "put"}
        result = gpueater.synchronize_files(form, src=str(local), dst="remote")
        assert result["transferred"] == ["weights.bin"]
        # A relative path is in the instance's home: its disk.
        disk = sshd_cli.emulator.disk(running_instance["instance_id"])
        assert read_tree(disk / "remote") == {"weights.bin": b"\x00" * 1000}

        tunnel_form = {"instance_id": running_instance["instance_id"], "port": 0}
        with gpueater.tunnel(tunnel_form, remote_port=echo_server.port) as opened:
            assert exchange(opened.local_port, b"form") == b"FORM"


def test_the_async_client_opens_and_closes_a_tunnel(
    as_the_cli_user: dict[str, Any], running_instance: dict[str, Any], echo_server: EchoServer
) -> None:
    async def use_tunnel() -> int:
        async with (
            AsyncGPUEater(**as_the_cli_user) as client,
            await client.tunnel(running_instance["tag"], 0, echo_server.port) as opened,
        ):
            reply = await asyncio.to_thread(exchange, opened.local_port, b"async")
            assert reply == b"ASYNC"
            assert opened.is_open
        assert not opened.is_open
        return opened.local_port

    port = asyncio.run(use_tunnel())
    with pytest.raises(ConnectionRefusedError):
        exchange(port, b"closed")
