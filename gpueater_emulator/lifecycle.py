"""Time-based transitions, applied lazily: each call first brings the account up to `now`.

Nothing runs in the background, so the clock alone decides what a read sees, and a test
that moves the clock sees exactly the transitions that were due.
"""

from __future__ import annotations

from .records import InstanceRecord, InstanceState
from .world import World

__all__ = ["advance", "begin_phase", "leave_running"]


def begin_phase(instance: InstanceRecord, state: str, now: float, seconds: float) -> None:
    """Enter LAUNCHING or STOPPING; it ends `seconds` later (0: on the next read)."""
    instance.state = state
    instance.phase_ends_at = now + seconds


def leave_running(instance: InstanceRecord, now: float) -> None:
    """Stop the billing meter of an instance that stops running."""
    instance.accrued_usd = instance.charges_usd(now)
    instance.running_since = None


def _advance_instance(instance: InstanceRecord, now: float) -> None:
    ends = instance.phase_ends_at
    if ends is None or now < ends:
        return
    instance.phase_ends_at = None
    if instance.state == InstanceState.LAUNCHING:
        instance.state = InstanceState.RUNNING
        # Billing starts when the machine came up, not when someone looked.
        instance.running_since = ends
    elif instance.state == InstanceState.STOPPING:
        instance.state = InstanceState.STOPPED


def _advance_transactions(world: World, now: float) -> None:
    for transaction in world.transactions.values():
        if transaction.final_status is not None or transaction.progress(now) < 100:
            continue
        transaction.final_status = "DONE"
        transaction.final_progress = 100
        transaction.updated_at = transaction.created_at + transaction.duration_seconds
        instance = world.instances.get(transaction.instance_id)
        if instance is not None:
            # A live migration keeps the instance running; on arrival its machine type and
            # region are the new ones, and billing continues at the new price.
            leave_running(instance, transaction.updated_at)
            instance.product = transaction.target_product
            instance.region_id = transaction.target_region
            if instance.state == InstanceState.RUNNING:
                instance.running_since = transaction.updated_at


def _advance_volumes(world: World, now: float) -> None:
    for volume in world.volumes.values():
        arrival = volume.transfer_ends_at
        if volume.transfer_to is not None and arrival is not None and now >= arrival:
            volume.region_id = volume.transfer_to
            volume.transfer_to = None
            volume.transfer_ends_at = None


def advance(world: World) -> None:
    now = world.now
    for instance in world.instances.values():
        _advance_instance(instance, now)
    _advance_transactions(world, now)
    _advance_volumes(world, now)
