"""What an instance costs, for the COST column and the `cost` object of the CLI's JSON.

An instance is billed one of two ways, and `instance_list` does not say which: the
account's subscriptions do (`subscribed_list`: an instance subscription names the
instance it runs). An instance on demand costs its hourly `price` for the time since it
was launched; an instance on a subscription costs nothing per hour, since its
subscription is invoiced on its own (as `invoices` and `invoices --subscription` show).

The shape, added as `cost` to each instance (the API's own fields are never changed):

    {"billing": "ondemand" | "subscription" | "unknown",
     "usd_per_hour": float | null,   # the hourly charge; 0.0 on a subscription
     "usd_so_far": float | null,     # price x hours since created_at; 0.0 on a subscription
     "subscription_id": str | null}  # the subscription it runs on

`usd_so_far` is an estimate: the instance list shows neither the hours an instance spent
stopped nor a price that changed with a migration, so the invoices stay the authority.
`unknown` (both amounts null) is for when the subscriptions could not be read.

Volumes have no price of their own in the service's answers; what is known is the
storage plans' (a monthly price for a size), which `volume_price` quotes as a rate.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from gpueater_ext._models import Instance, Plan, Subscription

__all__ = [
    "Billing",
    "InstanceCost",
    "cost_usd",
    "gigabytes",
    "instance_cost",
    "subscriptions_by_instance",
    "usd",
    "volume_price",
]

Billing = Literal["ondemand", "subscription", "unknown"]


@dataclasses.dataclass(frozen=True)
class InstanceCost:
    billing: Billing
    usd_per_hour: float | None
    usd_so_far: float | None
    subscription_id: str | None = None

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def subscriptions_by_instance(subscriptions: Iterable[Subscription]) -> dict[str, str]:
    """instance_id -> the id of the instance subscription it runs on."""
    return {
        s.instance_id: s.subscription_id
        for s in subscriptions
        if s.kind == "instance" and s.instance_id
    }


def instance_cost(
    instance: Instance,
    subscriptions: Mapping[str, str] | None,
    now: datetime.datetime | None = None,
) -> InstanceCost:
    """The cost of `instance`; `subscriptions` is `subscriptions_by_instance(...)`, or None
    when they could not be read (then the billing is unknown)."""
    if subscriptions is None:
        return InstanceCost("unknown", None, None)
    subscription_id = subscriptions.get(instance.instance_id)
    if subscription_id is not None:
        return InstanceCost("subscription", 0.0, 0.0, subscription_id)
    return InstanceCost("ondemand", instance.price, _so_far(instance, now))


def _so_far(instance: Instance, now: datetime.datetime | None) -> float | None:
    if instance.price is None or not instance.created_at:
        return None
    try:
        created = datetime.datetime.fromisoformat(instance.created_at)
    except ValueError:  # the service's text: an odd timestamp means unknown, not a crash
        return None
    if created.tzinfo is None:
        created = created.replace(tzinfo=datetime.UTC)
    now = now or datetime.datetime.now(datetime.UTC)
    return cost_usd(float(instance.price), (now - created).total_seconds())


def cost_usd(price_per_hour: float, seconds: float) -> float:
    """USD for `seconds` at `price_per_hour`: the one place price and time become money
    (the COST column, the `cost` objects, a run's end line and `gpueater job list`)."""
    return price_per_hour * max(seconds, 0.0) / 3600.0


def usd(amount: float, places: int = 2) -> str:
    """`$1,234.56`: an amount as people read money."""
    return f"${amount:,.{places}f}"


def gigabytes(size_gb: int) -> str:
    """`100000000 GB (100 PB)`: a size as given, and in the unit people read it in."""
    shown = f"{size_gb} GB"
    for unit, scale in (("EB", 10**9), ("PB", 10**6), ("TB", 10**3)):
        if size_gb >= scale:
            return f"{shown} ({size_gb / scale:.3g} {unit})"
    return shown


def volume_price(size_gb: int, plans: Sequence[Plan]) -> str:
    """What is known of a volume's monthly price: the service lists none for volumes, so
    the storage plans' rates (price per GB-month) are quoted for its size, as a rate."""
    rates = sorted(
        (
            (plan.price_per_month / plan.size, plan)
            for plan in plans
            if plan.kind == "storage" and plan.size is not None and plan.size > 0
        ),
        key=lambda rated: rated[0],
    )
    if not rates:
        return "not listed: the service lists no price for volumes, and no storage plan"
    low, cheapest = rates[0]
    high = rates[-1][0]
    basis = (
        f"the storage plan {cheapest.name} costs {usd(cheapest.price_per_month)} a month "
        f"for {cheapest.size} GB"
    )
    estimate = f"about {usd(low * size_gb)} a month"
    if high != low:
        basis = f"storage plans cost {usd(low, 4)} to {usd(high, 4)} per GB-month"
        estimate = f"{usd(low * size_gb)} to {usd(high * size_gb)} a month"
    return f"not listed for volumes; {basis}: at that rate, {estimate}"
