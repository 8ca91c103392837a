"""Waiting for work the service does over time: a transaction (such as a live migration)
and a user-defined image being built.

Plans, like the instance waiters in `_plans.wait`: the deadline is read from the client's
clock (`Now`) and pauses go through its sleep (`Sleep`), so a fake clock drives them in
tests, and a wait never sleeps past its deadline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from gpueater_ext._errors import WaitFailedError, WaitTimeoutError
from gpueater_ext._models import Transaction, UserImage
from gpueater_ext._plans.effects import Call, Now, Plan, Sleep

__all__ = ["IMAGE_ENDS", "TRANSACTION_ENDS", "Job", "wait_for_image", "wait_for_transaction"]

# Statuses after which nothing changes any more; any other status (one the service adds
# later included) keeps the wait going until its deadline.
TRANSACTION_ENDS = frozenset({"DONE", "CANCELLED", "FAILED"})
IMAGE_ENDS = frozenset({"READY", "FAILED"})


class Job(Protocol):
    """What these waiters read of a job: a Transaction or a UserImage."""

    @property
    def status(self) -> str | None: ...
    @property
    def progress(self) -> int | None: ...


J = TypeVar("J", bound=Job)


def wait_for_transaction(
    transaction: Transaction | str,
    *,
    timeout: float = 600.0,
    poll: float = 2.0,
    on_poll: Callable[[Transaction, float], None] | None = None,
) -> Plan[Transaction]:
    """Follow a transaction with `peak_transaction` until it has ended (DONE, CANCELLED or
    FAILED) and return it as last seen: look at its `status`, an ended transaction is not
    an error here.

    `transaction` is a Transaction or its id; `on_poll(transaction, elapsed_seconds)` is
    called after each look. Raises WaitTimeoutError (with `last_seen`) after `timeout`
    seconds; the transaction itself goes on.
    """
    transaction_id = (
        transaction.transaction_id if isinstance(transaction, Transaction) else str(transaction)
    )

    def observe() -> Plan[Transaction]:
        seen: Transaction = yield Call("peak_transaction", None, {"transaction_id": transaction_id})
        return seen

    ended = yield from _until_ended(
        observe, TRANSACTION_ENDS, f"transaction {transaction_id}", timeout, poll, on_poll
    )
    return ended


def wait_for_image(
    image: UserImage | str,
    *,
    timeout: float = 1800.0,
    poll: float = 5.0,
    on_poll: Callable[[UserImage, float], None] | None = None,
) -> Plan[UserImage]:
    """Follow a user-defined image in `registered_image_list` until it is READY or FAILED
    and return it as last seen (look at its `status`).

    `image` is a UserImage or its fingerprint; `on_poll` as for `wait_for_transaction`.
    Raises WaitFailedError when the image leaves the list (deleted while building) and
    WaitTimeoutError (with `last_seen`) after `timeout` seconds.
    """
    fingerprint = image.fingerprint if isinstance(image, UserImage) else str(image)

    def observe() -> Plan[UserImage]:
        images: list[UserImage] = yield Call("registered_image_list")
        found = next((i for i in images if i.fingerprint == fingerprint), None)
        if found is None:
            raise WaitFailedError(
                f"user-defined image {fingerprint} left registered_image_list while building "
                "(deleted?)"
            )
        return found

    ended = yield from _until_ended(
        observe, IMAGE_ENDS, f"user-defined image {fingerprint}", timeout, poll, on_poll
    )
    return ended


def _until_ended(
    observe: Callable[[], Plan[J]],
    ends: frozenset[str],
    what: str,
    timeout: float,
    poll: float,
    on_poll: Callable[[J, float], None] | None,
) -> Plan[J]:
    started: float = yield Now()
    deadline = started + timeout
    while True:
        seen = yield from observe()
        now: float = yield Now()
        if on_poll is not None:
            on_poll(seen, now - started)
        if seen.status in ends:
            return seen
        if now >= deadline:
            raise WaitTimeoutError(
                f"{what} had not ended after {timeout:g} s "
                f"(last seen {seen.status}, {seen.progress or 0}%)",
                last_seen=seen,
            )
        yield Sleep(min(poll, deadline - now))
