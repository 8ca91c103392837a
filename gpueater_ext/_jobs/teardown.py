"""A run's teardown: what happens to its instance at the end, whatever happened before.

`down` terminates, `stop` stops, `keep` leaves it running. Rules:
- A launch that was interrupted (or whose outcome was lost) leaves no instance id; the
  teardown then looks for instances carrying the run's tag or a launch tag made for it,
  and applies itself to those.
- A named instance may be shared by runs at once (`_jobs.instance`). The teardown of a named
  run takes the name's lock and looks for running jobs of other runs on the instance; while
  one runs, the instance is left to that run, whose own teardown comes later (the result's
  `teardown_left_to` names the job). Two runs' teardowns never terminate each other's
  job; if the look fails (SSH unreachable), the teardown is applied, since an unreachable
  instance is only a bill.
- A terminate (or stop) that fails is read back: an instance that is gone or TERMINATING
  (STOPPED or STOPPING) was torn down anyway, by this call or another run's.
- When the teardown cannot be done, `LeftRunning` says what is left and the exact command
  (and Python call) that ends it. A Ctrl-C during the teardown tries it once more; a
  second one gives up, saying what is left.
"""

from __future__ import annotations

import contextlib
import dataclasses

from gpueater_ext._errors import GPUEaterError, NextStep
from gpueater_ext._jobs.instance import hold_name_lock, instances_of_tag
from gpueater_ext._jobs.stages import RunProgress, Say
from gpueater_ext._jobs.task import Task, Teardown
from gpueater_ext._models import Instance
from gpueater_ext._plans import Call, Plan, blocking, terminate_instance

__all__ = ["LeftRunning", "TeardownOutcome", "left_running", "tear_down", "teardown_stage"]

_DONE = {"down": "terminated", "stop": "stopped"}
_ALREADY = {"down": ("TERMINATING",), "stop": ("STOPPED", "STOPPING")}


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


@dataclasses.dataclass(frozen=True)
class TeardownOutcome:
    """`done`: applied; `error`: why not; `left`: what is left and how to end it;
    `left_to`: the other run's job the instance was left to."""

    done: bool
    error: str | None = None
    left: LeftRunning | None = None
    left_to: str | None = None


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


def teardown_stage(
    task: Task, progress: RunProgress, say: Say, interrupts: tuple[type[BaseException], ...]
) -> Plan[TeardownOutcome]:
    """Apply the task's teardown to what the run reached (see the module docstring)."""
    if progress.instance is None and not progress.may_have_launched:
        return TeardownOutcome(done=task.teardown == "keep")
    if task.teardown == "keep":
        if progress.instance is not None:
            end = left_running("down", progress.instance, progress.tag)
            say("teardown", f"teardown (keep): {progress.tag} keeps running; {end}")
        return TeardownOutcome(done=True)
    for attempt in (1, 2):
        try:
            outcome: TeardownOutcome = yield from _attempt(task, progress, say)
            return outcome
        except interrupts:
            progress.interrupts += 1
            if attempt == 1:
                say("teardown", "interrupted during the teardown: trying it once more")
        except GPUEaterError as error:
            left = left_running(task.teardown, progress.instance, progress.tag)
            say("teardown", f"the teardown failed: {error}; {left}")
            return TeardownOutcome(False, str(error), left)
    left = left_running(task.teardown, progress.instance, progress.tag)
    say("teardown", f"teardown abandoned; {left}")
    return TeardownOutcome(False, "interrupted during the teardown", left)


def _attempt(task: Task, progress: RunProgress, say: Say) -> Plan[TeardownOutcome]:
    lock: contextlib.ExitStack | None = None
    try:
        if task.name is not None:
            lock = yield from blocking(hold_name_lock, progress.tag)
            others = yield from _other_jobs(progress, say)
            if others:
                say(
                    "teardown",
                    f"teardown ({task.teardown}) left to the run of job {others[0]}, which "
                    f"still runs on {progress.tag}",
                )
                return TeardownOutcome(done=False, left_to=others[0])
        verb = "terminating" if task.teardown == "down" else "stopping"
        say("teardown", f"teardown ({task.teardown}): {verb} {progress.tag}")
        done = yield from tear_down(
            task.teardown,
            progress.instance,
            progress.tag,
            may_have_launched=progress.may_have_launched,
        )
    finally:
        if lock is not None:
            lock.close()
    if done is None:
        left = left_running(task.teardown, None, progress.tag)
        say("teardown", f"no instance tagged {progress.tag} was found to tear down; {left}")
        return TeardownOutcome(False, "the interrupted launch's instance was not found", left)
    say("teardown", done)
    return TeardownOutcome(done=True)


def _other_jobs(progress: RunProgress, say: Say) -> Plan[list[str]]:
    from gpueater_ext._jobs.job import other_running_jobs

    if progress.target is None:
        return []
    try:
        others: list[str] = yield from blocking(
            other_running_jobs, progress.target, set(progress.own_jobs)
        )
    except GPUEaterError as error:
        say("teardown", f"could not look for other runs' jobs ({error}); tearing down anyway")
        return []
    return others


def tear_down(
    teardown: Teardown, instance: Instance | None, tag: str, *, may_have_launched: bool
) -> Plan[str | None]:
    """Apply `down` or `stop`; returns what was done, as a phrase ("terminated gpueater-x
    (12)"). `instance` None with `may_have_launched`: the instances carrying the tag are
    found first; None when there is none (a launch interrupted in flight may still make
    one). Raises GPUEaterError when the teardown fails."""
    targets = [instance] if instance is not None else []
    if instance is None and may_have_launched:
        instances: list[Instance] = yield Call("instance_list")
        targets = instances_of_tag(instances, tag)
        if not targets:
            return None
    done = []
    for target in targets:
        try:
            if teardown == "down":
                yield from terminate_instance(target)
            else:
                yield Call("stop_instance", target)
        except GPUEaterError:
            if not (yield from _torn_down_anyway(teardown, target)):
                raise
        done.append(f"{target.tag} ({target.instance_id})")
    return f"{_DONE[teardown]} {', '.join(done)}" if done else "nothing to tear down"


def _torn_down_anyway(teardown: Teardown, instance: Instance) -> Plan[bool]:
    """After a failed terminate or stop: whether the instance is in that state anyway."""
    try:
        instances: list[Instance] = yield Call("instance_list")
    except GPUEaterError:
        return False
    now = next((i for i in instances if i.instance_id == instance.instance_id), None)
    if now is None:
        return teardown == "down"
    return now.state in _ALREADY[teardown]
