"""`--state-dir`: the world survives a restart of the real emulator process, kill -9 included.

Each test starts `python -m gpueater_emulator --state-dir DIR`, changes the account over the
wire, stops the process (SIGTERM or SIGKILL) and starts a new one on the same folder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from gpueater_emulator._sshd import PrivateSshd, SshdNotInstalledError
from tests.support.emulator_process import (
    DEMO_ACCESS_TOKEN,
    DEMO_EMAIL,
    DEMO_PASSWORD,
    DEMO_SECRET_TOKEN,
    EmulatorProcess,
    start_emulator,
)

SERVERS = "/console/servers"
PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGpueaterPersistenceTestKeyAAAAAAAAAAAAAAAAA t"


class Wire:
    """The service's API as a client speaks it: a session cookie, form posts, envelopes."""

    def __init__(self, url: str, email: str = DEMO_EMAIL, password: str = DEMO_PASSWORD) -> None:
        self.http = httpx.Client(base_url=url, timeout=30)
        self.log_in(email, password)

    def __enter__(self) -> Wire:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.http.close()

    def log_in(self, email: str, password: str) -> None:
        answer = self.http.post("/api_login", data={"email": email, "password": password})
        assert answer.json()["error"] is None, answer.text

    def get(self, path: str, **params: Any) -> Any:
        return self._data(self.http.get(SERVERS + path, params=params))

    def post(self, path: str, **fields: Any) -> Any:
        return self._data(self.http.post(SERVERS + path, data=fields))

    @staticmethod
    def _data(answer: httpx.Response) -> Any:
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["error"] is None, body
        return body["data"]


def _start(folder: Path, *extra: str) -> EmulatorProcess:
    # A day of session: the tests move the clock by an hour.
    options = ("--state-dir", str(folder / "state"), "--session-ttl", "86400", *extra)
    # The same credentials every time: the folder's own.
    credentials = {
        "password": DEMO_PASSWORD,
        "access_token": DEMO_ACCESS_TOKEN,
        "secret_token": DEMO_SECRET_TOKEN,
    }
    return start_emulator(folder / "run", *options, email=DEMO_EMAIL, **credentials)


def _command(*options: str) -> list[str]:
    return [sys.executable, "-m", "gpueater_emulator", "--port", "0", *options]


def _keys(wire: Wire) -> list[dict[str, Any]]:
    keys: list[dict[str, Any]] = wire.get("/ssh_keys")
    return keys


def _clock(emulator: EmulatorProcess) -> str:
    return str(emulator._control("POST", "/_emulator/clock", {"seconds": 0})["now"])


def _launch(wire: Wire, tag: str) -> dict[str, Any]:
    key = wire.post("/register_ssh_key", name=f"key-{tag}", public_key=PUBLIC_KEY)
    wire.post(
        "/launch_ondemand_instance",
        product_id="3",
        image="ubuntu-16.04-x64",
        ssh_key_id=key["id"],
        tag=tag,
    )
    return next(i for i in wire.get("/instance_list") if i["tag"] == tag)


def test_a_restart_resumes_the_account_its_records_and_its_clock(tmp_path: Path) -> None:
    with _start(tmp_path) as first, Wire(first.url) as wire:
        instance = _launch(wire, "kept")
        wire.post(
            "/add_port",
            instance_id=instance["instance_id"],
            connection_id=instance["connection_id"],
            port=8888,
        )
        volume = wire.post("/create_volume", size=20, name="data")
        first.advance_clock(3600)  # an hour of RUNNING on the books
        before = {
            "instances": wire.get("/instance_list"),
            "ports": wire.get("/port_list", instance_id=instance["instance_id"]),
            "keys": _keys(wire),
            "volumes": first.state()["volumes"],
            "invoices": wire.get("/charge_list"),
        }
        clock_before = _clock(first)
        session = wire.http.cookies
        assert first.stop() == 0

    with _start(tmp_path) as second, Wire(second.url) as again:
        # The saved credentials still log in, and so does the session a client kept.
        with httpx.Client(base_url=second.url, cookies=session, timeout=30) as kept_session:
            assert kept_session.get(SERVERS + "/ssh_keys").json()["error"] is None
        assert again.get("/instance_list") == before["instances"]
        assert again.get("/port_list", instance_id=instance["instance_id"]) == before["ports"]
        assert _keys(again) == before["keys"]
        assert second.state()["volumes"] == before["volumes"]
        assert volume["volume_id"] in {v["volume_id"] for v in before["volumes"]}
        # The clock went on from where it was (the hour added stays added), and the
        # instance kept accruing: the month's invoice is at least what it was.
        assert _clock(second) >= clock_before
        invoices = again.get("/charge_list")
        assert [i["invoice_id"] for i in invoices] == [i["invoice_id"] for i in before["invoices"]]
        current = {i["invoice_id"]: i["amount"] for i in before["invoices"]}
        assert all(i["amount"] >= current[i["invoice_id"]] for i in invoices)
        assert max(i["amount"] for i in invoices) >= 0.3968  # the hour at a1.rx580's price
        # Ids drawn after the restart are new ones.
        added = again.post("/register_ssh_key", name="after", public_key=PUBLIC_KEY)
        assert added["id"] not in {k["id"] for k in before["keys"]}


