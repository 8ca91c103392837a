"""`--sshd`: each emulated instance is a machine of its own, a real SSH target.

Its own disk (the login shell's home), loopback address, port and host key; on Linux as root
its own mount and PID namespaces (the rest of the filesystem read-only, a private /tmp, its
processes ending with it). Checked with the plain ssh client against the real emulator.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from gpueater_emulator import create_app, machines, server
from gpueater_emulator._sshd import PrivateSshd, SshdNotInstalledError
from gpueater_emulator.namespaces import Isolation, probe_isolation
from tests.emulator.in_process import InProcessClient
from tests.support.emulator_process import EmulatorProcess, start_emulator

SERVERS = "/console/servers"
pytestmark = pytest.mark.sshd


def _require_sshd() -> None:
    try:
        PrivateSshd()
    except SshdNotInstalledError as missing:
        if os.environ.get("GPUEATER_REQUIRE_SSHD"):
            pytest.fail(f"GPUEATER_REQUIRE_SSHD is set, but: {missing}")
        pytest.skip(str(missing))


def _require_isolation() -> None:
    support = probe_isolation()
    if support.available:
        return
    # CI runs as root on Linux, where isolation must work.
    if os.environ.get("GPUEATER_REQUIRE_SSHD") and sys.platform.startswith("linux"):
        if os.geteuid() == 0:
            pytest.fail(f"instances should be isolated here, but: {support.reason}")
    pytest.skip(f"no isolation here: {support.reason}")


class Account:
    """The emulator's API with a session, plus key files for the instances it launches."""

    def __init__(self, emulator: EmulatorProcess, folder: Path) -> None:
        self.emulator = emulator
        self.folder = folder
        self.client = httpx.Client(base_url=emulator.url, timeout=30)
        self.client.post(
            "/api_login", data={"email": emulator.email, "password": emulator.password}
        )

    def call(self, method: str, path: str, **form: str) -> Any:
        if method == "GET":
            answer = self.client.get(f"{SERVERS}/{path}", params=form).json()
        else:
            answer = self.client.post(f"{SERVERS}/{path}", data=form).json()
        return answer

    def data(self, method: str, path: str, **form: str) -> Any:
        answer = self.call(method, path, **form)
        assert answer["error"] is None, answer
        return answer["data"]

    def launch(self, name: str, image: str = "ubuntu-16.04-x64") -> tuple[dict[str, Any], Path]:
        pair = self.data("GET", "ssh_key_gen")
        key = self.data("POST", "register_ssh_key", name=name, public_key=pair["public_key"])
        self.data(
            "POST", "launch_ondemand_instance", product_id="3", image=image, ssh_key_id=key["id"],
            tag=name,
        )  # fmt: skip
        private_key = self.folder / f"{name}.pem"
        private_key.write_text(pair["private_key"])
        private_key.chmod(0o600)
        return self.instance(name), private_key

    def instance(self, tag: str) -> dict[str, Any]:
        found: dict[str, Any] = next(
            i for i in self.data("GET", "instance_list") if i["tag"] == tag
        )
        return found

    def act(self, path: str, instance: dict[str, Any], **extra: str) -> Any:
        ids = {k: instance[k] for k in ("instance_id", "machine_resource_id")}
        return self.data("POST", path, **ids, **extra)

    def disk(self, instance: dict[str, Any]) -> Path:
        return Path(self.emulator.state()["disks"][instance["instance_id"]])


def ssh(
    instance: dict[str, Any],
    key: Path,
    command: str,
    known_hosts: Path | None = None,
    options: tuple[str, ...] | list[str] = (),
) -> subprocess.CompletedProcess[str]:
    pinning = (
        ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"]
        if known_hosts is None
        else ["-o", "StrictHostKeyChecking=accept-new", "-o", f"UserKnownHostsFile={known_hosts}"]
    )
    return subprocess.run(
        [
            "ssh", "-F", "/dev/null", "-i", str(key), "-p", str(instance["sshd_port"]),
            "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "ConnectTimeout=10",
            "-o", "LogLevel=ERROR", *pinning, *options,
            f"{instance['sshd_user']}@{instance['ipv4']}", command,
        ],
        capture_output=True, text=True, timeout=60, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def ok(instance: dict[str, Any], key: Path, command: str) -> str:
    answered = ssh(instance, key, command)
    assert answered.returncode == 0, answered.stderr
    return answered.stdout


@pytest.fixture(scope="module")
def sshd_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorProcess]:
    _require_sshd()
    emulator = start_emulator(tmp_path_factory.mktemp("sshd-emulator"), "--sshd")
    try:
        yield emulator
    finally:
        assert emulator.stop() == 0


