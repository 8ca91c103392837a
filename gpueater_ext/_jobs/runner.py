"""`run`: from a task to results on an instance, with a teardown that always happens.

`eater.run(task, *, stdout=None, stderr=None, on_event=None)` (and `await
async_eater.run(...)`) reads the task's secrets from the local environment, gets the
instance (`_jobs.instance`: reused by name or launched, the resources from
`_jobs.resources`), syncs the workdir, runs `setup` once per instance and then `run` under
the instance's job supervisor (`_jobs.job`), its bytes streamed to `stdout`/`stderr`
(default: this process's), fetches the outputs, and applies the teardown
(`_jobs.teardown`), in a try/finally that also covers failures and Ctrl-C.
`on_event(RunEvent)` hears each step as one line (`str(event)`), for progress displays
(in AsyncGPUEater the reconnect lines come from the stream's worker thread). The stages
are in `_jobs.stages`; where files go on the instance (`~/gpueater/<tag>`) and how setup is
remembered, in `_jobs.job`.

Why one plan of effects rather than one `Blocking` call around a blocking runner: the API
calls then go through each client's own session (awaited in AsyncGPUEater, no second
login, no second connection pool), and an interrupt during any effect (Ctrl-C's
KeyboardInterrupt; in the async client the task's cancellation too) is thrown into the
plan (see `_plans`), so the same `finally` tears down in both clients. A cancelled async
run still stops the remote job, which ends the stream that was in its worker thread.

What raises and what is returned:
- Before anything is launched (a secret not set, an unknown product or image, nothing in
  stock within max_price, a bad output path): the error (InvalidArgumentError,
  NotFoundError, ...) is raised at once; nothing needs tearing down.
- A tool failure after that (the launch, waiting for SSH, the sync, the supervisor): the
  teardown is applied, then the original GPUEaterError is raised, so its kind still says
  what failed; if the teardown failed too, RunTeardownError is raised instead (`.result`,
  its message says what is left running and the command that ends it, `__cause__` is the
  original).
- Once the job ran (setup or run exited with any status), a RunResult is returned, also
  when the outputs or the teardown failed: `exit_code` is the job's (setup's, if setup
  failed: `failed_stage="setup"`), `outputs_error`/`teardown_error` say what went wrong,
  `ok` is True only when all three are clean. Outputs are fetched after a failed job too.
- Ctrl-C (KeyboardInterrupt): the first stops the remote job, fetches the outputs and tears
  down, saying so through `on_event`; a second one skips the outputs and still tears
  down; one during the teardown makes it try once more, and another there gives up (the
  result says what is left running and how to end it). Then RunInterrupted (a
  KeyboardInterrupt, so scripts still stop; exit status 130) is raised with `.result`. An
  async run's cancellation does the same and re-raises CancelledError.
- A named instance that another run's job still uses is left to that run, whose teardown
  comes later (`teardown_left_to`; see `_jobs.teardown`): that is no failure.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gpueater_ext._errors import GPUEaterError, NextStep
from gpueater_ext._jobs.job import BinaryWriter
from gpueater_ext._jobs.task import Task, Teardown
from gpueater_ext._models import Instance
from gpueater_ext._plans import Now, Plan, blocking, new_tag

if TYPE_CHECKING:
    from gpueater_ext._jobs.cost import RunCost
    from gpueater_ext._jobs.stages import RunProgress
    from gpueater_ext._jobs.teardown import TeardownOutcome

__all__ = [
    "BinaryWriter",
    "OnEvent",
    "RunEvent",
    "RunInterrupted",
    "RunResult",
    "RunTeardownError",
    "run",
]


@dataclasses.dataclass(frozen=True)
class RunEvent:
    """One step of a run, for a progress display: `stage` is one of cost, instance, ssh, sync,
    setup, run, interrupt, outputs, teardown; `message` is the line to show (it
    quotes the service, so a terminal display escapes it). Never holds a secret."""

    stage: str
    message: str
    # The instance the run uses, once known (for a lease or a display; not compared).
    instance: Instance | None = dataclasses.field(default=None, compare=False)

    def __str__(self) -> str:
        return self.message


@dataclasses.dataclass(frozen=True, kw_only=True)
class RunResult:
    """How a run ended (see the module docstring for what raises instead).

    `exit_code` is the job's exit status (None when it never exited: interrupted, a
    stage before it failed, or `detached`: the job `job_id` was left running); `instance`
    the instance it used (None if none was found);
    `launched` whether this run launched it; `setup_skipped` whether setup was already
    done on the instance (None: no setup ran or was due); `outputs_dir` where the outputs
    came back (None without outputs); `duration` seconds from start to teardown's end;
    `teardown` the teardown asked for and `teardown_done` whether it was applied
    (`teardown_left_to`: not applied because the named instance still runs that job of
    another run, whose own teardown comes after it);
    `outputs_error`, `teardown_error` what went wrong in those stages; `left_running` the
    command that ends what the teardown left (None when nothing is left unintended);
    `job_id` and `detached` the job `detach=True` left running; `price_per_hour` the
    instance's (None: not known) and `cost` the run's duration at that price.
    """

    exit_code: int | None
    instance: Instance | None
    launched: bool
    duration: float
    teardown: Teardown
    teardown_done: bool
    teardown_left_to: str | None = None
    outputs_dir: Path | None = None
    setup_skipped: bool | None = None
    failed_stage: str | None = None
    interrupted: bool = False
    outputs_error: str | None = None
    teardown_error: str | None = None
    left_running: str | None = None
    # A multi-node run (`_jobs.nodes`): each node's own result in `nodes`, in rank order;
    # a node's result has its `rank` and `address` (the one the other nodes were given).
    rank: int | None = None
    address: str | None = None
    nodes: tuple[RunResult, ...] = ()
    job_id: str | None = None
    detached: bool = False
    price_per_hour: float | None = None

    @classmethod
    def of_stages(
        cls,
        task: Task,
        progress: RunProgress,
        teardown: TeardownOutcome,
        *,
        duration: float,
        outputs_dir: Path | None,
        outputs_error: str | None,
        **more: Any,
    ) -> RunResult:
        """The result of one instance's stages (a run's, or one node's of several): what its
        progress recorded and how its teardown went; `more` sets the other fields."""
        return cls(
            exit_code=progress.exit_code,
            instance=progress.instance,
            launched=progress.launched,
            duration=duration,
            teardown=task.teardown,
            teardown_done=teardown.done,
            teardown_left_to=teardown.left_to,
            outputs_dir=outputs_dir,
            setup_skipped=progress.setup_skipped,
            failed_stage=progress.failed_stage,
            interrupted=progress.interrupts > 0,
            outputs_error=outputs_error,
            teardown_error=teardown.error,
            left_running=str(teardown.left) if teardown.left is not None else None,
            price_per_hour=progress.price_per_hour,
            **more,
        )

    @property
    def cost(self) -> RunCost | None:
        """The run's duration at the instance's price per hour (None: price unknown, as for a
        subscription); an estimate from this machine's clock, see `_jobs.cost`. A detached
        run's is the time until it returned: `gpueater job list` shows the job's."""
        from gpueater_ext._jobs.cost import RunCost

        if self.price_per_hour is None:
            return None
        return RunCost(self.price_per_hour, self.duration)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for `-o json`): the instance as its own to_dict(), paths as text."""
        data = {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}
        data["instance"] = self.instance.to_dict() if self.instance is not None else None
        data["outputs_dir"] = str(self.outputs_dir) if self.outputs_dir is not None else None
        data["ok"] = self.ok
        data["nodes"] = [node.to_dict() for node in self.nodes]
        data["cost"] = self.cost.to_dict() if self.cost is not None else None
        return data

    @property
    def ok(self) -> bool:
        """The job exited 0, its outputs came back and the teardown was done (detached: the
        job started)."""
        if self.detached:
            return True
        return (
            self.exit_code == 0
            and not self.interrupted
            and self.outputs_error is None
            and self.teardown_error is None
        )


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C ended a run; the remote job was stopped and the teardown applied as `result`
    says (`result.left_running` when it could not be)."""

    def __init__(self, result: RunResult) -> None:
        super().__init__("interrupted")
        self.result = result


class RunTeardownError(GPUEaterError):
    """A stage of a run failed and then its teardown failed too: the message says both,
    and its `next_step` what is left running and the call (or, in the CLI, the command)
    that ends it; `result` is the RunResult."""

    def __init__(self, message: str, *, result: RunResult, next_step: NextStep) -> None:
        super().__init__(message)
        self.result = result
        self.next_step = next_step


OnEvent = Callable[[RunEvent], None]


def run(
    task: Task,
    *,
    stdout: BinaryWriter | None = None,
    stderr: BinaryWriter | None = None,
    on_event: OnEvent | None = None,
    detach: bool = False,
) -> Plan[RunResult]:
    """Run a task (a `Task`: what to run, on what, and what to bring back) on an instance:
    get one (reused by `task.name`, or launched), sync the workdir, run setup once per
    instance and then the job, streamed live to `stdout`/`stderr` (binary writers; default
    this process's), fetch the outputs and apply the teardown, which happens whatever
    fails, Ctrl-C included. `on_event(RunEvent)` hears each step. Returns a RunResult once
    the job ran; see `gpueater_ext._jobs.runner` for what raises instead.

    `detach=True` returns once the job has started (setup, when due, is followed first),
    leaving it running with no outputs fetched and no teardown; the job is recorded on this
    machine (`_jobs.local`), so `gpueater job logs|list|cancel` follow it, and a `down` or
    `stop` teardown is applied once it is seen to have ended (`_jobs.finish`). A failure
    before the job started is torn down as in any run."""
    import asyncio  # for its CancelledError: the async client's interrupt

    from gpueater_ext._jobs.instance import checked_tag
    from gpueater_ext._jobs.job import SecretValues, checked_outputs, default_writer
    from gpueater_ext._jobs.stages import (
        RunProgress,
        fetch_outputs_stage,
        stop_after_interrupt,
        work,
    )
    from gpueater_ext._jobs.teardown import teardown_stage

    interrupts = (KeyboardInterrupt, asyncio.CancelledError)
    if not isinstance(task, Task):
        from gpueater_ext._errors import InvalidArgumentError

        raise InvalidArgumentError(f"run takes a Task, not {type(task).__name__}")
    if detach and task.nodes > 1:
        from gpueater_ext._errors import InvalidArgumentError

        raise InvalidArgumentError(
            "detach: a run on several nodes cannot be detached yet; run it attached"
        )
    if task.nodes > 1:
        from gpueater_ext._jobs.nodes import run_nodes

        return (yield from run_nodes(task, stdout=stdout, stderr=stderr, on_event=on_event))
    # Before anything: a missing secret launches nothing.
    secret_values = SecretValues(task.secret_values())
    outputs = checked_outputs(task.outputs)
    if task.workdir is not None and not task.workdir.is_dir():
        from gpueater_ext._errors import NotFoundError

        raise NotFoundError(f"workdir {task.workdir} is not a folder: name the folder to send")
    progress = RunProgress(checked_tag(task.name) if task.name is not None else new_tag())
    out = stdout if stdout is not None else default_writer(sys.stdout)
    err = stderr if stderr is not None else default_writer(sys.stderr)
    say = _announcer(on_event, progress)
    started: float = yield Now()
    failure: BaseException | None = None
    try:
        yield from work(task, progress, say, secret_values, out, err, detach=detach)
        if progress.detached_job is not None:
            return (yield from _detached(task, progress, say, started))
    except GeneratorExit:
        raise  # the plan was closed: nothing may run any more
    except interrupts as interrupt:
        failure = interrupt
        progress.cleaning = True
        yield from stop_after_interrupt(progress, say, interrupts, bool(outputs))
    except BaseException as error:
        failure = error
    progress.cleaning = True
    outputs_dir, outputs_error = yield from fetch_outputs_stage(
        task, outputs, progress, say, interrupts
    )
    teardown = yield from teardown_stage(task, progress, say, interrupts)
    finished: float = yield Now()
    result = RunResult.of_stages(
        task,
        progress,
        teardown,
        duration=max(0.0, finished - started),
        outputs_dir=outputs_dir,
        outputs_error=outputs_error,
    )
    if isinstance(failure, asyncio.CancelledError):
        raise failure
    if progress.interrupts:
        raise RunInterrupted(result) from None
    if failure is None:
        return result
    if teardown.left is not None and isinstance(failure, GPUEaterError):
        raise RunTeardownError(
            f"{failure}; then the teardown failed: {teardown.error}",
            result=result,
            next_step=teardown.left.next_step(),
        ) from failure
    raise failure


def _detached(
    task: Task, progress: RunProgress, say: Callable[[str, str], None], started: float
) -> Plan[RunResult]:
    """Record the detached job on this machine; the result says it runs."""
    import time

    from gpueater_ext._jobs.job import checked_outputs, remote_workdir
    from gpueater_ext._jobs.local import JobRecord, record_job

    assert progress.instance is not None
    assert progress.target is not None
    assert progress.detached_job is not None
    instance = progress.instance
    folder = task.outputs_folder(progress.tag).absolute()
    record = JobRecord(
        name=progress.tag,
        job_id=progress.detached_job,
        instance_id=instance.instance_id,
        tag=instance.tag,
        service_url=instance.service_url or "",
        profile=None,
        key_file=str(progress.target.key_file),
        started=time.time(),
        teardown=task.teardown,
        price_per_hour=progress.price_per_hour,
        outputs=checked_outputs(task.outputs),
        outputs_dir=str(folder) if task.outputs else None,
        outputs_pending=bool(task.outputs),
    )
    if task.outputs:
        say(
            "outputs",
            f"the outputs come back to {folder} once the job has ended (job logs -f, job "
            f"list, job cancel or gc), before the teardown; until then they are in "
            f"~/{remote_workdir(progress.tag)} on {progress.tag}",
        )
    yield from blocking(record_job, record)
    finished: float = yield Now()
    return RunResult(
        exit_code=None,
        instance=instance,
        launched=progress.launched,
        duration=max(0.0, finished - started),
        teardown=task.teardown,
        teardown_done=False,
        setup_skipped=progress.setup_skipped,
        job_id=progress.detached_job,
        detached=True,
        price_per_hour=progress.price_per_hour,
    )


def _announcer(on_event: OnEvent | None, progress: RunProgress) -> Callable[[str, str], None]:
    """`say(stage, message)`. Once the cleanup has begun, a Ctrl-C raised by the callback
    counts as one more interrupt instead of cutting the outputs and teardown short."""

    def say(stage: str, message: str) -> None:
        if on_event is None:
            return
        if not progress.cleaning:
            on_event(RunEvent(stage, message, progress.instance))
            return
        try:
            on_event(RunEvent(stage, message, progress.instance))
        except KeyboardInterrupt:
            progress.interrupts += 1

    return say
