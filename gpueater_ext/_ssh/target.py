"""What the SSH layer connects to: a small value type, independent of the SDK's Instance model.

The SDK builds an `SshTarget` from an instance (ipv4, sshd_port, sshd_user and the key file
`~/.ssh/<ssh_key_file_name>.pem`, see `_ssh.keys.default_key_file`); the CLI and tests may
build one directly. Every field that ends up on ssh's command line is checked here, so no
value can be read by ssh as an option or smuggle a second option in.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from gpueater_ext._errors import SSHError
from gpueater_ext._ssh.keys import default_key_file

__all__ = ["InstanceLike", "SshTarget", "host_key_alias", "service_label"]

# Ids become part of HostKeyAlias and of `ssh-keygen -R` arguments: keep them plain.
_INSTANCE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
# Host names, IPv4 and IPv6 literals (with an optional %zone); never a leading '-'.
_HOST = re.compile(r"[A-Za-z0-9_.:%\[\]][A-Za-z0-9_.:%\[\]-]{0,252}")
# POSIX portable user names (plus the '.' many systems allow); never a leading '-'.
_USER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}")


class InstanceLike(Protocol):
    """What `SshTarget.for_instance` reads: the fields of an `instance_list` entry."""

    @property
    def instance_id(self) -> str: ...
    @property
    def ipv4(self) -> str | None: ...
    @property
    def sshd_port(self) -> int | None: ...
    @property
    def sshd_user(self) -> str | None: ...
    @property
    def ssh_key_file_name(self) -> str | None: ...


_DEFAULT_PORTS = {"http": 80, "https": 443}


def service_label(service_url: str | None) -> str:
    """Eight hex digits naming a service URL (None: the default service), the part of
    host-key aliases and ssh-config names that keeps two services' instances apart.

    The URL is normalized first (scheme and host lower case, the scheme's default port
    and trailing slashes dropped), so spellings of one service share their keys. A hash
    rather than the host itself: it has one fixed length and alphabet, so no tag or id
    can make one service's name read as another's, and no address ends up in ssh's files.
    """
    from urllib.parse import urlsplit  # only the SSH layer needs it

    from gpueater_ext._config import DEFAULT_URL

    parts = urlsplit(service_url or DEFAULT_URL)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port if parts.port not in (None, _DEFAULT_PORTS.get(scheme)) else None
    normalized = f"{scheme}://{host}{f':{port}' if port else ''}{parts.path.rstrip('/')}"
    return hashlib.sha256(normalized.encode()).hexdigest()[:8]


def host_key_alias(instance_id: str, service_url: str | None = None) -> str:
    """`gpueater-<service label>-<instance_id>`: the name an instance's host key is recorded
    under, distinct per service (an emulator's instance 42 is not production's)."""
    if not _INSTANCE_ID.fullmatch(instance_id):
        raise SSHError(f"instance id {instance_id!r} cannot name an SSH host key alias")
    return f"gpueater-{service_label(service_url)}-{instance_id}"


@dataclass(frozen=True)
class SshTarget:
    """One SSH endpoint of one instance.

    `known_hosts` None means the project's own file (`_ssh.known_hosts.known_hosts_file()`).
    `ssh_program` is the OpenSSH client to run; tests swap in a stand-in.
    `service_url` is the service the instance belongs to (None: the default service); it
    is part of the host key alias.
    """

    instance_id: str
    host: str
    port: int
    user: str
    key_file: Path
    known_hosts: Path | None = None
    connect_timeout: int = 15
    ssh_program: str = "ssh"
    service_url: str | None = None

    def __post_init__(self) -> None:
        host_key_alias(self.instance_id, self.service_url)
        if not _HOST.fullmatch(self.host):
            raise SSHError(f"instance {self.instance_id} has no usable SSH host: {self.host!r}")
        if not _USER.fullmatch(self.user):
            raise SSHError(f"instance {self.instance_id} has an unusable SSH user: {self.user!r}")
        if isinstance(self.port, bool) or not isinstance(self.port, int):
            raise SSHError(f"instance {self.instance_id} has an unusable SSH port: {self.port!r}")
        if not 1 <= self.port <= 65535:
            raise SSHError(f"instance {self.instance_id} has an unusable SSH port: {self.port}")
        if self.connect_timeout < 1:
            raise SSHError("connect_timeout must be at least 1 second")
        object.__setattr__(self, "key_file", Path(self.key_file))

    @classmethod
    def for_instance(
        cls,
        instance: InstanceLike,
        *,
        key_file: str | Path | None = None,
        known_hosts: Path | None = None,
    ) -> SshTarget:
        """The target of an instance: its ipv4, sshd_port (22), sshd_user (root) and key.

        The key is `key_file` or `~/.ssh/<ssh_key_file_name>.pem`; the service is the one
        the instance was read from (`Instance.service_url`).
        """
        if not instance.ipv4:
            raise SSHError(f"instance {instance.instance_id} has no IPv4 address yet")
        if key_file is None and not instance.ssh_key_file_name:
            raise SSHError(
                f"instance {instance.instance_id} names no key file: pass the private key's path"
            )
        return cls(
            instance_id=instance.instance_id,
            host=instance.ipv4,
            port=instance.sshd_port or 22,
            user=instance.sshd_user or "root",
            key_file=(
                Path(key_file)
                if key_file is not None
                else default_key_file(instance.ssh_key_file_name or "")
            ),
            known_hosts=known_hosts,
            service_url=getattr(instance, "service_url", None),
        )

    @property
    def host_key_alias(self) -> str:
        """The name this instance's host key is recorded under, whatever its address."""
        return host_key_alias(self.instance_id, self.service_url)

    def describe(self) -> str:
        return f"instance {self.instance_id} ({self.user}@{self.host} port {self.port})"
