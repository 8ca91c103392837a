"""Instances with their cost (`gpueater_ext._cost`), for tables, `key: value` lines and
JSON alike, so the three never disagree about what an instance costs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from gpueater_ext._cost import InstanceCost, instance_cost, subscriptions_by_instance
from gpueater_ext._errors import GPUEaterError
from gpueater_ext.cli import _say
from gpueater_ext.cli._output import plain

if TYPE_CHECKING:
    from gpueater_ext import GPUEater, Instance

__all__ = ["costed", "hourly_cell", "instance_costs", "so_far_cell", "so_far_text"]


def instance_costs(client: GPUEater, instances: Sequence[Instance]) -> dict[str, InstanceCost]:
    """instance_id -> cost. Reads the subscriptions once (they tell which instances run on
    one); when that read fails the instances are still shown, their billing unknown."""
    if not instances:
        return {}
    try:
        subscriptions: dict[str, str] | None = subscriptions_by_instance(client.subscribed_list())
    except GPUEaterError as error:
        from gpueater_ext.cli._exit import one_line

        _say.warning(
            f"costs not shown: reading the subscriptions (which instances run on one) "
            f"failed: {one_line(error)}"
        )
        subscriptions = None
    return {i.instance_id: instance_cost(i, subscriptions) for i in instances}


def costed(instance: Instance, cost: InstanceCost) -> dict[str, Any]:
    """The instance as plain data with `cost` added (the API's fields untouched; a `cost`
    field of the service's own, should it send one, is kept)."""
    row: dict[str, Any] = plain(instance)
    row.setdefault("cost", cost.as_json())
    return row


def _cost_of(row: Mapping[str, Any]) -> Mapping[str, Any]:
    cost = row.get("cost")
    return cost if isinstance(cost, Mapping) else {}


def hourly_cell(row: Mapping[str, Any]) -> str | None:
    """The $/H cell of a `costed` row: the hourly charge ('-' on a subscription)."""
    cost = _cost_of(row)
    if cost.get("billing") == "subscription" or cost.get("usd_per_hour") is None:
        return None
    return f"{cost['usd_per_hour']:.4f}"


def so_far_cell(row: Mapping[str, Any]) -> str | None:
    """The COST cell of a `costed` row: USD so far on demand, `subscription` on one."""
    cost = _cost_of(row)
    if cost.get("billing") == "subscription":
        return "subscription"
    return f"{cost['usd_so_far']:.2f}" if cost.get("usd_so_far") is not None else None


def so_far_text(row: Mapping[str, Any]) -> str | None:
    """The `cost` line of `show` for a `costed` row."""
    cost = _cost_of(row)
    if cost.get("billing") == "subscription":
        return (
            f"subscription {cost.get('subscription_id')}: no hourly charge, invoiced with "
            "the subscription"
        )
    return f"{cost['usd_so_far']:.2f} USD" if cost.get("usd_so_far") is not None else None
