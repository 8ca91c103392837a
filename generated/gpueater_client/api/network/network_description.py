from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import httpx

from ...types import UNSET

if TYPE_CHECKING:
    from ...client import AuthenticatedClient, Client
    from ...models.network_description_envelope import NetworkDescriptionEnvelope
    from ...types import Response


def _get_kwargs(
    *,
    instance_id: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["instance_id"] = instance_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/console/servers/instance_info",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> NetworkDescriptionEnvelope | str | None:

    from ... import errors
    from ...models.network_description_envelope import NetworkDescriptionEnvelope

    if response.status_code == 200:
        response_200 = NetworkDescriptionEnvelope.from_dict(response.json())

        return response_200

    if response.status_code == 302:
        response_302 = response.text
        return response_302

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[NetworkDescriptionEnvelope | str]:
    from ...types import Response

    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    instance_id: str,
) -> Response[NetworkDescriptionEnvelope | str]:
    """Describe an instance's network.

     The instance's status as the network sees it (`instance_status`: its tag, private
    and global addresses, traffic counters and root disk usage) and its open ports
    (`port_list`, a list like `port_list`'s answer).

    Evidence: the Node console's `network` command reads exactly
    `data.instance_status.{tag, private_ipv4, global_ipv4, global_ipv6, bytes_received,
    bytes_sent, packets_received, packets_sent, root_storage_usage}` and
    `data.port_list[].port`. The earlier shape of this document (`instance_id`,
    `connection_id`, `ipv4`, `ipv6`, `ports`) made that console crash and no published
    client read any of its fields, so none of them was kept. The types of the fields are
    not published (the console prints them as they come): addresses are strings or
    null, the counters integers; `root_storage_usage` (its unit is not published either)
    may be a number or a string. Every field is optional, so a field the service leaves
    out does not fail a client.

    Args:
        instance_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[NetworkDescriptionEnvelope | str]
    """

    kwargs = _get_kwargs(
        instance_id=instance_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    instance_id: str,
) -> NetworkDescriptionEnvelope | str | None:
    """Describe an instance's network.

     The instance's status as the network sees it (`instance_status`: its tag, private
    and global addresses, traffic counters and root disk usage) and its open ports
    (`port_list`, a list like `port_list`'s answer).

    Evidence: the Node console's `network` command reads exactly
    `data.instance_status.{tag, private_ipv4, global_ipv4, global_ipv6, bytes_received,
    bytes_sent, packets_received, packets_sent, root_storage_usage}` and
    `data.port_list[].port`. The earlier shape of this document (`instance_id`,
    `connection_id`, `ipv4`, `ipv6`, `ports`) made that console crash and no published
    client read any of its fields, so none of them was kept. The types of the fields are
    not published (the console prints them as they come): addresses are strings or
    null, the counters integers; `root_storage_usage` (its unit is not published either)
    may be a number or a string. Every field is optional, so a field the service leaves
    out does not fail a client.

    Args:
        instance_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        NetworkDescriptionEnvelope | str
    """

    return sync_detailed(
        client=client,
        instance_id=instance_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    instance_id: str,
) -> Response[NetworkDescriptionEnvelope | str]:
    """Describe an instance's network.

     The instance's status as the network sees it (`instance_status`: its tag, private
    and global addresses, traffic counters and root disk usage) and its open ports
    (`port_list`, a list like `port_list`'s answer).

    Evidence: the Node console's `network` command reads exactly
    `data.instance_status.{tag, private_ipv4, global_ipv4, global_ipv6, bytes_received,
    bytes_sent, packets_received, packets_sent, root_storage_usage}` and
    `data.port_list[].port`. The earlier shape of this document (`instance_id`,
    `connection_id`, `ipv4`, `ipv6`, `ports`) made that console crash and no published
    client read any of its fields, so none of them was kept. The types of the fields are
    not published (the console prints them as they come): addresses are strings or
    null, the counters integers; `root_storage_usage` (its unit is not published either)
    may be a number or a string. Every field is optional, so a field the service leaves
    out does not fail a client.

    Args:
        instance_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[NetworkDescriptionEnvelope | str]
    """

    kwargs = _get_kwargs(
        instance_id=instance_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    instance_id: str,
) -> NetworkDescriptionEnvelope | str | None:
    """Describe an instance's network.

     The instance's status as the network sees it (`instance_status`: its tag, private
    and global addresses, traffic counters and root disk usage) and its open ports
    (`port_list`, a list like `port_list`'s answer).

    Evidence: the Node console's `network` command reads exactly
    `data.instance_status.{tag, private_ipv4, global_ipv4, global_ipv6, bytes_received,
    bytes_sent, packets_received, packets_sent, root_storage_usage}` and
    `data.port_list[].port`. The earlier shape of this document (`instance_id`,
    `connection_id`, `ipv4`, `ipv6`, `ports`) made that console crash and no published
    client read any of its fields, so none of them was kept. The types of the fields are
    not published (the console prints them as they come): addresses are strings or
    null, the counters integers; `root_storage_usage` (its unit is not published either)
    may be a number or a string. Every field is optional, so a field the service leaves
    out does not fail a client.

    Args:
        instance_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        NetworkDescriptionEnvelope | str
    """

    return (
        await asyncio_detailed(
            client=client,
            instance_id=instance_id,
        )
    ).parsed
