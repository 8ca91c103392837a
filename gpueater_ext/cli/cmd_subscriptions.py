"""Monthly plans and subscriptions: `plans`, `subscriptions`, `subscribe KIND PLAN` and
`unsubscribe KIND SUBSCRIPTION` (KIND: instance, storage or network)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from gpueater_ext._cost import usd
from gpueater_ext.cli._confirm import confirm_destroy, confirm_spending
from gpueater_ext.cli._names import pick_by_name
from gpueater_ext.cli._output import Column, print_json, print_object, print_table
from gpueater_ext.cli._state import CliState, output_option, pass_state, yes_option

if TYPE_CHECKING:
    from gpueater_ext import GPUEater, Plan, Subscription

__all__ = ["find_subscription", "plans", "subscribe", "subscriptions", "unsubscribe"]

# One seed function per kind and action; the service has no call that takes the kind.
PLAN_LISTS: dict[str, Callable[[GPUEater], list[Plan]]] = {
    "instance": lambda client: client.subscription_instance_list(),
    "storage": lambda client: client.subscription_storage_list().plans,
    "network": lambda client: client.subscription_network_list(),
}
SUBSCRIBE: dict[str, Callable[[GPUEater, str], Subscription]] = {
    "instance": lambda client, plan_id: client.subscribe_instance(subscription_id=plan_id),
    "storage": lambda client, plan_id: client.subscribe_storage(subscription_id=plan_id),
    "network": lambda client, plan_id: client.subscribe_network(subscription_id=plan_id),
}
UNSUBSCRIBE: dict[str, Callable[[GPUEater, str], Subscription]] = {
    "instance": lambda client, sub_id: client.unsubscribe_instance(subscription_id=sub_id),
    "storage": lambda client, sub_id: client.unsubscribe_storage(subscription_id=sub_id),
    "network": lambda client, sub_id: client.unsubscribe_network(subscription_id=sub_id),
}
KIND = click.Choice(list(PLAN_LISTS))

PLAN_COLUMNS = (
    Column.field("KIND", "kind"),
    Column.field("ID", "plan_id"),
    Column.field("NAME", "name"),
    Column("$/MONTH", lambda row: f"{row['price_per_month']:.2f}", "right"),
    Column.field("GB", "size", "right"),
    Column.field("DESCRIPTION", "description"),
)
SUBSCRIPTION_COLUMNS = (
    Column.field("ID", "subscription_id"),
    Column.field("KIND", "kind"),
    Column.field("NAME", "name"),
    Column.field("PLAN", "plan_id"),
    Column.field("STATUS", "status"),
    Column.field("INSTANCE", "instance_id"),
    Column.field("STARTED", "started_at"),
)
SUBSCRIPTION_FIELDS = ["subscription_id", "kind", "name", "plan_id", "status", "price_per_month"]


def find_subscription(
    subscriptions: list[Subscription], name: str, *, kind: str = "instance"
) -> Subscription:
    """A subscription by id, plan name or unique prefix. Names only designate ACTIVE ones:
    cancelled subscriptions of the same plan stay in the list and would make every plan
    name ambiguous; an exact id still finds a cancelled one."""
    candidates = [
        s
        for s in subscriptions
        if s.kind == kind and (s.status == "ACTIVE" or s.subscription_id == name)
    ]
    return pick_by_name(
        candidates,
        name,
        kind=f"{kind} subscription",
        id_of=lambda s: s.subscription_id,
        label_of=lambda s: s.name,
    )


@click.command()
@click.option("--kind", type=KIND, help="Only plans of this kind.")
@output_option
@pass_state
def plans(state: CliState, kind: str | None) -> None:
    """Monthly plans to subscribe to: instances, storage and networks."""
    client = state.client()
    kinds = [kind] if kind is not None else list(PLAN_LISTS)
    found = [plan for each in kinds for plan in PLAN_LISTS[each](client)]
    if state.json:
        print_json(found)
    else:
        print_table(found, PLAN_COLUMNS, empty="no plans")


@click.command()
@output_option
@pass_state
def subscriptions(state: CliState) -> None:
    """The account's subscriptions, cancelled ones included."""
    found = state.client().subscribed_list()
    if state.json:
        print_json(found)
    else:
        print_table(found, SUBSCRIPTION_COLUMNS, empty="no subscriptions")


def _print_subscription(state: CliState, subscription: Subscription) -> None:
    if state.json:
        print_json(subscription)
    else:
        print_object(subscription, [*SUBSCRIPTION_FIELDS, "started_at"])


@click.command()
@click.argument("kind", type=KIND)
@click.argument("plan_name", metavar="PLAN")
@yes_option
@output_option
@pass_state
def subscribe(state: CliState, kind: str, plan_name: str) -> None:
    """Subscribe to a monthly PLAN (by id, name or unique prefix; see `gpueater plans`).

    It commits money every month, so its price is shown and the subscription asked for on
    a terminal; without one it is refused unless --yes (which needs the exact id or name).
    The first month is invoiced at once.
    """
    client = state.client()
    plan = pick_by_name(
        PLAN_LISTS[kind](client),
        plan_name,
        kind=f"{kind} plan",
        id_of=lambda p: p.plan_id,
        label_of=lambda p: p.name,
    )
    confirm_spending(
        "subscribe",
        f"to {kind} plan {plan.name} ({plan.plan_id})",
        f"{usd(plan.price_per_month)} a month",
        assume_yes=state.yes,
        say=state.chatty,
    )
    _print_subscription(state, SUBSCRIBE[kind](client, plan.plan_id))


@click.command()
@click.argument("kind", type=KIND)
@click.argument("subscription_name", metavar="SUBSCRIPTION")
@yes_option
@output_option
@pass_state
def unsubscribe(state: CliState, kind: str, subscription_name: str) -> None:
    """Cancel a SUBSCRIPTION (by id, plan name or unique prefix)."""
    client = state.client()
    chosen = find_subscription(client.subscribed_list(), subscription_name, kind=kind)
    shown = f"{chosen.name or chosen.plan_id} ({chosen.subscription_id})"
    confirm_destroy(f"cancel {kind} subscription", [shown], assume_yes=state.yes)
    _print_subscription(state, UNSUBSCRIBE[kind](client, chosen.subscription_id))
