"""What a write did when its answer was lost: read the state back instead of sending it again.

A write that may have reached the service (a read timeout, a dropped connection, a 5xx, an
HTML or malformed answer) is never resent (see `_retry`): a second launch would bill a
second instance. Its failure comes back into the method's plan, and the plans here find
out what is true:

- a launch looks for its tag in `instance_list` (`find_lost_launch`); so does a launch the
  service accepted, looking again when that read fails (`find_accepted_launch`), since
  an instance it cannot show the caller would be billed unseen;
- terminate, start, stop, change_instance_tag, change_snapshot_tag, open_port, close_port,
  register_ssh_key and delete_ssh_key read back the instance, its snapshots, its ports or
  the keys (`reconciled_write`);
- any other write raises OutcomeUnknownError, saying how to check.

The service may still be working on a request whose answer was lost, so "not applied" is
only concluded after `SETTLE_LOOKS` looks, `SETTLE_SECONDS` apart; then NotAppliedError
says that nothing changed and the call may be made again. A failure that says the write was
refused (an error envelope, a login refused) is raised as it is.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from gpueater_ext._errors import (
    APIError,
    GPUEaterConnectionError,
    GPUEaterError,
    GPUEaterTimeoutError,
    NotAppliedError,
    OutcomeUnknownError,
)
from gpueater_ext._forms import FormArg, merge_form
from gpueater_ext._models import Instance, Port, Snapshot, SshKey
from gpueater_ext._plans import Call, Plan, Sleep

__all__ = [
    "SETTLE_LOOKS",
    "SETTLE_SECONDS",
    "find_accepted_launch",
    "find_lost_launch",
    "is_ambiguous",
    "reconciled_write",
]

SETTLE_LOOKS = 3
SETTLE_SECONDS = 2.0


@dataclasses.dataclass(frozen=True)
class _Look:
    """One reading of the state: whether the write shows, the method's result if it does,
    and what was seen otherwise (for the error message)."""

    applied: bool
    result: Any = None
    seen: str = ""


_ReadBack = Callable[[dict[str, Any], FormArg], Plan[_Look]]


def is_ambiguous(error: GPUEaterError) -> bool:
    """Whether a write that failed with `error` may have taken effect anyway."""
    if isinstance(error, GPUEaterConnectionError | GPUEaterTimeoutError):
        return error.may_have_reached_server
    # An error envelope (payload set) is the service refusing; without a payload the answer
    # was an HTTP error, an HTML page or unreadable: the effect may or may not have happened.
    return isinstance(error, APIError) and error.payload is None


def reconciled_write(operation: str, form: FormArg, fields: dict[str, Any]) -> Plan[Any]:
    """The plan of a write: one call; if its answer is lost, what reading back shows."""
    try:
        result = yield Call(operation, form, fields)
        return result
    except GPUEaterError as error:
        lost = error
    if not is_ambiguous(lost):
        raise lost
    read_back = _READ_BACKS.get(operation)
    if read_back is None:
        raise OutcomeUnknownError(
            f"{operation}: {_reason(operation, lost)}; the service may or may not have done "
            f"it. Check with {_HOW_TO_CHECK.get(operation, 'the list of what it changes')} "
            "before calling it again",
            operation=operation,
        ) from lost
    request = merge_form(form, fields)
    return (yield from _settle(operation, lost, lambda: read_back(request, form)))


def _reason(operation: str, error: GPUEaterError) -> str:
    """The error's words without the `operation: ` prefix the messages here add anyway."""
    text = str(error)
    prefix = f"{operation}: "
    return text[len(prefix) :] if text.startswith(prefix) else text


