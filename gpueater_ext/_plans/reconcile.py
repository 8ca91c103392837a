"""What a write did when its answer was lost: read the state back instead of sending it again.

A write is never resent once it may have reached the service (see `_retry`): a second
launch would bill a second instance. What its failure lets the SDK conclude:

- the request never left this machine (the connection could not be made), or the service
  turned it away unprocessed (HTTP 429): nothing changed, NotAppliedError, safe to call again;
- the service refused it (an error envelope): APIError, raised as it is; a refused login
  is AuthenticationError; the login redirect is the session's (it logs in and repeats);
- anything else (a read timeout, a connection dropped after sending, a 5xx, an HTML or
  unreadable answer) proves nothing: the service may have done it, or may still be doing
  it. The plans here read the state back: what they find is the result; if it does not
  show, OutcomeUnknownError says how to check (`next_step`, for Python and for the CLI).

How long to look: a service that lost an answer may still act on the request for as long
as the client would have waited for it, so the looks go on for the client's
`reconcile_timeout` (by default its read timeout), LOOK_INTERVAL apart, the last one at the
deadline. A read that fails while looking is made again at the next look.

The read-backs: a launch looks for its unique launch tag (see `_plans.launch`);
terminate, start, stop, change_instance_tag, change_snapshot_tag, open_port, close_port,
register_ssh_key and delete_ssh_key read back the instance, its snapshots, its ports or the
keys (`reconciled_write`); any other write raises OutcomeUnknownError at once. While
looking, `reporting` callbacks (the CLI's progress line) hear what is being looked for.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import math
from collections.abc import Callable, Iterator
from http import HTTPStatus
from typing import Any

from gpueater_ext._errors import (
    APIError,
    GPUEaterConnectionError,
    GPUEaterError,
    GPUEaterTimeoutError,
    NextStep,
    NotAppliedError,
    OutcomeUnknownError,
    UnexpectedResponseError,
)
from gpueater_ext._forms import FormArg, merge_form
from gpueater_ext._models import Instance, Port, Snapshot, SshKey
from gpueater_ext._next_steps import check_step
from gpueater_ext._plans.effects import Call, Now, Plan, ReadBack, ReconcileBudget, Sleep

__all__ = [
    "LOOK_INTERVAL",
    "Look",
    "is_ambiguous",
    "look_until_deadline",
    "not_acted_on",
    "not_applied",
    "reason",
    "reconciled_write",
    "reporting",
]

LOOK_INTERVAL = 2.0


@dataclasses.dataclass(frozen=True)
class Look:
    """One reading of the state: whether the write shows, the method's result if it does,
    and what was seen otherwise (for the error message)."""

    applied: bool
    result: Any = None
    seen: str = ""


_ReadBack = Callable[[dict[str, Any], FormArg], Plan[Look]]

_REPORT: contextvars.ContextVar[Callable[[str], None] | None] = contextvars.ContextVar(
    "gpueater_reconcile_report", default=None
)


@contextlib.contextmanager
def reporting(callback: Callable[[str], None]) -> Iterator[None]:
    """While inside, a reconciliation whose first look did not find the write's effect
    tells `callback` what it is looking for and for how long (one line). The current thread
    or task only, like `retrying`."""
    token = _REPORT.set(callback)
    try:
        yield
    finally:
        _REPORT.reset(token)


def not_acted_on(error: GPUEaterError) -> bool:
    """Whether `error` proves the service did not act on the request: it never left this
    machine (no connection), or the service turned it away unprocessed (429: rate limited).
    """
    if isinstance(error, UnexpectedResponseError):
        return error.status_code == HTTPStatus.TOO_MANY_REQUESTS
    return (
        isinstance(error, GPUEaterConnectionError | GPUEaterTimeoutError)
        and not error.may_have_reached_server
    )


def is_ambiguous(error: GPUEaterError) -> bool:
    """Whether a write that failed with `error` may have taken effect anyway."""
    if not_acted_on(error):
        return False
    if isinstance(error, GPUEaterConnectionError | GPUEaterTimeoutError):
        return error.may_have_reached_server
    # An error envelope (payload set) is the service refusing; without a payload the answer
    # was an HTTP error, an HTML page or unreadable: the effect may or may not have happened.
    return isinstance(error, APIError) and error.payload is None


def not_applied(operation: str, error: GPUEaterError) -> NotAppliedError:
    """The error for a write `not_acted_on` proves was not applied."""
    how = "turned it away" if isinstance(error, UnexpectedResponseError) else "never received it"
    return NotAppliedError(
        f"{operation}: the service {how} ({reason(operation, error)}); nothing changed, "
        "it is safe to call it again",
        operation=operation,
        cause=error,
    )


def reason(operation: str, error: GPUEaterError) -> str:
    """The error's words without the `operation: ` prefix the messages here add anyway."""
    text = str(error)
    prefix = f"{operation}: "
    return text[len(prefix) :] if text.startswith(prefix) else text


