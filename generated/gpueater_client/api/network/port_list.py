from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import httpx

from ...types import UNSET, Unset

if TYPE_CHECKING:
    from ...client import AuthenticatedClient, Client
    from ...models.port_list_envelope import PortListEnvelope
    from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    instance_id: str,
    connection_id: str | Unset = UNSET,
) -> dict[str, Any]:

    from ...types import UNSET

    params: dict[str, Any] = {}

    params["instance_id"] = instance_id

    params["connection_id"] = connection_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/console/servers/port_list",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PortListEnvelope | str | None:

    from ... import errors
    from ...models.port_list_envelope import PortListEnvelope

    if response.status_code == 200:
        response_200 = PortListEnvelope.from_dict(response.json())

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
) -> Response[PortListEnvelope | str]:
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
    connection_id: str | Unset = UNSET,
) -> Response[PortListEnvelope | str]:
    """List an instance's open ports.

     Required: `instance_id`. The Node client also sent `connection_id`; it is accepted
    and optional.

    The answer is the list of open ports itself (`data: [{port, ...}, ...]`). Evidence,
    from running the published clients against this document's earlier emulator (see
    `CHANGELOG.md`, 3.0.0): the Node console iterates the answer of `port_list` as an
    array and prints each item's `port`; the earlier `{port_list, instance_status}`
    object made it print `TCP: undefined`. Those two keys are exactly the keys the Node
    console reads from `instance_info` (`network_description`), so the earlier answer
    was that operation's shape put here by mistake. The Python 1.5 client passes the
    answer through and says nothing either way. The Node client is the only published
    reader of this answer and it was written against the real service, so its reading
    wins. `protocol` is this document's addition (optional).

    Args:
        instance_id (str):
        connection_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PortListEnvelope | str]
    """

    kwargs = _get_kwargs(
        instance_id=instance_id,
        connection_id=connection_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    instance_id: str,
    connection_id: str | Unset = UNSET,
) -> PortListEnvelope | str | None:
    """List an instance's open ports.

     Required: `instance_id`. The Node client also sent `connection_id`; it is accepted
    and optional.

    The answer is the list of open ports itself (`data: [{port, ...}, ...]`). Evidence,
    from running the published clients against this document's earlier emulator (see
    `CHANGELOG.md`, 3.0.0): the Node console iterates the answer of `port_list` as an
    array and prints each item's `port`; the earlier `{port_list, instance_status}`
    object made it print `TCP: undefined`. Those two keys are exactly the keys the Node
    console reads from `instance_info` (`network_description`), so the earlier answer
    was that operation's shape put here by mistake. The Python 1.5 client passes the
    answer through and says nothing either way. The Node client is the only published
    reader of this answer and it was written against the real service, so its reading
    wins. `protocol` is this document's addition (optional).

    Args:
        instance_id (str):
        connection_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PortListEnvelope | str
    """

    return sync_detailed(
        client=client,
        instance_id=instance_id,
        connection_id=connection_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    instance_id: str,
    connection_id: str | Unset = UNSET,
) -> Response[PortListEnvelope | str]:
    """List an instance's open ports.

     Required: `instance_id`. The Node client also sent `connection_id`; it is accepted
    and optional.

    The answer is the list of open ports itself (`data: [{port, ...}, ...]`). Evidence,
    from running the published clients against this document's earlier emulator (see
    `CHANGELOG.md`, 3.0.0): the Node console iterates the answer of `port_list` as an
    array and prints each item's `port`; the earlier `{port_list, instance_status}`
    object made it print `TCP: undefined`. Those two keys are exactly the keys the Node
    console reads from `instance_info` (`network_description`), so the earlier answer
    was that operation's shape put here by mistake. The Python 1.5 client passes the
    answer through and says nothing either way. The Node client is the only published
    reader of this answer and it was written against the real service, so its reading
    wins. `protocol` is this document's addition (optional).

    Args:
        instance_id (str):
        connection_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PortListEnvelope | str]
    """

    kwargs = _get_kwargs(
        instance_id=instance_id,
        connection_id=connection_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    instance_id: str,
    connection_id: str | Unset = UNSET,
) -> PortListEnvelope | str | None:
    """List an instance's open ports.

     Required: `instance_id`. The Node client also sent `connection_id`; it is accepted
    and optional.

    The answer is the list of open ports itself (`data: [{port, ...}, ...]`). Evidence,
    from running the published clients against this document's earlier emulator (see
    `CHANGELOG.md`, 3.0.0): the Node console iterates the answer of `port_list` as an
    array and prints each item's `port`; the earlier `{port_list, instance_status}`
    object made it print `TCP: undefined`. Those two keys are exactly the keys the Node
    console reads from `instance_info` (`network_description`), so the earlier answer
    was that operation's shape put here by mistake. The Python 1.5 client passes the
    answer through and says nothing either way. The Node client is the only published
    reader of this answer and it was written against the real service, so its reading
    wins. `protocol` is this document's addition (optional).

    Args:
        instance_id (str):
        connection_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PortListEnvelope | str
    """

    return (
        await asyncio_detailed(
            client=client,
            instance_id=instance_id,
            connection_id=connection_id,
        )
    ).parsed
