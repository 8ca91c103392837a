"""gc: apply the expiry action of every lease whose deadline has passed.

For each expired lease the service is read first (`instance_list`, once per service and
profile), and the action is applied only to the instance the lease was made for:
- the same id, still carrying the lease's tag, and not TERMINATING: terminated (or
  stopped), then the lease is dropped;
- the id is gone (or TERMINATING): the instance ended some other way; the lease is dropped
  and nothing is sent. An instance that replaced it under the same tag has another id and
  is never touched;
- the id now carries another tag: someone renamed it on purpose, so it is not touched and
  the lease stays, the report saying how to end or release it;
- a `stop` lease whose instance is already STOPPED or STOPPING: dropped, nothing sent.

Just before acting the ledger is read again, so a `lease extend` that landed meanwhile
wins. A failure (service unreachable, the action refused) keeps the lease for the next gc.
`dry_run` sends nothing but the reads and changes no lease; it says what it would do.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from gpueater_ext._errors import GPUEaterError
from gpueater_ext._jobs.leases import Lease, format_duration, read_leases, release_lease

if TYPE_CHECKING:
    from gpueater_ext._client import GPUEater
    from gpueater_ext._models import Instance

__all__ = ["GcStep", "Outcome", "collect_garbage"]

Outcome = Literal["ended", "would-end", "dropped", "untouched", "failed", "pending"]
_PAST = {"terminate": "terminated", "stop": "stopped"}
_STOPPED = ("STOPPED", "STOPPING")


@dataclasses.dataclass(frozen=True)
class GcStep:
    """What gc did (or would do) with one lease: `outcome`, and `message` for the user
    (it quotes the service's tag, so a terminal display escapes it)."""

    lease: Lease
    outcome: Outcome
    message: str

    def to_dict(self) -> dict[str, object]:
        return {"outcome": self.outcome, "message": self.message, "lease": self.lease.to_dict()}


def collect_garbage(
    client_for: Callable[[Lease], GPUEater],
    now: datetime.datetime,
    *,
    dry_run: bool = False,
    leases: list[Lease] | None = None,
) -> list[GcStep]:
    """One step per lease (default: the ledger's), expired ones acted on as the module
    docstring says. `client_for(lease)` is a client of the lease's service and profile
    (it may raise GPUEaterError: that lease then fails and stays)."""
    steps: list[GcStep] = []
    listings: dict[tuple[str, str | None], list[Instance]] = {}
    for lease in read_leases() if leases is None else leases:
        name = f"{lease.tag} ({lease.instance_id})"
        if not lease.expired(now):
            left = format_duration(lease.remaining(now))
            steps.append(GcStep(lease, "pending", f"{name}: lease ends in {left}"))
            continue
        try:
            steps.append(_expired(lease, name, client_for, listings, now, dry_run))
        except GPUEaterError as error:
            steps.append(GcStep(lease, "failed", f"{name}: not ended ({error}); lease kept"))
    return steps


def _expired(
    lease: Lease,
    name: str,
    client_for: Callable[[Lease], GPUEater],
    listings: dict[tuple[str, str | None], list[Instance]],
    now: datetime.datetime,
    dry_run: bool,
) -> GcStep:
    client = client_for(lease)
    key = (lease.service_url, lease.profile)
    if key not in listings:
        listings[key] = client.instance_list()
    found = next((i for i in listings[key] if i.instance_id == lease.instance_id), None)
    ago = format_duration((now - lease.deadline).total_seconds())
    if found is None or found.state == "TERMINATING":
        return _drop(lease, dry_run, f"{name}: the service shows it gone; lease dropped")
    if found.tag != lease.tag:
        return GcStep(
            lease,
            "untouched",
            f"{name}: now tagged {found.tag!r}, so not the leased instance any more; not "
            f"touched (end it with gpueater terminate {lease.instance_id}, or forget the "
            f"lease with gpueater lease release {lease.instance_id})",
        )
    if lease.action == "stop" and found.state in _STOPPED:
        return _drop(lease, dry_run, f"{name}: already {found.state}; lease dropped")
    verb = lease.action
    if dry_run:
        return GcStep(lease, "would-end", f"{name}: would {verb} (lease ended {ago} ago)")
    current = next(
        (x for x in read_leases() if x.same_instance(lease.service_url, lease.instance_id)),
        None,
    )
    if current is None or not current.expired(now):
        return GcStep(lease, "pending", f"{name}: the lease was extended or released meanwhile")
    if verb == "terminate":
        client.terminate_instance(found)
    else:
        client.stop_instance(found)
    release_lease(lease.service_url, lease.instance_id)
    return GcStep(lease, "ended", f"{name}: {_PAST[verb]} (lease ended {ago} ago)")


def _drop(lease: Lease, dry_run: bool, message: str) -> GcStep:
    if dry_run:
        return GcStep(lease, "dropped", message.replace("lease dropped", "would drop the lease"))
    release_lease(lease.service_url, lease.instance_id)
    return GcStep(lease, "dropped", message)
