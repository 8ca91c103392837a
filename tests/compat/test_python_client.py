"""The published Python client, PyPI `gpueater==1.5.0`, against the emulator on loopback.

Every function it implements is called the way its README and its own `test_*` helpers call
it, and each effect is read back from the emulator, not from the client's answer. Its known
bugs (api-notes, "Known bugs of the published clients") are asserted as they are, so a
change in them is noticed: those tests say `KNOWN BUG` in their names' docstrings.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.compat.clients import Probe

SEED_README = Path(__file__).resolve().parents[1] / "sdk" / "data" / "seed-readme.md"
PLACEHOLDER_KEY = "[Your ssh key]"


def _launched(probe: Probe, tag: str = "compat") -> dict[str, Any]:
    key = probe.register_key("compat-key")
    return probe.launch(tag, key["id"])


def test_it_is_the_published_client_in_a_home_of_its_own(published_python):
    answer = published_python.run(
        "import os, tempfile\n"
        "emit({'file': gpueater.__file__, 'tmp': tempfile.gettempdir(),"
        " 'home': os.path.expanduser('~'), 'url': gpueater.G_GPUEATER_URL})"
    ).check()
    assert "/.venv-compat/" in answer["file"]
    assert answer["tmp"] == str(published_python.folders.tmp)
    assert answer["home"] == str(published_python.folders.home)
    assert answer["url"] == published_python.url


def test_without_eater_it_writes_a_template_over_the_home_and_refuses(published_python):
    """KNOWN FAULT (api-notes): importing without ~/.eater writes a template there, then raises."""
    eater = published_python.folders.home / ".eater"
    eater.unlink()
    run = published_python.run("emit('imported')")
    assert run.returncode != 0
    assert "You must define config" in run.stderr
    assert json.loads(eater.read_text())["gpueater"]["email"] == "[Your email address]"


def test_catalog_reads_and_find_helpers(published_python, probe):
    key = probe.register_key("catalog-key")
    answer = published_python.run(
        "c = gpueater.ondemand_list()\n"
        "emit({'image': c.find_image('Ubuntu16.04 x64'), 'product': c.find_product('n1.p400'),"
        " 'key': c.find_ssh_key('catalog-key'), 'missing': c.find_product('no-such'),"
        " 'images': gpueater.image_list(), 'keys': gpueater.ssh_key_list(),"
        " 'invoices': gpueater.invoice_list(), 'mine': gpueater.registered_image_list()})"
    ).check()
    catalog = probe.get("ondemand_launch_list")
    assert answer["image"]["alias"] == "ubuntu-16.04-x64"
    assert answer["product"] == next(p for p in catalog["products"] if p["name"] == "n1.p400")
    assert answer["key"]["id"] == key["id"]
    assert answer["missing"] is None
    assert answer["images"] == probe.get("images")
    assert [k["id"] for k in answer["keys"]] == [key["id"]]
    assert answer["invoices"] == probe.get("charge_list")
    assert answer["mine"] == []
    # The client never logs in up front: its first call met the session timeout, logged in
    # and was repeated (one login for the whole process, then the cookie was reused).
    assert probe.requests()["api_login"] == 2  # the client's one and the probe's
    assert (published_python.folders.tmp / "gpueater_cookie.txt").is_file()


def test_ssh_keys_generate_register_delete(published_python, probe):
    answer = published_python.run(
        "k = gpueater.generate_ssh_key()\n"
        "gpueater.register_ssh_key({'name': 'py-key', 'public_key': k['public_key']})\n"
        "keys = gpueater.ssh_key_list()\n"
        "emit({'pair': k, 'keys': keys})"
    ).check()
    keys = probe.get("ssh_keys")
    assert [k["name"] for k in keys] == ["py-key"]
    assert keys[0]["public_key"].split()[:2] == answer["pair"]["public_key"].split()[:2]
    # What the clients save as ~/.ssh/<name>.pem (issue 15: RSA in PEM, 2048 bits or more).
    assert answer["pair"]["private_key"].startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert answer["pair"]["public_key"].startswith("ssh-rsa ")
    published_python.run("gpueater.delete_ssh_key(gpueater.ssh_key_list()[0])").check()
    assert probe.get("ssh_keys") == []


def test_launch_and_the_life_cycle(published_python, probe):
    key = probe.register_key("life-key")
    code = (
        "c = gpueater.ondemand_list()\n"
        "launched = gpueater.launch_ondemand_instance("
        "{'product_id': c.find_product('n1.p400')['id'],"
        " 'image': c.find_image('Ubuntu16.04 x64')['alias'],"
        " 'ssh_key_id': c.find_ssh_key('life-key')['id'], 'tag': 'py-life'})\n"
        "ins = gpueater.instance_list()[0]\n"
        "emit({'launched': launched, 'instance': ins})"
    )
    answer = published_python.run(code).check()
    assert answer["launched"] is None  # the README: {data: null, error: null}
    instance = probe.instance(answer["instance"]["instance_id"])
    assert instance is not None
    assert (instance["tag"], instance["state"]) == ("py-life", "RUNNING")
    assert instance["ssh_key_file_name"] == "life-key"
    assert key["name"] == "life-key"

    form = repr(answer["instance"])
    published_python.run(f"gpueater.stop_instance({form})").check()
    assert probe.instance(instance["instance_id"])["state"] == "STOPPED"
    published_python.run(f"gpueater.start_instance({form})").check()
    assert probe.instance(instance["instance_id"])["state"] == "RUNNING"
    before = probe.requests()
    published_python.run(f"gpueater.restart_instance({form})").check()
    after = probe.requests()
    assert after["stop_instance"] == before["stop_instance"] + 1
    assert after["start_instance"] == before["start_instance"] + 1
    assert probe.instance(instance["instance_id"])["state"] == "RUNNING"
    published_python.run(f"gpueater.emergency_restart_instance({form})").check()
    assert probe.requests()["emergency_restart_instance"] == 1
    published_python.run(f"gpueater.terminate_instance({form})").check()
    assert probe.instance(instance["instance_id"]) is None or probe.instance(
        instance["instance_id"]
    )["state"] in ("TERMINATING", "TERMINATED")
    assert probe.get("instance_list") == []


def test_change_instance_tag_terminates_the_instance(published_python, probe):
    """KNOWN BUG (api-notes): Python 1.5's change_instance_tag posts to force_terminate."""
    instance = _launched(probe, "keep-me")
    published_python.run(
        f"gpueater.change_instance_tag({{**{instance!r}, 'tag': 'renamed'}})"
    ).check()
    counts = probe.requests()
    assert counts.get("change_instance_tag", 0) == 0
    # 2: a fresh process's first call meets the session timeout (the client never logs in
    # up front), logs in, and is sent again.
    assert counts["terminate_instance"] == 2
    assert [i["tag"] for i in probe.get("instance_list")] == []


