"""How to reach an instance: a short command for people, the full ssh line for programs.

The full line (`Instance.ssh_command_line()`: every host-key option spelled out) is some
400-600 characters: it is given only as data (`-o json`'s `ssh` field). People get
`gpueater ssh NAME`, which runs the same login. NAME is the instance's tag when the tag is
a plain word (letters, digits, `.`, `_`, `-`) that names only this instance among the
account's instances, so it can be typed and means this one; otherwise (or when the list
could not be read) its id.

Only a RUNNING instance with an address gets an ssh command: a STOPPED (or STOPPING) one
gets the command that starts it, one on its way up or down says what it is waiting for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from gpueater_ext._errors import GPUEaterError

if TYPE_CHECKING:
    from gpueater_ext import GPUEater, Instance

__all__ = [
    "Among",
    "NameIndex",
    "how_to_reach",
    "instances_or_none",
    "short_name",
    "ssh_command",
    "ssh_line",
]

_PLAIN_WORD = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")


def ssh_line(instance: Instance) -> str | None:
    """The full login `gpueater ssh` would run, or None while it cannot (not RUNNING, or
    no address yet)."""
    if instance.state != "RUNNING":
        return None
    try:
        return instance.ssh_command_line()
    except GPUEaterError:
        return None


class NameIndex:
    """How many of the account's instances each word names (as a tag or an id), counted
    once: a listing asks it per instance in O(1), where scanning `among` for each
    instance made `gpueater instances` quadratic (2,000 instances: 4 million looks)."""

    def __init__(self, among: Sequence[Instance]) -> None:
        self._named: dict[str, int] = {}
        seen: set[str] = set()
        for other in among:
            if other.instance_id in seen:  # one instance, listed twice, is one
                continue
            seen.add(other.instance_id)
            for word in {other.tag, other.instance_id}:
                if word:
                    self._named[word] = self._named.get(word, 0) + 1

    def names_only(self, instance: Instance, word: str) -> bool:
        """Whether `word` names `instance` and no other instance."""
        mine = word in (instance.tag, instance.instance_id)
        return self._named.get(word, 0) == (1 if mine else 0)


Among = Sequence["Instance"] | NameIndex | None


def short_name(instance: Instance, among: Among) -> str:
    """What to type to name `instance`: its tag when that is a plain word naming only it
    among `among` (as an id or a tag), else its id (always when `among` is None: unknown).
    A listing passes a NameIndex built once; a sequence is indexed for this one call."""
    tag = instance.tag
    if among is None or not tag or not _PLAIN_WORD.fullmatch(tag):
        return instance.instance_id
    index = among if isinstance(among, NameIndex) else NameIndex([*among, instance])
    return tag if index.names_only(instance, tag) else instance.instance_id


def ssh_command(instance: Instance, among: Among) -> str | None:
    """`gpueater ssh NAME` for a reachable instance, else None."""
    if ssh_line(instance) is None:
        return None
    return f"gpueater ssh {short_name(instance, among)}"


def how_to_reach(instance: Instance, among: Among) -> str:
    """One line for people: the ssh command, or why there is none and what to do."""
    command = ssh_command(instance, among)
    if command is not None:
        return command
    name = short_name(instance, among)
    state = instance.state or "unknown"
    if state in ("STOPPED", "STOPPING"):
        return f"none while {state}; start it with: gpueater start {name} --wait"
    if state in ("TERMINATING", "TERMINATED"):
        return f"none: the instance is {state}"
    if state == "RUNNING":
        return f"none yet: no address; look again with: gpueater show {name}"
    return f"none while {state}; look again once RUNNING: gpueater show {name}"


def instances_or_none(client: GPUEater) -> list[Instance] | None:
    """The account's instances, to choose NAME among, or None when they cannot be read:
    what was asked for (a launch, a rename) is done, and a failed look must not make it
    read as failed; NAME is then the id."""
    try:
        return client.instance_list()
    except GPUEaterError:
        return None
