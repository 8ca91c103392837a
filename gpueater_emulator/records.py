"""What the emulated account holds, one record type per thing, each with its JSON view."""

from __future__ import annotations

import functools
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .catalog import OsImage, Plan, Product

__all__ = [
    "InstanceRecord",
    "InstanceState",
    "SnapshotRecord",
    "SshKeyRecord",
    "SubscriptionRecord",
    "TransactionRecord",
    "UserImageRecord",
    "VolumeRecord",
    "iso_time",
]


# Memoised: instance_list formats every instance's created_at on every read, and a bulk
# launch reads the list back ~30 times (strftime was ~0.5 of the 2.9 ms of CPU a list of 200
# costs, with advance and the JSON encoding); the times formatted are few and fixed.
@functools.lru_cache(maxsize=65536)
def iso_time(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _progress(started: float, duration: float, now: float) -> int:
    if duration <= 0:
        return 100
    return max(0, min(100, int((now - started) * 100 / duration)))


class InstanceState:
    LAUNCHING = "LAUNCHING"
    RUNNING = "RUNNING"
    STOPPING = "STOPPING"
    STOPPED = "STOPPED"
    TERMINATING = "TERMINATING"


@dataclass
class SshKeyRecord:
    id: str
    name: str
    public_key: str
    fingerprint: str
    created_at: float

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "fingerprint": self.fingerprint,
            "public_key": self.public_key,
            "created_at": iso_time(self.created_at),
        }


@dataclass
class InstanceRecord:
    instance_id: str
    machine_resource_id: str
    connection_id: str
    tag: str
    product: Product
    image: OsImage
    region_id: str
    ssh_key_name: str
    public_key: str
    ipv4: str
    created_at: float
    state: str = InstanceState.LAUNCHING
    # When the current LAUNCHING or STOPPING phase ends (None in a steady state).
    phase_ends_at: float | None = None
    sshd_port: int = 22
    sshd_user: str = "root"
    ports: list[int] = field(default_factory=lambda: [22])
    subscription_id: str | None = None
    # Billing: USD owed for finished RUNNING stretches, plus the start of the current one
    # (money, not seconds, is banked because a migration can change the price).
    accrued_usd: float = 0.0
    running_since: float | None = None

    def charges_usd(self, now: float) -> float:
        current = 0.0 if self.running_since is None else max(0.0, now - self.running_since)
        return self.accrued_usd + current / 3600 * self.product.price_per_hour

    def as_json(self) -> dict[str, Any]:
        return {
            "instance_id": self.instance_id,
            "machine_resource_id": self.machine_resource_id,
            "connection_id": self.connection_id,
            "tag": self.tag,
            "state": self.state,
            "product_name": self.product.name,
            "cpu": self.product.cpu,
            "memory": self.product.memory_mb,
            "root_storage": self.product.root_storage_gb,
            "device_desc": self.product.device_desc,
            "ipv4": self.ipv4,
            "ipv6": None,
            "sshd_port": self.sshd_port,
            "sshd_user": self.sshd_user,
            "ssh_key_file_name": self.ssh_key_name,
            "created_at": iso_time(self.created_at),
            "price": self.product.price_per_hour,
        }

    def status_json(self) -> dict[str, Any]:
        """`instance_info`'s `instance_status`. The emulator moves no traffic through the
        instance and writes nothing to its disk, so the counters and the disk use are 0."""
        return {
            "tag": self.tag,
            "private_ipv4": self.private_ipv4,
            "global_ipv4": self.ipv4,
            "global_ipv6": None,
            "bytes_received": 0,
            "bytes_sent": 0,
            "packets_received": 0,
            "packets_sent": 0,
            "root_storage_usage": 0.0,
        }

    @property
    def private_ipv4(self) -> str:
        # A stable address in 10.0.0.0/8 per instance, as a data centre's inside network.
        number = zlib.crc32(self.instance_id.encode())
        return f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"

    def ports_json(self) -> list[dict[str, Any]]:
        return [{"port": port, "protocol": "tcp"} for port in sorted(self.ports)]


