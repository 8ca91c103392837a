from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from ...client import AuthenticatedClient, Client
    from ...models.launch_catalog_envelope import LaunchCatalogEnvelope
    from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/console/servers/ondemand_launch_list",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LaunchCatalogEnvelope | str | None:

    from ... import errors
    from ...models.launch_catalog_envelope import LaunchCatalogEnvelope

    if response.status_code == 200:
        response_200 = LaunchCatalogEnvelope.from_dict(response.json())

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
) -> Response[LaunchCatalogEnvelope | str]:
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
) -> Response[LaunchCatalogEnvelope | str]:
    """List what an on-demand instance can be launched with.

     The catalog for `launch_ondemand_instance`: products (a product whose `pool` is empty
    is out of stock), OS images keyed by an arbitrary string (launch takes an image's
    `alias`), and the account's SSH keys.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LaunchCatalogEnvelope | str]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
) -> LaunchCatalogEnvelope | str | None:
    """List what an on-demand instance can be launched with.

     The catalog for `launch_ondemand_instance`: products (a product whose `pool` is empty
    is out of stock), OS images keyed by an arbitrary string (launch takes an image's
    `alias`), and the account's SSH keys.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LaunchCatalogEnvelope | str
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[LaunchCatalogEnvelope | str]:
    """List what an on-demand instance can be launched with.

     The catalog for `launch_ondemand_instance`: products (a product whose `pool` is empty
    is out of stock), OS images keyed by an arbitrary string (launch takes an image's
    `alias`), and the account's SSH keys.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LaunchCatalogEnvelope | str]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
) -> LaunchCatalogEnvelope | str | None:
    """List what an on-demand instance can be launched with.

     The catalog for `launch_ondemand_instance`: products (a product whose `pool` is empty
    is out of stock), OS images keyed by an arbitrary string (launch takes an image's
    `alias`), and the account's SSH keys.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LaunchCatalogEnvelope | str
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
