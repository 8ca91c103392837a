"""Terminating many instances at once forgets every one of their host keys and nothing
else, with no stray files (issue 17: a bulk terminate of 10 left 3-4 keys; 20 parallel
`gpueater terminate` left 10 of 20 and 31 `known_hosts.*` files)."""

from __future__ import annotations

import asyncio
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest

from gpueater_ext import AsyncGPUEater
from gpueater_ext._ssh.target import host_key_alias
from tests.support.cli import GPUEATER, Cli

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + "Q" * 43


def launch_fleet(cli: Cli, count: int) -> list[str]:
    emulator = cli.emulator

    async def scenario() -> list[str]:
        async with AsyncGPUEater(
            emulator.url, email=emulator.email, password=emulator.password
        ) as eater:
            catalog = await eater.ondemand_list()
            pair = await eater.generate_ssh_key()
            key = await eater.register_ssh_key(name="fleet", public_key=pair.public_key)
            options: dict[str, Any] = {
                "product_id": catalog.get_product("a1.rx580").id,
                "image": catalog.get_image("Ubuntu16.04 x64").alias,
                "ssh_key_id": key.id,
            }

            async def launch(number: int) -> Any:
                return await eater.launch_ondemand_instance(**options, tag=f"fleet-{number}")

            launched = await eater.bulk(launch, range(count), concurrency=8)
            assert [result.error for result in launched if not result.ok] == []
            return [result.value.instance_id for result in launched if result.value]

    return asyncio.run(scenario())


def record_keys(cli: Cli, instance_ids: list[str]) -> Path:
    """The project's known_hosts as ssh leaves it after connecting to each instance."""
    folder = cli.home / ".config" / "gpueater"
    folder.mkdir(parents=True, mode=0o700)
    path = folder / "known_hosts"
    lines = [f"{host_key_alias(i, cli.emulator.url)} {KEY}\n" for i in instance_ids]
    path.write_text("".join(lines))
    path.chmod(0o600)
    return path


def recorded_aliases(path: Path) -> list[str]:
    return [x.split()[0] for x in path.read_text().splitlines() if x and not x.startswith("#")]


def assert_only_file(path: Path) -> None:
    assert [p.name for p in path.parent.iterdir()] == ["known_hosts"]  # no known_hosts.*
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.slow
def test_twenty_parallel_terminates_forget_all_their_keys(cli: Cli):
    *doomed, standing = launch_fleet(cli, 21)
    known_hosts = record_keys(cli, [*doomed, standing])
    running = [
        subprocess.Popen(
            [GPUEATER, "terminate", instance_id, "--yes"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=cli.env,
            cwd=cli.home,
        )
        for instance_id in doomed
    ]
    for process in running:
        _, error = process.communicate(timeout=120)
        assert process.returncode == 0, error
    assert recorded_aliases(known_hosts) == [host_key_alias(standing, cli.emulator.url)]
    assert_only_file(known_hosts)


def test_a_bulk_terminate_forgets_all_their_keys(cli: Cli, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HOME", str(cli.home))
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    *doomed, standing = launch_fleet(cli, 16)
    known_hosts = record_keys(cli, [*doomed, standing])
    emulator = cli.emulator

    async def terminate_all() -> None:
        async with AsyncGPUEater(
            emulator.url, email=emulator.email, password=emulator.password
        ) as eater:
            instances = [i for i in await eater.instance_list() if i.instance_id in doomed]
            results = await eater.bulk(eater.terminate_instance, instances, concurrency=15)
            assert [r.error for r in results if not r.ok] == []

    asyncio.run(terminate_all())
    assert recorded_aliases(known_hosts) == [host_key_alias(standing, cli.emulator.url)]
    assert_only_file(known_hosts)
