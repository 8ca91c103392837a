from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from ...client import AuthenticatedClient, Client
    from ...models.live_migration_form import LiveMigrationForm
    from ...models.transaction_envelope import TransactionEnvelope
    from ...types import Response


def _get_kwargs(
    *,
    body: LiveMigrationForm,
) -> dict[str, Any]:

    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/console/servers/live_migration",
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> TransactionEnvelope | str | None:

    from ... import errors
    from ...models.transaction_envelope import TransactionEnvelope

    if response.status_code == 200:
        response_200 = TransactionEnvelope.from_dict(response.json())

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
) -> Response[TransactionEnvelope | str]:
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
    body: LiveMigrationForm,
) -> Response[TransactionEnvelope | str]:
    """Move a running instance to another machine.

     Moves a RUNNING instance to another physical machine without terminating it and
    answers the transaction that follows the move (see `peak_transaction`).

    Required: `instance_id` (the instance to move), `product_id` and `region_id` (where
    to). The service's README lists `product_id`, `region_id` and `connection_id`; the
    Node client also sent `instance_id`, `ssh_key_id` and `tag`. `connection_id`,
    `ssh_key_id` and `tag` are accepted and optional here.

    Args:
        body (LiveMigrationForm):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[TransactionEnvelope | str]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: LiveMigrationForm,
) -> TransactionEnvelope | str | None:
    """Move a running instance to another machine.

     Moves a RUNNING instance to another physical machine without terminating it and
    answers the transaction that follows the move (see `peak_transaction`).

    Required: `instance_id` (the instance to move), `product_id` and `region_id` (where
    to). The service's README lists `product_id`, `region_id` and `connection_id`; the
    Node client also sent `instance_id`, `ssh_key_id` and `tag`. `connection_id`,
    `ssh_key_id` and `tag` are accepted and optional here.

    Args:
        body (LiveMigrationForm):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        TransactionEnvelope | str
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: LiveMigrationForm,
) -> Response[TransactionEnvelope | str]:
    """Move a running instance to another machine.

     Moves a RUNNING instance to another physical machine without terminating it and
    answers the transaction that follows the move (see `peak_transaction`).

    Required: `instance_id` (the instance to move), `product_id` and `region_id` (where
    to). The service's README lists `product_id`, `region_id` and `connection_id`; the
    Node client also sent `instance_id`, `ssh_key_id` and `tag`. `connection_id`,
    `ssh_key_id` and `tag` are accepted and optional here.

    Args:
        body (LiveMigrationForm):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[TransactionEnvelope | str]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: LiveMigrationForm,
) -> TransactionEnvelope | str | None:
    """Move a running instance to another machine.

     Moves a RUNNING instance to another physical machine without terminating it and
    answers the transaction that follows the move (see `peak_transaction`).

    Required: `instance_id` (the instance to move), `product_id` and `region_id` (where
    to). The service's README lists `product_id`, `region_id` and `connection_id`; the
    Node client also sent `instance_id`, `ssh_key_id` and `tag`. `connection_id`,
    `ssh_key_id` and `tag` are accepted and optional here.

    Args:
        body (LiveMigrationForm):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        TransactionEnvelope | str
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
