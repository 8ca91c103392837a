"""The emulated account: everything the operations read and change, and its seeded start.

All credentials log in to this one account. A reset replaces the World with a fresh seeded
one, so a run with the same seed and the same calls gives the same ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .catalog import CATALOG, Catalog, OsImage
from .errors import ApiError, not_found
from .ids import IdFactory
from .records import (
    InstanceRecord,
    SnapshotRecord,
    SshKeyRecord,
    SubscriptionRecord,
    TransactionRecord,
    UserImageRecord,
    VolumeRecord,
    iso_time,
)
from .settings import EmulatorSettings

__all__ = ["InvoiceRecord", "World", "billing_period"]


def billing_period(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m")


def _months_before(period: str, months: int) -> str:
    year, month = (int(part) for part in period.split("-"))
    index = year * 12 + (month - 1) - months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass
class InvoiceRecord:
    invoice_id: str
    kind: str
    period: str
    amount: float
    status: str
    created_at: float

    def as_json(self) -> dict[str, Any]:
        return {
            "invoice_id": self.invoice_id,
            "kind": self.kind,
            "period": self.period,
            "amount": round(self.amount, 4),
            "currency": "USD",
            "status": self.status,
            "created_at": iso_time(self.created_at),
        }


@dataclass
class World:
    settings: EmulatorSettings
    ids: IdFactory
    started_at: float
    catalog: Catalog = CATALOG
    ssh_keys: dict[str, SshKeyRecord] = field(default_factory=dict)
    instances: dict[str, InstanceRecord] = field(default_factory=dict)
    # Terminated instances leave every list but still count on the month's invoice.
    terminated: list[InstanceRecord] = field(default_factory=list)
    user_images: dict[str, UserImageRecord] = field(default_factory=dict)
    snapshots: dict[str, SnapshotRecord] = field(default_factory=dict)
    volumes: dict[str, VolumeRecord] = field(default_factory=dict)
    subscriptions: dict[str, SubscriptionRecord] = field(default_factory=dict)
    transactions: dict[str, TransactionRecord] = field(default_factory=dict)
    # Earlier months, already paid; the current month's invoice is computed when asked.
    paid_invoices: list[InvoiceRecord] = field(default_factory=list)
    current_invoice_id: str = ""
    # Subscription invoices, one per subscription for the month it started.
    subscription_invoices: list[InvoiceRecord] = field(default_factory=list)
    # address -> the instance it was given to; an entry whose instance is gone or has moved
    # on is free again (checked when drawn), so no path that ends an instance must free it.
    address_owners: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def seeded(cls, settings: EmulatorSettings) -> World:
        now = settings.clock.now()
        ids = IdFactory(settings.seed, settings.address_pool)
        world = cls(settings=settings, ids=ids, started_at=now)
        period = billing_period(now)
        for months_ago, amount in ((2, 23.808), (1, 9.5232)):
            world.paid_invoices.append(
                InvoiceRecord(
                    world.ids.prefixed("inv"),
                    "ondemand",
                    _months_before(period, months_ago),
                    amount,
                    "PAID",
                    now - months_ago * 30 * 86400,
                )
            )
        world.current_invoice_id = world.ids.prefixed("inv")
        return world

    @property
    def now(self) -> float:
        return self.settings.clock.now()

    # ---- look-ups that answer the service's "unknown id" error ------------------------

    def instance(self, instance_id: str, field_name: str = "instance_id") -> InstanceRecord:
        found = self.instances.get(instance_id)
        if found is None:
            raise not_found(field_name, "instance", instance_id)
        return found

    def ssh_key(self, key_id: str, field_name: str = "ssh_key_id") -> SshKeyRecord:
        found = self.ssh_keys.get(key_id)
        if found is None:
            raise not_found(field_name, "SSH key", key_id)
        return found

    def volume(self, volume_id: str) -> VolumeRecord:
        found = self.volumes.get(volume_id)
        if found is None:
            raise not_found("volume_id", "volume", volume_id)
        return found

    def snapshot(self, snapshot_id: str) -> SnapshotRecord:
        found = self.snapshots.get(snapshot_id)
        if found is None:
            raise not_found("snapshot_id", "snapshot", snapshot_id)
        return found

    def subscription(self, subscription_id: str) -> SubscriptionRecord:
        found = self.subscriptions.get(subscription_id)
        if found is None:
            raise not_found("subscription_id", "subscription", subscription_id)
        return found

    def transaction(self, transaction_id: str) -> TransactionRecord:
        found = self.transactions.get(transaction_id)
        if found is None:
            raise not_found("transaction_id", "transaction", transaction_id)
        return found

    def user_image(self, fingerprint: str) -> UserImageRecord:
        found = self.user_images.get(fingerprint)
        if found is None:
            raise not_found("fingerprint", "user-defined image", fingerprint)
        return found

    # ---- images: the catalog's plus the user's finished ones --------------------------

    def launchable_images(self) -> list[OsImage]:
        now = self.now
        own = [record.as_os_image() for record in self.user_images.values() if record.is_ready(now)]
        return list(self.catalog.images) + own

    def image_by_alias(self, alias: str) -> OsImage | None:
        return next((image for image in self.launchable_images() if image.alias == alias), None)

    def images_json(self) -> dict[str, Any]:
        images: dict[str, Any] = {image.key: image.as_json() for image in self.catalog.images}
        for record in self.user_images.values():
            if record.is_ready(self.now):
                images[record.fingerprint] = {
                    "name": record.name,
                    "alias": record.alias,
                    "description": record.description,
                    "user_defined": True,
                }
        return images

    def new_address(self, owner: str, replacing: str | None = None) -> str:
        """A free address for the instance `owner` (other than `replacing`, its current
        one): a loopback address of its own in `--sshd` mode, else one of the pool. A full
        pool is the service's `out_of_capacity` refusal, never a crash."""
        machines = self.settings.ssh_machines
        if machines is not None:
            in_use = {instance.ipv4 for instance in self.instances.values()}
            if replacing is not None:
                in_use.add(replacing)
            return machines.new_address(in_use)

        def is_free(address: str) -> bool:
            if address == replacing:
                return False
            holder = self.instances.get(self.address_owners.get(address, ""))
            return holder is None or holder.ipv4 != address

        address = self.ids.ipv4(is_free)
        if address is None:
            raise ApiError(
                f"no address is free for another instance ({self.ids.address_count} in use); "
                "terminate one or try again later",
                "out_of_capacity",
            )
        self.address_owners[address] = owner
        return address
