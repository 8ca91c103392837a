"""Waiting for an instance from the command line, with progress."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gpueater_ext.cli._progress import progress

if TYPE_CHECKING:
    from gpueater_ext import GPUEater, Instance

__all__ = ["wait_for"]


def wait_for(
    client: GPUEater, instance: Instance, state: str, *, timeout: float, show: bool
) -> Instance:
    """Wait until the instance is in `state` ("RUNNING", "STOPPED") or answers SSH ("SSH").

    Delegates to the SDK's waiters, which own the deadline and the states that cannot lead
    to the wanted one; this only draws the progress.
    """
    label = f"waiting for {instance.tag} ({instance.instance_id})"
    with progress(label, enabled=show) as update:

        def on_poll(seen: Instance, _elapsed: float) -> None:
            update(seen.state)

        if state == "SSH":
            running = client.wait_for_instance(
                instance, state="RUNNING", timeout=timeout, on_poll=on_poll
            )
            update("RUNNING, waiting for sshd")
            return client.wait_for_ssh(running, timeout=timeout)
        return client.wait_for_instance(instance, state=state, timeout=timeout, on_poll=on_poll)
