"""Instances as real SSH targets (`--sshd`): where they answer, and which keys may log in.

The emulator only needs something that listens for SSH and can authorize and revoke public
keys; `_sshd.PrivateSshd` is that thing in production, any object with the same surface
works in tests. A key is authorized while at least one RUNNING instance was launched with
it, and revoked when the last such instance stops or is terminated.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from .records import InstanceRecord, InstanceState

__all__ = ["SshEndpoint", "SshKeyGate"]


class SshEndpoint(Protocol):
    """Where every emulated instance answers SSH (one server for all of them)."""

    @property
    def host(self) -> str: ...

    @property
    def port(self) -> int: ...

    @property
    def user(self) -> str: ...

    def authorize(self, public_key_line: str) -> None: ...

    def revoke(self, public_key_line: str) -> None: ...


def _key_identity(public_key_line: str) -> str:
    # Type and body identify a key; the comment does not.
    return " ".join(public_key_line.split()[:2])


class SshKeyGate:
    """Keeps the endpoint's authorized keys equal to the keys of the RUNNING instances."""

    def __init__(self, endpoint: SshEndpoint) -> None:
        self._endpoint = endpoint
        self._authorized: set[str] = set()

    def sync(self, instances: Iterable[InstanceRecord]) -> None:
        wanted = {
            _key_identity(instance.public_key)
            for instance in instances
            if instance.state == InstanceState.RUNNING
        }
        for key in sorted(wanted - self._authorized):
            self._endpoint.authorize(key)
        for key in sorted(self._authorized - wanted):
            self._endpoint.revoke(key)
        self._authorized = wanted
