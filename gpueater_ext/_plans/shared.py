"""The helpers plans share, in one place: an endpoint's call, a plan's keyword fields, and
what the SSH plans (`ssh`, `ssh_reach`) all do with their arguments: merge the form and
the keywords, check the action, paths and flags, find the instance's SshTarget, and run
the SSH layer's function as a `Blocking` effect (`on_instance`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, ParamSpec, TypeVar

from gpueater_ext._errors import InvalidArgumentError, SSHError
from gpueater_ext._forms import FormArg, merge_form
from gpueater_ext._instance_arg import InstanceArg, find_instance
from gpueater_ext._models import Instance
from gpueater_ext._operations import OPERATIONS, Kind
from gpueater_ext._plans.effects import Call, Plan, blocking

if TYPE_CHECKING:  # the SSH layer loads on the first SSH call, not with the client
    from gpueater_ext._ssh import SshTarget

__all__ = [
    "PathArg",
    "call",
    "flag",
    "given",
    "given_fields",
    "on_instance",
    "required_path",
    "ssh_target",
    "ssh_values",
    "transfer_action",
]

P = ParamSpec("P")
R = TypeVar("R")
PathArg = str | os.PathLike[str]


def call(operation: str, form: FormArg | str | int = None, /, **fields: Any) -> Plan[Any]:
    """The plan of an endpoint-backed method: one call, its validated result. A write whose
    answer is lost is reconciled by reading the state back (see `_plans.reconcile`)."""
    from gpueater_ext._instance_arg import resolved_form

    form = resolved_form(form, operation)
    if OPERATIONS[operation].kind is Kind.WRITE:
        from gpueater_ext._plans.reconcile import reconciled_write  # it builds on this module

        return (yield from reconciled_write(operation, form, fields))
    result = yield Call(operation, form, fields)
    return result


def given(arguments: dict[str, Any]) -> dict[str, Any]:
    """The keyword fields a plan received (its `locals()` on entry), without the form."""
    return {k: v for k, v in arguments.items() if k != "form" and v is not None}


def given_fields(arguments: dict[str, Any]) -> dict[str, Any]:
    """A plan's keyword fields (its `locals()` on entry), without the form."""
    return {name: value for name, value in arguments.items() if name != "form"}


def ssh_values(form: InstanceArg | None, fields: dict[str, Any]) -> dict[str, Any]:
    """The form's values (none for an id or tag given as a string) updated by the keywords."""
    return merge_form(None if isinstance(form, str | int) else form, fields)


def ssh_target(form: InstanceArg | None, values: dict[str, Any], method: str) -> Plan[SshTarget]:
    """The SshTarget of the instance the arguments name (see the module docstring)."""
    from gpueater_ext._ssh import SshTarget

    instance = yield from _instance(form, values, method)
    if instance.state != "RUNNING":
        raise SSHError(
            f"instance {instance.instance_id} is {instance.state}: SSH needs it RUNNING "
            "(start it and wait for it)"
        )
    return SshTarget.for_instance(instance, key_file=values.get("key_file"))


def _instance(form: InstanceArg | None, values: dict[str, Any], method: str) -> Plan[Instance]:
    named = form if isinstance(form, str) else values.get("instance_id")
    if isinstance(form, Instance) and named == form.instance_id and _reachable(form):
        return form
    if named is None or named == "":
        raise InvalidArgumentError(
            f"{method} needs the instance: pass an Instance, its id or tag, "
            "or a form with instance_id"
        )
    found: Instance = yield from find_instance(named, method)
    return found


def _reachable(instance: Instance) -> bool:
    return instance.state == "RUNNING" and bool(instance.ipv4)


def transfer_action(values: dict[str, Any]) -> Literal["get", "put"]:
    action = values.get("action")
    if action == "get":
        return "get"
    if action == "put":
        return "put"
    raise InvalidArgumentError(
        f"action must be 'get' (from the instance) or 'put' (to it), not {action!r}"
    )


def required_path(values: dict[str, Any], name: str) -> PathArg:
    value = values.get(name)
    if (isinstance(value, str) and value) or isinstance(value, os.PathLike):
        return value
    raise InvalidArgumentError(f"{name} must be a non-empty path, not {value!r}")


def flag(values: dict[str, Any], name: str) -> bool:
    value = values.get(name, False)
    if not isinstance(value, bool):
        raise InvalidArgumentError(f"{name} must be True or False, not {value!r}")
    return value


def on_instance(function: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> Plan[R]:
    """Run one of the SSH layer's functions as a `Blocking` effect: typed like `blocking`,
    with the layer's rule that a local file-system failure (an OSError) is an SSHError."""
    from gpueater_ext._ssh import os_errors_as_ssh  # the layer loads on the first SSH call

    return (yield from blocking(os_errors_as_ssh(function), *args, **kwargs))
