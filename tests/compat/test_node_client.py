"""The published Node client, npm `gpueater@1.5.3`, against the emulator on loopback.

It runs on Node 20 through the suite's preload shim (node/shim.cjs), required from the
suite's driver (node/driver.cjs; as the main script its index.js rewrites itself). Every API
function it implements is called and each effect is read back from the emulator. The
command-line console (`products`, `instances`, `ports`, `network`, ...) is not part of the
npm package (1.5.3 ships the library only), so what its commands read of each answer
(api-notes, "Running the published clients") is checked on the answers the library hands
over. Known bugs are asserted as they are (docstrings say KNOWN BUG).
"""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import socket
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.compat.clients import ClientHome, ClientRun, Probe, run_client
from tests.compat.installs import NODE_DIR, install_node_client
from tests.support.emulator_process import EmulatorProcess, start_emulator

# The published library on Node 20: the suite's shim preloaded, required from its driver.
NODE_COMMAND = ["node", "-r", str(NODE_DIR / "shim.cjs"), str(NODE_DIR / "driver.cjs")]


class PublishedNode:
    def __init__(self, folders: ClientHome, url: str) -> None:
        self.folders = folders
        self.url = url

    def run(self, snippet: str) -> ClientRun:
        return run_client(NODE_COMMAND, self.folders, self.url, stdin=snippet)


@pytest.fixture(scope="session")
def node_client_dir() -> Path:
    return install_node_client()


@pytest.fixture
def published_node(node_client_dir, emulator, tmp_path) -> PublishedNode:
    return PublishedNode(ClientHome.create(tmp_path, emulator), emulator.url)


# The client logs in only when a GET meets the session timeout (it never follows a POST's
# redirect, see the KNOWN BUG below), so a snippet whose first call is a POST starts with this.
LOG_IN_BY_A_GET = "await call('instance_list');\n"


def js(value: Any) -> str:
    return json.dumps(value)


def emit_call(name: str, form: dict[str, Any]) -> str:
    """A snippet line: call the published function `name` with `form`, emit its answer."""
    return f"emit(await call({js(name)}, {js(form)}));"


def _ports(probe: Probe, instance: dict[str, Any]) -> list[int]:
    answer = probe.get(
        "port_list", instance_id=instance["instance_id"], connection_id=instance["connection_id"]
    )
    return [p["port"] for p in answer]


def test_catalog_keys_and_the_console_reads(published_node, probe):
    answer = published_node.run(
        "const pair = await call('generate_ssh_key');\n"
        "const reg = await call('register_ssh_key',"
        " {name: 'node-key', public_key: pair.data.public_key});\n"
        "const cat = await call('ondemand_list');\n"
        "emit({pair, reg, keys: await call('ssh_key_list'), images: await call('image_list'),\n"
        "  product: cat.data.find_product('n1.p400'),\n"
        "  image: cat.data.find_image('Ubuntu16.04 x64'),\n"
        "  key: cat.data.find_ssh_key('node-key'), invoices: await call('invoice_list'),\n"
        "  sub_invoices: await call('subscription_invoice_list'),\n"
        "  mine: await call('registered_image_list')});"
    ).check()
    assert answer["reg"]["error"] is None
    assert [k["name"] for k in probe.get("ssh_keys")] == ["node-key"]
    assert answer["key"]["name"] == "node-key"
    assert answer["product"]["name"] == "n1.p400"
    assert answer["product"]["limited"] is False
    assert answer["image"]["alias"] == "ubuntu-16.04-x64"
    assert answer["images"]["data"] == probe.get("images")
    assert answer["invoices"]["data"] == probe.get("charge_list")
    assert answer["sub_invoices"]["error"] is None
    assert answer["mine"]["data"] == []
    # `ssh_keys`, `invoices`: the console prints each item's fields by name.
    assert {"id", "name"} <= set(answer["keys"]["data"][0])
    # ssh2 0.6.2 parses only PEM keys; the console saves the key as ~/.ssh/<name>.pem.
    assert answer["pair"]["data"]["private_key"].startswith("-----BEGIN RSA PRIVATE KEY-----")
    # The cookie was written by fs.writeFileSync through the shim (an array on Node 20).
    assert (published_node.folders.tmp / "gpueater_cookie.txt").read_text()


