"""The World as rows for the state folder's SQLite file, and back.

Each record becomes one JSON row keyed by (table, key). Catalog entries a record points to
(its product, plan) are kept by id and looked up again on load: the catalog is code, not
state. An instance's image is kept whole, since a user-defined image may be deleted while
the instance made from it lives on.

`meta` rows hold what is not a record: the account's own fields, the id generator (so ids
drawn after a restart are new ones), the clock's offset and the login sessions' digests.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from .catalog import CATALOG, OsImage, Plan, Product
from .ids import IdFactory
from .records import (
    InstanceRecord,
    SnapshotRecord,
    SshKeyRecord,
    SubscriptionRecord,
    TransactionRecord,
    UserImageRecord,
    VolumeRecord,
)
from .sessions import SessionStore
from .settings import EmulatorSettings
from .world import InvoiceRecord, World

__all__ = ["KEPT_WORLD_FIELDS", "SSHD_MODE_ROW", "Rows", "restore_world", "world_rows"]

# (table, key) -> the row's JSON text
Rows = dict[tuple[str, str], str]

# World attribute (a dict by key, or a list) -> (record class, key attribute).
_RECORDS: dict[str, tuple[type[Any], str]] = {
    "ssh_keys": (SshKeyRecord, "id"),
    "instances": (InstanceRecord, "instance_id"),
    "user_images": (UserImageRecord, "fingerprint"),
    "snapshots": (SnapshotRecord, "snapshot_id"),
    "volumes": (VolumeRecord, "volume_id"),
    "subscriptions": (SubscriptionRecord, "subscription_id"),
    "transactions": (TransactionRecord, "transaction_id"),
    # Terminated instances still count on the month's invoice.
    "terminated": (InstanceRecord, "instance_id"),
    "paid_invoices": (InvoiceRecord, "invoice_id"),
    "subscription_invoices": (InvoiceRecord, "invoice_id"),
}


# Whether the world was made with --sshd (a JSON boolean).
SSHD_MODE_ROW = ("meta", "sshd")

# Every field of World this module keeps (settings and catalog are configuration and code).
KEPT_WORLD_FIELDS = (
    *_RECORDS,
    "ids",
    "started_at",
    "current_invoice_id",
    "address_owners",
)


def _plain(value: Any) -> Any:
    if isinstance(value, Product):
        return value.id
    if isinstance(value, Plan):
        return value.plan_id
    if isinstance(value, OsImage):
        return dataclasses.asdict(value)
    return value


def _product(product_id: str) -> Product:
    product = CATALOG.product(product_id)
    if product is None:
        raise ValueError(f"the state folder names product {product_id!r}, not in the catalog")
    return product


def _plan(plan_id: str) -> Plan:
    plan = CATALOG.plan(plan_id)
    if plan is None:
        raise ValueError(f"the state folder names plan {plan_id!r}, not in the catalog")
    return plan


# Fields that point into the catalog (or hold a value object), by name.
_DECODERS: dict[str, Any] = {
    "product": _product,
    "target_product": _product,
    "plan": _plan,
    "image": lambda fields: OsImage(**fields),
}


def _encode(record: Any) -> str:
    fields = {f.name: _plain(getattr(record, f.name)) for f in dataclasses.fields(record)}
    return json.dumps(fields, sort_keys=True, separators=(",", ":"))


def _decode(record_class: type[Any], text: str) -> Any:
    fields: dict[str, Any] = json.loads(text)
    for name, decoder in _DECODERS.items():
        if name in fields:
            fields[name] = decoder(fields[name])
    return record_class(**fields)


def _meta(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _records(world: World, table: str) -> list[Any]:
    held = getattr(world, table)
    return list(held.values()) if isinstance(held, dict) else list(held)


def world_rows(world: World, sessions: SessionStore) -> Rows:
    rows: Rows = {}
    # The order records were made in (what lists show), kept apart from the records so a
    # deletion rewrites one row, not every later one.
    order: dict[str, list[str]] = {}
    for table, (_, key) in _RECORDS.items():
        order[table] = []
        for record in _records(world, table):
            record_key = str(getattr(record, key))
            order[table].append(record_key)
            rows[(table, record_key)] = _encode(record)
    account = {
        "started_at": world.started_at,
        "current_invoice_id": world.current_invoice_id,
        "address_owners": world.address_owners,
    }
    rows[("meta", "account")] = _meta(account)
    rows[("meta", "order")] = _meta(order)
    rows[("meta", "ids")] = _meta(world.ids.state_json())
    rows[("meta", "clock_offset")] = _meta(world.settings.clock.offset)
    rows[("meta", "sessions")] = _meta(sessions.export())
    # Instances made with --sshd have disks and loopback addresses; without, neither.
    rows[SSHD_MODE_ROW] = _meta(world.settings.ssh_machines is not None)
    return rows


def restore_world(rows: Rows, settings: EmulatorSettings, sessions: SessionStore) -> World:
    """The World the rows describe; the clock and the sessions take up their kept state."""
    meta = {key: json.loads(text) for (table, key), text in rows.items() if table == "meta"}
    settings.clock.resume(float(meta["clock_offset"]))
    sessions.resume({str(k): float(v) for k, v in meta["sessions"].items()})
    ids = IdFactory(settings.seed, settings.address_pool)
    ids.resume(meta["ids"])
    account = meta["account"]
    world = World(settings=settings, ids=ids, started_at=float(account["started_at"]))
    world.current_invoice_id = str(account["current_invoice_id"])
    world.address_owners = dict(account["address_owners"])
    for table, (record_class, _) in _RECORDS.items():
        held = getattr(world, table)
        for record_key in meta["order"][table]:
            record = _decode(record_class, rows[(table, record_key)])
            if isinstance(held, dict):
                held[record_key] = record
            else:
                held.append(record)
    return world