def test_ports_and_addresses(published_python, probe):
    instance = _launched(probe)
    form = repr({**instance, "port": 9999})
    answer = published_python.run(
        f"ins = {form}\n"
        "emit({'before': gpueater.port_list(ins), 'opened': gpueater.open_port(ins),"
        " 'after_open': gpueater.port_list(ins)})"
    ).check()
    assert 9999 in [
        p["port"]
        for p in probe.get(
            "port_list",
            instance_id=instance["instance_id"],
            connection_id=instance["connection_id"],
        )
    ]
    assert answer["before"] != answer["after_open"]
    published_python.run(f"gpueater.close_port({form})").check()
    assert 9999 not in [
        p["port"]
        for p in probe.get(
            "port_list",
            instance_id=instance["instance_id"],
            connection_id=instance["connection_id"],
        )
    ]
    old_ipv4 = instance["ipv4"]
    published_python.run(f"gpueater.renew_ipv4({form})").check()
    published_python.run(f"gpueater.refresh_ipv4({form})").check()
    counts = probe.requests()
    assert (counts["renew_ipv4"], counts["refresh_ipv4"]) == (1, 1)
    assert probe.instance(instance["instance_id"])["ipv4"] != old_ipv4
    described = published_python.run(f"emit(gpueater.network_description({form}))").check()
    # What the Node console reads of the same answer (api-notes, disagreement 2).
    assert set(described) >= {"instance_status", "port_list"}
    assert described["instance_status"]["tag"] == instance["tag"]
    assert (
        described["instance_status"]["global_ipv4"]
        == probe.instance(instance["instance_id"])["ipv4"]
    )
    assert 22 in [p["port"] for p in described["port_list"]]


def test_images_from_an_instance(published_python, probe):
    instance = _launched(probe)
    form = repr({**instance, "image_name": "py-image"})
    published_python.run(f"gpueater.create_image({form})").check()
    mine = probe.get("registered_image_list")
    assert [i["name"] for i in mine] == ["py-image"]
    listed = published_python.run("emit(gpueater.registered_image_list())").check()
    assert [i["fingerprint"] for i in listed] == [mine[0]["fingerprint"]]
    published_python.run(f"gpueater.delete_image({mine[0]!r})").check()
    assert probe.get("registered_image_list") == []


