"""Every fault kind, injected over the control interface and observed by a real HTTP client.

For each kind the test checks what the client receives and, through /_emulator/state,
whether the call's effect was applied: BEFORE_EFFECT kinds must leave no instance behind,
AFTER_EFFECT kinds must have launched it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest
from gpueater_client import errors
from gpueater_client.api.instance import instance_list

from gpueater_emulator.connections import ConnectionDropped
from tests.emulator.generated_client import data_of
from tests.emulator.in_process import InProcessClient
from tests.support.emulator_process import EmulatorProcess

SERVERS = "/console/servers"
LAUNCH = "launch_ondemand_instance"


@pytest.fixture
def http(emulator: EmulatorProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=emulator.url, timeout=10) as client:
        _log_in(client, emulator)
        yield client


def _log_in(client: httpx.Client, emulator: EmulatorProcess) -> None:
    login = client.post("/api_login", data={"email": emulator.email, "password": emulator.password})
    assert login.json() == {"data": None, "error": None}


def _launch_form(client: httpx.Client) -> dict[str, str]:
    pair = client.get(f"{SERVERS}/ssh_key_gen").json()["data"]
    key = client.post(
        f"{SERVERS}/register_ssh_key", data={"name": "faulty", "public_key": pair["public_key"]}
    ).json()["data"]
    return {"product_id": "3", "image": "ubuntu-16.04-x64", "ssh_key_id": key["id"], "tag": "f"}


def _launch(client: httpx.Client, form: dict[str, str]) -> httpx.Response:
    return client.post(f"{SERVERS}/{LAUNCH}", data=form)


@pytest.mark.parametrize(
    ("kind", "status", "retry_after"),
    [("http_500", 500, None), ("http_503", 503, "1"), ("rate_limit_429", 429, "1")],
)
def test_an_error_status_arrives_before_any_effect(http, emulator, kind, status, retry_after):
    form = _launch_form(http)
    emulator.add_fault(LAUNCH, kind)
    answer = _launch(http, form)
    assert answer.status_code == status
    assert answer.headers.get("retry-after") == retry_after
    state = emulator.state()
    assert (state["instances"], state["requests"][LAUNCH], state["faults"]) == ([], 1, [])
    # Spent: the same call now goes through.
    assert _launch(http, form).json() == {"data": None, "error": None}
    assert len(emulator.state()["instances"]) == 1


def test_a_delay_holds_the_answer_and_then_the_call_proceeds(http, emulator):
    form = _launch_form(http)
    emulator.add_fault(LAUNCH, "delay", seconds=1)
    assert emulator.state()["faults"] == [
        {"operation": LAUNCH, "kind": "delay", "count": 1, "seconds": 1.0}
    ]
    with pytest.raises(httpx.ReadTimeout):
        http.post(f"{SERVERS}/{LAUNCH}", data=form, timeout=httpx.Timeout(10, read=0.2))
    # The server did not give up when the client did: the launch lands after the delay.
    for _ in range(100):
        if emulator.state()["instances"]:
            break
        time.sleep(0.1)
    assert [instance["tag"] for instance in emulator.state()["instances"]] == ["f"]


def test_a_short_delay_answers_normally(http, emulator):
    emulator.add_fault("instance_list", "delay", seconds=0.1)
    assert http.get(f"{SERVERS}/instance_list").json() == {"data": [], "error": None}
    assert emulator.state()["faults"] == []


def test_a_session_timeout_drops_the_session_and_redirects(http, emulator):
    emulator.add_fault("instance_list", "session_timeout")
    answer = http.get(f"{SERVERS}/instance_list")
    assert answer.status_code == 302
    assert answer.headers["location"] == "/login?state=session_timeout"
    # The fault is spent but the session stays gone, as after a real expiry.
    assert http.get(f"{SERVERS}/instance_list").status_code == 302
    _log_in(http, emulator)
    assert http.get(f"{SERVERS}/instance_list").status_code == 200
    assert emulator.state()["requests"]["api_login"] == 2


def test_drop_before_commit_cuts_the_connection_and_launches_nothing(http, emulator):
    form = _launch_form(http)
    emulator.add_fault(LAUNCH, "drop_before_commit")
    with pytest.raises(httpx.RemoteProtocolError):
        _launch(http, form)
    assert emulator.state()["instances"] == []


def test_drop_after_commit_cuts_the_answer_but_the_launch_happened(http, emulator):
    form = _launch_form(http)
    emulator.add_fault(LAUNCH, "drop_after_commit")
    with pytest.raises(httpx.RemoteProtocolError):
        _launch(http, form)
    assert [instance["tag"] for instance in emulator.state()["instances"]] == ["f"]


def test_an_html_page_arrives_instead_of_json_after_the_effect(http, emulator):
    form = _launch_form(http)
    emulator.add_fault(LAUNCH, "html_page")
    answer = _launch(http, form)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert "<html" in answer.text
    assert len(emulator.state()["instances"]) == 1


def test_malformed_json_arrives_after_the_effect(http, emulator):
    form = _launch_form(http)
    emulator.add_fault(LAUNCH, "malformed_json")
    answer = _launch(http, form)
    assert (answer.status_code, answer.headers["content-type"]) == (200, "application/json")
    with pytest.raises(json.JSONDecodeError):
        json.loads(answer.content)
    assert len(emulator.state()["instances"]) == 1


def test_faults_stack_in_order_and_count_down(http, emulator):
    emulator.add_fault("instance_list", "http_503", count=2)
    emulator.add_fault("*", "http_500")
    assert [(f["kind"], f["count"]) for f in emulator.state()["faults"]] == [
        ("http_503", 2),
        ("http_500", 1),
    ]
    statuses = [http.get(f"{SERVERS}/instance_list").status_code for _ in range(4)]
    assert statuses == [503, 503, 500, 200]
    assert emulator.state()["faults"] == []


def test_a_wildcard_fault_spares_the_login_but_a_named_one_hits_it(http, emulator):
    emulator.add_fault("*", "http_500")
    _log_in(http, emulator)
    assert emulator.state()["faults"] != []
    assert http.get(f"{SERVERS}/images").status_code == 500
    emulator.add_fault("api_login", "http_503")
    refused = http.post("/api_login", data={"email": emulator.email, "password": emulator.password})
    assert refused.status_code == 503


def test_clearing_faults_stops_them(http, emulator):
    emulator.add_fault("*", "http_500", count=5)
    emulator.clear_faults()
    assert emulator.state()["faults"] == []
    assert http.get(f"{SERVERS}/images").status_code == 200


def test_the_generated_client_sees_an_unexpected_status(api, emulator):
    emulator.add_fault("instance_list", "http_503")
    with pytest.raises(errors.UnexpectedStatus) as raised:
        instance_list.sync_detailed(client=api)
    assert raised.value.status_code == 503
    assert data_of(instance_list.sync_detailed(client=api)) == []


@pytest.mark.parametrize(
    "fault",
    [
        {"operation": "instance_list", "kind": "explode"},
        {"operation": "no_such_operation", "kind": "http_500"},
        {"operation": "instance_list", "kind": "http_500", "count": 0},
        {"operation": "instance_list", "kind": "http_500", "seconds": 1},
        {"operation": "instance_list", "kind": "delay", "seconds": -1},
    ],
)
def test_the_control_interface_refuses_a_bad_fault(emulator, fault):
    answer = httpx.post(f"{emulator.url}/_emulator/faults", json=fault, timeout=10)
    assert answer.status_code == 400
    assert answer.json()["error"]
    assert emulator.state()["faults"] == []


def test_an_after_effect_fault_waits_for_a_call_that_reaches_the_effect(http, emulator):
    emulator.add_fault("instance_list", "malformed_json")
    with httpx.Client(base_url=emulator.url, timeout=10) as no_session:
        assert no_session.get(f"{SERVERS}/instance_list").status_code == 302
    assert [f["kind"] for f in emulator.state()["faults"]] == ["malformed_json"]
    with pytest.raises(json.JSONDecodeError):
        json.loads(http.get(f"{SERVERS}/instance_list").content)


def test_each_call_spends_at_most_one_fault(http, emulator):
    emulator.add_fault("instance_list", "delay", seconds=0)
    emulator.add_fault("instance_list", "html_page")
    assert http.get(f"{SERVERS}/instance_list").json() == {"data": [], "error": None}
    assert http.get(f"{SERVERS}/instance_list").headers["content-type"].startswith("text/html")
    assert emulator.state()["faults"] == []


@pytest.mark.parametrize("kind", ["drop_before_commit", "drop_after_commit"])
def test_in_process_a_drop_raises_connection_dropped(emulator_app, kind):
    # No TCP connection to cut in-process: the app says so with an exception instead.
    with InProcessClient(emulator_app) as client:
        client.log_in()
        fault = {"operation": "image_list", "kind": kind}
        assert client.request("POST", "/_emulator/faults", json=fault).status_code == 201
        with pytest.raises(ConnectionDropped):
            client.request("GET", "/console/servers/images")