@pytest.fixture
def account(sshd_emulator: EmulatorProcess, tmp_path: Path) -> Iterator[Account]:
    sshd_emulator.reset()
    account = Account(sshd_emulator, tmp_path)
    yield account
    account.client.close()


def test_each_instance_has_its_own_disk_address_port_and_host_key(account: Account, tmp_path):
    first, first_key = account.launch("first")
    second, second_key = account.launch("second")
    assert first["state"] == second["state"] == "RUNNING"
    assert first["sshd_user"] == PrivateSshd().user
    if sys.platform.startswith("linux"):
        assert first["ipv4"] != second["ipv4"]
        assert all(
            i["ipv4"].startswith("127.") and i["ipv4"] != "127.0.0.1" for i in (first, second)
        )
    assert (first["ipv4"], first["sshd_port"]) != (second["ipv4"], second["sshd_port"])

    # The login shell starts in the instance's own home, which starts empty.
    home = ok(first, first_key, 'pwd; echo "$HOME"; ls -A').splitlines()
    assert home[0] == home[1]
    assert home[2:] == []
    ok(first, first_key, "echo first > notes.txt; mkdir -p data && echo x > data/x")
    assert (account.disk(first) / "notes.txt").read_text() == "first\n"
    assert ok(second, second_key, "ls -A") == ""
    assert not (account.disk(second) / "notes.txt").exists()
    # Each instance lets in its own key only.
    assert ssh(second, first_key, "true").returncode == 255

    known_hosts = tmp_path / "known_hosts"
    for instance, key in ((first, first_key), (second, second_key)):
        assert ssh(instance, key, "true", known_hosts).returncode == 0
    keys = [line.split()[1:3] for line in known_hosts.read_text().splitlines()]
    assert len(keys) == 2
    assert keys[0] != keys[1]


def test_stop_keeps_the_disk_and_host_key_terminate_deletes_them(account: Account, tmp_path):
    box, key = account.launch("box")
    known_hosts = tmp_path / "known_hosts"
    assert ssh(box, key, "echo kept > kept.txt", known_hosts).returncode == 0
    disk = account.disk(box)

    account.act("stop", box)
    assert account.instance("box")["state"] == "STOPPED"
    refused = ssh(box, key, "true")
    assert refused.returncode == 255  # nothing answers while it is stopped
    account.act("start", box)
    again = account.instance("box")
    assert again["state"] == "RUNNING"
    # Same disk, and the same host key: the pinned known_hosts entry still matches.
    answered = ssh(again, key, "cat kept.txt", known_hosts)
    assert (answered.returncode, answered.stdout) == (0, "kept\n"), answered.stderr

    account.act("force_terminate", again)
    assert not disk.exists()
    assert ssh(again, key, "true").returncode == 255
    # A new instance is a new machine: a new host key (and an empty disk).
    fresh, fresh_key = account.launch("fresh")
    assert ok(fresh, fresh_key, "ls -A") == ""
    if (fresh["ipv4"], fresh["sshd_port"]) == (again["ipv4"], again["sshd_port"]):
        assert ssh(fresh, fresh_key, "true", known_hosts).returncode == 255


def test_snapshots_restores_and_images_copy_the_disk(account: Account, sshd_emulator):
    box, key = account.launch("box")
    ok(box, key, "echo v1 > state.txt")
    snapshot = account.data("POST", "snapshot_instance", instance_id=box["instance_id"], tag="v1")
    ok(box, key, "echo v2 > state.txt; echo later > later.txt")

    account.data(
        "POST", "restore_from_snapshot",
        instance_id=box["instance_id"], snapshot_id=snapshot["snapshot_id"],
    )  # fmt: skip
    restored = account.instance("box")
    assert ok(restored, key, "cat state.txt; ls") == "v1\nstate.txt\n"

    image = account.act("create_user_defined_image", restored, image_name="with-state")
    ok(restored, key, "echo v3 > state.txt")  # later changes are not in the image
    sshd_emulator.advance_clock(120)  # the image build (60 s) finishes
    child, child_key = account.launch("child", image=image["alias"])
    assert ok(child, child_key, "cat state.txt") == "v1\n"
    assert ok(restored, key, "cat state.txt") == "v3\n"


