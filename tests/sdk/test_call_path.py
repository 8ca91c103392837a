"""The one call path: login, envelope, validation, errors, forms (respx)."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest

from gpueater_ext import (
    APIError,
    AsyncGPUEater,
    AuthenticationError,
    GPUEater,
    GPUEaterConnectionError,
    GPUEaterError,
    GPUEaterTimeoutError,
    Instance,
    InvalidArgumentError,
    PortList,
    UnexpectedResponseError,
)
from gpueater_ext._retry import NO_RETRY
from tests.sdk.fakes import (
    ACCESS_TOKEN,
    BASE_URL,
    EMAIL,
    PASSWORD,
    SECRET_TOKEN,
    envelope,
    form_of,
    instance,
    session_timeout,
)


def client() -> GPUEater:
    # One attempt per call: these tests are about a single attempt; retries have their own.
    return GPUEater(BASE_URL, email=EMAIL, password=PASSWORD, retry_policy=NO_RETRY)


def test_a_list_comes_back_as_typed_models_with_none_for_absent_fields(service):
    service.instances = [instance("1", tag="web")]
    with client() as eater:
        (found,) = eater.instance_list()
    assert isinstance(found, Instance)
    assert (found.instance_id, found.tag, found.sshd_port) == ("1", "web", 2222)
    assert found.product_name is None
    assert service.logins == 1


def test_requests_carry_a_versioned_user_agent_and_are_not_redirect_followers(service):
    with client() as eater:
        eater.instance_list()
    request = service.router.calls.last.request
    assert re.fullmatch(r"gpueater-python/\S+", request.headers["user-agent"])


def test_the_user_agents_version_is_the_installed_distributions():
    """The version is a constant (`_version`, read without importlib.metadata's ~15 ms):
    a release that bumps pyproject.toml and forgets it fails here."""
    from importlib import metadata

    from gpueater_ext._session import user_agent

    assert user_agent() == f"gpueater-python/{metadata.version('gpueater')}"


def test_token_pair_logs_in_with_access_and_secret_token(service):
    with GPUEater(BASE_URL, access_token=ACCESS_TOKEN, secret_token=SECRET_TOKEN) as eater:
        eater.instance_list()
    login = service.router.calls[0].request
    assert form_of(login) == {"access_token": ACCESS_TOKEN, "secret_token": SECRET_TOKEN}


def test_a_wrong_password_is_an_authentication_error_with_the_servers_reason(service):
    eater = GPUEater(BASE_URL, email=EMAIL, password="wrong")
    with eater, pytest.raises(AuthenticationError, match="wrong email or password"):
        eater.instance_list()


def test_an_expired_session_logs_in_again_once_and_repeats_the_call(service):
    service.instances = [instance("1")]
    with client() as eater:
        eater.instance_list()
        service.expire_session()
        assert len(eater.instance_list()) == 1
    assert service.logins == 2


def test_a_second_refusal_right_after_login_is_an_authentication_error(service):
    service.route(
        "GET",
        "images",
        lambda request: session_timeout(),
    )
    with client() as eater, pytest.raises(AuthenticationError, match="refused the session again"):
        eater.image_list()
    assert service.logins == 2


def test_an_error_envelope_raises_api_error_with_operation_and_payload(service):
    error = {"message": "no such instance", "code": "not_found"}
    service.route("POST", "force_terminate", lambda request: envelope(error=error))
    with client() as eater, pytest.raises(APIError) as raised:
        eater.terminate_instance(instance_id="9", machine_resource_id="m9")
    assert raised.value.operation == "terminate_instance"
    assert raised.value.payload == error
    assert "no such instance" in str(raised.value)


def test_a_string_error_envelope_is_an_api_error_too(service):
    service.route("GET", "images", lambda request: envelope(error="maintenance"))
    with client() as eater, pytest.raises(APIError, match="image_list: maintenance"):
        eater.image_list()


@pytest.mark.parametrize(
    ("payload", "where"),
    [
        ([{"instance_id": "1"}], "data[0]"),  # required fields missing
        ([{**instance("1"), "sshd_port": "22"}], "data[0].sshd_port"),  # wrong type
        ({"not": "a list"}, "data"),
        ([["nested", "list"]], "data[0]"),
    ],
)
def test_a_malformed_payload_raises_api_error_naming_operation_and_field(service, payload, where):
    service.route("GET", "instance_list", lambda request: envelope(payload))
    with client() as eater, pytest.raises(APIError) as raised:
        eater.instance_list()
    assert raised.value.operation == "instance_list"
    assert where in str(raised.value)


def test_a_malformed_nested_item_is_caught_where_the_generator_would_pass_a_raw_dict(service):
    broken = {"instance_status": {}, "port_list": [{"port": "not a number"}]}
    service.route("GET", "instance_info", lambda request: envelope(broken))
    with (
        client() as eater,
        pytest.raises(APIError, match=r"network_description.*port_list\[0\]\.port"),
    ):
        eater.network_description(instance_id="1")


def test_an_html_page_or_a_non_envelope_is_an_api_error(service):
    service.route(
        "GET", "images", lambda request: httpx.Response(200, html="<title>GPUEater:  Login</title>")
    )
    service.route("GET", "ssh_keys", lambda request: httpx.Response(200, json=[1, 2]))
    with client() as eater:
        with pytest.raises(APIError, match="image_list"):
            eater.image_list()
        with pytest.raises(APIError, match="ssh_key_list"):
            eater.ssh_key_list()


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_an_unexpected_status_keeps_status_and_retry_after(service, status):
    service.route(
        "GET", "images", lambda request: httpx.Response(status, headers={"retry-after": "3"})
    )
    with client() as eater, pytest.raises(UnexpectedResponseError) as raised:
        eater.image_list()
    assert (raised.value.status_code, raised.value.retry_after) == (status, 3.0)
    assert isinstance(raised.value, APIError)


@pytest.mark.parametrize(
    ("failure", "expected", "may_have_reached"),
    [
        (httpx.ConnectError("refused"), GPUEaterConnectionError, False),
        (httpx.ConnectTimeout("slow"), GPUEaterTimeoutError, False),
        (httpx.ReadTimeout("slow"), GPUEaterTimeoutError, True),
        (httpx.RemoteProtocolError("dropped"), GPUEaterConnectionError, True),
    ],
)
def test_transport_failures_become_sdk_errors(service, failure, expected, may_have_reached):
    service.router.get("/console/servers/images").mock(side_effect=failure)
    with client() as eater, pytest.raises(expected) as raised:
        eater.image_list()
    assert raised.value.may_have_reached_server is may_have_reached
    assert not isinstance(raised.value, httpx.HTTPError)


def test_a_form_dict_a_model_and_keywords_combine_and_only_declared_fields_are_sent(service):
    sent = {}

    def record(request):
        sent.update(form_of(request))
        return envelope([{"port": 8888, "protocol": "tcp"}])

    service.route("POST", "add_port", record)
    box = Instance.from_payload(instance("7"), operation="test")
    with client() as eater:
        ports = eater.open_port(box, port="8888")
        assert isinstance(ports, PortList)
        assert ports.port_list[0].port == 8888
        eater.open_port({"instance_id": "8", "connection_id": "c8", "state": "x"}, port=22)
    assert sent == {"instance_id": "8", "connection_id": "c8", "port": "22"}


def test_missing_or_unknown_fields_raise_before_anything_is_sent(service):
    with client() as eater:
        with pytest.raises(InvalidArgumentError, match="machine_resource_id"):
            eater.terminate_instance(instance_id="1")
        with pytest.raises(InvalidArgumentError, match="'instanceid'; did you mean 'instance_id'"):
            eater.terminate_instance(instanceid="1", machine_resource_id="2")  # type: ignore[call-arg]
        with pytest.raises(InvalidArgumentError, match="port must be an integer"):
            eater.open_port(instance_id="1", connection_id="2", port="http")
    assert service.router.calls.call_count == 0


def test_launch_returns_the_launched_instance_found_by_a_generated_tag(service):
    service.instances = [instance("1", tag="someone-else")]
    with client() as eater:
        launched = eater.launch_ondemand_instance(product_id=3, image="ubuntu", ssh_key_id="5")
    assert launched.tag.startswith("gpueater-")
    assert launched.state == "LAUNCHING"
    assert launched.instance_id != "1"


def test_launch_with_a_tag_in_use_returns_the_new_instance(service):
    service.instances = [instance("1", tag="HappyGPUProgramming")]
    form = {"product_id": "3", "image": "ubuntu", "ssh_key_id": "5", "tag": "HappyGPUProgramming"}
    with client() as eater:
        launched = eater.launch_ondemand_instance(form)
    assert launched.instance_id != "1"
    assert launched.tag == "HappyGPUProgramming"


def test_restart_stops_waits_until_stopped_then_starts(service):
    states = iter(["STOPPING", "STOPPING", "STOPPED"])
    service.route("POST", "stop", lambda r: envelope(instance("1", state="STOPPING")))
    service.route("GET", "instance_list", lambda r: envelope([instance("1", state=next(states))]))
    started = service.route("POST", "start", lambda r: envelope(instance("1", state="RUNNING")))
    slept: list[float] = []
    with GPUEater(BASE_URL, email=EMAIL, password=PASSWORD, sleep=slept.append) as eater:
        result = eater.restart_instance(instance_id="1", machine_resource_id="m1", poll_interval=2)
    assert result.state == "RUNNING"
    assert slept == [2, 2]  # the first look comes right after the stop
    assert started.call_count == 1


def test_every_error_is_a_gpueater_error(service):
    service.router.get("/console/servers/images").mock(side_effect=httpx.ReadError("boom"))
    with client() as eater, pytest.raises(GPUEaterError):
        eater.image_list()


def test_the_async_client_shares_the_methods_and_results(service):
    service.instances = [instance("1")]

    async def scenario() -> tuple[list[Instance], Instance]:
        async with AsyncGPUEater(BASE_URL, email=EMAIL, password=PASSWORD) as eater:
            listed = await eater.instance_list()
            launched = await eater.launch_ondemand_instance(
                product_id="3", image="u", ssh_key_id="5"
            )
            return listed, launched

    listed, launched = asyncio.run(scenario())
    assert listed[0].instance_id == "1"
    assert launched.tag.startswith("gpueater-")


def test_the_sync_client_works_inside_a_running_event_loop(service):
    service.instances = [instance("1")]

    async def notebook_cell() -> int:
        with client() as eater:
            return len(eater.instance_list())

    assert asyncio.run(notebook_cell()) == 1


def test_api_list_needs_no_network(service):
    with client() as eater:
        rows = eater.api_list()
    assert {
        "name": "terminate_instance",
        "group": "Instance",
        "since": "v0.8",
        "endpoint": "POST /console/servers/force_terminate",
    } in [r.to_dict() for r in rows]
    assert service.router.calls.call_count == 0


def test_a_blocking_effect_runs_inline_in_sync_and_in_a_thread_in_async():
    import threading

    from gpueater_ext._methods import Method
    from gpueater_ext._plans.effects import Blocking, Plan

    def current_thread_name() -> str:
        return threading.current_thread().name

    def plan() -> Plan[str]:
        name: str = yield Blocking(current_thread_name)
        return name

    class Probe(GPUEater):
        probe = Method(plan)

    class AsyncProbe(AsyncGPUEater):
        probe = Method(plan)

    assert isinstance(vars(Probe)["probe"], Method)  # a Method still binds to a client
    with Probe(BASE_URL, email=EMAIL, password=PASSWORD) as eater:
        assert eater.probe() == threading.current_thread().name

    async def in_loop() -> str:
        async with AsyncProbe(BASE_URL, email=EMAIL, password=PASSWORD) as eater:
            return await eater.probe()

    assert asyncio.run(in_loop()) != threading.current_thread().name


def test_methods_show_their_fields_and_async_ones_are_coroutine_functions():
    import inspect

    with client() as eater:
        parameters = inspect.signature(eater.open_port).parameters
    assert list(parameters) == ["form", "instance_id", "connection_id", "port"]
    eater_async = AsyncGPUEater(BASE_URL, email=EMAIL, password=PASSWORD)
    assert inspect.iscoroutinefunction(eater_async.open_port)
    assert inspect.iscoroutinefunction(eater_async.instance_list)
    assert "Open a TCP port" in (eater_async.open_port.__doc__ or "")
    asyncio.run(eater_async.aclose())


@pytest.mark.parametrize("usage", [3.2, 3, "3.2 GB", None])
def test_a_field_whose_type_is_not_published_takes_each_type_the_spec_allows(service, usage):
    status = {"tag": "web-1", "root_storage_usage": usage, "bytes_sent": 12}
    service.route(
        "GET",
        "instance_info",
        lambda request: envelope({"instance_status": status, "port_list": []}),
    )
    with client() as eater:
        network = eater.network_description(instance_id="1")
    assert network.instance_status.root_storage_usage == usage
    assert (network.instance_status.bytes_sent, network.instance_status.global_ipv4) == (12, None)


def test_a_value_of_no_allowed_type_names_every_allowed_one(service):
    status = {"root_storage_usage": [1]}
    service.route(
        "GET",
        "instance_info",
        lambda request: envelope({"instance_status": status, "port_list": []}),
    )
    with (
        client() as eater,
        pytest.raises(APIError, match=r"root_storage_usage: expected float or str, got a list"),
    ):
        eater.network_description(instance_id="1")


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ({"volume": 30}, {"volume": "30"}),
        ({"size": 30}, {"size": "30"}),
        (
            {"volume": 30, "size": "30", "name": "data"},
            {"volume": "30", "size": "30", "name": "data"},
        ),
    ],
)
def test_create_volume_sends_the_size_under_the_field_it_was_given(service, given, sent):
    received = []

    def record(request):
        received.append(form_of(request))
        return envelope({"volume_id": "v-1", "size": 30, "status": "AVAILABLE"})

    service.route("POST", "create_volume", record)
    with client() as eater:
        assert eater.create_volume(**given).size == 30
    assert received == [sent]


def test_create_volume_with_two_different_sizes_fails_before_anything_is_sent(service):
    route = service.route("POST", "create_volume", lambda request: envelope(None))
    with (
        client() as eater,
        pytest.raises(InvalidArgumentError, match=r"volume=20 and size=10 disagree"),
    ):
        eater.create_volume(volume=20, size=10)
    assert not route.called
