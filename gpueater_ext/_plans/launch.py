"""Launching, so that every launch knows its own instance, and launching idempotently by tag.

The service answers a launch with `data: null`: the instance has to be found in
`instance_list`. A tag the caller chose may be shared (two processes launching `train`
at once, or an instance already tagged so), and the list cannot tell two such instances
apart. So a launch never sends the caller's tag: it sends a launch tag no other call uses,
`<tag>-launch-<12 hex digits>` (48 random bits), finds the instance carrying exactly that
tag, and renames it to the caller's tag (`change_instance_tag`, reconciled like any
write) before returning it: the caller sees their own tag. Without a tag of the caller's,
the generated one (`gpueater-<adjective>-<hex>`) is already unique and is sent as it is.
The caller's tag is checked against the tag rule (`_tags`) before anything is sent.

Why this shape: the instance id is the only other identity, and the launch does not
return it. The launch tag keeps the caller's tag at its front, so `instance_list` and the
web console show whose launch it is while it is being renamed, and an idempotent launch
(`if_tag_exists="return"`) recognises an earlier launch of the same tag whose answer was
lost (an OutcomeUnknownError names its launch tag) and adopts it instead of launching a
second instance.

Outcomes: every instance a launch makes is returned by that call, or named (by its launch
tag, `OutcomeUnknownError.tag`) in the OutcomeUnknownError it raises; no two calls return
the same instance.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, Literal

from gpueater_ext._errors import (
    AmbiguousTagError,
    APIError,
    GPUEaterError,
    InvalidArgumentError,
    OutcomeUnknownError,
)
from gpueater_ext._forms import FormArg, merge_form
from gpueater_ext._models import Instance, from_service
from gpueater_ext._next_steps import instances_tagged, rename_step
from gpueater_ext._plans.effects import Call, Plan, ReadBack
from gpueater_ext._plans.reconcile import (
    Look,
    is_ambiguous,
    look_until_deadline,
    not_acted_on,
    not_applied,
    reason,
    reconciled_write,
)
from gpueater_ext._plans.wait import wait_for_instance
from gpueater_ext._tags import LAUNCH_INFIX, LAUNCH_SUFFIX_HEX_DIGITS, check_tag

__all__ = [
    "IfTagExists",
    "is_launch_tag_of",
    "launch_instance",
    "launch_ondemand_instance",
    "launch_subscription_instance",
    "launch_tag",
    "new_tag",
]

# What a launch does when an instance already carries its tag (see the module docstring).
IfTagExists = Literal["launch", "return"]

_ADOPT_TIMEOUT = 600.0  # how long an idempotent launch waits for a LAUNCHING instance


_ADJECTIVES = (
    "amber", "brave", "calm", "clever", "eager", "fuzzy", "gentle", "happy", "jolly", "keen",
    "lucky", "mellow", "nimble", "proud", "quick", "quiet", "shiny", "swift", "tidy", "witty",
)  # fmt: skip


def new_tag() -> str:
    """A unique, readable instance tag: `gpueater-<adjective>-<8 hex digits>`."""
    import secrets  # only launches need it; keeps `import gpueater_ext` quick

    return f"gpueater-{secrets.choice(_ADJECTIVES)}-{secrets.token_hex(4)}"


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
    launches with the same tag, is in the module docstring. `if_tag_exists="return"` makes the
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


def launch_tag(tag: str) -> str:
    """The tag a launch for the caller's `tag` is sent with: unique to this call."""
    import secrets  # only launches need it; keeps `import gpueater_ext` quick

    return f"{tag}{LAUNCH_INFIX}{secrets.token_hex(LAUNCH_SUFFIX_HEX_DIGITS // 2)}"


def is_launch_tag_of(candidate: str | None, tag: str) -> bool:
    """Whether `candidate` is a launch tag made for `tag` (an instance not yet renamed)."""
    pattern = re.escape(tag) + re.escape(LAUNCH_INFIX) + f"[0-9a-f]{{{LAUNCH_SUFFIX_HEX_DIGITS}}}"
    return candidate is not None and re.fullmatch(pattern, candidate) is not None