def test_launches_beyond_the_cap_are_out_of_capacity(tmp_path):
    _require_sshd()
    with start_emulator(tmp_path, "--sshd", "--max-ssh-instances", "1") as emulator:
        account = Account(emulator, tmp_path)
        account.launch("only")
        pair = account.data("GET", "ssh_key_gen")
        key = account.data("POST", "register_ssh_key", name="k", public_key=pair["public_key"])
        form = {"product_id": "3", "image": "ubuntu-16.04-x64", "ssh_key_id": key["id"]}
        refused = account.call("POST", "launch_ondemand_instance", **form)
        assert refused["data"] is None
        assert refused["error"]["code"] == "out_of_capacity"
        assert "--max-ssh-instances" in refused["error"]["message"]
        assert len(account.data("GET", "instance_list")) == 1
        account.act("force_terminate", account.instance("only"))
        assert account.call("POST", "launch_ondemand_instance", **form)["error"] is None
        account.client.close()
    assert "each instance has its own mount and PID namespaces" in emulator.log() or (
        "NOT isolated" in emulator.log()
    )


def test_an_isolated_session_cannot_touch_this_machine(account: Account, sshd_emulator):
    _require_isolation()
    assert "each instance has its own mount and PID namespaces" in sshd_emulator.log()
    box, key = account.launch("box")
    other, other_key = account.launch("other")
    marker = f"gpueater-isolation-{uuid.uuid4().hex}"
    real_home = Path(os.path.expanduser("~"))

    # The home folder is the instance's disk, whatever path reaches it.
    ok(box, key, f"touch {real_home}/{marker} ~/{marker}-2")
    assert not (real_home / marker).exists()
    assert sorted(p.name for p in account.disk(box).iterdir()) == [marker, f"{marker}-2"]
    # Everything else is read-only.
    for target in ("/etc", "/usr", str(Path(__file__).parent)):
        refused = ssh(box, key, f"touch {target}/{marker}")
        assert refused.returncode != 0
        assert "Read-only file system" in refused.stderr
        assert not Path(target, marker).exists()
    assert ssh(box, key, "mount -o remount,rw /").returncode != 0
    # Its own /tmp: empty at first, unseen by other instances and by this machine.
    assert ok(box, key, "ls -A /tmp") == ""
    ok(box, key, f"echo mine > /tmp/{marker}")
    assert ok(box, key, f"cat /tmp/{marker}") == "mine\n"
    assert ssh(other, other_key, f"test -e /tmp/{marker}").returncode == 1
    assert not Path("/tmp", marker).exists()

    # Its processes: only its own are visible, and they end with it.
    sleeper = f"sleep 86{uuid.uuid4().int % 10000:04d}"
    ok(box, key, f"nohup setsid {sleeper} >/dev/null 2>&1 < /dev/null &")
    ok(other, other_key, f"nohup setsid {sleeper} >/dev/null 2>&1 < /dev/null &")
    seen_inside = ok(box, key, "ps -eo args")
    assert sleeper in seen_inside
    assert "uvicorn" not in seen_inside
    assert "gpueater_emulator" not in seen_inside
    assert _running(sleeper) == 2
    account.act("force_terminate", box)
    assert _running(sleeper) == 1  # the other instance's process still runs
    account.act("stop", other)
    account.instance("other")  # the read that finishes STOPPING
    assert _running(sleeper) == 0


def _running(command_line: str) -> int:
    found = subprocess.run(
        ["pgrep", "-f", "-x", command_line], capture_output=True, text=True, check=False
    )
    return len(found.stdout.split())