@pytest.mark.slow
def test_launch_life_cycle_and_tag(published_node, probe):
    key = probe.register_key("node-life")
    answer = published_node.run(
        "const cat = (await call('ondemand_list')).data;\n"
        "const launched = await call('launch_ondemand_instance',\n"
        "  {product_id: cat.find_product('n1.p400').id,\n"
        "  image: cat.find_image('Ubuntu16.04 x64').alias,\n"
        "  ssh_key_id: cat.find_ssh_key('node-life').id,\n"
        "  tag: 'node-life'});\n"
        "emit({launched, list: await call('instance_list')});"
    ).check()
    assert answer["launched"] == {"error": None, "data": None}
    (listed,) = answer["list"]["data"]
    assert answer["launched"]["error"] is None
    instance = probe.instance(listed["instance_id"])
    assert (instance["tag"], instance["state"], instance["ssh_key_file_name"]) == (
        "node-life",
        "RUNNING",
        key["name"],
    )
    # `instances`: the console's ready ssh line (the library adds it; port 22 hard-coded).
    assert listed["ssh_command"].startswith(f"ssh root@{listed['ipv4']} -p 22 ")

    def step(name: str, **extra: Any) -> dict[str, Any]:
        answered: dict[str, Any] = published_node.run(
            LOG_IN_BY_A_GET + f"emit(await call({js(name)}, {js({**listed, **extra})}));"
        ).check()
        assert answered["error"] is None, answered
        return answered

    step("change_instance_tag", tag="renamed")
    assert probe.instance(listed["instance_id"])["tag"] == "renamed"
    step("stop_instance")
    assert probe.instance(listed["instance_id"])["state"] == "STOPPED"
    step("start_instance")
    assert probe.instance(listed["instance_id"])["state"] == "RUNNING"
    before = probe.requests()
    step("restart_instance")
    after = probe.requests()
    assert (after["stop_instance"], after["start_instance"]) == (
        before["stop_instance"] + 1,
        before["start_instance"] + 1,
    )
    step("emergency_restart_instance")
    assert probe.requests()["emergency_restart_instance"] == 1
    step("terminate_instance")
    assert probe.get("instance_list") == []


def test_ports_network_and_addresses(published_node, probe):
    instance = probe.launch("node-net", probe.register_key("node-net")["id"])
    form = js({**instance, "port": 9999})
    answer = published_node.run(
        LOG_IN_BY_A_GET + f"const ins = {form};\n"
        "const opened = await call('open_port', ins);\n"
        "const ports = await call('port_list', ins);\n"
        "const network = await call('network_description', ins);\n"
        "emit({opened, ports, network});"
    ).check()
    assert 9999 in _ports(probe, instance)
    # `ports`: the console iterates the answer and prints `TCP: <item.port>`.
    assert sorted(item["port"] for item in answer["ports"]["data"]) == [22, 9999]
    # `network`: the console reads data.instance_status.* and data.port_list[].port.
    status = answer["network"]["data"]["instance_status"]
    assert status["tag"] == "node-net"
    assert status["global_ipv4"] == instance["ipv4"]
    for field in ("private_ipv4", "global_ipv6", "bytes_received", "bytes_sent"):
        assert field in status
    for field in ("packets_received", "packets_sent", "root_storage_usage"):
        assert field in status
    assert 9999 in [p["port"] for p in answer["network"]["data"]["port_list"]]
    published_node.run(LOG_IN_BY_A_GET + f"emit(await call('close_port', {form}));").check()
    assert 9999 not in _ports(probe, instance)
    published_node.run(
        LOG_IN_BY_A_GET + f"await call('renew_ipv4', {form}); await call('refresh_ipv4', {form});"
    ).check()
    assert probe.instance(instance["instance_id"])["ipv4"] != instance["ipv4"]


