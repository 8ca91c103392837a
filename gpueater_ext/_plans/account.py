"""Typed plans of the endpoint-backed methods about volumes, subscriptions, transactions
and invoices (conventions as in `_plans.compute`)."""

from __future__ import annotations

from gpueater_ext._errors import InvalidArgumentError
from gpueater_ext._forms import FormArg
from gpueater_ext._instance_arg import InstanceForm
from gpueater_ext._models import Subscription, Transaction, Volume
from gpueater_ext._plans.compute import Id
from gpueater_ext._plans.effects import Plan
from gpueater_ext._plans.shared import call, given

__all__ = [
    "attach_volume",
    "cancel_transaction",
    "create_volume",
    "delete_volume",
    "detach_volume",
    "live_migration",
    "make_invoice",
    "peak_transaction",
    "subscribe_instance",
    "subscribe_network",
    "subscribe_storage",
    "transfer_volume",
    "unsubscribe_instance",
    "unsubscribe_network",
    "unsubscribe_storage",
]


# Storage
def create_volume(
    form: FormArg = None,
    /,
    *,
    volume: int | str | None = None,
    size: int | str | None = None,
    region_id: str | None = None,
    storage_type: str | None = None,
    name: str | None = None,
) -> Plan[Volume]:
    """Create an extended volume of `volume` GB (`size` is the same field under the
    service README's name; give one of them). `name` is a display name (default: its id).

    Raises InvalidArgumentError, before anything is sent, when both sizes are given and
    differ; the service refuses that too.
    """
    fields = given(locals())
    sizes = {key: str(fields[key]) for key in ("volume", "size") if fields.get(key) is not None}
    if len(set(sizes.values())) > 1:
        raise InvalidArgumentError(
            f"create_volume: volume={sizes['volume']} and size={sizes['size']} disagree; both "
            "give the size in GB, so pass one of them"
        )
    return call("create_volume", form, **fields)


def attach_volume(
    form: FormArg = None, /, *, volume_id: Id | None = None, instance_id: Id | None = None
) -> Plan[Volume]:
    """Attach an AVAILABLE volume to an instance (needs volume_id, instance_id)."""
    return call("attach_volume", form, **given(locals()))


def detach_volume(form: FormArg = None, /, *, volume_id: Id | None = None) -> Plan[Volume]:
    """Detach a volume from its instance (needs volume_id)."""
    return call("detach_volume", form, **given(locals()))


def delete_volume(form: FormArg = None, /, *, volume_id: Id | None = None) -> Plan[None]:
    """Delete a volume that is not attached; its data is lost (needs volume_id)."""
    return call("delete_volume", form, **given(locals()))


def transfer_volume(
    form: FormArg = None, /, *, volume_id: Id | None = None, region_id: str | None = None
) -> Plan[Volume]:
    """Move a volume that is not attached to another region (needs volume_id, region_id)."""
    return call("transfer_volume", form, **given(locals()))


# Subscription: `subscription_id` names a plan to subscribe to, or a subscription to cancel.
def subscribe_instance(
    form: FormArg = None, /, *, subscription_id: Id | None = None
) -> Plan[Subscription]:
    """Subscribe to an instance plan (subscription_id: the plan's plan_id)."""
    return call("subscribe_instance", form, **given(locals()))


def unsubscribe_instance(
    form: FormArg = None, /, *, subscription_id: Id | None = None
) -> Plan[Subscription]:
    """Cancel an instance subscription (needs subscription_id)."""
    return call("unsubscribe_instance", form, **given(locals()))


def subscribe_storage(
    form: FormArg = None, /, *, subscription_id: Id | None = None
) -> Plan[Subscription]:
    """Subscribe to a storage plan (subscription_id: the plan's plan_id)."""
    return call("subscribe_storage", form, **given(locals()))


def unsubscribe_storage(
    form: FormArg = None, /, *, subscription_id: Id | None = None
) -> Plan[Subscription]:
    """Cancel a storage subscription (needs subscription_id)."""
    return call("unsubscribe_storage", form, **given(locals()))


def subscribe_network(
    form: FormArg = None, /, *, subscription_id: Id | None = None
) -> Plan[Subscription]:
    """Subscribe to a network plan (subscription_id: the plan's plan_id)."""
    return call("subscribe_network", form, **given(locals()))


def unsubscribe_network(
    form: FormArg = None, /, *, subscription_id: Id | None = None
) -> Plan[Subscription]:
    """Cancel a network subscription (needs subscription_id)."""
    return call("unsubscribe_network", form, **given(locals()))


# Special
def live_migration(
    form: InstanceForm = None,
    /,
    *,
    instance_id: Id | None = None,
    product_id: Id | None = None,
    region_id: str | None = None,
    connection_id: Id | None = None,
    ssh_key_id: Id | None = None,
    tag: str | None = None,
) -> Plan[Transaction]:
    """Move a RUNNING instance to another machine (needs instance_id, product_id, region_id);
    answers the transaction to follow with `peak_transaction`."""
    return call("live_migration", form, **given(locals()))


def cancel_transaction(
    form: FormArg = None, /, *, transaction_id: Id | None = None
) -> Plan[Transaction]:
    """Cancel a transaction that has not finished (needs transaction_id)."""
    return call("cancel_transaction", form, **given(locals()))


def peak_transaction(
    form: FormArg = None, /, *, transaction_id: Id | None = None
) -> Plan[Transaction]:
    """Check a transaction's status and progress; changes nothing (needs transaction_id)."""
    return call("peak_transaction", form, **given(locals()))


# Payment
def make_invoice(form: FormArg = None, /, *, invoice_id: Id | None = None) -> Plan[bytes]:
    """The invoice as a PDF document (needs invoice_id)."""
    return call("make_invoice", form, **given(locals()))