@dataclass
class UserImageRecord:
    fingerprint: str
    name: str
    alias: str
    description: str
    volume_gb: int
    created_at: float
    build_seconds: float
    # The GPU vendor of the instance it was made from (None for an imported image).
    vendor: str | None

    def progress(self, now: float) -> int:
        return _progress(self.created_at, self.build_seconds, now)

    def is_ready(self, now: float) -> bool:
        return self.progress(now) >= 100

    def as_os_image(self) -> OsImage:
        return OsImage(self.fingerprint, self.name, self.alias, self.description, self.vendor)

    def as_json(self, now: float) -> dict[str, Any]:
        return {
            "fingerprint": self.fingerprint,
            "name": self.name,
            "alias": self.alias,
            "description": self.description,
            "volume": self.volume_gb,
            "created_at": iso_time(self.created_at),
            "status": "READY" if self.is_ready(now) else "BUILDING",
            "progress": self.progress(now),
            "error_description": "",
            "user_defined": True,
        }


@dataclass
class SnapshotRecord:
    snapshot_id: str
    instance_id: str
    tag: str
    size_gb: int
    created_at: float

    def as_json(self) -> dict[str, Any]:
        return {
            "snapshot_id": self.snapshot_id,
            "instance_id": self.instance_id,
            "tag": self.tag,
            "status": "READY",
            "size": self.size_gb,
            "created_at": iso_time(self.created_at),
        }


@dataclass
class VolumeRecord:
    volume_id: str
    name: str
    size_gb: int
    region_id: str
    storage_type: str
    created_at: float
    instance_id: str | None = None
    # A transfer in flight: where to, and when it lands.
    transfer_to: str | None = None
    transfer_ends_at: float | None = None

    @property
    def status(self) -> str:
        if self.transfer_to is not None:
            return "TRANSFERRING"
        return "AVAILABLE" if self.instance_id is None else "ATTACHED"

    def as_json(self) -> dict[str, Any]:
        return {
            "volume_id": self.volume_id,
            "name": self.name,
            "size": self.size_gb,
            "region_id": self.region_id,
            "storage_type": self.storage_type,
            "status": self.status,
            "instance_id": self.instance_id,
            "created_at": iso_time(self.created_at),
        }


@dataclass
class SubscriptionRecord:
    subscription_id: str
    plan: Plan
    started_at: float
    status: str = "ACTIVE"
    instance_id: str | None = None

    def as_json(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "subscription_id": self.subscription_id,
            "plan_id": self.plan.plan_id,
            "kind": self.plan.kind,
            "name": self.plan.name,
            "status": self.status,
            "price_per_month": self.plan.price_per_month,
            "started_at": iso_time(self.started_at),
            "instance_id": self.instance_id,
        }
        if self.plan.product_id is not None:
            described["product_id"] = self.plan.product_id
        return described


@dataclass
class TransactionRecord:
    transaction_id: str
    kind: str
    instance_id: str
    target_product: Product
    target_region: str
    created_at: float
    duration_seconds: float
    updated_at: float
    # Set once: DONE when the work finished, CANCELLED when a client stopped it.
    final_status: str | None = None
    final_progress: int = 0

    def progress(self, now: float) -> int:
        if self.final_status is not None:
            return self.final_progress
        return _progress(self.created_at, self.duration_seconds, now)

    def status(self, now: float) -> str:
        if self.final_status is not None:
            return self.final_status
        return "PENDING" if self.progress(now) == 0 else "RUNNING"

    def as_json(self, now: float) -> dict[str, Any]:
        return {
            "transaction_id": self.transaction_id,
            "kind": self.kind,
            "status": self.status(now),
            "progress": self.progress(now),
            "instance_id": self.instance_id,
            "created_at": iso_time(self.created_at),
            # Work in flight changes with every look; a finished one changed when it ended.
            "updated_at": iso_time(now if self.final_status is None else self.updated_at),
        }