@pytest.mark.slow
def test_images_and_snapshots(published_node, probe):
    instance = probe.launch("node-img", probe.register_key("node-img")["id"])
    form = {**instance, "image_name": "node-image"}
    created = published_node.run(
        LOG_IN_BY_A_GET + f"emit(await call('create_image', {js(form)}));"
    ).check()
    assert created["error"] is None
    (image,) = probe.get("registered_image_list")
    assert image["name"] == "node-image"
    imported = published_node.run(
        LOG_IN_BY_A_GET
        + emit_call("import_image", {"url": "https://example.com/disk.img", "image_name": "imp"})
    ).check()
    assert imported["error"] is None
    assert "imp" in [i["name"] for i in probe.get("registered_image_list")]
    published_node.run(LOG_IN_BY_A_GET + f"await call('delete_image', {js(image)});").check()
    assert "node-image" not in [i["name"] for i in probe.get("registered_image_list")]

    snap = published_node.run(
        LOG_IN_BY_A_GET + f"const ins = {js(instance)};\n"
        "const taken = await call('snapshot_instance', ins);\n"
        "emit({taken, list: await call('snapshot_list', ins)});"
    ).check()
    assert snap["taken"]["error"] is None
    (snapshot,) = probe.get("snapshot_list", instance_id=instance["instance_id"])
    assert [s["snapshot_id"] for s in snap["list"]["data"]] == [snapshot["snapshot_id"]]
    restore = {**instance, "snapshot_id": snapshot["snapshot_id"]}
    assert (
        published_node.run(
            LOG_IN_BY_A_GET + f"emit(await call('restore_from_snapshot', {js(restore)}));"
        ).check()["error"]
        is None
    )
    assert probe.requests()["restore_from_snapshot"] >= 1
    published_node.run(
        LOG_IN_BY_A_GET
        + f"emit(await call('delete_snapshot', {js({'snapshot_id': snapshot['snapshot_id']})}));"
    ).check()
    assert probe.get("snapshot_list", instance_id=instance["instance_id"]) == []


def test_volumes(published_node, probe):
    instance = probe.launch("node-vol", probe.register_key("node-vol")["id"])
    # The published client's fields: region_id, storage_type, and `volume` as the size.
    created = published_node.run(
        LOG_IN_BY_A_GET
        + emit_call("create_volume", {"region_id": "tokyo-1", "storage_type": "ssd", "volume": 20})
    ).check()
    assert created["error"] is None, created
    volume_id = created["data"]["volume_id"]
    for name, form in (
        ("attach_volume", {"volume_id": volume_id, "instance_id": instance["instance_id"]}),
        ("detach_volume", {"volume_id": volume_id}),
        ("delete_volume", {"volume_id": volume_id}),
    ):
        answered = published_node.run(
            LOG_IN_BY_A_GET + f"emit(await call({js(name)}, {js(form)}));"
        ).check()
        assert answered["error"] is None, (name, answered)
    counts = probe.requests()
    assert (counts["attach_volume"], counts["detach_volume"], counts["delete_volume"]) == (1, 1, 1)


def test_subscriptions_and_transactions(published_node, probe):
    answer = published_node.run(
        "const plans = await call('subscription_instance_list');\n"
        "emit({plans, subscribed: await call('subscribed_list'),\n"
        "  sub_launch: await call('subscription_list')});"
    ).check()
    assert answer["plans"]["error"] is None
    assert answer["plans"]["data"] == probe.get("plan_list_v1")
    assert answer["subscribed"]["data"] == probe.get("subscribed_list")
    assert answer["sub_launch"]["error"] is None
    plan = answer["plans"]["data"][0]
    plan_id = plan["plan_id"]
    subscribed = published_node.run(
        LOG_IN_BY_A_GET
        + f"emit(await call('subscribe_instance', {js({'subscription_id': plan_id})}));"
    ).check()
    assert subscribed["error"] is None, subscribed
    assert probe.get("subscribed_list") != answer["subscribed"]["data"]
    unsubscribed = published_node.run(
        LOG_IN_BY_A_GET
        + emit_call(
            "unsubscribe_instance", {"subscription_id": subscribed["data"]["subscription_id"]}
        )
    ).check()
    assert unsubscribed["error"] is None, unsubscribed
    peek = published_node.run(
        LOG_IN_BY_A_GET + "emit(await call('peak_transaction', {transaction_id: 'no-such'}));"
    ).check()
    assert peek["error"] is not None  # an unknown transaction is refused, not invented
    assert probe.requests()["peak_transaction"] >= 1


def test_what_it_leaves_out_throws_without_a_request(published_node, probe):
    """KNOWN FAULT: the library's "Not supported yet" functions throw a bare string."""
    names = [
        "subscription_storage_list",
        "subscription_network_list",
        "subscribe_storage",
        "unsubscribe_storage",
        "subscribe_network",
        "unsubscribe_network",
        "make_invoice",
        "synchronize_files",
        "tunnel",
    ]
    before = probe.requests()
    answer = published_node.run(
        f"const out = {{}}; for (const n of {js(names)}) out[n] = await call(n, {{}}); emit(out);"
    ).check()
    for name in names:
        assert "thrown" in answer[name], name
    assert probe.requests() == before


