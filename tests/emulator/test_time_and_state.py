"""Time-based transitions and the emulator's own state, in-process with a frozen clock."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any, cast

import httpx
import pytest
from starlette.applications import Starlette

from gpueater_emulator import EmulatorClock, EmulatorSettings, create_app
from gpueater_emulator.validation import ResponseContractError
from tests.emulator.in_process import InProcessClient


@pytest.fixture
def booting(emulator_settings: EmulatorSettings) -> Iterator[InProcessClient]:
    """An in-process emulator whose instances take 3 seconds to boot or stop."""
    emulator_settings.boot_seconds = 3
    with InProcessClient(create_app(emulator_settings)) as client:
        client.log_in()
        yield client


def _launch(client: InProcessClient, tag: str = "t") -> dict[str, Any]:
    pair = client.data("GET", "ssh_key_gen")
    key = client.data(
        "POST", "register_ssh_key", data={"name": f"k-{tag}", "public_key": pair["public_key"]}
    )
    form = {"product_id": "3", "image": "ubuntu-16.04-x64", "ssh_key_id": key["id"], "tag": tag}
    assert client.data("POST", "launch_ondemand_instance", data=form) is None
    instance: dict[str, Any] = client.data("GET", "instance_list")[-1]
    return instance


def _state_of(client: InProcessClient) -> str:
    state: str = client.data("GET", "instance_list")[-1]["state"]
    return state


def _action(instance: dict[str, Any]) -> dict[str, str]:
    return {
        "instance_id": instance["instance_id"],
        "machine_resource_id": instance["machine_resource_id"],
    }


def test_an_instance_boots_after_boot_seconds(booting, emulator_clock):
    instance = _launch(booting)
    assert instance["state"] == "LAUNCHING"
    emulator_clock.advance(2.9)
    assert _state_of(booting) == "LAUNCHING"
    error = booting.error("POST", "stop", data=_action(instance))
    assert (error["field"], error["code"]) == ("instance_id", "invalid_state")
    emulator_clock.advance(0.1)
    assert _state_of(booting) == "RUNNING"


def test_stop_passes_through_stopping_and_start_boots_again(booting, emulator_clock):
    instance = _launch(booting)
    emulator_clock.advance(3)
    assert booting.data("POST", "stop", data=_action(instance))["state"] == "STOPPING"
    assert _state_of(booting) == "STOPPING"
    emulator_clock.advance(3)
    assert _state_of(booting) == "STOPPED"
    assert booting.data("POST", "start", data=_action(instance))["state"] == "LAUNCHING"
    emulator_clock.advance(3)
    assert _state_of(booting) == "RUNNING"


def test_billing_counts_only_running_time(booting, emulator_clock):
    instance = _launch(booting)  # a1.rx580 at 0.3968 USD per hour
    emulator_clock.advance(3)  # booting is not billed
    emulator_clock.advance(1800)
    booting.data("POST", "stop", data=_action(instance))
    emulator_clock.advance(1700)  # stopped time is not billed either
    current = booting.data("GET", "charge_list")[-1]
    assert current["amount"] == pytest.approx(0.1984)


def test_a_session_expires_after_its_time_to_live(emulator_settings, emulator_clock):
    emulator_settings.session_ttl = 60
    with InProcessClient(create_app(emulator_settings)) as client:
        client.log_in()
        emulator_clock.advance(59)
        assert client.request("GET", "/console/servers/images").status_code == 200
        emulator_clock.advance(1)
        expired = client.request("GET", "/console/servers/images")
        assert (expired.status_code, expired.headers["location"]) == (
            302,
            "/login?state=session_timeout",
        )


def test_the_same_seed_gives_the_same_ids(emulator_settings):
    def launched_ids(settings: EmulatorSettings) -> tuple[str, str, str]:
        with InProcessClient(create_app(settings)) as client:
            client.log_in()
            instance = _launch(client)
        return instance["instance_id"], instance["connection_id"], instance["ipv4"]

    first = launched_ids(emulator_settings)
    again = launched_ids(emulator_settings)
    emulator_settings.seed = 2
    other = launched_ids(emulator_settings)
    assert first == again
    assert first != other


def test_reset_restores_the_seeded_state_and_keeps_the_session(emulator_app):
    with InProcessClient(emulator_app) as client:
        client.log_in()
        before = _launch(client)
        client.request("POST", "/_emulator/faults", json={"operation": "*", "kind": "http_500"})
        reset = client.request("POST", "/_emulator/reset").json()
        assert reset == {
            "instances": [],
            "disks": {},
            "ssh_keys": [],
            "volumes": [],
            "snapshots": [],
            "requests": {},
            "connections": 0,
            "faults": [],
        }
        # Same seed, same calls: the same ids again; the session survived the reset.
        assert _launch(client)["instance_id"] == before["instance_id"]


def test_the_control_clock_moves_time_forward(emulator_app, emulator_clock):
    with InProcessClient(emulator_app) as client:
        start = emulator_clock.now()
        moved = client.request("POST", "/_emulator/clock", json={"seconds": 90})
        assert moved.status_code == 200
        assert emulator_clock.now() == start + 90
        backwards = client.request("POST", "/_emulator/clock", json={"seconds": -1})
        assert backwards.status_code == 400


def test_a_clock_advance_past_any_printable_date_is_refused_and_the_emulator_keeps_working(
    emulator_app, emulator_clock
):
    with InProcessClient(emulator_app) as client:
        client.log_in()
        start = emulator_clock.now()
        huge = client.request("POST", "/_emulator/clock", json={"seconds": 1e308})
        assert huge.status_code == 400
        assert emulator_clock.now() == start
        assert client.request("POST", "/_emulator/reset").status_code == 200
        assert client.data("GET", "instance_list") == []


class _BrokenProduct:
    """A product whose id is a number, not a string: it breaks the Product schema."""

    def as_json(self) -> dict[str, Any]:
        return {"id": 3, "name": "a1.rx580", "price": 0.3968}


def _break_the_catalog(app: Starlette) -> None:
    world = app.state.emulator.world
    world.catalog = dataclasses.replace(world.catalog, products=cast(Any, (_BrokenProduct(),)))


def test_an_answer_that_breaks_the_spec_fails_loudly_in_test_mode(emulator_app):
    _break_the_catalog(emulator_app)
    with InProcessClient(emulator_app) as client:
        client.log_in()
        with pytest.raises(ResponseContractError, match="ondemand_list"):
            client.request("GET", "/console/servers/ondemand_launch_list")


def test_without_test_mode_the_same_answer_is_sent(emulator_settings):
    emulator_settings.validate_responses = False
    app = create_app(emulator_settings)
    _break_the_catalog(app)
    with InProcessClient(app) as client:
        client.log_in()
        assert client.data("GET", "ondemand_launch_list")["products"][0]["id"] == 3


def test_connections_count_distinct_client_connections(emulator):
    with httpx.Client(base_url=emulator.url, timeout=10) as client:
        for _ in range(3):
            client.get("/login")
            client.get("/console/servers/images")
    assert emulator.state()["connections"] == 1
    for _ in range(2):
        with httpx.Client(base_url=emulator.url, timeout=10) as client:
            client.get("/console/servers/images")
    state = emulator.state()
    assert (state["connections"], state["requests"]) == (3, {"image_list": 5})


def test_the_frozen_clock_only_moves_forward():
    clock = EmulatorClock(start=100.0)
    clock.advance(5)
    assert clock.now() == 105.0
    with pytest.raises(ValueError, match="forward"):
        clock.advance(-1)
