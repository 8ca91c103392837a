"""The public models: what the SDK's methods return.

Defined here rather than re-exporting the generated attrs models because users need three
things those do not give: optional fields as None (not the generator's UNSET), validation
of every field (see `_decode`), and reprs that never show a secret. Field names and types
follow the spec's component schemas one to one; `tests/sdk/test_tables_match_spec.py`
keeps them in step. Every model is immutable and has `to_dict()` for plain data.
"""

from __future__ import annotations

import collections
import dataclasses
import itertools
import operator
import shlex
from collections.abc import Iterator
from pathlib import Path

from gpueater_ext._decode import Model
from gpueater_ext._errors import SSHError

__all__ = [
    "Image",
    "Instance",
    "InstanceStatus",
    "Invoice",
    "NetworkDescription",
    "Plan",
    "Port",
    "PortList",
    "Product",
    "Snapshot",
    "SshKey",
    "SshKeyPair",
    "StorageList",
    "Subscription",
    "Transaction",
    "UserImage",
    "Volume",
]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Product(Model):
    """An on-demand product (a machine type); an empty `pool` means out of stock."""

    id: str
    name: str
    price: float
    cpu: int | None = None
    memory: int | None = None
    root_storage: int | None = None
    device_desc: str | None = None
    pool: list[str] | None = None
    limited: bool | None = None

    @property
    def in_stock(self) -> bool:
        """Whether the product can be launched now (its pool is not empty)."""
        return bool(self.pool)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Image(Model):
    """An OS image; `launch_ondemand_instance` takes its `alias`."""

    name: str
    alias: str
    description: str | None = None
    user_defined: bool | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class SshKey(Model):
    """A registered public key."""

    id: str
    name: str
    fingerprint: str | None = None
    public_key: str | None = None
    created_at: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class SshKeyPair(Model):
    """A generated key pair. The private key is a secret: it never shows in the repr."""

    public_key: str
    private_key: str = dataclasses.field(repr=False)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Instance(Model):
    """A launched instance. `state` is an open string (LAUNCHING, RUNNING, STOPPING,
    STOPPED, TERMINATING, or one the service adds later)."""

    instance_id: str
    machine_resource_id: str
    connection_id: str
    tag: str
    state: str
    product_name: str | None = None
    cpu: int | None = None
    memory: int | None = None
    root_storage: int | None = None
    device_desc: str | None = None
    ipv4: str | None = None
    ipv6: str | None = None
    sshd_port: int | None = None
    sshd_user: str | None = None
    ssh_key_file_name: str | None = None
    created_at: str | None = None
    price: float | None = None

    @property
    def service_url(self) -> str | None:
        """The URL of the service this instance was read from (None for an Instance built
        by hand, which means the default service). Its SSH host key alias and ssh-config
        name carry it, so instances of two services never share a recorded key."""
        url: str | None = self.__dict__.get("_service_url")
        return url

    @property
    def ssh_key_path(self) -> Path | None:
        """Where the instance's private key is expected: `~/.ssh/<ssh_key_file_name>.pem`.

        The name comes from the service, so it goes through the same check as
        `ssh_command()` (`_ssh.keys.default_key_file`): a name that would leave `~/.ssh`
        (`../../x/evil`, a `/`, a control character) raises SSHError instead of a path.
        """
        if not self.ssh_key_file_name:
            return None
        from gpueater_ext._ssh import default_key_file

        return default_key_file(self.ssh_key_file_name)

    def ssh_command(self, key_file: str | Path | None = None) -> list[str]:
        """The argument list of the ssh login that `login_instance` runs: the instance's own
        user, port and key (`key_file`, or `~/.ssh/<ssh_key_file_name>.pem`) with
        IdentitiesOnly, and its host key checked under its alias (`gpueater-<service
        label>-<instance_id>`, see `host_key_alias`) in the project's known_hosts. Nothing is
        checked or created here (the key may come later).

        Raises SSHError while the instance has no IPv4 address yet.
        """
        if not self.ipv4:
            raise SSHError(
                f"instance {self.instance_id} has no IPv4 address yet ({self.state}); "
                "wait until it is RUNNING"
            )
        # The SSH layer builds (and validates) every argument; it loads only when asked.
        from gpueater_ext._ssh import SshTarget, known_hosts_of, ssh_argv

        target = SshTarget.for_instance(self, key_file=key_file)
        return ssh_argv(target, known_hosts_of(target), None, batch=False)

    def ssh_command_line(self, key_file: str | Path | None = None) -> str:
        """`ssh_command()` quoted for a POSIX shell, ready to paste."""
        return shlex.join(self.ssh_command(key_file))


