from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from ...client import AuthenticatedClient, Client
    from ...models.ssh_key_pair_envelope import SshKeyPairEnvelope
    from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/console/servers/ssh_key_gen",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> SshKeyPairEnvelope | str | None:

    from ... import errors
    from ...models.ssh_key_pair_envelope import SshKeyPairEnvelope

    if response.status_code == 200:
        response_200 = SshKeyPairEnvelope.from_dict(response.json())

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
) -> Response[SshKeyPairEnvelope | str]:
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
) -> Response[SshKeyPairEnvelope | str]:
    """Generate a key pair.

     Generates a new RSA key pair and returns both halves; nothing is registered. Store
    the private key (mode 0600) and register the public key with `register_ssh_key`.

    `private_key` is an unencrypted RSA key of at least 2048 bits in the traditional
    OpenSSL PEM form (`-----BEGIN RSA PRIVATE KEY-----`); `public_key` is its OpenSSH
    line (`ssh-rsa AAAA... comment`). The emulator generates 2048-bit keys (they guard
    only its own instances, and larger ones made every test wait).

    Evidence: every published client saves the private key as `~/.ssh/<name>.pem`; the
    Node client's SSH library (ssh2 0.6.2) reads RSA PEM keys and refuses OpenSSH-format
    ed25519 ones ("Unsupported key format"); its (disabled) public-key check accepts
    only `ssh-rsa ` lines shorter than 1000 characters. Earlier versions of this
    document showed an ed25519 key in OpenSSH format, which no published client could
    use. `register_ssh_key` accepts any OpenSSH public key (ed25519 and RSA included).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SshKeyPairEnvelope | str]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
) -> SshKeyPairEnvelope | str | None:
    """Generate a key pair.

     Generates a new RSA key pair and returns both halves; nothing is registered. Store
    the private key (mode 0600) and register the public key with `register_ssh_key`.

    `private_key` is an unencrypted RSA key of at least 2048 bits in the traditional
    OpenSSL PEM form (`-----BEGIN RSA PRIVATE KEY-----`); `public_key` is its OpenSSH
    line (`ssh-rsa AAAA... comment`). The emulator generates 2048-bit keys (they guard
    only its own instances, and larger ones made every test wait).

    Evidence: every published client saves the private key as `~/.ssh/<name>.pem`; the
    Node client's SSH library (ssh2 0.6.2) reads RSA PEM keys and refuses OpenSSH-format
    ed25519 ones ("Unsupported key format"); its (disabled) public-key check accepts
    only `ssh-rsa ` lines shorter than 1000 characters. Earlier versions of this
    document showed an ed25519 key in OpenSSH format, which no published client could
    use. `register_ssh_key` accepts any OpenSSH public key (ed25519 and RSA included).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SshKeyPairEnvelope | str
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[SshKeyPairEnvelope | str]:
    """Generate a key pair.

     Generates a new RSA key pair and returns both halves; nothing is registered. Store
    the private key (mode 0600) and register the public key with `register_ssh_key`.

    `private_key` is an unencrypted RSA key of at least 2048 bits in the traditional
    OpenSSL PEM form (`-----BEGIN RSA PRIVATE KEY-----`); `public_key` is its OpenSSH
    line (`ssh-rsa AAAA... comment`). The emulator generates 2048-bit keys (they guard
    only its own instances, and larger ones made every test wait).

    Evidence: every published client saves the private key as `~/.ssh/<name>.pem`; the
    Node client's SSH library (ssh2 0.6.2) reads RSA PEM keys and refuses OpenSSH-format
    ed25519 ones ("Unsupported key format"); its (disabled) public-key check accepts
    only `ssh-rsa ` lines shorter than 1000 characters. Earlier versions of this
    document showed an ed25519 key in OpenSSH format, which no published client could
    use. `register_ssh_key` accepts any OpenSSH public key (ed25519 and RSA included).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SshKeyPairEnvelope | str]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
) -> SshKeyPairEnvelope | str | None:
    """Generate a key pair.

     Generates a new RSA key pair and returns both halves; nothing is registered. Store
    the private key (mode 0600) and register the public key with `register_ssh_key`.

    `private_key` is an unencrypted RSA key of at least 2048 bits in the traditional
    OpenSSL PEM form (`-----BEGIN RSA PRIVATE KEY-----`); `public_key` is its OpenSSH
    line (`ssh-rsa AAAA... comment`). The emulator generates 2048-bit keys (they guard
    only its own instances, and larger ones made every test wait).

    Evidence: every published client saves the private key as `~/.ssh/<name>.pem`; the
    Node client's SSH library (ssh2 0.6.2) reads RSA PEM keys and refuses OpenSSH-format
    ed25519 ones ("Unsupported key format"); its (disabled) public-key check accepts
    only `ssh-rsa ` lines shorter than 1000 characters. Earlier versions of this
    document showed an ed25519 key in OpenSSH format, which no published client could
    use. `register_ssh_key` accepts any OpenSSH public key (ed25519 and RSA included).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SshKeyPairEnvelope | str
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