def find_lost_launch(
    operation: str, tag: str, existing: set[str], error: GPUEaterError
) -> Plan[Instance]:
    """After a launch failed with `error`: the instance it made (found by its tag, ignoring
    the ids in `existing`), or NotAppliedError when none appears. Never launches again."""
    if not is_ambiguous(error):
        raise error

    def look() -> Plan[_Look]:
        instances: list[Instance] = yield Call("instance_list")
        new = [i for i in instances if i.tag == tag and i.instance_id not in existing]
        if len(new) > 1:
            raise OutcomeUnknownError(
                f"{operation}: {_reason(operation, error)}; instance_list shows {len(new)} "
                f"new instances tagged {tag!r} and cannot tell which is this launch's; check "
                "`instance_list()` (`gpueater instances`)",
                operation=operation,
            )
        return _Look(bool(new), new[0] if new else None, f"no instance is tagged {tag!r}")

    launched: Instance = yield from _settle(operation, error, look)
    return launched


def find_accepted_launch(operation: str, tag: str, existing: set[str]) -> Plan[Instance]:
    """After the service accepted a launch: the instance it made, found by its tag
    (ignoring the ids in `existing`). A failed or empty look is made again, up to
    SETTLE_LOOKS looks; then OutcomeUnknownError says which tag to look for."""
    problem = "did not show it"
    for number in range(SETTLE_LOOKS):
        if number:
            yield Sleep(SETTLE_SECONDS)
        try:
            instances: list[Instance] = yield Call("instance_list")
        except GPUEaterError as failure:
            problem = f"could not be read ({failure})"
            continue
        new = [i for i in instances if i.tag == tag and i.instance_id not in existing]
        if len(new) > 1:
            raise OutcomeUnknownError(
                f"{operation}: the service accepted the launch, but instance_list shows "
                f"{len(new)} new instances tagged {tag!r}; check `instance_list()` "
                "(`gpueater instances`)",
                operation=operation,
            )
        if new:
            return new[0]
        problem = "did not show it"
    raise OutcomeUnknownError(
        f"{operation}: the service accepted the launch, but instance_list {problem}; "
        f"look for the tag {tag!r} in `instance_list()` (`gpueater instances --tag {tag}`)",
        operation=operation,
    )


def _settle(operation: str, lost: GPUEaterError, look: Callable[[], Plan[_Look]]) -> Plan[Any]:
    """Look up to SETTLE_LOOKS times for the write's effect; NotAppliedError if it never shows."""
    seen = ""
    for number in range(SETTLE_LOOKS):
        if number:
            yield Sleep(SETTLE_SECONDS)
        try:
            observed = yield from look()
        except OutcomeUnknownError:
            raise
        except GPUEaterError as failure:
            raise OutcomeUnknownError(
                f"{operation}: {_reason(operation, lost)}; reading the state back failed too "
                f"({_reason('instance_list', failure)}). Check with "
                f"{_HOW_TO_CHECK.get(operation, 'instance_list()')} before calling it again",
                operation=operation,
            ) from failure
        if observed.applied:
            return observed.result
        seen = observed.seen
    raise NotAppliedError(
        f"{operation}: {_reason(operation, lost)}; reading back shows it did not happen "
        f"({seen}). Nothing changed; it is safe to call it again",
        operation=operation,
        cause=lost,
    ) from lost


# Read-backs: each looks once at what its write changes.


def _instance(request: dict[str, Any]) -> Plan[Instance | None]:
    instances: list[Instance] = yield Call("instance_list")
    wanted = str(request.get("instance_id"))
    return next((i for i in instances if i.instance_id == wanted), None)


def _in_state(*states: str) -> _ReadBack:
    def read_back(request: dict[str, Any], form: FormArg) -> Plan[_Look]:
        instance = yield from _instance(request)
        if instance is None:
            return _Look(False, seen=f"instance {request.get('instance_id')} is gone")
        seen = f"instance {instance.instance_id} is {instance.state}"
        return _Look(instance.state in states, instance, seen)

    return read_back


def _terminated(request: dict[str, Any], form: FormArg) -> Plan[_Look]:
    instance = yield from _instance(request)
    if instance is None:  # gone from the list: terminated; answer as the service would
        if isinstance(form, Instance):
            return _Look(True, dataclasses.replace(form, state="TERMINATING"))
        return _Look(True, _gone_instance(request))
    seen = f"instance {instance.instance_id} is {instance.state}"
    return _Look(instance.state == "TERMINATING", instance, seen)