def reconciled_write(operation: str, form: FormArg, fields: dict[str, Any]) -> Plan[Any]:
    """The plan of a write: one call; if its answer is lost, what reading back shows."""
    try:
        result = yield Call(operation, form, fields)
        return result
    except GPUEaterError as error:
        lost = error
    if not_acted_on(lost):
        raise not_applied(operation, lost) from lost
    if not is_ambiguous(lost):
        raise lost
    request = merge_form(form, fields)
    step = check_step(operation, request)
    read_back = _READ_BACKS.get(operation)
    if read_back is None:
        raise OutcomeUnknownError(
            f"{operation}: {reason(operation, lost)}; the service may or may not have done it",
            operation=operation,
            next_step=step,
        ) from lost
    return (
        yield from look_until_deadline(
            operation,
            lambda: read_back(request, form),
            lost=f"{reason(operation, lost)}",
            what=f"what {operation} did",
            step=step,
        )
    )


def look_until_deadline(
    operation: str,
    look: Callable[[], Plan[Look]],
    *,
    lost: str,
    what: str,
    step: NextStep,
    tag: str | None = None,
) -> Plan[Any]:
    """Look for a write's effect until the reconciliation deadline; its result when it
    shows, else OutcomeUnknownError (`lost` says why the answer is missing, `what` what is
    looked for, `step` how the user can check later, `tag` a launch's tag)."""
    budget: float = yield ReconcileBudget()
    started: float = yield Now()
    report = _REPORT.get()
    seen = ""
    for number in range(1 + math.ceil(budget / LOOK_INTERVAL)):
        if number:
            now: float = yield Now()
            remaining = started + budget - now
            if remaining <= 0:
                break
            if number == 1 and report is not None:  # only a search that takes a while
                report(f"{operation}: {lost}; looking for {what} (up to {budget:g} s)")
            yield Sleep(min(LOOK_INTERVAL, remaining))
        try:
            observed = yield from look()
        except OutcomeUnknownError:
            raise
        except GPUEaterError as failure:  # looked for again at the next look
            seen = f"reading the state back failed ({failure})"
            continue
        if observed.applied:
            return observed.result
        seen = observed.seen
    raise OutcomeUnknownError(
        f"{operation}: {lost}; after {budget:g} s of reading back, {seen}; the service "
        "may or may not have done it, and may still do it",
        operation=operation,
        next_step=step,
        tag=tag,
    )


# Read-backs: each looks once at what its write changes.


def _instance(request: dict[str, Any]) -> Plan[Instance | None]:
    found: list[Instance] = yield ReadBack("instance_id", str(request.get("instance_id")))
    return found[0] if found else None


