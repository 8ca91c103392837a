"""What a method does, written once for both clients as a plan.

A plan is a generator that yields effects (`Call` an operation, `Sleep`, run something
`Blocking`) and returns the method's result. The sync client runs the effects with
blocking I/O, the async client awaits them, so multi-step methods (launch, then find the
instance by its tag; restart, i.e. stop, wait, start) exist once. An effect's failure (a
GPUEaterError) is thrown back into the plan, so a plan can catch and reconcile it (the
retry issue's launch reconciliation goes here). So is an interrupt that arrives during an
effect (KeyboardInterrupt; in the async client also the task's cancellation): a plan that
does not catch it ends at once as before, and one that must clean up (`run`'s teardown)
can.

To add a method to both clients: write a plan here (or in `_plans_compute` /
`_plans_account`), declare `name = Method(plan)` in `_methods.Methods` (with `instance=`
if it takes an instance) and run `python scripts/generate_client_methods.py`, which writes
the clients' real `def`s (`_client_methods`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Generator
from typing import Any, Literal, TypeVar

from gpueater_ext._forms import FormArg
from gpueater_ext._models import Instance
from gpueater_ext._operations import OPERATIONS, Kind

__all__ = [
    "Blocking",
    "Call",
    "Effect",
    "IfTagExists",
    "Now",
    "Plan",
    "ReconcileBudget",
    "Sleep",
    "call",
    "launch_instance",
    "launch_ondemand_instance",
    "launch_subscription_instance",
    "new_tag",
]

T = TypeVar("T")
# What a launch does when an instance already carries its tag (see `_plans_launch`).
IfTagExists = Literal["launch", "return"]


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


@dataclasses.dataclass(frozen=True)
class ReconcileBudget:
    """Ask for the seconds a reconciliation may keep reading the state back (the client's
    `reconcile_timeout`, by default its read timeout); the plan receives the number."""


Effect = Call | Sleep | Blocking | Now | ReconcileBudget
Plan = Generator[Effect, Any, T]

_ADJECTIVES = (
    "amber", "brave", "calm", "clever", "eager", "fuzzy", "gentle", "happy", "jolly", "keen",
    "lucky", "mellow", "nimble", "proud", "quick", "quiet", "shiny", "swift", "tidy", "witty",
)  # fmt: skip


def new_tag() -> str:
    """A unique, readable instance tag: `gpueater-<adjective>-<8 hex digits>`."""
    import secrets  # only launches need it; keeps `import gpueater_ext` quick

    return f"gpueater-{secrets.choice(_ADJECTIVES)}-{secrets.token_hex(4)}"


def call(operation: str, form: FormArg | str | int = None, /, **fields: Any) -> Plan[Any]:
    """The plan of an endpoint-backed method: one call, its validated result. A write whose
    answer is lost is reconciled by reading the state back (see `_reconcile`)."""
    from gpueater_ext._instance_arg import resolved_form  # it builds on this module

    form = resolved_form(form, operation)
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
    if_tag_exists: IfTagExists = "launch",
) -> Plan[Instance]:
    """Launch an on-demand instance and return it as `instance_list` shows it.

    Needs product_id, image (an image's alias) and ssh_key_id. Without a tag a unique,
    readable one is generated (`gpueater-<adjective>-<hex>`); a tag of the caller's is 1 to
    40 letters, digits, `.`, `_` or `-` (the rule: `gpueater_ext._tags`), else
    InvalidArgumentError before anything is sent. The service answers a launch
    with `data: null`; how each call still finds its own instance, even among concurrent
    launches with the same tag, is in `_plans_launch`. `if_tag_exists="return"` makes the
    launch idempotent by tag: an instance that already carries the tag is returned (waited
    for while LAUNCHING) instead of launching another; retrying with it after an
    OutcomeUnknownError never makes a second instance. It guards retries one after the
    other, not two callers racing with the same new tag.
    """
    fields = {"product_id": product_id, "image": image, "ssh_key_id": ssh_key_id, "tag": tag}
    return launch_instance("launch_ondemand_instance", form, fields, if_tag_exists)


def launch_subscription_instance(
    form: FormArg = None,
    /,
    *,
    subscription_id: str | int | None = None,
    image: str | None = None,
    ssh_key_id: str | int | None = None,
    tag: str | None = None,
    product_id: str | int | None = None,
    if_tag_exists: IfTagExists = "launch",
) -> Plan[Instance]:
    """Launch an instance on a subscription and return it as `instance_list` shows it.

    Needs subscription_id, image and ssh_key_id; the tag and `if_tag_exists` work as for
    on-demand launches. The seed spelled this `launch_subcription_instance`; both names
    are the same method.
    """
    fields = {
        "subscription_id": subscription_id,
        "image": image,
        "ssh_key_id": ssh_key_id,
        "tag": tag,
        "product_id": product_id,
    }
    return launch_instance("launch_subcription_instance", form, fields, if_tag_exists)


def launch_instance(
    operation: str, form: FormArg, fields: dict[str, Any], if_tag_exists: IfTagExists = "launch"
) -> Plan[Instance]:
    """Launch and return the launched instance (see `_plans_launch`)."""
    from gpueater_ext._plans_launch import launch_instance as launch  # builds on this module

    return (yield from launch(operation, form, fields, if_tag_exists))
