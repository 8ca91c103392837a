"""`POST /_emulator/instances`: an account filled at once with RUNNING instances that look and
behave as launched ones, and a clear 400 (nothing seeded) on bad input. In-process, with the
emulator validating its own answers against the spec."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from gpueater_emulator import EmulatorSettings, create_app
from tests.emulator.in_process import InProcessClient

PRODUCT_ID = "3"
IMAGE = "ubuntu-16.04-x64"


@pytest.fixture
def account(emulator_settings: EmulatorSettings) -> Iterator[tuple[InProcessClient, str]]:
    """A logged-in in-process emulator whose instances take a minute to boot (seeding must
    not wait for it), and the id of a registered key."""
    emulator_settings.boot_seconds = 60
    with InProcessClient(create_app(emulator_settings)) as client:
        client.log_in()
        pair = client.data("GET", "ssh_key_gen")
        key = client.data(
            "POST", "register_ssh_key", data={"name": "seed", "public_key": pair["public_key"]}
        )
        yield client, key["id"]


def _seed(client: InProcessClient, **body: Any) -> Any:
    return client.request("POST", "/_emulator/instances", json=body)


def test_seeded_instances_are_running_and_shaped_as_launched_ones(account):
    client, key_id = account
    form = {"product_id": PRODUCT_ID, "image": IMAGE, "ssh_key_id": key_id}
    assert client.data("POST", "launch_ondemand_instance", data=form) is None
    answer = _seed(client, count=25, **form)
    assert answer.status_code == 201
    seeded_ids = answer.json()["instance_ids"]
    listed = client.data("GET", "instance_list")
    launched, seeded = listed[0], listed[1:]
    assert [instance["instance_id"] for instance in seeded] == seeded_ids
    assert {instance["state"] for instance in seeded} == {"RUNNING"}
    assert launched["state"] == "LAUNCHING"  # seeding did not skip anyone else's boot
    assert all(instance.keys() == launched.keys() for instance in seeded)
    assert len({instance["ipv4"] for instance in listed}) == 26
    assert len({instance["instance_id"] for instance in listed}) == 26
    # A seeded instance is a real one: the service's own calls act on it.
    first = seeded[0]
    action = {
        "instance_id": first["instance_id"],
        "machine_resource_id": first["machine_resource_id"],
    }
    client.data("POST", "force_terminate", data=action)
    remaining = {instance["instance_id"] for instance in client.data("GET", "instance_list")}
    assert first["instance_id"] not in remaining
    assert len(remaining) == 25


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"count": 0}, "count"),
        ({"count": 10_001}, "count"),
        ({"count": "5"}, "count"),
        ({"count": True}, "count"),
        ({"product_id": ""}, "product_id"),
        ({"image": 7}, "image"),
        ({"ssh_key_id": None}, "ssh_key_id"),
        ({"tag": "x"}, "tag"),
        ({"product_id": "999"}, "product_id"),
        ({"image": "no-such-image"}, "image"),
        ({"ssh_key_id": "no-such-key"}, "ssh_key_id"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_seeds_nothing(account, body, named):
    client, key_id = account
    request = {"count": 3, "product_id": PRODUCT_ID, "image": IMAGE, "ssh_key_id": key_id}
    answer = _seed(client, **{**request, **body})
    assert answer.status_code == 400
    assert answer.json()["error"].startswith(f"{named}:")
    assert client.data("GET", "instance_list") == []


def test_a_body_that_is_not_an_object_is_a_400(account):
    client, _ = account
    answer = client.request("POST", "/_emulator/instances", content=b"[1, 2]")
    assert (answer.status_code, answer.json()) == (400, {"error": "body: must be a JSON object"})