def _gone_instance(request: dict[str, Any]) -> Instance:
    return Instance(
        instance_id=str(request.get("instance_id", "")),
        machine_resource_id=str(request.get("machine_resource_id", "")),
        connection_id=str(request.get("connection_id", "")),
        tag=str(request.get("tag", "")),
        state="TERMINATING",
    )


def _tagged(request: dict[str, Any], form: FormArg) -> Plan[_Look]:
    instance = yield from _instance(request)
    if instance is None:
        return _Look(False, seen=f"instance {request.get('instance_id')} is gone")
    seen = f"instance {instance.instance_id} is tagged {instance.tag!r}"
    return _Look(instance.tag == str(request.get("tag", "")), instance, seen)


def _snapshot_tagged(request: dict[str, Any], form: FormArg) -> Plan[_Look]:
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
                return _Look(snapshot.tag == str(request.get("tag", "")), None, seen)
    return _Look(False, seen=f"snapshot {wanted} is gone")


def _port_is(open_: bool) -> _ReadBack:
    def read_back(request: dict[str, Any], form: FormArg) -> Plan[_Look]:
        where: dict[str, Any] = {
            k: request[k] for k in ("instance_id", "connection_id") if k in request
        }
        ports: list[Port] = yield Call("port_list", None, where)
        port = int(request.get("port", 0))
        is_open = any(p.port == port for p in ports)
        seen = f"port {port} is {'open' if is_open else 'closed'}"
        return _Look(is_open == open_, ports, seen)

    return read_back


def _key_registered(request: dict[str, Any], form: FormArg) -> Plan[_Look]:
    keys: list[SshKey] = yield Call("ssh_key_list")
    name, public_key = request.get("name"), str(request.get("public_key", "")).strip()
    matching = [
        k
        for k in keys
        if k.name == name and (k.public_key is None or k.public_key.strip() == public_key)
    ]
    return _Look(bool(matching), matching[-1] if matching else None, f"no key is named {name!r}")


def _key_deleted(request: dict[str, Any], form: FormArg) -> Plan[_Look]:
    keys: list[SshKey] = yield Call("ssh_key_list")
    key_id = str(request.get("id"))
    return _Look(all(k.id != key_id for k in keys), None, f"key {key_id} is still registered")


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

_INSTANCES = "instance_list()"
_HOW_TO_CHECK: dict[str, str] = {
    "create_image": "registered_image_list()",
    "import_image": "registered_image_list()",
    "delete_image": "registered_image_list()",
    "snapshot_instance": "snapshot_list(instance_id=...)",
    "delete_snapshot": "snapshot_list(instance_id=...)",
    "restore_from_snapshot": "instance_list() and snapshot_list(instance_id=...)",
    "emergency_restart_instance": _INSTANCES,
    "renew_ipv4": "network_description(instance_id=...)",
    "refresh_ipv4": "network_description(instance_id=...)",
    "create_volume": "subscription_storage_list()",
    "attach_volume": "subscription_storage_list()",
    "detach_volume": "subscription_storage_list()",
    "delete_volume": "subscription_storage_list()",
    "transfer_volume": "subscription_storage_list()",
    "subscribe_instance": "subscribed_list()",
    "unsubscribe_instance": "subscribed_list()",
    "subscribe_storage": "subscribed_list()",
    "unsubscribe_storage": "subscribed_list()",
    "subscribe_network": "subscribed_list()",
    "unsubscribe_network": "subscribed_list()",
    "live_migration": "instance_list() and peak_transaction(transaction_id=...)",
    "cancel_transaction": "peak_transaction(transaction_id=...)",
    "launch_ondemand_instance": _INSTANCES,
    "launch_subcription_instance": _INSTANCES,
}
