"""Waiting for an instance: for a state, for SSH to answer, and restart (stop, wait, start).

Written as plans (see `_plans`), so both clients share them. Deadlines are read from the
client's monotonic clock (the `Now` effect; `clock=` on the clients) and the pauses go
through its sleep (`Sleep`), so a test can drive a wait with a fake clock. A wait never
sleeps past its deadline: the last pause is shortened so that the deadline is honoured
within one poll.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

from gpueater_ext._errors import WaitFailedError, WaitTimeoutError
from gpueater_ext._instance_arg import InstanceArg, InstanceForm, find_instance, resolved_form
from gpueater_ext._models import Instance
from gpueater_ext._plans.effects import Call, Now, Plan, Sleep, blocking

__all__ = ["OnPoll", "restart_instance", "ssh_banner_answers", "wait_for_instance", "wait_for_ssh"]

OnPoll = Callable[[Instance, float], None]

# Left alone, these states only move on to the ones shown in comments; so waiting in them
# for anything else is waiting for nothing. States not listed (a state the service adds
# later included) keep the wait going until its deadline.
_CANNOT_LEAD_TO: dict[str, frozenset[str]] = {
    "RUNNING": frozenset({"STOPPING", "TERMINATING"}),  # STOPPING -> STOPPED
    "STOPPED": frozenset({"LAUNCHING", "TERMINATING"}),  # LAUNCHING -> RUNNING
}
_ONLY_TERMINATING = frozenset({"TERMINATING"})  # for any other state: TERMINATING -> gone
_GONE = "TERMINATED"  # the service has no such state: a terminated instance leaves the list

_BANNER_LIMIT = 8192  # RFC 4253 lets a server send some lines before its `SSH-` version line


def wait_for_instance(
    instance: InstanceArg,
    state: str = "RUNNING",
    *,
    timeout: float = 600.0,
    poll: float = 2.0,
    on_poll: OnPoll | None = None,
) -> Plan[Instance]:
    """Wait until the instance is in `state`; return it as last seen.

    `instance` is an Instance, an instance id, tag or unique prefix, or a form dict with
    instance_id (the one rule of `_instance_arg`). `state="TERMINATED"` waits until the
    instance has left `instance_list`. `on_poll(instance, elapsed_seconds)` is called after
    each observation (for progress displays). Raises WaitFailedError at once when the
    instance is in a state that cannot lead to `state` (waiting for RUNNING while it is
    TERMINATING, say) or has left the list, and WaitTimeoutError (with `last_seen`) when
    `timeout` seconds pass.
    """
    wanted = state.upper()
    started: float = yield Now()
    deadline = started + timeout
    last_seen = instance if isinstance(instance, Instance) else None
    instance_id = instance.instance_id if isinstance(instance, Instance) else None
    while True:
        current: Instance | None
        if instance_id is None:  # the first look resolves the name (see `_instance_arg`)
            current = yield from find_instance(instance, "wait_for_instance")
            instance_id = current.instance_id
        else:
            current = yield from _observe(instance_id)
        now: float = yield Now()
        if current is not None:
            last_seen = current
            if on_poll is not None:
                on_poll(current, now - started)
        if wanted == _GONE:
            if current is None and last_seen is not None:
                return last_seen
            if current is None:
                raise WaitFailedError(f"instance {instance_id} is not in instance_list")
        elif current is None:
            raise WaitFailedError(
                f"instance {instance_id} left instance_list (terminated) while waiting for "
                f"{wanted}",
                last_seen=last_seen,
            )
        elif current.state == wanted:
            return current
        elif current.state in _CANNOT_LEAD_TO.get(wanted, _ONLY_TERMINATING):
            raise WaitFailedError(
                f"instance {instance_id} is {current.state}, which cannot lead to {wanted}",
                last_seen=current,
            )
        yield from _pause_or_time_out(now, deadline, poll, timeout, wanted, instance_id, last_seen)


def wait_for_ssh(
    instance: InstanceArg, *, timeout: float = 300.0, poll: float = 2.0
) -> Plan[Instance]:
    """Wait until the instance is RUNNING and its sshd answers: a TCP connection to its
    ipv4 and sshd_port receives an `SSH-` banner. Returns the instance as last seen.

    One `timeout` covers both waits; errors as for `wait_for_instance`.
    """
    started: float = yield Now()
    deadline = started + timeout
    running = yield from wait_for_instance(instance, "RUNNING", timeout=timeout, poll=poll)
    while True:
        now: float = yield Now()
        if running.ipv4:
            probe_seconds = max(0.1, min(poll, deadline - now))
            answered: bool = yield from blocking(
                ssh_banner_answers, running.ipv4, running.sshd_port or 22, probe_seconds
            )
            if answered:
                return running
            now = yield Now()
        yield from _pause_or_time_out(
            now, deadline, poll, timeout, "answering SSH", running.instance_id, running
        )
        if not running.ipv4:  # RUNNING, but without an address yet: look at it again
            now = yield Now()
            running = yield from wait_for_instance(
                running, "RUNNING", timeout=max(0.0, deadline - now), poll=poll
            )


def restart_instance(
    form: InstanceForm = None,
    /,
    *,
    instance_id: str | int | None = None,
    machine_resource_id: str | int | None = None,
    poll_interval: float = 5.0,
    timeout: float = 600.0,
) -> Plan[Instance]:
    """Stop the instance, wait until it is STOPPED, start it; return it as start left it.

    The service has no restart endpoint (the 1.5 library called stop then start at once,
    which fails while the instance is still stopping). Raises WaitTimeoutError, carrying
    the instance as last seen, if it is not STOPPED within `timeout` seconds; it is then
    not started again.
    """
    fields = {"instance_id": instance_id, "machine_resource_id": machine_resource_id}
    stopping: Instance = yield Call("stop_instance", resolved_form(form, "stop_instance"), fields)
    stopped = stopping
    if stopping.state != "STOPPED":
        stopped = yield from wait_for_instance(
            stopping, "STOPPED", timeout=timeout, poll=poll_interval
        )
    started: Instance = yield Call("start_instance", stopped)
    return started


def ssh_banner_answers(host: str, port: int, timeout: float) -> bool:
    """Whether a TCP connection to host:port receives an SSH version line within `timeout`
    seconds (a listening port alone is not enough: sshd may not be ready to talk yet)."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as connection:
            received = b""
            while len(received) < _BANNER_LIMIT:
                chunk = connection.recv(1024)
                if not chunk:
                    return False
                received += chunk
                if any(line.startswith(b"SSH-") for line in received.split(b"\n")):
                    return True
    except OSError:
        return False
    return False


def _observe(instance_id: str) -> Plan[Instance | None]:
    instances: list[Instance] = yield Call("instance_list")
    return next((i for i in instances if i.instance_id == instance_id), None)


def _pause_or_time_out(
    now: float,
    deadline: float,
    poll: float,
    timeout: float,
    wanted: str,
    instance_id: str,
    last_seen: Instance | None,
) -> Plan[None]:
    """Sleep until the next poll, never past the deadline; raise once it has passed."""
    if now >= deadline:
        state = f" (last seen {last_seen.state})" if last_seen is not None else ""
        raise WaitTimeoutError(
            f"instance {instance_id} was not {wanted} after {timeout:g} s{state}",
            last_seen=last_seen,
        )
    yield Sleep(min(poll, deadline - now))
