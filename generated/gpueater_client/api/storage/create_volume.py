from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from ...client import AuthenticatedClient, Client
    from ...models.create_volume_form import CreateVolumeForm
    from ...models.volume_envelope import VolumeEnvelope
    from ...types import Response


def _get_kwargs(
    *,
    body: CreateVolumeForm,
) -> dict[str, Any]:

    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/console/servers/create_volume",
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> VolumeEnvelope | str | None:

    from ... import errors
    from ...models.volume_envelope import VolumeEnvelope

    if response.status_code == 200:
        response_200 = VolumeEnvelope.from_dict(response.json())

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
) -> Response[VolumeEnvelope | str]:
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
    body: CreateVolumeForm,
) -> Response[VolumeEnvelope | str]:
    """Create an extended volume.

     The size in GB is required, as `volume` or as `size`: one of them must be given;
    giving both with different values is an `invalid_request` naming both. `region_id`
    and `storage_type` are optional (the service's defaults), and so is `name`.

    Evidence: the Node client, written against the real service, required and sent
    `region_id`, `storage_type` and `volume`, never `size`, so `volume` is the field
    the service reads; the service's images use `volume` for a size in GB, so it is
    the size (earlier versions of this document read it as a display name and
    answered the Node client "size: is required"). The service's README lists `size`,
    which stays accepted for clients built from earlier versions. `name` (a display
    name; default the volume's id) is this document's addition; no published client
    sent one.

    Args:
        body (CreateVolumeForm): One of `volume` and `size` is required (see `create_volume`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[VolumeEnvelope | str]
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
    body: CreateVolumeForm,
) -> VolumeEnvelope | str | None:
    """Create an extended volume.

     The size in GB is required, as `volume` or as `size`: one of them must be given;
    giving both with different values is an `invalid_request` naming both. `region_id`
    and `storage_type` are optional (the service's defaults), and so is `name`.

    Evidence: the Node client, written against the real service, required and sent
    `region_id`, `storage_type` and `volume`, never `size`, so `volume` is the field
    the service reads; the service's images use `volume` for a size in GB, so it is
    the size (earlier versions of this document read it as a display name and
    answered the Node client "size: is required"). The service's README lists `size`,
    which stays accepted for clients built from earlier versions. `name` (a display
    name; default the volume's id) is this document's addition; no published client
    sent one.

    Args:
        body (CreateVolumeForm): One of `volume` and `size` is required (see `create_volume`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        VolumeEnvelope | str
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateVolumeForm,
) -> Response[VolumeEnvelope | str]:
    """Create an extended volume.

     The size in GB is required, as `volume` or as `size`: one of them must be given;
    giving both with different values is an `invalid_request` naming both. `region_id`
    and `storage_type` are optional (the service's defaults), and so is `name`.

    Evidence: the Node client, written against the real service, required and sent
    `region_id`, `storage_type` and `volume`, never `size`, so `volume` is the field
    the service reads; the service's images use `volume` for a size in GB, so it is
    the size (earlier versions of this document read it as a display name and
    answered the Node client "size: is required"). The service's README lists `size`,
    which stays accepted for clients built from earlier versions. `name` (a display
    name; default the volume's id) is this document's addition; no published client
    sent one.

    Args:
        body (CreateVolumeForm): One of `volume` and `size` is required (see `create_volume`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[VolumeEnvelope | str]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CreateVolumeForm,
) -> VolumeEnvelope | str | None:
    """Create an extended volume.

     The size in GB is required, as `volume` or as `size`: one of them must be given;
    giving both with different values is an `invalid_request` naming both. `region_id`
    and `storage_type` are optional (the service's defaults), and so is `name`.

    Evidence: the Node client, written against the real service, required and sent
    `region_id`, `storage_type` and `volume`, never `size`, so `volume` is the field
    the service reads; the service's images use `volume` for a size in GB, so it is
    the size (earlier versions of this document read it as a display name and
    answered the Node client "size: is required"). The service's README lists `size`,
    which stays accepted for clients built from earlier versions. `name` (a display
    name; default the volume's id) is this document's addition; no published client
    sent one.

    Args:
        body (CreateVolumeForm): One of `volume` and `size` is required (see `create_volume`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        VolumeEnvelope | str
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
