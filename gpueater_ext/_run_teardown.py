"""A run's teardown: what happens to its instance at the end, whatever happened before.

`down` terminates, `stop` stops, `keep` leaves it running. A launch that was interrupted
(or whose outcome was lost) leaves no instance id; the teardown then looks for instances
carrying the run's tag or a launch tag made for it, and applies itself to those. When the
teardown cannot be done, `LeftRunning` says what is left and the exact command that ends it.
"""

from __future__ import annotations

import dataclasses

from gpueater_ext._errors import NextStep
from gpueater_ext._models import Instance
from gpueater_ext._plans import Call, Plan
from gpueater_ext._plans_compute import terminate_instance
from gpueater_ext._run_instance import instances_of_tag
from gpueater_ext._task import Teardown

__all__ = ["LeftRunning", "left_running", "tear_down"]

_DONE = {"down": "terminated", "stop": "stopped", "keep": "kept running"}


@dataclasses.dataclass(frozen=True)
class LeftRunning:
    """What a failed (or impossible) teardown left behind, and how to end it."""

    what: str
    command: str
    sdk_call: str

    def __str__(self) -> str:
        return f"{self.what}; end it with: {self.command} (Python: {self.sdk_call})"

    def next_step(self) -> NextStep:
        """The same, as an error's next step (the CLI shows the command, Python the call)."""
        return NextStep(f"{self.what}; end it with {{how}}", self.sdk_call, self.command)


def left_running(teardown: Teardown, instance: Instance | None, tag: str) -> LeftRunning:
    """The instance still billed after a failed `teardown`, or the tag to look for when its
    id is unknown (an interrupted launch)."""
    verb = "stop" if teardown == "stop" else "terminate"
    if instance is None:
        return LeftRunning(
            f"an instance tagged {tag} (or {tag}-launch-<hex>) may exist and be billed",
            f"gpueater instances --tag {tag}, then gpueater {verb} ID",
            f"[i for i in eater.instance_list() if i.tag.startswith({tag!r})]",
        )
    return LeftRunning(
        f"instance {instance.tag} ({instance.instance_id}) is left running and billed",
        f"gpueater {verb} {instance.instance_id}",
        f"eater.{verb}_instance({instance.instance_id!r})",
    )


def tear_down(
    teardown: Teardown, instance: Instance | None, tag: str, *, may_have_launched: bool
) -> Plan[str | None]:
    """Apply the teardown; returns what was done, as a phrase ("terminated gpueater-x (12)").

    `instance` None with `may_have_launched`: the instances carrying the tag are found first;
    None when there is none (a launch interrupted in flight may still make one). Raises
    GPUEaterError when the teardown fails.
    """
    if teardown == "keep":
        return "kept" + (f" {instance.tag} ({instance.instance_id}) running" if instance else "")
    targets = [instance] if instance is not None else []
    if instance is None and may_have_launched:
        instances: list[Instance] = yield Call("instance_list")
        targets = instances_of_tag(instances, tag)
        if not targets:
            return None
    done = []
    for target in targets:
        if teardown == "down":
            yield from terminate_instance(target)
        else:
            yield Call("stop_instance", target)
        done.append(f"{target.tag} ({target.instance_id})")
    return f"{_DONE[teardown]} {', '.join(done)}" if done else "nothing to tear down"
