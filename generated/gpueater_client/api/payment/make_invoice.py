from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import httpx

from ...types import UNSET

if TYPE_CHECKING:
    from ...client import AuthenticatedClient, Client
    from ...types import File, Response


def _get_kwargs(
    *,
    invoice_id: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["invoice_id"] = invoice_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/console/servers/make_invoice",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> File | str | None:
    from io import BytesIO

    from ... import errors
    from ...types import File

    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

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
) -> Response[File | str]:
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
    invoice_id: str,
) -> Response[File | str]:
    """Get an invoice as a PDF.

     Answers the invoice as a PDF document. When the call fails the service answers the
    usual JSON envelope (HTTP 200, `application/json`) instead, so a client must look at
    the `Content-Type` before treating the body as a PDF.

    No published client reached this operation: the path and the choice of a `GET` (it
    changes nothing) are the project's.

    Args:
        invoice_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | str]
    """

    kwargs = _get_kwargs(
        invoice_id=invoice_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    invoice_id: str,
) -> File | str | None:
    """Get an invoice as a PDF.

     Answers the invoice as a PDF document. When the call fails the service answers the
    usual JSON envelope (HTTP 200, `application/json`) instead, so a client must look at
    the `Content-Type` before treating the body as a PDF.

    No published client reached this operation: the path and the choice of a `GET` (it
    changes nothing) are the project's.

    Args:
        invoice_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | str
    """

    return sync_detailed(
        client=client,
        invoice_id=invoice_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    invoice_id: str,
) -> Response[File | str]:
    """Get an invoice as a PDF.

     Answers the invoice as a PDF document. When the call fails the service answers the
    usual JSON envelope (HTTP 200, `application/json`) instead, so a client must look at
    the `Content-Type` before treating the body as a PDF.

    No published client reached this operation: the path and the choice of a `GET` (it
    changes nothing) are the project's.

    Args:
        invoice_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | str]
    """

    kwargs = _get_kwargs(
        invoice_id=invoice_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    invoice_id: str,
) -> File | str | None:
    """Get an invoice as a PDF.

     Answers the invoice as a PDF document. When the call fails the service answers the
    usual JSON envelope (HTTP 200, `application/json`) instead, so a client must look at
    the `Content-Type` before treating the body as a PDF.

    No published client reached this operation: the path and the choice of a `GET` (it
    changes nothing) are the project's.

    Args:
        invoice_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | str
    """

    return (
        await asyncio_detailed(
            client=client,
            invoice_id=invoice_id,
        )
    ).parsed
