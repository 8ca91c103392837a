from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from ...client import AuthenticatedClient, Client
    from ...models.empty_envelope import EmptyEnvelope
    from ...models.launch_ondemand_instance_form import LaunchOndemandInstanceForm
    from ...types import Response


def _get_kwargs(
    *,
    body: LaunchOndemandInstanceForm,
) -> dict[str, Any]:

    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/console/servers/launch_ondemand_instance",
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EmptyEnvelope | str | None:

    from ... import errors
    from ...models.empty_envelope import EmptyEnvelope

    if response.status_code == 200:
        response_200 = EmptyEnvelope.from_dict(response.json())

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
) -> Response[EmptyEnvelope | str]:
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
    body: LaunchOndemandInstanceForm,
) -> Response[EmptyEnvelope | str]:
    """Launch an on-demand instance.

     Required: `product_id`, `image` (an image's `alias`) and `ssh_key_id`, as the
    service's README lists. The published clients also required `tag`; it is optional
    here, and a client that wants to find its instance again (or reconcile a launch whose
    answer was lost) should send a unique one. The product must be in stock.

    A successful launch answers `{"data": null, "error": null}`; the instance then
    appears in `instance_list` in state `LAUNCHING`.

    Args:
        body (LaunchOndemandInstanceForm):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyEnvelope | str]
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
    body: LaunchOndemandInstanceForm,
) -> EmptyEnvelope | str | None:
    """Launch an on-demand instance.

     Required: `product_id`, `image` (an image's `alias`) and `ssh_key_id`, as the
    service's README lists. The published clients also required `tag`; it is optional
    here, and a client that wants to find its instance again (or reconcile a launch whose
    answer was lost) should send a unique one. The product must be in stock.

    A successful launch answers `{"data": null, "error": null}`; the instance then
    appears in `instance_list` in state `LAUNCHING`.

    Args:
        body (LaunchOndemandInstanceForm):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyEnvelope | str
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: LaunchOndemandInstanceForm,
) -> Response[EmptyEnvelope | str]:
    """Launch an on-demand instance.

     Required: `product_id`, `image` (an image's `alias`) and `ssh_key_id`, as the
    service's README lists. The published clients also required `tag`; it is optional
    here, and a client that wants to find its instance again (or reconcile a launch whose
    answer was lost) should send a unique one. The product must be in stock.

    A successful launch answers `{"data": null, "error": null}`; the instance then
    appears in `instance_list` in state `LAUNCHING`.

    Args:
        body (LaunchOndemandInstanceForm):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyEnvelope | str]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: LaunchOndemandInstanceForm,
) -> EmptyEnvelope | str | None:
    """Launch an on-demand instance.

     Required: `product_id`, `image` (an image's `alias`) and `ssh_key_id`, as the
    service's README lists. The published clients also required `tag`; it is optional
    here, and a client that wants to find its instance again (or reconcile a launch whose
    answer was lost) should send a unique one. The product must be in stock.

    A successful launch answers `{"data": null, "error": null}`; the instance then
    appears in `instance_list` in state `LAUNCHING`.

    Args:
        body (LaunchOndemandInstanceForm):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyEnvelope | str
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
