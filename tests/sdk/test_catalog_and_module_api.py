"""Find-helpers of the catalog, and `import gpueater` returning plain data."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import gpueater
from gpueater_ext import GPUEater, Instance, LaunchCatalog, NotFoundError, SSHError
from gpueater_ext._ssh import SshTarget, known_hosts_file, ssh_argv
from gpueater_ext._ssh.target import host_key_alias
from tests.sdk.fakes import BASE_URL, EMAIL, PASSWORD, envelope, form_of, instance

CATALOG = {
    "images": {
        "u16": {"name": "Ubuntu16.04 x64", "alias": "ubuntu-16.04-x64"},
        "c7": {"name": "CentOS7 x64", "alias": "centos-7-x64"},
    },
    "ssh_keys": [{"id": "501", "name": "my_ssh_key"}],
    "products": [
        {"id": "3", "name": "a1.rx580", "price": 0.3968, "pool": ["tokyo-1"], "limited": False},
        {"id": "9", "name": "a1.vegafe", "price": 0.7936, "pool": [], "limited": True},
    ],
}


def catalog() -> LaunchCatalog:
    return LaunchCatalog.from_payload(CATALOG, operation="ondemand_list")


def test_find_helpers_return_the_item_or_none():
    found = catalog()
    assert found.get_image("Ubuntu16.04 x64").alias == "ubuntu-16.04-x64"
    assert found.get_image("centos-7-x64").name == "CentOS7 x64"  # an alias works too
    assert found.get_ssh_key("my_ssh_key").id == "501"
    assert found.get_product("a1.rx580").in_stock
    assert found.find_image("Windows") is None
    assert found.find_ssh_key("nope") is None


def test_limited_products_are_skipped_unless_asked_for():
    found = catalog()
    assert found.find_product("a1.vegafe") is None
    assert found.get_product("a1.vegafe", include_limited=True).id == "9"


def test_get_helpers_raise_not_found_listing_the_closest_names():
    with pytest.raises(NotFoundError, match=r"closest: a1\.rx580"):
        catalog().get_product("a1.rx58")
    with pytest.raises(NotFoundError, match=r"Ubuntu16\.04 x64"):
        catalog().get_image("Ubuntu 16.04")


@pytest.fixture
def module_service(service):
    service.route("GET", "ondemand_launch_list", lambda request: envelope(CATALOG))
    service.instances = [instance("1", tag="HappyGPUProgramming")]
    gpueater.set_client(GPUEater(BASE_URL, email=EMAIL, password=PASSWORD))
    return service


def test_the_module_catalog_is_a_dict_with_find_helpers_returning_dicts(module_service):
    res = gpueater.ondemand_list()
    assert isinstance(res, dict)
    assert json.loads(json.dumps(res))["products"][0]["name"] == "a1.rx580"
    image = res.find_image("Ubuntu16.04 x64")
    product = res.find_product("a1.rx580")
    ssh_key = res.find_ssh_key("my_ssh_key")
    assert isinstance(image, dict)
    assert isinstance(product, dict)
    assert isinstance(ssh_key, dict)
    assert (image["alias"], product["id"], ssh_key["id"]) == ("ubuntu-16.04-x64", "3", "501")
    assert res.find_product("a1.vegafe") is None


def test_module_functions_take_and_return_plain_data(module_service):
    terminated = {}

    def terminate(request):
        terminated.update(form_of(request))
        return envelope(instance("1", state="TERMINATING"))

    module_service.route("POST", "force_terminate", terminate)
    instances = gpueater.instance_list()
    assert isinstance(instances, list)
    assert isinstance(instances[0], dict)
    answer = gpueater.terminate_instance(instances[0])  # a whole instance dict, as 1.5 did
    assert answer["state"] == "TERMINATING"
    assert terminated == {"instance_id": "1", "machine_resource_id": "m1"}


def test_the_misspelt_seed_name_and_its_twin_are_the_same_function():
    assert gpueater.launch_subcription_instance is gpueater.launch_subscription_instance
    assert GPUEater.launch_subcription_instance is GPUEater.launch_subscription_instance


def test_module_api_list_needs_no_credentials():
    rows = gpueater.api_list()
    assert {"name", "group", "since", "endpoint"} == set(rows[0])
    assert "launch_subcription_instance" in {row["name"] for row in rows}


def test_the_default_client_is_created_on_first_use_from_the_environment(monkeypatch, service):
    monkeypatch.setenv("GPUEATER_URL", BASE_URL)
    monkeypatch.setenv("GPUEATER_EMAIL", EMAIL)
    monkeypatch.setenv("GPUEATER_PASSWORD", PASSWORD)
    assert gpueater.instance_list() == []
    assert gpueater.get_client().config.source == "environment"


def test_an_instance_ssh_command_uses_its_own_user_port_and_key(isolated):
    box = Instance.from_payload(instance("7"), operation="test")
    key = Path(os.environ["HOME"]) / ".ssh" / "my_key.pem"
    command = box.ssh_command()
    assert command[0] == "ssh"
    assert command[-5:] == ["2222", "-l", "ubuntu", "--", "203.0.113.10"]
    assert f'IdentityFile="{key}"' in command
    # Built by hand, the instance belongs to the default service.
    assert {"IdentitiesOnly=yes", f"HostKeyAlias={host_key_alias('7')}"} <= set(command)
    assert f'UserKnownHostsFile="{known_hosts_file()}"' in command
    # The line a user pastes is the login the SDK itself runs.
    target = SshTarget.for_instance(box)
    assert command == ssh_argv(target, known_hosts_file(), None, batch=False)
    assert box.ssh_command_line().endswith("-l ubuntu -- 203.0.113.10")
    launching = Instance.from_payload({**instance("8"), "ipv4": None}, operation="test")
    with pytest.raises(SSHError, match="no IPv4 address yet"):
        launching.ssh_command()


def test_the_module_renames_a_snapshot_with_keywords_winning_over_the_form(module_service):
    renamed = {}

    def rename(request):
        renamed.update(form_of(request))
        return envelope(None)

    module_service.route("POST", "change_snapshot_tag", rename)
    gpueater.change_snapshot_tag({"snapshot_id": "s-1", "tag": "old"}, tag="new")
    assert renamed == {"snapshot_id": "s-1", "tag": "new"}


def test_the_module_port_list_is_the_list_the_service_answers(module_service):
    # As 1.5 passed the answer through: a list of port dicts, not the SDK's wrapper.
    ports = [{"port": 22, "protocol": "tcp"}, {"port": 8888, "protocol": "tcp"}]
    module_service.route("GET", "port_list", lambda request: envelope(ports))
    assert gpueater.port_list(instance_id="1") == ports
