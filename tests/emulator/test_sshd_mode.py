"""`--sshd`: emulated instances become real SSH targets on 127.0.0.1."""

from __future__ import annotations

import os
import pwd
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from gpueater_emulator import create_app, server
from gpueater_emulator._sshd import PrivateSshd, SshdNotInstalledError
from tests.emulator.in_process import InProcessClient
from tests.emulator_process import EmulatorProcess, start_emulator

SERVERS = "/console/servers"


def _require_sshd() -> None:
    try:
        PrivateSshd()
    except SshdNotInstalledError as missing:
        if os.environ.get("GPUEATER_REQUIRE_SSHD"):
            pytest.fail(f"GPUEATER_REQUIRE_SSHD is set, but: {missing}")
        pytest.skip(str(missing))


@pytest.fixture(scope="module")
def sshd_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorProcess]:
    _require_sshd()
    emulator = start_emulator(tmp_path_factory.mktemp("sshd-emulator"), "--sshd")
    try:
        yield emulator
    finally:
        assert emulator.stop() == 0


def _ssh(instance: dict[str, Any], key: Path, command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            "ssh",
            "-F",
            "/dev/null",
            "-i",
            str(key),
            "-p",
            str(instance["sshd_port"]),
            "-o",
            "BatchMode=yes",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "ConnectTimeout=10",
            f"{instance['sshd_user']}@{instance['ipv4']}",
            command,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.sshd
def test_a_running_instance_accepts_its_key_until_terminated(sshd_emulator, tmp_path):
    with httpx.Client(base_url=sshd_emulator.url, timeout=10) as client:
        client.post(
            "/api_login", data={"email": sshd_emulator.email, "password": sshd_emulator.password}
        )
        pair = client.get(f"{SERVERS}/ssh_key_gen").json()["data"]
        key = client.post(
            f"{SERVERS}/register_ssh_key", data={"name": "real", "public_key": pair["public_key"]}
        ).json()["data"]
        form = {"product_id": "3", "image": "ubuntu-16.04-x64", "ssh_key_id": key["id"]}
        assert client.post(f"{SERVERS}/launch_ondemand_instance", data=form).json()["error"] is None
        instance = client.get(f"{SERVERS}/instance_list").json()["data"][0]
        assert instance["state"] == "RUNNING"
        assert (instance["ipv4"], instance["sshd_user"]) == (
            "127.0.0.1",
            pwd.getpwuid(os.geteuid()).pw_name,
        )
        assert instance["sshd_port"] != 22

        private_key = tmp_path / "real.pem"
        private_key.write_text(pair["private_key"])
        private_key.chmod(0o600)
        answered = _ssh(instance, private_key, "echo hello from the emulator")
        assert answered.returncode == 0, answered.stderr
        assert answered.stdout.strip() == "hello from the emulator"

        renewed = client.post(
            f"{SERVERS}/renew_ipv4", data={"instance_id": instance["instance_id"]}
        ).json()["data"]
        assert renewed["instance_status"]["global_ipv4"] == "127.0.0.1"

        action = {k: instance[k] for k in ("instance_id", "machine_resource_id")}
        assert client.post(f"{SERVERS}/force_terminate", data=action).json()["error"] is None
    refused = _ssh(instance, private_key, "true")
    assert refused.returncode == 255
    assert "Permission denied" in refused.stderr


class RecordingEndpoint:
    """Stands in for the private sshd: remembers which keys it was told to accept."""

    host = "127.0.0.1"
    port = 2222
    user = "tester"

    def __init__(self) -> None:
        self.keys: set[str] = set()

    def authorize(self, public_key_line: str) -> None:
        self.keys.add(public_key_line)

    def revoke(self, public_key_line: str) -> None:
        self.keys.discard(public_key_line)


def test_a_key_stays_authorized_while_any_running_instance_uses_it(emulator_settings):
    endpoint = RecordingEndpoint()
    emulator_settings.ssh_endpoint = endpoint
    with InProcessClient(create_app(emulator_settings)) as client:
        client.log_in()
        pair = client.data("GET", "ssh_key_gen")
        key = client.data(
            "POST", "register_ssh_key", data={"name": "k", "public_key": pair["public_key"]}
        )
        form = {"product_id": "3", "image": "ubuntu-16.04-x64", "ssh_key_id": key["id"]}
        client.data("POST", "launch_ondemand_instance", data=form)
        client.data("POST", "launch_ondemand_instance", data=form)
        first, second = client.data("GET", "instance_list")
        assert (first["ipv4"], first["sshd_port"], first["sshd_user"]) == (
            "127.0.0.1",
            2222,
            "tester",
        )
        identity = " ".join(pair["public_key"].split()[:2])
        assert endpoint.keys == {identity}

        def act(path: str, instance: dict[str, Any]) -> None:
            client.data(
                "POST", path, data={k: instance[k] for k in ("instance_id", "machine_resource_id")}
            )

        act("stop", first)
        client.data("GET", "instance_list")
        assert endpoint.keys == {identity}  # the second instance still runs with it
        act("force_terminate", second)
        assert endpoint.keys == set()
        act("start", first)
        client.data("GET", "instance_list")  # RUNNING again on this read
        assert endpoint.keys == {identity}
        client.request("POST", "/_emulator/reset")
        assert endpoint.keys == set()


def test_without_sshd_the_option_fails_at_once_with_one_line(monkeypatch, capsys):
    def not_installed() -> PrivateSshd:
        raise SshdNotInstalledError(
            "OpenSSH server not found: install it with `apt-get install openssh-server`"
        )

    monkeypatch.setattr(server, "PrivateSshd", not_installed)
    assert server.main(["--sshd", "--port", "0"]) == 2
    printed = capsys.readouterr().err.strip()
    assert len(printed.splitlines()) == 1
    assert "openssh-server" in printed
