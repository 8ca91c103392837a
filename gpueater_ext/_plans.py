"""What a method does, written once for both clients as a plan.

A plan is a generator that yields effects (`Call` an operation, `Sleep`, run something
`Blocking`) and returns the method's result. The sync client runs the effects with
blocking I/O, the async client awaits them, so multi-step methods (launch, then find the
instance by its tag; restart, i.e. stop, wait, start) exist once. An effect's failure (a
GPUEaterError) is thrown back into the plan, so a plan can catch and reconcile it (the
retry issue's launch reconciliation goes here).

To add a method to both clients: write a plan here (or in `_plans_compute` /
`_plans_account`) and declare `name = Method(plan)` in `_methods.Methods`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Generator
from typing import Any, TypeVar

from gpueater_ext._errors import GPUEaterError
from gpueater_ext._forms import FormArg, merge_form
from gpueater_ext._models import Instance
from gpueater_ext._operations import OPERATIONS, Kind

__all__ = [
    "Blocking",
    "Call",
    "Effect",
    "Now",
    "Plan",
    "Sleep",
    "call",
    "launch_instance",
    "launch_ondemand_instance",
    "launch_subscription_instance",
    "new_tag",
]

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Call:
    """Run one operation of the table with these arguments (see `_forms`)."""

    operation: str
    form: FormArg = None
    fields: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Sleep:
    """Wait this many seconds (the client's injectable sleep does it)."""

    seconds: float


@dataclasses.dataclass(frozen=True)
class Blocking:
    """Run a blocking function (a subprocess, a socket probe): inline in the sync client, in
    a worker thread (`asyncio.to_thread`) in the async one. This is how the SSH extras and
    waiters are written once for both clients."""

    function: Callable[..., Any]
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Now:
    """Read the client's monotonic clock (injectable, so waiters' deadlines can be tested
    with a fake one); the plan receives the reading in seconds."""


Effect = Call | Sleep | Blocking | Now
Plan = Generator[Effect, Any, T]

_ADJECTIVES = (
    "amber", "brave", "calm", "clever", "eager", "fuzzy", "gentle", "happy", "jolly", "keen",
    "lucky", "mellow", "nimble", "proud", "quick", "quiet", "shiny", "swift", "tidy", "witty",
)  # fmt: skip


def new_tag() -> str:
    """A unique, readable instance tag: `gpueater-<adjective>-<8 hex digits>`."""
    import secrets  # only launches need it; keeps `import gpueater_ext` quick

    return f"gpueater-{secrets.choice(_ADJECTIVES)}-{secrets.token_hex(4)}"


def call(operation: str, form: FormArg = None, /, **fields: Any) -> Plan[Any]:
    """The plan of an endpoint-backed method: one call, its validated result. A write whose
    answer is lost is reconciled by reading the state back (see `_reconcile`)."""
    if OPERATIONS[operation].kind is Kind.WRITE:
        from gpueater_ext._reconcile import reconciled_write  # it builds on this module

        return (yield from reconciled_write(operation, form, fields))
    result = yield Call(operation, form, fields)
    return result


def launch_ondemand_instance(
    form: FormArg = None,
    /,
    *,
    product_id: str | int | None = None,
    image: str | None = None,
    ssh_key_id: str | int | None = None,
    tag: str | None = None,
) -> Plan[Instance]:
    """Launch an on-demand instance and return it as `instance_list` shows it.

    Needs product_id, image (an image's alias) and ssh_key_id. Without a tag a unique,
    readable one is generated (`gpueater-<adjective>-<hex>`): the service answers a launch
    with `data: null`, so the tag is how the launched instance is found.
    """
    fields = {"product_id": product_id, "image": image, "ssh_key_id": ssh_key_id, "tag": tag}
    return launch_instance("launch_ondemand_instance", form, fields)


def launch_subscription_instance(
    form: FormArg = None,
    /,
    *,
    subscription_id: str | int | None = None,
    image: str | None = None,
    ssh_key_id: str | int | None = None,
    tag: str | None = None,
    product_id: str | int | None = None,
) -> Plan[Instance]:
    """Launch an instance on a subscription and return it as `instance_list` shows it.

    Needs subscription_id, image and ssh_key_id; the tag works as for on-demand launches.
    The seed spelled this `launch_subcription_instance`; both names are the same method.
    """
    fields = {
        "subscription_id": subscription_id,
        "image": image,
        "ssh_key_id": ssh_key_id,
        "tag": tag,
        "product_id": product_id,
    }
    return launch_instance("launch_subcription_instance", form, fields)


def launch_instance(operation: str, form: FormArg, fields: dict[str, Any]) -> Plan[Instance]:
    """Launch, then return the launched instance, found in `instance_list` by its tag.

    When the caller's own tag is already in use, the instance that was not there before the
    launch is the answer.
    """
    fields = {name: value for name, value in fields.items() if value is not None}
    requested = merge_form(form, fields)
    tag = requested.get("tag") or new_tag()
    existing: set[str] = set()
    if "tag" in requested:
        before: list[Instance] = yield Call("instance_list")
        existing = {instance.instance_id for instance in before if instance.tag == tag}
    # _reconcile builds on this module, hence the late import.
    from gpueater_ext._reconcile import find_accepted_launch, find_lost_launch

    try:
        yield Call(operation, form, {**fields, "tag": tag})
    except GPUEaterError as error:  # never resent: the tag tells whether it launched
        return (yield from find_lost_launch(operation, tag, existing, error))
    return (yield from find_accepted_launch(operation, tag, existing))
