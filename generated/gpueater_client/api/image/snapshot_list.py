from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import httpx

from ...types import UNSET

if TYPE_CHECKING:
    from ...client import AuthenticatedClient, Client
    from ...models.snapshot_list_envelope import SnapshotListEnvelope
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
        "url": "/console/servers/snapshot_list",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> SnapshotListEnvelope | str | None:

    from ... import errors
    from ...models.snapshot_list_envelope import SnapshotListEnvelope

    if response.status_code == 200:
        response_200 = SnapshotListEnvelope.from_dict(response.json())

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
) -> Response[SnapshotListEnvelope | str]:
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
) -> Response[SnapshotListEnvelope | str]:
    """List the snapshots of an instance.

     Path and argument of the Node client (`snapshot_list` with `instance_id`); the Ruby
    client read `snapshots` without arguments (the deprecated twin `snapshots`).

    Args:
        instance_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SnapshotListEnvelope | str]
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
) -> SnapshotListEnvelope | str | None:
    """List the snapshots of an instance.

     Path and argument of the Node client (`snapshot_list` with `instance_id`); the Ruby
    client read `snapshots` without arguments (the deprecated twin `snapshots`).

    Args:
        instance_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SnapshotListEnvelope | str
    """

    return sync_detailed(
        client=client,
        instance_id=instance_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    instance_id: str,
) -> Response[SnapshotListEnvelope | str]:
    """List the snapshots of an instance.

     Path and argument of the Node client (`snapshot_list` with `instance_id`); the Ruby
    client read `snapshots` without arguments (the deprecated twin `snapshots`).

    Args:
        instance_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SnapshotListEnvelope | str]
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
) -> SnapshotListEnvelope | str | None:
    """List the snapshots of an instance.

     Path and argument of the Node client (`snapshot_list` with `instance_id`); the Ruby
    client read `snapshots` without arguments (the deprecated twin `snapshots`).

    Args:
        instance_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SnapshotListEnvelope | str
    """

    return (
        await asyncio_detailed(
            client=client,
            instance_id=instance_id,
        )
    ).parsed
