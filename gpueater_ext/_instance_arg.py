"""One rule for "an instance argument", shared by every method that takes an instance.

A method's instance may be given as:
- an `Instance` (a model read from `instance_list`): used as it is;
- a string or int naming it: an exact instance id, else an exact tag, else a unique prefix
  of an id or a tag, looked up in `instance_list` (exact matches win, so an id that
  prefixes another id still names itself);
- a 1.5-style form dict: its `instance_id` (looked up as above), its other keys kept as
  the method's arguments (a form that already has every field the service needs is sent
  as it is, as 1.5 did, without a lookup).

An unknown or ambiguous name is a NotFoundError that lists the candidates: the SDK never
guesses. `Method` (`_methods`) applies the rule before the plan of every method the method
table marks as taking an instance "form"; the waiters (marked "model") apply it on their
first look at `instance_list`, so that look costs no extra call.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, TypeVar

from gpueater_ext._errors import InvalidArgumentError, NotFoundError
from gpueater_ext._forms import FormArg
from gpueater_ext._models import Instance
from gpueater_ext._plans import Call, Plan

__all__ = [
    "InstanceArg",
    "InstanceForm",
    "designated",
    "find_instance",
    "instance_argument",
    "instance_name",
    "pick_instance",
    "resolved_form",
]

InstanceArg = Instance | Mapping[str, Any] | str | int
# The first parameter of an endpoint method that takes an instance (None: keywords only).
InstanceForm = InstanceArg | None
_SHOWN = 10  # candidates listed in an error; more are counted, not shown
T = TypeVar("T")


def designated(
    items: Sequence[T], name: str, id_of: Callable[[T], str], label_of: Callable[[T], str | None]
) -> tuple[list[T], bool]:
    """What `name` designates among `items` by the one naming rule, which the command line
    uses for every kind of thing too (`cli/_names.py`): the items with that exact id, else
    with that exact label (a tag, a name), else those whose id or label it prefixes. The
    first of these that is not empty, and whether it is the prefix matches; more than one
    item is ambiguous, for the caller to refuse. An empty name designates nothing."""
    if not name:
        return [], False
    for matches in (
        [item for item in items if id_of(item) == name],
        [item for item in items if label_of(item) == name],
    ):
        if matches:
            return matches, False
    prefixed = [
        item
        for item in items
        if id_of(item).startswith(name) or (label_of(item) or "").startswith(name)
    ]
    return prefixed, True


def pick_instance(instances: list[Instance], name: str, method: str) -> Instance:
    """The instance `name` designates (see the module docstring), or NotFoundError."""
    matches, _ = designated(instances, name, lambda i: i.instance_id, lambda i: i.tag)
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise NotFoundError(
            f"{method}: {name!r} names {len(matches)} instances: {_listed(matches)}; pass the id"
        )
    known = f"the instances are {_listed(instances)}" if instances else "there are no instances"
    raise NotFoundError(
        f"{method}: no instance has the id, tag or prefix {name!r} in instance_list ({known})"
    )


def find_instance(name: object, method: str) -> Plan[Instance]:
    """Look the instance a name (or a form dict with instance_id) gives up in
    `instance_list` (one call)."""
    name = instance_name(name, method)
    instances: list[Instance] = yield Call("instance_list")
    return pick_instance(instances, str(name).strip(), method)


def instance_name(value: object, method: str) -> str | int:
    """The name an instance argument that is not an Instance gives: the string or int
    itself, or a form dict's instance_id."""
    name = value.get("instance_id") if isinstance(value, Mapping) else value
    if isinstance(name, bool) or not isinstance(name, str | int) or name == "":
        raise InvalidArgumentError(
            f"{method}: expected an Instance, an instance id or tag, or a form dict with "
            f"instance_id, got {_described(value)}"
        )
    return name


def instance_argument(
    value: object, method: str, needed: Collection[str] = ()
) -> Plan[Instance | Mapping[str, Any]]:
    """The method's instance argument as the plan should receive it: an Instance, or a form
    dict: sent as it is when it already holds every field in `needed`, else the instance's
    fields updated by the form's own."""
    if isinstance(value, Instance):
        return value
    if isinstance(value, Mapping):
        present = {key for key, item in value.items() if item is not None}
        if needed and set(needed) <= present:
            return value
        found: Instance = yield from find_instance(value, method)
        # The form's own keys (a port, a path) stay the method's arguments.
        return {**found.to_dict(), **{k: v for k, v in value.items() if v is not None}}
    found = yield from find_instance(instance_name(value, method), method)
    return found


def resolved_form(form: InstanceForm | FormArg, operation: str) -> FormArg:
    """The form a plan sends: `Method` has already turned a name into its Instance, so a
    name reaching this point means the method table does not mark the method."""
    if isinstance(form, str | int):
        raise InvalidArgumentError(
            f"{operation}: expected a form dict or a model, got {type(form).__name__}"
        )
    return form


def _described(value: object) -> str:
    if isinstance(value, Mapping):
        return "a form dict without instance_id"
    return type(value).__name__


def _listed(instances: list[Instance]) -> str:
    shown = ", ".join(f"{i.instance_id} ({i.tag or '-'})" for i in instances[:_SHOWN])
    more = len(instances) - _SHOWN
    return f"{shown} and {more} more" if more > 0 else shown