def test_every_acknowledged_write_survives_kill_9_mid_traffic(tmp_path: Path) -> None:
    emulator = _start(tmp_path)
    acknowledged: list[str] = []
    attempted: list[str] = []
    enough, killed = threading.Event(), threading.Event()
    failure: list[BaseException] = []

    def write_until_killed() -> None:
        with Wire(emulator.url) as wire:
            write_with(wire)

    def write_with(wire: Wire) -> None:
        for number in range(100_000):
            name = f"k{number}"
            attempted.append(name)
            try:
                wire.post("/register_ssh_key", name=name, public_key=PUBLIC_KEY)
            except (httpx.HTTPError, AssertionError) as ended:
                if not killed.is_set():
                    failure.append(ended)
                enough.set()
                return
            acknowledged.append(name)
            if len(acknowledged) >= 30:
                enough.set()

    writer = threading.Thread(target=write_until_killed)
    writer.start()
    try:
        assert enough.wait(60)
        killed.set()
        emulator.process.send_signal(signal.SIGKILL)
        emulator.process.wait()
    finally:
        writer.join(60)
        emulator.stop()
    assert not failure, failure
    assert len(acknowledged) >= 30

    with _start(tmp_path) as restarted, Wire(restarted.url) as wire:
        names = {key["name"] for key in _keys(wire)}
    assert set(acknowledged) <= names
    # Nothing appears that was never sent (an unanswered last write may or may not be there).
    assert names <= set(attempted)


def test_other_credentials_for_a_used_folder_are_refused_in_one_line(tmp_path: Path) -> None:
    with _start(tmp_path):
        pass
    refused = subprocess.run(
        _command(
            "--state-dir", str(tmp_path / "state"), "--account", f"{DEMO_EMAIL}:another-password"
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1
    assert "has other credentials" in refused.stderr
    assert "another-password" not in refused.stderr
    # Without credentials the folder's own are used, and printed for the user's profile.
    ready = tmp_path / "own.url"
    own = subprocess.Popen(
        _command("--ready-file", str(ready), "--state-dir", str(tmp_path / "state")),
        stderr=subprocess.PIPE,
        text=True,
    )
    assert own.stderr is not None
    try:
        told = own.stderr.readline()
        assert told == f"gpueater_emulator: demo account {DEMO_EMAIL} password {DEMO_PASSWORD}\n"
        while "serving" not in own.stderr.readline():
            pass
        with Wire(ready.read_text().strip()):
            pass
    finally:
        own.terminate()
        assert own.wait(30) == 0
        own.stderr.close()


def test_a_folder_in_use_is_refused_in_one_line(tmp_path: Path) -> None:
    with _start(tmp_path):
        second = subprocess.run(
            _command("--state-dir", str(tmp_path / "state")),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert second.returncode == 2
    assert second.stderr.strip().splitlines() == [
        f"gpueater_emulator: another emulator is using the state folder {tmp_path / 'state'};"
        " stop it first or use another --state-dir"
    ]


def test_the_state_file_keeps_secrets_from_other_users(tmp_path: Path) -> None:
    with _start(tmp_path):
        pass
    state = tmp_path / "state"
    assert state.stat().st_mode & 0o077 == 0
    assert (state / "world.sqlite3").stat().st_mode & 0o077 == 0


def test_reset_also_resets_the_kept_world(tmp_path: Path) -> None:
    with _start(tmp_path) as first, Wire(first.url) as wire:
        wire.post("/register_ssh_key", name="gone", public_key=PUBLIC_KEY)
        first.reset()
    with _start(tmp_path) as second, Wire(second.url) as wire:
        assert _keys(wire) == []


def _host_keys(address: str, port: int) -> set[str]:
    scanned = subprocess.run(
        ["ssh-keyscan", "-T", "10", "-t", "ed25519", "-p", str(port), address],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return {line.split(None, 1)[1] for line in scanned.stdout.splitlines() if line.strip()}


@pytest.mark.sshd
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "kill-9"])
def test_a_running_instance_comes_back_with_its_disk_address_port_and_host_key(
    tmp_path: Path, stop: signal.Signals
) -> None:
    try:
        PrivateSshd()
    except SshdNotInstalledError as missing:
        if os.environ.get("GPUEATER_REQUIRE_SSHD"):
            pytest.fail(f"GPUEATER_REQUIRE_SSHD is set, but: {missing}")
        pytest.skip(str(missing))
    with _start(tmp_path, "--sshd", "--no-isolation") as first, Wire(first.url) as wire:
        instance = _launch(wire, "machine")
        address, port = instance["ipv4"], instance["sshd_port"]
        host_keys = _host_keys(address, port)
        assert host_keys
        (first.disk(instance["instance_id"]) / "work.txt").write_text("kept\n")
        first.process.send_signal(stop)
        first.process.wait(30)

    with _start(tmp_path, "--sshd", "--no-isolation") as second, Wire(second.url) as wire:
        back = next(i for i in wire.get("/instance_list") if i["tag"] == "machine")
        assert (back["state"], back["ipv4"], back["sshd_port"]) == ("RUNNING", address, port)
        # known_hosts pinning keeps working: the same host key answers at the same place.
        assert _host_keys(address, port) == host_keys
        assert (second.disk(instance["instance_id"]) / "work.txt").read_text() == "kept\n"
