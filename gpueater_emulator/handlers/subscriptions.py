"""Subscription operations: monthly plans of three kinds, subscribing and cancelling."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..arguments import Arguments
from ..errors import invalid_state, not_found
from ..records import SubscriptionRecord
from ..world import InvoiceRecord, World, billing_period

__all__ = ["HANDLERS"]


def _plans(kind: str) -> Callable[[World, Arguments], list[dict[str, Any]]]:
    def list_plans(world: World, arguments: Arguments) -> list[dict[str, Any]]:
        return [plan.as_json() for plan in world.catalog.plans_of_kind(kind)]

    return list_plans


def subscription_storage_list(world: World, arguments: Arguments) -> dict[str, Any]:
    return {
        "plans": [plan.as_json() for plan in world.catalog.plans_of_kind("storage")],
        "volumes": [volume.as_json() for volume in world.volumes.values()],
    }


def subscribed_list(world: World, arguments: Arguments) -> list[dict[str, Any]]:
    return [subscription.as_json() for subscription in world.subscriptions.values()]


def _subscribe(kind: str) -> Callable[[World, Arguments], dict[str, Any]]:
    def subscribe(world: World, arguments: Arguments) -> dict[str, Any]:
        # The field keeps the README's name but names a plan.
        plan_id = arguments.text("subscription_id")
        plan = world.catalog.plan(plan_id)
        if plan is None or plan.kind != kind:
            raise not_found("subscription_id", f"{kind} plan", plan_id)
        now = world.now
        subscription = SubscriptionRecord(world.ids.prefixed("sub"), plan, now)
        world.subscriptions[subscription.subscription_id] = subscription
        # A month is billed in advance when the subscription starts.
        world.subscription_invoices.append(
            InvoiceRecord(
                world.ids.prefixed("inv"),
                "subscription",
                billing_period(now),
                plan.price_per_month,
                "OPEN",
                now,
            )
        )
        return subscription.as_json()

    return subscribe


def _unsubscribe(kind: str) -> Callable[[World, Arguments], dict[str, Any]]:
    def unsubscribe(world: World, arguments: Arguments) -> dict[str, Any]:
        subscription = world.subscription(arguments.text("subscription_id"))
        if subscription.plan.kind != kind:
            raise not_found("subscription_id", f"{kind} subscription", subscription.subscription_id)
        if subscription.instance_id is not None:
            raise invalid_state(
                "subscription_id",
                f"instance {subscription.instance_id} runs on it; terminate the instance first",
            )
        # Cancelling a cancelled subscription changes nothing and succeeds.
        subscription.status = "CANCELLED"
        return subscription.as_json()

    return unsubscribe


HANDLERS = {
    "subscription_instance_list": _plans("instance"),
    "subscription_network_list": _plans("network"),
    "subscription_storage_list": subscription_storage_list,
    "subscribed_list": subscribed_list,
    "subscribe_instance": _subscribe("instance"),
    "unsubscribe_instance": _unsubscribe("instance"),
    "subscribe_storage": _subscribe("storage"),
    "unsubscribe_storage": _unsubscribe("storage"),
    "subscribe_network": _subscribe("network"),
    "unsubscribe_network": _unsubscribe("network"),
}