def test_without_isolation_each_instance_still_has_its_own_home(tmp_path):
    _require_sshd()
    with start_emulator(tmp_path, "--sshd", "--no-isolation") as emulator:
        lines = [line for line in emulator.log().splitlines() if "isolated" in line]
        assert len(lines) == 1
        assert "NOT isolated (--no-isolation was given)" in lines[0]
        account = Account(emulator, tmp_path)
        box, key = account.launch("box")
        disk = account.disk(box)
        assert ok(box, key, 'pwd; echo "$HOME"') == f"{disk}\n{disk}\n"
        ok(box, key, "echo here > relative.txt")
        assert (disk / "relative.txt").read_text() == "here\n"
        copied = subprocess.run(
            [
                "scp", "-F", "/dev/null", "-i", str(key), "-P", str(box["sshd_port"]),
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                f"{box['sshd_user']}@{box['ipv4']}:relative.txt", str(tmp_path / "back.txt"),
            ],
            capture_output=True, text=True, timeout=60, check=False, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        assert copied.returncode == 0, copied.stderr
        assert (tmp_path / "back.txt").read_text() == "here\n"
        account.client.close()


def test_without_sshd_the_option_fails_at_once_with_one_line(monkeypatch, capsys):
    def not_installed() -> PrivateSshd:
        raise SshdNotInstalledError(
            "OpenSSH server not found: install it with `apt-get install openssh-server`"
        )

    monkeypatch.setattr(machines, "PrivateSshd", not_installed)
    assert server.main(["--sshd", "--no-isolation", "--port", "0"]) == 2
    printed = capsys.readouterr().err.strip()
    assert len(printed.splitlines()) == 1
    assert "openssh-server" in printed


def test_a_renewed_address_moves_the_instance_and_keeps_its_host_key(account: Account, tmp_path):
    box, key = account.launch("box")
    known_hosts = tmp_path / "known_hosts"
    alias = ["-o", "HostKeyAlias=box"]
    assert ssh(box, key, "echo before > f", known_hosts, alias).returncode == 0
    renewed = account.data("POST", "renew_ipv4", instance_id=box["instance_id"])
    moved = account.instance("box")
    assert moved["ipv4"] == renewed["instance_status"]["global_ipv4"]
    if sys.platform.startswith("linux"):
        assert moved["ipv4"] != box["ipv4"]
        assert ssh(box, key, "true").returncode == 255  # nothing answers at the old address
    answered = ssh(moved, key, "cat f", known_hosts, alias)
    assert (answered.returncode, answered.stdout) == (0, "before\n"), answered.stderr


def test_an_interactive_shell_keeps_its_history_on_the_instance(account: Account):
    box, key = account.launch("box")
    marker = f"echo interactive-{uuid.uuid4().hex}"
    real_history = Path(os.path.expanduser("~/.bash_history"))
    before = real_history.read_bytes() if real_history.exists() else b""
    # -tt: a real terminal on the instance, so its shell is interactive and keeps history.
    session = subprocess.run(
        [
            "ssh", "-tt", "-F", "/dev/null", "-i", str(key), "-p", str(box["sshd_port"]),
            "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
            f"{box['sshd_user']}@{box['ipv4']}",
        ],
        input=f"{marker}\nexit\n",
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert session.returncode == 0, session.stderr
    assert marker in (account.disk(box) / ".bash_history").read_text()
    after = real_history.read_bytes() if real_history.exists() else b""
    assert after == before


def test_where_instances_share_127_0_0_1_each_has_its_own_port(emulator_settings, tmp_path):
    """As on platforms where only 127.0.0.1 is loopback (macOS): distinct ports do it."""
    _require_sshd()
    shared = machines.InstanceMachines(
        tmp_path / "state", Isolation(False, "test"), own_addresses=False
    )
    emulator_settings.ssh_machines = shared
    try:
        with InProcessClient(create_app(emulator_settings)) as client:
            client.log_in()
            keys = {}
            for name in ("one", "two"):
                pair = client.data("GET", "ssh_key_gen")
                key = client.data(
                    "POST",
                    "register_ssh_key",
                    data={"name": name, "public_key": pair["public_key"]},
                )
                client.data(
                    "POST", "launch_ondemand_instance",
                    data={"product_id": "3", "image": "ubuntu-16.04-x64", "ssh_key_id": key["id"],
                          "tag": name},
                )  # fmt: skip
                keys[name] = tmp_path / f"{name}.pem"
                keys[name].write_text(pair["private_key"])
                keys[name].chmod(0o600)
            one, two = client.data("GET", "instance_list")  # RUNNING: both sshds start
            assert one["ipv4"] == two["ipv4"] == "127.0.0.1"
            assert one["sshd_port"] != two["sshd_port"]
            assert ok(one, keys["one"], "echo one > where; cat where") == "one\n"
            assert ok(two, keys["two"], "cat where 2>&1 || true").startswith("cat:")
    finally:
        shared.close()