def from_service(value: object, service_url: str) -> None:
    """Mark the Instances in a decoded answer (one, or a list) as read from `service_url`.

    Not a dataclass field: the service's own JSON can never set it, and to_dict(),
    equality and the repr stay what the spec says.
    """
    # Into each __dict__ directly: object.__setattr__ made this walk ~2x dearer; the
    # models stay frozen to users. A list of Instances only (an instance_list) is marked
    # in one C loop (~20 us less per 100 instances, issue 25).
    if type(value) is list and value and set(map(type, value)) == {Instance}:
        states = map(operator.attrgetter("__dict__"), value)
        marks = itertools.repeat("_service_url"), itertools.repeat(service_url)
        collections.deque(map(operator.setitem, states, *marks), maxlen=0)
        return
    for item in value if isinstance(value, list) else (value,):
        if isinstance(item, Instance):
            item.__dict__["_service_url"] = service_url


@dataclasses.dataclass(frozen=True, kw_only=True)
class Port(Model):
    """An open inbound port."""

    port: int
    protocol: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class PortList(Model):
    """An instance's open ports: what `port_list`, `open_port` and `close_port` return.

    The service answers those calls with the bare list of ports (spec 3.0.0); the SDK
    wraps it so code written for 2.x (`ports.port_list`) keeps working, and the object
    iterates over its ports. This model is the SDK's, not a schema of the spec.
    """

    port_list: list[Port]

    def __iter__(self) -> Iterator[Port]:
        return iter(self.port_list)

    def __len__(self) -> int:
        return len(self.port_list)


@dataclasses.dataclass(frozen=True, kw_only=True)
class InstanceStatus(Model):
    """An instance as the network sees it (`network_description().instance_status`).

    Every field may be missing: the service's types for them are not published.
    `root_storage_usage` is a number or a string (its unit is not published either).
    """

    tag: str | None = None
    private_ipv4: str | None = None
    global_ipv4: str | None = None
    global_ipv6: str | None = None
    bytes_received: int | None = None
    bytes_sent: int | None = None
    packets_received: int | None = None
    packets_sent: int | None = None
    root_storage_usage: float | str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class NetworkDescription(Model):
    """An instance's network: its status (addresses, traffic, disk use) and open ports."""

    instance_status: InstanceStatus
    port_list: list[Port]


@dataclasses.dataclass(frozen=True, kw_only=True)
class UserImage(Model):
    """A user-defined image (status BUILDING, READY or FAILED)."""

    fingerprint: str
    name: str
    alias: str | None = None
    description: str | None = None
    volume: int | None = None
    created_at: str | None = None
    status: str | None = None
    progress: int | None = None
    error_description: str | None = None
    user_defined: bool | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class Snapshot(Model):
    """A snapshot of an instance's disk."""

    snapshot_id: str
    instance_id: str
    tag: str | None = None
    status: str | None = None
    size: int | None = None
    created_at: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class Volume(Model):
    """An extended volume."""

    volume_id: str
    size: int
    status: str
    name: str | None = None
    region_id: str | None = None
    storage_type: str | None = None
    instance_id: str | None = None
    created_at: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class Plan(Model):
    """A monthly plan one can subscribe to."""

    plan_id: str
    kind: str
    name: str
    price_per_month: float
    product_id: str | None = None
    size: int | None = None
    description: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class StorageList(Model):
    """The storage plans and the account's volumes."""

    plans: list[Plan]
    volumes: list[Volume]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Subscription(Model):
    """A subscription of the account."""

    subscription_id: str
    plan_id: str
    kind: str
    status: str
    name: str | None = None
    price_per_month: float | None = None
    started_at: str | None = None
    product_id: str | None = None
    instance_id: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class Invoice(Model):
    """An invoice."""

    invoice_id: str
    amount: float
    kind: str | None = None
    period: str | None = None
    currency: str | None = None
    status: str | None = None
    created_at: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class Transaction(Model):
    """A long-running operation such as a live migration."""

    transaction_id: str
    status: str
    kind: str | None = None
    progress: int | None = None
    instance_id: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
