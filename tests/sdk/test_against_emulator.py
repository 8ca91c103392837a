"""The SDK against the emulator on loopback: the async client, and how each kind of
misbehaviour reaches the caller when nothing is retried (retries and reconciliation:
test_reliability_*; the README's example: tests/docs)."""

from __future__ import annotations

import asyncio

import pytest

from gpueater_ext import (
    APIError,
    AsyncGPUEater,
    GPUEater,
    GPUEaterConnectionError,
    Instance,
    UnexpectedResponseError,
)
from gpueater_ext._retry import NO_RETRY


def client(emulator, **options) -> GPUEater:
    return GPUEater(emulator.url, email=emulator.email, password=emulator.password, **options)


def register_key(eater: GPUEater, name: str) -> str:
    return eater.register_ssh_key(name=name, public_key=eater.generate_ssh_key().public_key).id


def launch(eater: GPUEater, tag: str | None = None) -> Instance:
    catalog = eater.ondemand_list()
    key = catalog.find_ssh_key("my_ssh_key")
    return eater.launch_ondemand_instance(
        product_id=catalog.get_product("a1.rx580").id,
        image=catalog.get_image("Ubuntu16.04 x64").alias,
        ssh_key_id=key.id if key else register_key(eater, "my_ssh_key"),
        tag=tag,
    )


def test_the_async_client_launches_lists_and_terminates(emulator):
    async def scenario() -> tuple[str, list[str], str]:
        async with AsyncGPUEater(
            emulator.url, access_token=emulator.access_token, secret_token=emulator.secret_token
        ) as eater:
            catalog = await eater.ondemand_list()
            pair = await eater.generate_ssh_key()
            key = await eater.register_ssh_key(name="async-key", public_key=pair.public_key)
            launched = await eater.launch_ondemand_instance(
                product_id=catalog.get_product("a1.rx580").id,
                image=catalog.get_image("Ubuntu16.04 x64").alias,
                ssh_key_id=key.id,
            )
            tags = [i.tag for i in await eater.instance_list()]
            terminated = await eater.terminate_instance(launched)
            return launched.tag, tags, terminated.state

    tag, tags, state = asyncio.run(scenario())
    assert tags == [tag]
    assert state == "TERMINATING"


def test_a_session_timeout_fault_is_answered_by_one_login_and_one_repeat(emulator):
    with client(emulator) as eater:
        eater.instance_list()
        emulator.add_fault("instance_list", "session_timeout")
        assert eater.instance_list() == []
        # A write refused the same way had no effect: logged in again, sent once more.
        emulator.add_fault("register_ssh_key", "session_timeout")
        public_key = eater.generate_ssh_key().public_key
        assert eater.register_ssh_key(name="after-timeout", public_key=public_key).name == (
            "after-timeout"
        )
    requests = emulator.state()["requests"]
    assert (requests["api_login"], requests["instance_list"]) == (3, 3)
    assert requests["register_ssh_key"] == 2
    assert [key["name"] for key in emulator.state()["ssh_keys"]] == ["after-timeout"]


@pytest.mark.parametrize(
    ("kind", "status"), [("http_500", 500), ("http_503", 503), ("rate_limit_429", 429)]
)
def test_an_http_fault_is_an_unexpected_response_with_its_status(emulator, kind, status):
    with client(emulator, retry_policy=NO_RETRY) as eater:
        emulator.add_fault("image_list", kind)
        with pytest.raises(UnexpectedResponseError) as raised:
            eater.image_list()
    assert raised.value.status_code == status
    assert raised.value.operation == "image_list"


@pytest.mark.parametrize("kind", ["html_page", "malformed_json"])
def test_a_spoilt_answer_is_an_api_error_naming_the_operation(emulator, kind):
    with client(emulator, retry_policy=NO_RETRY) as eater:
        emulator.add_fault("instance_list", kind)
        with pytest.raises(APIError) as raised:
            eater.instance_list()
    assert raised.value.operation == "instance_list"


def test_a_dropped_connection_is_a_connection_error(emulator):
    with client(emulator, retry_policy=NO_RETRY) as eater:
        emulator.add_fault("instance_list", "drop_before_commit")
        with pytest.raises(GPUEaterConnectionError):
            eater.instance_list()


def test_the_service_refusing_a_call_is_an_api_error_with_its_payload(emulator):
    with client(emulator) as eater, pytest.raises(APIError) as raised:
        eater.terminate_instance(instance_id="no-such", machine_resource_id="none")
    assert raised.value.operation == "terminate_instance"
    assert raised.value.payload


def test_ports_network_and_tag_changes_take_an_instance(emulator):
    with client(emulator) as eater:
        box = launch(eater, tag="ports")
        assert [p.port for p in eater.open_port(box, port=8888).port_list] == [22, 8888]
        network = eater.network_description(box)
        assert 8888 in [p.port for p in network.port_list]
        assert (network.instance_status.tag, network.instance_status.global_ipv4) == (
            "ports",
            box.ipv4,
        )
        assert [p.port for p in eater.port_list(box)] == [22, 8888]  # it iterates its ports
        assert [p.port for p in eater.close_port(box, port=8888).port_list] == [22]
        assert eater.change_instance_tag(box, tag="renamed").tag == "renamed"
        assert eater.restart_instance(box, poll_interval=0).instance_id == box.instance_id


def test_make_invoice_returns_the_pdf(emulator):
    with client(emulator) as eater:
        invoice = eater.invoice_list()[0]
        document = eater.make_invoice(invoice_id=invoice.invoice_id)
    assert document.startswith(b"%PDF")
