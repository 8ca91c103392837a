"""The lease of a `gpueater run`'s instance, kept from the run's progress events.

The lease is written as soon as an event carries the instance (right after the launch was
answered, or the reused instance was found: before SSH, the sync and the job), so a run
killed at any later point (even by SIGKILL) leaves a lease that `gpueater gc` ends. If the
ledger cannot be written the run fails there and its teardown is applied: an instance with
no lease and no run watching it is what leases exist to prevent.

At the end of the run: a teardown that was done (down, stop) releases the lease; one that
was not (it failed, or was left to another run's job) keeps it, so gc ends the instance
later; `keep` keeps it, shortened to now + idle timeout when one was given.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING

from gpueater_ext._jobs import Lease, action_for, change_leases, record_lease, utc_now

if TYPE_CHECKING:
    from gpueater_ext._jobs import RunEvent, RunResult, Task

__all__ = ["RunLease"]


class RunLease:
    """`on_event` for `client.run` (passing each event on to `show`), then `finish(result)`."""

    def __init__(
        self,
        task: Task,
        service_url: str | None,
        profile: str | None,
        show: Callable[[RunEvent], None] | None,
    ) -> None:
        self._task = task
        self._service_url = service_url
        self._profile = profile
        self._show = show
        self.leases: dict[str, Lease] = {}  # by instance id: a run on several nodes has several

    def on_event(self, event: RunEvent) -> None:
        instance = event.instance
        known = self.leases.get(instance.instance_id) if instance is not None else None
        # Recorded once per instance, again when a launch tag was renamed to the run's.
        if instance is not None and (known is None or known.tag != instance.tag):
            self.leases[instance.instance_id] = record_lease(
                instance_id=instance.instance_id,
                tag=instance.tag,
                service_url=instance.service_url or self._service_url or "",
                profile=self._profile,
                max_duration=self._task.max_duration,
                action=action_for(self._task.teardown),
                idle_timeout=self._task.idle_timeout,
                shutdown_backstop=self._task.shutdown_on_expiry,
            )
        if self._show is not None:
            self._show(event)

    def finish(self, result: RunResult) -> None:
        """Release or shorten the lease as the run's end says (see the module docstring)."""
        mine = list(self.leases.values())
        if not mine or getattr(result, "detached", False):
            return  # a detached job's lease stays until the job's own end is handled
        if result.teardown in ("down", "stop"):
            if result.teardown_done and result.teardown_left_to is None:
                change_leases(lambda leases: [x for x in leases if not _among(x, mine)])
            return
        idle = self._task.idle_timeout
        if idle is None or result.exit_code is None:
            return
        until = utc_now() + datetime.timedelta(seconds=idle)

        def shorten(leases: list[Lease]) -> list[Lease]:
            return [
                _with_deadline(x, min(x.deadline, until)) if _among(x, mine) else x for x in leases
            ]

        change_leases(shorten)


def _among(one: Lease, leases: list[Lease]) -> bool:
    return any(one.same_instance(x.service_url, x.instance_id) for x in leases)


def _with_deadline(lease: Lease, deadline: datetime.datetime) -> Lease:
    import dataclasses

    return dataclasses.replace(lease, deadline=deadline)
