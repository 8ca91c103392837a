from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from ...client import AuthenticatedClient, Client
    from ...models.snapshot_envelope import SnapshotEnvelope
    from ...models.snapshot_instance_form import SnapshotInstanceForm
    from ...types import Response


def _get_kwargs(
    *,
    body: SnapshotInstanceForm,
) -> dict[str, Any]:

    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/console/servers/snapshot_instance",
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> SnapshotEnvelope | str | None:

    from ... import errors
    from ...models.snapshot_envelope import SnapshotEnvelope

    if response.status_code == 200:
        response_200 = SnapshotEnvelope.from_dict(response.json())

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
) -> Response[SnapshotEnvelope | str]:
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
    body: SnapshotInstanceForm,
) -> Response[SnapshotEnvelope | str]:
    """Take a snapshot of an instance.

     Required: `instance_id`, which is all a server needs to find the instance. The
    service's README also lists `machine_resource_id` as required; it is accepted and
    optional here. Path: the Node client's `snapshot_instance`; the Ruby client posted to
    `take_snapshot` with a `tag` (the deprecated twin `take_snapshot`), which is the
    optional `tag` field here. The snapshot keeps its tag until `change_snapshot_tag`.

    Args:
        body (SnapshotInstanceForm):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SnapshotEnvelope | str]
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
    body: SnapshotInstanceForm,
) -> SnapshotEnvelope | str | None:
    """Take a snapshot of an instance.

     Required: `instance_id`, which is all a server needs to find the instance. The
    service's README also lists `machine_resource_id` as required; it is accepted and
    optional here. Path: the Node client's `snapshot_instance`; the Ruby client posted to
    `take_snapshot` with a `tag` (the deprecated twin `take_snapshot`), which is the
    optional `tag` field here. The snapshot keeps its tag until `change_snapshot_tag`.

    Args:
        body (SnapshotInstanceForm):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SnapshotEnvelope | str
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SnapshotInstanceForm,
) -> Response[SnapshotEnvelope | str]:
    """Take a snapshot of an instance.

     Required: `instance_id`, which is all a server needs to find the instance. The
    service's README also lists `machine_resource_id` as required; it is accepted and
    optional here. Path: the Node client's `snapshot_instance`; the Ruby client posted to
    `take_snapshot` with a `tag` (the deprecated twin `take_snapshot`), which is the
    optional `tag` field here. The snapshot keeps its tag until `change_snapshot_tag`.

    Args:
        body (SnapshotInstanceForm):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SnapshotEnvelope | str]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: SnapshotInstanceForm,
) -> SnapshotEnvelope | str | None:
    """Take a snapshot of an instance.

     Required: `instance_id`, which is all a server needs to find the instance. The
    service's README also lists `machine_resource_id` as required; it is accepted and
    optional here. Path: the Node client's `snapshot_instance`; the Ruby client posted to
    `take_snapshot` with a `tag` (the deprecated twin `take_snapshot`), which is the
    optional `tag` field here. The snapshot keeps its tag until `change_snapshot_tag`.

    Args:
        body (SnapshotInstanceForm):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SnapshotEnvelope | str
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