def test_a_session_timeout_on_a_get_logs_in_again(published_node, probe):
    published_node.run("await call('instance_list');").check()
    logins = probe.requests()["api_login"]
    probe.emulator.add_fault("ssh_key_list", "session_timeout")
    answer = published_node.run("emit(await call('ssh_key_list'));").check()
    assert answer == {"error": None, "data": []}
    assert probe.requests()["api_login"] == logins + 1


def test_a_session_timeout_on_a_post_is_never_recovered(published_node, probe):
    """KNOWN BUG (api-notes): Node 1.5.3 follows a 302 only for GET, so a session timeout on a
    POST comes back as the JSON-less answer's "Error" and the key is never registered."""
    published_node.run("await call('instance_list');").check()
    logins = probe.requests()["api_login"]
    probe.emulator.add_fault("register_ssh_key", "session_timeout")
    pair = probe.get("ssh_key_gen")
    answer = published_node.run(
        emit_call("register_ssh_key", {"name": "lost", "public_key": pair["public_key"]})
    ).check()
    assert answer["error"] is not None
    assert probe.get("ssh_keys") == []
    assert probe.requests()["api_login"] == logins


# -- SSH, against the emulator's --sshd -------------------------------------------------------


@pytest.fixture(scope="module")
def sshd_emulator(tmp_path_factory) -> Iterator[EmulatorProcess]:
    if shutil.which("sshd") is None and not Path("/usr/sbin/sshd").exists():
        if os.environ.get("GPUEATER_REQUIRE_SSHD"):
            pytest.fail("GPUEATER_REQUIRE_SSHD is set, but no sshd is installed")
        pytest.skip("needs an OpenSSH server (apt-get install openssh-server)")
    emulator = start_emulator(tmp_path_factory.mktemp("compat-sshd"), "--sshd")
    try:
        yield emulator
    finally:
        emulator.stop()


def _own_ssh_config(folders: ClientHome) -> dict[str, str]:
    """ssh and scp wrappers first on PATH, each reading the client's own config file.

    The library runs `ssh`/`scp` by name; OpenSSH reads ~/.ssh/config of the passwd entry,
    not of $HOME, so the config is handed over with -F instead."""
    config = folders.home / ".ssh" / "config"
    config.write_text(
        "Host *\n"
        "  BatchMode yes\n"
        "  IdentitiesOnly yes\n"
        f"  UserKnownHostsFile {folders.home / '.ssh' / 'known_hosts'}\n"
        "  StrictHostKeyChecking accept-new\n"
        "  ConnectTimeout 10\n"
    )
    config.chmod(0o600)
    wrappers = folders.home / "bin"
    wrappers.mkdir()
    for program in ("ssh", "scp"):
        real = shutil.which(program)
        assert real is not None, f"{program} is not installed"
        wrapper = wrappers / program
        wrapper.write_text(f'#!/bin/sh\nexec {real} -F "{config}" "$@"\n')
        wrapper.chmod(stat.S_IRWXU)
    return {"PATH": f"{wrappers}:{os.environ.get('PATH', '/usr/bin:/bin')}"}


@pytest.fixture
def ssh_instance(node_client_dir, sshd_emulator, tmp_path):
    sshd_emulator.reset()
    probe = Probe(sshd_emulator)
    folders = ClientHome.create(tmp_path, sshd_emulator)
    key = probe.register_key("node-ssh")
    pem = folders.home / ".ssh" / "node-ssh.pem"
    pem.write_text(key["private_key"])
    pem.chmod(0o600)
    instance = probe.launch("node-ssh", key["id"])
    try:
        yield PublishedNode(folders, sshd_emulator.url), instance, folders
    finally:
        probe.http.close()


@pytest.fixture
def instance_disk(ssh_instance, sshd_emulator) -> Path:
    """The instance's own disk (its home) as this machine sees it: since each instance is a
    machine of its own, a path of this machine's /tmp is not on the instance."""
    _, instance, _ = ssh_instance
    return Path(sshd_emulator.disk(instance["instance_id"]))


def _run_with_ssh(node: PublishedNode, folders: ClientHome, snippet: str) -> ClientRun:
    return run_client(
        NODE_COMMAND, folders, node.url, stdin=snippet, extra_environment=_own_ssh_config(folders)
    )


