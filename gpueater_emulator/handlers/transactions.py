"""Special operations: live migration and the transaction that follows it."""

from __future__ import annotations

from typing import Any

from ..arguments import Arguments
from ..errors import ApiError, invalid_state, not_found
from ..records import InstanceState, TransactionRecord
from ..world import World

__all__ = ["HANDLERS"]


def live_migration(world: World, arguments: Arguments) -> dict[str, Any]:
    instance = world.instance(arguments.text("instance_id"))
    connection_id = arguments.optional_text("connection_id")
    if connection_id and connection_id != instance.connection_id:
        raise not_found("connection_id", "connection", connection_id)
    if instance.state != InstanceState.RUNNING:
        raise invalid_state("instance_id", f"only a RUNNING instance moves, it is {instance.state}")
    product_id = arguments.text("product_id")
    product = world.catalog.product(product_id)
    if product is None:
        raise not_found("product_id", "product", product_id)
    region_id = arguments.text("region_id")
    if region_id not in world.catalog.regions:
        raise not_found("region_id", "region", region_id)
    if region_id not in product.pool:
        raise ApiError(
            f"region_id: {product.name} is out of stock in {region_id}", "out_of_stock", "region_id"
        )
    if any(
        transaction.instance_id == instance.instance_id and transaction.final_status is None
        for transaction in world.transactions.values()
    ):
        raise invalid_state("instance_id", "a migration of this instance is already under way")
    now = world.now
    transaction = TransactionRecord(
        transaction_id=world.ids.prefixed("t"),
        kind="live_migration",
        instance_id=instance.instance_id,
        target_product=product,
        target_region=region_id,
        created_at=now,
        duration_seconds=world.settings.transaction_seconds,
        updated_at=now,
    )
    world.transactions[transaction.transaction_id] = transaction
    return transaction.as_json(now)


def cancel_transaction(world: World, arguments: Arguments) -> dict[str, Any]:
    transaction = world.transaction(arguments.text("transaction_id"))
    now = world.now
    if transaction.final_status is not None:
        raise invalid_state(
            "transaction_id",
            f"the transaction is {transaction.final_status} and cannot be cancelled",
        )
    transaction.final_progress = transaction.progress(now)
    transaction.final_status = "CANCELLED"
    transaction.updated_at = now
    return transaction.as_json(now)


def peak_transaction(world: World, arguments: Arguments) -> dict[str, Any]:
    return world.transaction(arguments.text("transaction_id")).as_json(world.now)


HANDLERS = {
    "live_migration": live_migration,
    "cancel_transaction": cancel_transaction,
    "peak_transaction": peak_transaction,
}
