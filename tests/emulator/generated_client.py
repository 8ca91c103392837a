"""The generated client (gpueater_client) pointed at an emulator, and envelope helpers.

The emulator never imports the client; these tests do, so the two independent readings of
the spec meet here.
"""

from __future__ import annotations

from typing import Any

import httpx
from gpueater_client import Client
from gpueater_client.api.auth import api_login
from gpueater_client.api.instance import instance_list, launch_ondemand_instance, ondemand_list
from gpueater_client.api.ssh_key import generate_ssh_key, register_ssh_key
from gpueater_client.models import (
    ErrorObject,
    Instance,
    LaunchOndemandInstanceForm,
    LoginForm,
    RegisterSshKeyForm,
)
from gpueater_client.types import Response

from tests.support.emulator_process import EmulatorProcess


def new_client(emulator: EmulatorProcess) -> Client:
    """Redirects are not followed (the generated client's default): a 302 is a signal."""
    return Client(
        base_url=emulator.url, timeout=httpx.Timeout(10.0), raise_on_unexpected_status=True
    )


def log_in(client: Client, emulator: EmulatorProcess) -> None:
    answer = api_login.sync_detailed(
        client=client, body=LoginForm(email=emulator.email, password=emulator.password)
    )
    assert answer.status_code == 200
    assert "gpueater_session" in answer.headers.get("set-cookie", "")


def data_of(answer: Response[Any]) -> Any:
    """The payload of a successful call; fails the test on a redirect or an error envelope."""
    assert answer.status_code == 200, answer.status_code
    envelope = answer.parsed
    assert envelope is not None
    assert envelope.error is None, envelope.error
    return envelope.data


def error_of(answer: Response[Any]) -> ErrorObject:
    """The structured error of a refused call."""
    assert answer.status_code == 200, answer.status_code
    envelope = answer.parsed
    assert envelope is not None
    assert envelope.data is None
    assert isinstance(envelope.error, ErrorObject), envelope.error
    return envelope.error


def launch(client: Client, tag: str, product: str = "a1.rx580") -> Instance:
    """Register a fresh key, launch `product` with Ubuntu 16.04 and answer the instance."""
    pair = data_of(generate_ssh_key.sync_detailed(client=client))
    key = data_of(
        register_ssh_key.sync_detailed(
            client=client, body=RegisterSshKeyForm(name=f"key-{tag}", public_key=pair.public_key)
        )
    )
    catalog = data_of(ondemand_list.sync_detailed(client=client))
    product_id = next(item.id for item in catalog.products if item.name == product)
    image = next(
        item
        for item in catalog.images.additional_properties.values()
        if item.name == "Ubuntu16.04 x64"
    )
    launched = launch_ondemand_instance.sync_detailed(
        client=client,
        body=LaunchOndemandInstanceForm(
            product_id=product_id, image=image.alias, ssh_key_id=key.id, tag=tag
        ),
    )
    assert data_of(launched) is None
    return find_instance(client, tag)


def find_instance(client: Client, tag: str) -> Instance:
    instances = data_of(instance_list.sync_detailed(client=client))
    matching = [instance for instance in instances if instance.tag == tag]
    assert len(matching) == 1, [instance.tag for instance in instances]
    found: Instance = matching[0]
    return found


def instance_tags(client: Client) -> list[str]:
    return [instance.tag for instance in data_of(instance_list.sync_detailed(client=client))]
