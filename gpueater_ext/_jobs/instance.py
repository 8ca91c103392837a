"""The instance a run uses: reused by name, or launched; then waited for until SSH answers.

- A task with a `name` uses the live instance carrying that tag: RUNNING at once, STOPPED
  started, STOPPING waited for and started, LAUNCHING waited for. None: one is launched
  with the tag through the idempotent launch (`if_tag_exists="return"`, `_plans.launch`).
- Two runs with one name on this machine make one instance: the caller holds the name's
  lock (`hold_name_lock`: `_local_files.locked`, in the user's state folder) from the
  look-up through the launch, the sync and the setup, so the second run finds the first's
  instance, synced and set up (and skips the setup) instead of launching, or syncing and
  installing over it at the same time. The lock is the machine's, not the service's: two
  machines racing with one new name can still make two (the service has no
  create-if-absent), and the next run with that name then raises AmbiguousTagError naming
  both.
- Without a name the run's tag is generated (`new_tag`) and the instance is the run's own.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable
from pathlib import Path

from gpueater_ext._errors import AmbiguousTagError
from gpueater_ext._jobs.resources import LaunchChoice, choose_launch, run_key_file
from gpueater_ext._jobs.task import Task
from gpueater_ext._models import Instance
from gpueater_ext._next_steps import instances_tagged
from gpueater_ext._plans import Call, Plan, is_launch_tag_of, wait_for_instance, wait_for_ssh
from gpueater_ext._plans import launch_instance as launch
from gpueater_ext._tags import check_tag

__all__ = [
    "READY_TIMEOUT",
    "Acquired",
    "acquire_instance",
    "checked_tag",
    "hold_name_lock",
    "instances_of_tag",
    "key_file_for",
]

READY_TIMEOUT = 900.0  # seconds for a launch, start or boot to answer SSH

Say = Callable[[str, str], None]


@dataclasses.dataclass(frozen=True)
class Acquired:
    """The instance, as RUNNING with SSH answering; whether this run launched it; the
    private key to reach it with (None: the instance's own, `~/.ssh/<key name>.pem`)."""

    instance: Instance
    launched: bool
    key_file: Path | None


def checked_tag(tag: str) -> str:
    """`tag` if this run may launch with it: the one tag rule of `_tags`, which is also a
    safe remote folder name (`gpueater/<tag>`). For several nodes it is checked with the
    rank added (`<name>-<rank>`), so a name too long for that is refused before launching."""
    return check_tag(tag, "name")


def instances_of_tag(instances: list[Instance], tag: str) -> list[Instance]:
    """The live instances carrying `tag`, or a launch tag made for it (not yet renamed)."""
    return [
        i
        for i in instances
        if i.state != "TERMINATING" and (i.tag == tag or is_launch_tag_of(i.tag, tag))
    ]


def acquire_instance(
    task: Task,
    tag: str,
    say: Say,
    on_launch: Callable[[], None],
    on_found: Callable[[Instance, bool], None],
    on_price: Callable[[float | None], None] = lambda _price: None,
) -> Plan[Acquired]:
    """The instance of the run (see the module docstring; a named run holds the name's
    lock). `on_launch()` is called just before a launch is sent, and `on_found(instance,
    launched)` as soon as the instance is known, before waiting for it: the caller's
    teardown then applies to it whatever happens next. `on_price(usd_per_hour)` hears the
    price (None: a subscription) before the launch is sent, or once a reused one is found."""
    instances: list[Instance] = yield Call("instance_list")
    live = instances_of_tag(instances, tag)
    if len(live) > 1:
        ids = ", ".join(i.instance_id for i in live)
        raise AmbiguousTagError(
            f"name: {len(live)} instances carry the tag {tag!r} ({ids}); terminate all "
            "but one, or choose another name",
            instances=live,
            next_step=instances_tagged(tag, "see them with {how}"),
        )
    choice: LaunchChoice | None = None
    if live:
        found = live[0]
        on_found(found, False)
        on_price(found.price)
        say("instance", f"using instance {tag} ({found.instance_id}, {found.state})")
    else:
        choice = yield from choose_launch(task.resources)
        on_price(choice.price_per_hour)
        say("instance", f"launching {tag}: {choice.description}")
        on_launch()
        found = yield from launch(
            choice.operation,
            None,
            {**choice.fields, "tag": tag},
            "return" if task.name is not None else "launch",
        )
        on_found(found, True)
        say("instance", f"launched {tag} ({found.instance_id})")
    ready = yield from _ready(found, say)
    key_file = choice.key_file if choice is not None else key_file_for(ready, task)
    return Acquired(ready, choice is not None, key_file)


def key_file_for(instance: Instance, task: Task) -> Path | None:
    """For a reused instance: its own key file when it is there, else the user's run key
    (a run that launched it with the run key may have registered it under another name)."""
    if task.resources.ssh_key is not None:
        return None
    own = instance.ssh_key_path
    if own is not None and own.exists():
        return None
    return run_key_file()


def _ready(instance: Instance, say: Say) -> Plan[Instance]:
    """RUNNING with its sshd answering: STOPPING waited for, STOPPED started."""
    if instance.state == "STOPPING":
        say("instance", f"waiting for {instance.tag} to stop before starting it")
        instance = yield from wait_for_instance(instance, "STOPPED", timeout=READY_TIMEOUT)
    if instance.state == "STOPPED":
        say("instance", f"starting {instance.tag} ({instance.instance_id})")
        instance = yield Call("start_instance", instance)
    if instance.state != "RUNNING" or not instance.ipv4:
        say("instance", f"waiting for {instance.tag} to be RUNNING")
    ready: Instance = yield from wait_for_ssh(instance, timeout=READY_TIMEOUT)
    say("ssh", f"{ready.tag} answers SSH at {ready.ipv4} port {ready.sshd_port or 22}")
    return ready


def hold_name_lock(tag: str) -> contextlib.ExitStack:
    """Take the name's lock (waiting for a run that holds it); `.close()` releases it."""
    import platformdirs

    from gpueater_ext._local_files import locked

    stack = contextlib.ExitStack()
    stack.enter_context(locked(platformdirs.user_state_path("gpueater") / "runs" / tag))
    return stack