def _in_state(*states: str) -> _ReadBack:
    def read_back(request: dict[str, Any], form: FormArg) -> Plan[Look]:
        instance = yield from _instance(request)
        if instance is None:
            return Look(False, seen=f"instance {request.get('instance_id')} is gone")
        seen = f"instance {instance.instance_id} is {instance.state}"
        return Look(instance.state in states, instance, seen)

    return read_back


def _terminated(request: dict[str, Any], form: FormArg) -> Plan[Look]:
    instance = yield from _instance(request)
    if instance is None:  # gone from the list: terminated; answer as the service would
        if isinstance(form, Instance):
            return Look(True, dataclasses.replace(form, state="TERMINATING"))
        return Look(True, _gone_instance(request))
    seen = f"instance {instance.instance_id} is {instance.state}"
    return Look(instance.state == "TERMINATING", instance, seen)


def _gone_instance(request: dict[str, Any]) -> Instance:
    return Instance(
        instance_id=str(request.get("instance_id", "")),
        machine_resource_id=str(request.get("machine_resource_id", "")),
        connection_id=str(request.get("connection_id", "")),
        tag=str(request.get("tag", "")),
        state="TERMINATING",
    )


def _tagged(request: dict[str, Any], form: FormArg) -> Plan[Look]:
    instance = yield from _instance(request)
    if instance is None:
        return Look(False, seen=f"instance {request.get('instance_id')} is gone")
    seen = f"instance {instance.instance_id} is tagged {instance.tag!r}"
    return Look(instance.tag == str(request.get("tag", "")), instance, seen)


def _snapshot_tagged(request: dict[str, Any], form: FormArg) -> Plan[Look]:
    # The service lists snapshots per instance: look through each instance's list.
    wanted = str(request.get("snapshot_id"))
    instances: list[Instance] = yield Call("instance_list")
    for instance in instances:
        snapshots: list[Snapshot] = yield Call(
            "snapshot_list", None, {"instance_id": instance.instance_id}
        )
        for snapshot in snapshots:
            if snapshot.snapshot_id == wanted:
                seen = f"snapshot {wanted} is tagged {snapshot.tag!r}"
                return Look(snapshot.tag == str(request.get("tag", "")), None, seen)
    return Look(False, seen=f"snapshot {wanted} is gone")


def _port_is(open_: bool) -> _ReadBack:
    def read_back(request: dict[str, Any], form: FormArg) -> Plan[Look]:
        where: dict[str, Any] = {
            k: request[k] for k in ("instance_id", "connection_id") if k in request
        }
        ports: list[Port] = yield Call("port_list", None, where)
        port = int(request.get("port", 0))
        is_open = any(p.port == port for p in ports)
        seen = f"port {port} is {'open' if is_open else 'closed'}"
        return Look(is_open == open_, ports, seen)

    return read_back


def _key_registered(request: dict[str, Any], form: FormArg) -> Plan[Look]:
    keys: list[SshKey] = yield Call("ssh_key_list")
    name, public_key = request.get("name"), str(request.get("public_key", "")).strip()
    matching = [
        k
        for k in keys
        if k.name == name and (k.public_key is None or k.public_key.strip() == public_key)
    ]
    return Look(bool(matching), matching[-1] if matching else None, f"no key is named {name!r}")


def _key_deleted(request: dict[str, Any], form: FormArg) -> Plan[Look]:
    keys: list[SshKey] = yield Call("ssh_key_list")
    key_id = str(request.get("id"))
    return Look(all(k.id != key_id for k in keys), None, f"key {key_id} is still registered")


_READ_BACKS: dict[str, _ReadBack] = {
    "terminate_instance": _terminated,
    "start_instance": _in_state("LAUNCHING", "RUNNING"),
    "stop_instance": _in_state("STOPPING", "STOPPED"),
    "change_instance_tag": _tagged,
    "change_snapshot_tag": _snapshot_tagged,
    "open_port": _port_is(True),
    "close_port": _port_is(False),
    "register_ssh_key": _key_registered,
    "delete_ssh_key": _key_deleted,
}
