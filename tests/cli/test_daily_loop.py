"""The daily loop through the real `gpueater` command against the emulator on loopback."""

from __future__ import annotations

import json
import stat
import subprocess

import pytest

from gpueater_ext._ssh.target import host_key_alias
from tests.support.cli import Cli


def test_help_and_version(cli: Cli):
    assert "launch" in cli.ok("--help").stdout
    assert cli.ok("--version").stdout.startswith("gpueater, version 2.")


def test_products_sorted_by_family_then_price_and_limited_hidden(cli: Cli):
    shown = cli.ok("products", "-o", "json").json()
    everything = cli.ok("-o", "json", "products", "--all").json()
    assert all(not product.get("limited") for product in shown)
    assert any(product.get("limited") for product in everything)
    keys = [(p["name"].split(".")[0], p["price"]) for p in shown]
    assert keys == sorted(keys)
    table = cli.ok("products").stdout
    assert "a1.rx580" in table
    assert "$/H" in table


def test_images_and_api_list(cli: Cli):
    names = [image["name"] for image in cli.ok("images", "-o", "json").json()]
    assert "Ubuntu16.04 x64" in names
    functions = {row["name"]: row for row in cli.ok("api-list", "-o", "json").json()}
    assert functions["launch_subcription_instance"]["group"] == "Instance"
    assert "restart_instance" in functions


@pytest.mark.slow
def test_ssh_key_generate_register_list_delete(cli: Cli):
    created = cli.ok("ssh-key", "generate", "laptop", "--register", "-o", "json").json()
    key_file = cli.home / ".ssh" / "laptop.pem"
    assert created["private_key_file"] == str(key_file)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    assert key_file.read_text().startswith("-----BEGIN RSA PRIVATE KEY-----")
    # OpenSSH itself reads the saved key, and it is the half of the registered public key.
    derived = subprocess.run(
        ["ssh-keygen", "-y", "-f", str(key_file)], capture_output=True, text=True, check=True
    ).stdout.split()
    assert derived[:2] == created["public_key"].split()[:2]
    assert derived[0] == "ssh-rsa"
    assert "laptop" in [key["name"] for key in cli.ok("ssh-keys", "-o", "json").json()]

    again = cli("ssh-key", "generate", "laptop")
    assert again.code != 0
    assert "already exists" in again.error_line
    assert key_file.read_text().startswith("-----BEGIN RSA PRIVATE KEY-----")

    public = cli.home / "other.pub"
    public.write_text(created["public_key"] + "\n")
    registered = cli.ok(
        "ssh-key", "register", "other", "--public-key-file", str(public), "-o", "json"
    )
    assert registered.json()["name"] == "other"

    cli.ok("ssh-key", "delete", "laptop", "--yes")
    assert "laptop" not in [key["name"] for key in cli.ok("ssh-keys", "-o", "json").json()]


@pytest.mark.slow
def test_launch_waits_until_running_and_instances_show_it(cli: Cli, launched):
    assert launched["state"] == "RUNNING"
    assert launched["tag"] == "web-1"
    listed = cli.ok("instances", "-o", "json").json()
    assert [i["instance_id"] for i in listed] == [launched["instance_id"]]
    table = cli.ok("instances").stdout
    assert "web-1" in table
    assert "gpueater ssh web-1" in table
    assert "gpueater ssh web-1" in cli.ok("show", "web-1").stdout
    shown = cli.ok("show", "web-1", "-o", "json").json()
    assert shown["instance_id"] == launched["instance_id"]
    alias = host_key_alias(launched["instance_id"], cli.emulator.url)
    assert f"HostKeyAlias={alias}" in shown["ssh"]  # the SDK's own login, this service's alias
    assert "work-key.pem" in shown["ssh"]
    assert cli.ok("instances", "--tag", "nothing-so-tagged", "-o", "json").json() == []


@pytest.mark.slow
def test_lifecycle_verbs(cli: Cli, launched):
    stopped = cli.ok("stop", "web-1", "--wait", "-o", "json").json()
    assert stopped["state"] == "STOPPED"
    started = cli.ok("start", "web-1", "--wait", "-o", "json").json()
    assert started["state"] == "RUNNING"
    restarted = cli.ok("restart", "web-1", "--wait", "-o", "json").json()
    assert restarted["state"] == "RUNNING"
    cli.ok("emergency-restart", "web-1", "--yes", "--wait")
    renamed = cli.ok("tag", "web-1", "web-2", "-o", "json").json()
    assert renamed["tag"] == "web-2"
    cli.ok("terminate", "web-2", "--yes")
    assert cli.ok("instances", "-o", "json").json() == []
    assert cli.emulator.state()["instances"] == []


@pytest.mark.slow
def test_network_commands(cli: Cli, launched):
    opened = cli.ok("port", "open", "web-1", "8888", "-o", "json").json()
    assert 8888 in [p["port"] for p in opened["port_list"]]
    assert 8888 in [p["port"] for p in cli.ok("ports", "web-1", "-o", "json").json()["port_list"]]
    closed = cli.ok("port", "close", "web-1", "8888", "-o", "json").json()
    assert 8888 not in [p["port"] for p in closed["port_list"]]
    network = cli.ok("network", "web-1", "-o", "json").json()
    before = network["instance_status"]["global_ipv4"]
    assert (network["instance_status"]["tag"], before) == ("web-1", launched["ipv4"])
    renewed = cli.ok("ip", "renew", "web-1", "-o", "json").json()["instance_status"]["global_ipv4"]
    assert renewed != before
    refreshed = cli.ok("ip", "refresh", "web-1", "-o", "json").json()["instance_status"]
    assert refreshed["global_ipv4"] == renewed
    shown = cli.ok("network", "web-1").stdout
    assert f"global_ipv4         {renewed}" in shown
    assert "received            0 bytes, 0 packets" in shown
    assert "ports               22" in shown


@pytest.mark.slow
def test_fleet_terminate_by_tag(cli: Cli, launched):
    for _ in range(2):  # a fleet shares its tag on purpose
        cli.ok("launch", "--product", "a1.rx580", "--image", "Ubuntu16.04 x64",
               "--ssh-key", "work-key", "--tag", "fleet", "--allow-duplicate-tag")  # fmt: skip
    refused = cli("terminate", "--tag", "fleet", "--yes")
    assert refused.code == 2
    assert "--all" in refused.error_line
    gone = cli.ok("terminate", "--tag", "fleet", "--all", "--yes", "-o", "json").json()
    assert len(gone) == 2
    assert [i["tag"] for i in cli.ok("instances", "-o", "json").json()] == ["web-1"]


def test_configure_checks_and_saves_a_private_profile(cli: Cli):
    cli.without_credentials()
    result = cli.ok(
        "--url", cli.emulator.url, "configure", "--email", cli.emulator.email,
        "--password-stdin", "-o", "json", input=cli.emulator.password + "\n",
    )  # fmt: skip
    path = cli.home / ".eater"
    assert result.json()["path"] == str(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    saved = json.loads(path.read_text())["gpueater"]
    assert saved == {"email": cli.emulator.email, "password": cli.emulator.password,
                     "url": cli.emulator.url}  # fmt: skip
    assert cli.emulator.password not in result.stdout + result.stderr
    # The saved profile is what later commands use.
    cli.env.pop("GPUEATER_URL")
    assert cli.ok("images", "-o", "json").json()


def test_quiet_json_output_is_the_result_only(cli: Cli, launched):
    result = cli.ok("-q", "stop", "web-1", "--wait")
    assert result.stdout == ""
    assert result.stderr == ""