def test_a_session_timeout_on_a_get_logs_in_again_and_repeats_once(published_python, probe):
    instance = _launched(probe)
    # The first process logs in and caches its cookie in TMPDIR; the second reuses it.
    first = published_python.run("emit(gpueater.instance_list())").check()
    assert probe.requests()["api_login"] == 2  # the probe's and the client's
    probe.emulator.add_fault("instance_list", "session_timeout")
    second = published_python.run("emit(gpueater.instance_list())").check()
    assert (
        [i["instance_id"] for i in second]
        == [instance["instance_id"]]
        == [i["instance_id"] for i in first]
    )
    assert probe.requests()["api_login"] == 3  # one more, for the timeout only
    assert probe.emulator.state()["faults"] == []


def test_a_session_timeout_on_a_post_logs_in_again_and_repeats_once(published_python, probe):
    instance = _launched(probe)
    form = repr({**instance, "port": 8080})
    published_python.run("gpueater.instance_list()").check()
    probe.emulator.add_fault("open_port", "session_timeout")
    published_python.run(f"emit(gpueater.open_port({form}))").check()
    ports = probe.get(
        "port_list", instance_id=instance["instance_id"], connection_id=instance["connection_id"]
    )
    assert [p["port"] for p in ports].count(8080) == 1
    assert probe.requests()["api_login"] == 3
    assert probe.emulator.state()["faults"] == []


def test_a_server_error_surfaces_as_a_type_error_after_a_print(published_python, probe):
    """KNOWN FAULT (api-notes): `raise j['error']` raises a TypeError; the error goes to stdout."""
    run = published_python.run("gpueater.delete_ssh_key({'id': 'no-such-key'})")
    assert run.returncode != 0
    assert "TypeError: exceptions must derive from BaseException" in run.stderr
    assert "'error'" in run.stdout
    assert probe.requests()["delete_ssh_key"] == 2  # refused by the session timeout, then sent


@pytest.mark.parametrize(
    "call",
    [
        "snapshot_instance({})",
        "delete_snapshot({})",
        "subscription_list()",
        "launch_subcription_instance({})",
        "create_volume({})",
        "delete_volume({})",
        "transfer_volume({})",
        "subscribe_instance_list()",
        "subscribe_instance({})",
        "unsubscribe_instance({})",
        "live_migration({})",
        "cancel_transaction({})",
        "subscription_invoice_list()",
        "make_invoice({})",
    ],
)
def test_what_it_never_implemented_raises_without_a_request(published_python, probe, call):
    """KNOWN FAULT: `raise "Not implemented yet"` is a TypeError in Python 3; nothing is sent."""
    before = probe.requests()
    run = published_python.run(f"gpueater.{call}")
    assert "TypeError: exceptions must derive from BaseException" in run.stderr
    assert probe.requests() == before


def _seed_blocks() -> list[str]:
    text = SEED_README.read_text(encoding="utf-8")
    return [b for b in re.findall(r"```[a-z]*\n(.*?)```", text, re.DOTALL) if "gpueater." in b]


def test_the_seed_readme_snippets_run_unchanged(published_python, probe):
    key = probe.register_key(PLACEHOLDER_KEY)
    probe.launch("already-running", key["id"])
    blocks = _seed_blocks()
    assert len(blocks) == 8
    runner = (
        "import sys\n"
        f"blocks = {blocks!r}\n"
        "session = {}\n"
        "for index, block in enumerate(blocks):\n"
        "    exec(compile(block, f'<seed README block {index}>', 'exec'), session)\n"
        "    emit(index)\n"
    )
    run = published_python.run(runner)
    assert run.check() == len(blocks) - 1
    # The launch block launched HappyGPUProgramming and the terminate block ended it; the
    # last block terminated `instance_list()[0]`, the one already running.
    assert probe.get("instance_list") == []
    assert probe.requests()["launch_ondemand_instance"] == 2
    assert probe.requests()["terminate_instance"] == 2
    # The SSH key block replaced my_ssh_key2_for_python and saved its private key.
    assert "my_ssh_key2_for_python" in [k["name"] for k in probe.get("ssh_keys")]
    saved = published_python.folders.home / ".ssh" / "my_ssh_key2_for_python.pem"
    assert saved.read_text().startswith("-----BEGIN")