def launch_instance(
    operation: str,
    form: FormArg,
    fields: dict[str, Any],
    if_tag_exists: IfTagExists = "launch",
) -> Plan[Instance]:
    """Launch, and return the launched instance as `instance_list` shows it, with the
    caller's tag. `if_tag_exists="return"`: when an instance already carries the tag (or
    an earlier launch for it is still being renamed), return that one, waiting while it is
    LAUNCHING, instead of launching another."""
    if if_tag_exists not in ("launch", "return"):
        raise InvalidArgumentError(f"if_tag_exists: {if_tag_exists!r} is not 'launch' or 'return'")
    fields = {name: value for name, value in fields.items() if value is not None}
    tag = merge_form(form, fields).get("tag") or None
    if tag is not None:  # before anything is sent (the rule: `_tags`)
        check_tag(tag, f"{operation}: tag")
    if if_tag_exists == "return":
        if tag is None:
            raise InvalidArgumentError("if_tag_exists='return' needs the tag to look for")
        existing = yield from _existing(operation, str(tag))
        if existing is not None:
            return existing
    sent = launch_tag(str(tag)) if tag else new_tag()
    try:
        yield Call(operation, form, {**fields, "tag": sent})
        lost = "the service accepted the launch"
    except GPUEaterError as error:  # never resent: the launch tag tells whether it launched
        if not_acted_on(error):
            raise not_applied(operation, error) from error
        if not is_ambiguous(error):
            raise
        lost = reason(operation, error)
    found: Instance = yield from _find(operation, sent, lost, str(tag) if tag else None)
    if tag is None:
        return found
    return (yield from _rename(operation, found, str(tag)))


def _find(operation: str, sent: str, lost: str, tag: str | None) -> Plan[Instance]:
    """The instance carrying the launch tag `sent`, looked for until the deadline."""

    def look() -> Plan[Look]:
        mine: list[Instance] = yield ReadBack("tag", sent)
        if len(mine) > 1:  # 48 random bits make this a service bug, not a collision
            raise OutcomeUnknownError(
                f"{operation}: instance_list shows {len(mine)} instances tagged {sent!r}",
                operation=operation,
                next_step=instances_tagged(sent),
                tag=sent,
            )
        return Look(bool(mine), mine[0] if mine else None, f"no instance is tagged {sent!r}")

    adopt = ""
    if tag is not None:
        adopt = f" (a launch with tag={tag!r}, if_tag_exists='return' adopts it)"
    found: Instance = yield from look_until_deadline(
        operation,
        look,
        lost=lost,
        what=f"the instance tagged {sent}",
        step=instances_tagged(
            sent,
            "if it launched, its instance is tagged "
            f"{sent!r}{adopt}: check with {{how}} before launching again",
            listed_under=tag,
        ),
        tag=sent,
    )
    return found


def _rename(operation: str, instance: Instance, tag: str) -> Plan[Instance]:
    """Give the found instance the caller's tag; a failure says where the instance is."""
    where = f"instance {instance.instance_id} was launched (and is billed), tagged {instance.tag!r}"
    try:
        yield from reconciled_write(
            "change_instance_tag", None, {"instance_id": instance.instance_id, "tag": tag}
        )
    except OutcomeUnknownError as unknown:
        raise OutcomeUnknownError(
            f"{operation}: {where}; renaming it to {tag!r}: "
            f"{reason('change_instance_tag', unknown)}",
            operation=operation,
            next_step=unknown.next_step,
            tag=instance.tag,
        ) from unknown
    except GPUEaterError as error:
        failure = APIError(
            f"{operation}: {where}, but renaming it to {tag!r} failed "
            f"({reason('change_instance_tag', error)})",
            operation="change_instance_tag",
            payload=error.payload if isinstance(error, APIError) else None,
        )
        failure.next_step = rename_step(instance.instance_id, tag)
        raise failure from error
    renamed = dataclasses.replace(instance, tag=tag)
    if instance.service_url is not None:  # replace() drops it: the SSH alias needs it
        from_service(renamed, instance.service_url)
    return renamed


def _existing(operation: str, tag: str) -> Plan[Instance | None]:
    """For an idempotent launch: the live instance carrying `tag` (or a launch tag made for
    it, which is then renamed), RUNNING or waited for; None when there is none."""
    instances: list[Instance] = yield Call("instance_list")
    live = [
        i
        for i in instances
        if i.state != "TERMINATING" and (i.tag == tag or is_launch_tag_of(i.tag, tag))
    ]
    if not live:
        return None
    if len(live) > 1:
        ids = ", ".join(i.instance_id for i in live)
        raise AmbiguousTagError(
            f"{operation}: {len(live)} instances carry the tag {tag!r} ({ids}), so "
            "if_tag_exists='return' cannot tell which one is meant",
            instances=live,
            next_step=instances_tagged(tag, "choose one with {how}"),
        )
    found = live[0]
    if found.tag != tag:  # an earlier launch whose answer was lost: finish it
        found = yield from _rename(operation, found, tag)
    if found.state == "LAUNCHING":
        found = yield from wait_for_instance(found, "RUNNING", timeout=_ADOPT_TIMEOUT)
    return found