@pytest.mark.sshd
def test_delete_file_removes_the_file_on_the_instance(ssh_instance, instance_disk):
    node, instance, folders = ssh_instance
    victim = instance_disk / "on-the-instance.txt"
    victim.write_text("x")
    form = {**instance, "src": victim.name}  # relative: the remote home
    run = _run_with_ssh(
        node, folders, f"g.delete_file({js(form)}, (e) => emit(String(e))); emit('returned');"
    )
    assert run.check() == "returned", run.stderr
    assert not victim.exists()


@pytest.mark.sshd
def test_copy_file_ignores_the_sshd_port(ssh_instance, instance_disk, tmp_path):
    """KNOWN BUG (api-notes): copy_file runs scp without the instance's port (22 only)."""
    node, instance, folders = ssh_instance
    source = tmp_path / "source.txt"
    source.write_text("payload")
    target = instance_disk / "copied.txt"
    form = {**instance, "action": "put", "src": str(source), "dst": target.name}
    run = _run_with_ssh(node, folders, f"g.copy_file({js(form)}, (e) => emit(String(e)));")
    assert instance["sshd_port"] != 22
    assert run.check() != "null"  # scp went to port 22 and failed
    assert not target.exists()


@pytest.mark.sshd
@pytest.mark.parametrize("name", ["file_list", "make_directory"])
def test_file_list_and_make_directory_fail_with_form_not_defined(ssh_instance, name):
    """KNOWN BUG (api-notes): both read a variable `form` that does not exist."""
    node, instance, folders = ssh_instance
    run = _run_with_ssh(node, folders, f"emit(await call({js(name)}, {js(instance)}));")
    assert "form is not defined" in run.check()["thrown"]


@pytest.mark.sshd
def test_login_instance_opens_a_shell_through_ssh2(ssh_instance, instance_disk):
    """ssh2 0.6.2 needs the RSA host key, the nistp256 exchange and ssh-rsa signatures that
    the emulator's sshd offers for old clients, and an RSA PEM key from generate_ssh_key."""
    node, instance, folders = ssh_instance
    marker = instance_disk / "typed-in-the-shell"
    primary, secondary = pty.openpty()
    key_file = str(folders.home / ".ssh" / "node-ssh.pem")
    # The console ends the process itself (process.exit) when the remote shell closes.
    snippet = (
        f"g.login_instance({js({**instance, 'private_key_file': key_file})});\n"
        "await new Promise(() => {});"
    )
    result = folders.tmp / "compat-result.json"
    process = subprocess.Popen(
        NODE_COMMAND,
        cwd=folders.work,
        env={**folders.environment(node.url, result), "COMPAT_SNIPPET": snippet},
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
    )
    os.close(secondary)
    seen = b""
    typed = False
    try:
        # The console forwards keys only once the remote shell has said something (hence its
        # ">> Press enter key"): press Enter until it has, then type the command.
        ready_at: int | None = None
        give_up_at = time.monotonic() + 60  # a hung client must not hang the suite
        while time.monotonic() < give_up_at:
            if select.select([primary], [], [], 0.5)[0]:
                try:
                    chunk = os.read(primary, 4096)
                except OSError:  # EIO: the client and its children are gone
                    break
                if not chunk:
                    break
                seen += chunk
                if ready_at is None and b">> Press enter key" in seen:
                    ready_at = len(seen)
                if ready_at is not None and len(seen) > ready_at and not typed:
                    os.write(primary, f"echo ok > {marker.name}; exit\r".encode())
                    typed = True
            elif ready_at is not None and not typed:
                os.write(primary, b"\r")
            elif process.poll() is not None:
                break
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        os.close(primary)
    assert typed, seen.decode(errors="replace")
    assert marker.is_file(), seen.decode(errors="replace")
    assert marker.read_text().strip() == "ok"


def test_an_unreachable_url_falls_back_to_the_real_service(node_client_dir, emulator, tmp_path):
    """KNOWN BUG: when its start-up `curl` of GPUEATER_URL fails, 1.5.3 silently uses
    www.gpueater.com. The suite's shim refuses that name, so no test reaches a real account."""
    folders = ClientHome.create(tmp_path, emulator)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{closed.getsockname()[1]}"  # bound, never listening
    try:
        answer = run_client(
            NODE_COMMAND, folders, url, stdin="emit(await call('image_list'));"
        ).check()
    finally:
        closed.close()
    assert "refusing to resolve www.gpueater.com" in answer["error"]
