from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from ...client import AuthenticatedClient, Client
    from ...models.empty_envelope import EmptyEnvelope
    from ...models.login_form import LoginForm
    from ...types import Response


def _get_kwargs(
    *,
    body: LoginForm,
) -> dict[str, Any]:

    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api_login",
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EmptyEnvelope | None:

    from ... import errors
    from ...models.empty_envelope import EmptyEnvelope

    if response.status_code == 200:
        response_200 = EmptyEnvelope.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[EmptyEnvelope]:
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
    body: LoginForm,
) -> Response[EmptyEnvelope]:
    """Log in and receive a session cookie.

     Takes either `email` and `password` or `access_token` and `secret_token`; sending
    neither complete pair is an error. The session comes back as a `Set-Cookie` header
    and must be sent as `Cookie` on every later call.

    The email/password form is the one the published clients used. None of them
    implemented the token pair that the service's README promises, so the token form of
    this operation is the project's definition (`x-path-source: project`).

    Args:
        body (LoginForm): Either `email` and `password`, or `access_token` and `secret_token`. The
            token pair
            is the project's definition (`x-path-source: project`): the service's README promises
            it, no published client sent it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyEnvelope]
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
    body: LoginForm,
) -> EmptyEnvelope | None:
    """Log in and receive a session cookie.

     Takes either `email` and `password` or `access_token` and `secret_token`; sending
    neither complete pair is an error. The session comes back as a `Set-Cookie` header
    and must be sent as `Cookie` on every later call.

    The email/password form is the one the published clients used. None of them
    implemented the token pair that the service's README promises, so the token form of
    this operation is the project's definition (`x-path-source: project`).

    Args:
        body (LoginForm): Either `email` and `password`, or `access_token` and `secret_token`. The
            token pair
            is the project's definition (`x-path-source: project`): the service's README promises
            it, no published client sent it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: LoginForm,
) -> Response[EmptyEnvelope]:
    """Log in and receive a session cookie.

     Takes either `email` and `password` or `access_token` and `secret_token`; sending
    neither complete pair is an error. The session comes back as a `Set-Cookie` header
    and must be sent as `Cookie` on every later call.

    The email/password form is the one the published clients used. None of them
    implemented the token pair that the service's README promises, so the token form of
    this operation is the project's definition (`x-path-source: project`).

    Args:
        body (LoginForm): Either `email` and `password`, or `access_token` and `secret_token`. The
            token pair
            is the project's definition (`x-path-source: project`): the service's README promises
            it, no published client sent it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: LoginForm,
) -> EmptyEnvelope | None:
    """Log in and receive a session cookie.

     Takes either `email` and `password` or `access_token` and `secret_token`; sending
    neither complete pair is an error. The session comes back as a `Set-Cookie` header
    and must be sent as `Cookie` on every later call.

    The email/password form is the one the published clients used. None of them
    implemented the token pair that the service's README promises, so the token form of
    this operation is the project's definition (`x-path-source: project`).

    Args:
        body (LoginForm): Either `email` and `password`, or `access_token` and `secret_token`. The
            token pair
            is the project's definition (`x-path-source: project`): the service's README promises
            it, no published client sent it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
