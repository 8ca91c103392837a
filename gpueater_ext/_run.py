"""`run`: from a task to results on an instance, with a teardown that always happens.

`eater.run(task, *, stdout=None, stderr=None, on_event=None)` (and `await
async_eater.run(...)`) reads the task's secrets from the local environment, gets the
instance (`_run_instance`: reused by name or launched, the resources from
`_run_resources`), syncs the workdir, runs `setup` once per instance and then `run` under
the instance's job supervisor (`_run_job`), its bytes streamed to `stdout`/`stderr`
(default: this process's), fetches the outputs, and applies the teardown
(`_run_teardown`), in a try/finally that also covers failures and Ctrl-C.
`on_event(RunEvent)` hears each step as one line (`str(event)`), for progress displays.

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
  down; a third during the teardown gives up (the result says what is left running). Then
  RunInterrupted (a KeyboardInterrupt, so scripts still stop; exit status 130) is raised
  with `.result`. An async run's cancellation does the same and re-raises CancelledError.
"""

from __future__ import annotations

import contextlib
import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gpueater_ext._errors import GPUEaterError, NextStep
from gpueater_ext._models import Instance
from gpueater_ext._plans import Blocking, Now, Plan, new_tag
from gpueater_ext._run_job import BinaryWriter
from gpueater_ext._task import Task, Teardown

if TYPE_CHECKING:
    from gpueater_ext._run_teardown import LeftRunning
    from gpueater_ext._ssh_target import SshTarget

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
    """One step of a run, for a progress display: `stage` is one of resources, instance,
    ssh, sync, setup, run, interrupt, outputs, teardown; `message` is the line to show (it
    quotes the service, so a terminal display escapes it). Never holds a secret."""

    stage: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclasses.dataclass(frozen=True, kw_only=True)
class RunResult:
    """How a run ended (see the module docstring for what raises instead).

    `exit_code` is the job's exit status (None when it never exited: interrupted, or a
    stage before it failed); `instance` the instance it used (None if none was found);
    `launched` whether this run launched it; `setup_skipped` whether setup was already
    done on the instance (None: no setup ran or was due); `outputs_dir` where the outputs
    came back (None without outputs); `duration` seconds from start to teardown's end;
    `teardown` the teardown asked for and `teardown_done` whether it was applied;
    `outputs_error`, `teardown_error` what went wrong in those stages; `left_running` the
    command that ends what the teardown left (None when nothing is left unintended).
    """

    exit_code: int | None
    instance: Instance | None
    launched: bool
    duration: float
    teardown: Teardown
    teardown_done: bool
    outputs_dir: Path | None = None
    setup_skipped: bool | None = None
    failed_stage: str | None = None
    interrupted: bool = False
    outputs_error: str | None = None
    teardown_error: str | None = None
    left_running: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for `-o json`): the instance as its own to_dict(), paths as text."""
        data = {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}
        data["instance"] = self.instance.to_dict() if self.instance is not None else None
        data["outputs_dir"] = str(self.outputs_dir) if self.outputs_dir is not None else None
        data["ok"] = self.ok
        return data

    @property
    def ok(self) -> bool:
        """The job exited 0, its outputs came back and the teardown was done."""
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


@dataclasses.dataclass
class _Progress:
    """What a run has reached so far: the teardown and the result read it."""

    tag: str
    instance: Instance | None = None
    target: SshTarget | None = None
    launched: bool = False
    may_have_launched: bool = False
    job_id: str | None = None  # the job being streamed now
    exit_code: int | None = None
    failed_stage: str | None = None
    setup_skipped: bool | None = None
    interrupts: int = 0
    cleaning: bool = False  # the outputs and the teardown have begun


def run(
    task: Task,
    *,
    stdout: BinaryWriter | None = None,
    stderr: BinaryWriter | None = None,
    on_event: OnEvent | None = None,
) -> Plan[RunResult]:
    """Run a task (a `Task`: what to run, on what, and what to bring back) on an instance:
    get one (reused by `task.name`, or launched), sync the workdir, run setup once per
    instance and then the job, streamed live to `stdout`/`stderr` (binary writers; default
    this process's), fetch the outputs and apply the teardown, which happens whatever
    fails, Ctrl-C included. `on_event(RunEvent)` hears each step. Returns a RunResult once
    the job ran; see `gpueater_ext._run` for what raises instead."""
    import asyncio  # for its CancelledError: the async client's interrupt

    from gpueater_ext._run_instance import checked_tag
    from gpueater_ext._run_job import checked_outputs

    interrupts = (KeyboardInterrupt, asyncio.CancelledError)
    if not isinstance(task, Task):
        from gpueater_ext._errors import InvalidArgumentError

        raise InvalidArgumentError(f"run takes a Task, not {type(task).__name__}")
    secret_values = task.secret_values()  # before anything: a missing one launches nothing
    outputs = checked_outputs(task.outputs)
    if task.workdir is not None and not task.workdir.is_dir():
        from gpueater_ext._errors import NotFoundError

        raise NotFoundError(f"workdir {task.workdir} is not a folder: name the folder to send")
    progress = _Progress(checked_tag(task.name) if task.name is not None else new_tag())
    out = stdout if stdout is not None else sys.stdout.buffer
    err = stderr if stderr is not None else sys.stderr.buffer
    say = _announcer(on_event, progress)
    started: float = yield Now()
    failure: BaseException | None = None
    try:
        yield from _work(task, progress, say, secret_values, out, err)
    except GeneratorExit:
        raise  # the plan was closed: nothing may run any more
    except interrupts as interrupt:
        failure = interrupt
        progress.cleaning = True
        yield from _stop_after_interrupt(progress, say, interrupts, bool(outputs))
    except BaseException as error:
        failure = error
    progress.cleaning = True
    outputs_dir, outputs_error = yield from _outputs(task, outputs, progress, say, interrupts)
    done, teardown_error, left = yield from _teardown(task, progress, say, interrupts)
    left_text = str(left) if left is not None else None
    finished: float = yield Now()
    result = RunResult(
        exit_code=progress.exit_code,
        instance=progress.instance,
        launched=progress.launched,
        duration=max(0.0, finished - started),
        teardown=task.teardown,
        teardown_done=done,
        outputs_dir=outputs_dir,
        setup_skipped=progress.setup_skipped,
        failed_stage=progress.failed_stage,
        interrupted=progress.interrupts > 0,
        outputs_error=outputs_error,
        teardown_error=teardown_error,
        left_running=left_text,
    )
    if isinstance(failure, asyncio.CancelledError):
        raise failure
    if progress.interrupts:
        raise RunInterrupted(result) from None
    if failure is None:
        return result
    if left is not None and isinstance(failure, GPUEaterError):
        raise RunTeardownError(
            f"{failure}; then the teardown failed: {teardown_error}",
            result=result,
            next_step=left.next_step(),
        ) from failure
    raise failure


def _announcer(on_event: OnEvent | None, progress: _Progress) -> Callable[[str, str], None]:
    """`say(stage, message)`. Once the cleanup has begun, a Ctrl-C raised by the callback
    counts as one more interrupt instead of cutting the outputs and teardown short."""

    def say(stage: str, message: str) -> None:
        if on_event is None:
            return
        if not progress.cleaning:
            on_event(RunEvent(stage, message))
            return
        try:
            on_event(RunEvent(stage, message))
        except KeyboardInterrupt:
            progress.interrupts += 1

    return say


def _work(
    task: Task,
    progress: _Progress,
    say: Callable[[str, str], None],
    secret_values: dict[str, str],
    stdout: BinaryWriter,
    stderr: BinaryWriter,
) -> Plan[None]:
    """Instance, sync, setup and job: the stages the teardown comes after."""
    from gpueater_ext import _run_job as job
    from gpueater_ext._run_instance import acquire_instance, hold_name_lock
    from gpueater_ext._ssh_target import SshTarget

    def launching() -> None:
        progress.may_have_launched = True

    lock: contextlib.ExitStack | None = None
    if task.name is not None:  # held until the instance is synced and set up
        lock = yield Blocking(hold_name_lock, (progress.tag,))
    try:
        acquired = yield from acquire_instance(task, progress.tag, say, launching)
        progress.instance, progress.launched = acquired.instance, acquired.launched
        target = SshTarget.for_instance(acquired.instance, key_file=acquired.key_file)
        progress.target = target
        remote = job.remote_workdir(progress.tag)
        where = f"{task.workdir} to " if task.workdir is not None else "creating "
        say("sync", f"syncing {where}~/{remote} on {progress.tag}")
        sent: int = yield Blocking(job.sync_workdir, (target, task.workdir, remote, task.exclude))
        if task.workdir is not None:
            say("sync", f"synced: {sent} file{'s' if sent != 1 else ''} sent")
        job_id = job.new_job_id()
        common: dict[str, Any] = {
            "cwd": remote,
            "env": dict(task.env),
            "secret_values": secret_values,
            "stdout": stdout,
            "stderr": stderr,
            "on_reconnect": lambda attempt, why: say(
                "run", f"the connection dropped ({why}); reconnecting (attempt {attempt})"
            ),
        }
        if task.setup is not None and not (yield from _setup(task, progress, say, job_id, common)):
            return
    finally:
        if lock is not None:
            lock.close()
    words = ["sh", "-c", task.run] if isinstance(task.run, str) else list(task.run)
    say("run", f"running the job ({job_id})")
    progress.job_id = job_id
    progress.exit_code = yield Blocking(job.run_job, (target, job_id, words), common)
    progress.job_id = None
    say("run", f"the job exited with status {progress.exit_code}")


def _setup(
    task: Task,
    progress: _Progress,
    say: Callable[[str, str], None],
    job_id: str,
    common: dict[str, Any],
) -> Plan[bool]:
    """Setup, unless done on the instance before; whether the job may run."""
    from gpueater_ext import _run_job as job

    assert task.setup is not None
    assert progress.target is not None
    marker = job.setup_marker(task.setup, task.env)
    needed: bool = yield Blocking(job.setup_needed, (progress.target, marker))
    progress.setup_skipped = not needed
    if not needed:
        say("setup", "setup skipped: this setup already ran on the instance")
        return True
    say("setup", "running setup")
    progress.job_id = f"{job_id}-setup"
    code: int = yield Blocking(
        job.run_job,
        (progress.target, progress.job_id, ["sh", "-c", task.setup]),
        {**common, "marker": marker},
    )
    progress.job_id = None
    if code != 0:
        progress.exit_code, progress.failed_stage = code, "setup"
        say("setup", f"setup failed with exit status {code}; the job is not run")
        return False
    say("setup", "setup done")
    return True


def _stop_after_interrupt(
    progress: _Progress,
    say: Callable[[str, str], None],
    interrupts: tuple[type[BaseException], ...],
    has_outputs: bool,
) -> Plan[None]:
    """The first Ctrl-C: stop the job being streamed; a second one here skips the outputs."""
    from gpueater_ext._run_job import stop_job

    progress.interrupts += 1
    steps = ["tearing down"]
    if has_outputs and progress.target is not None:
        steps.insert(0, "fetching the outputs")
    if progress.job_id is not None and progress.target is not None:
        steps.insert(0, "stopping the remote job")
    again = " (Ctrl-C again skips the outputs)" if len(steps) > 1 and has_outputs else ""
    try:
        say("interrupt", f"interrupted: {', then '.join(steps)}{again}")
        if progress.job_id is not None and progress.target is not None:
            yield Blocking(stop_job, (progress.target, progress.job_id))
            say("interrupt", f"stopped the remote job {progress.job_id}")
    except interrupts:
        progress.interrupts += 1
    except GPUEaterError as error:
        say("interrupt", f"the remote job {progress.job_id} could not be stopped: {error}")


def _outputs(
    task: Task,
    outputs: tuple[str, ...],
    progress: _Progress,
    say: Callable[[str, str], None],
    interrupts: tuple[type[BaseException], ...],
) -> Plan[tuple[Path | None, str | None]]:
    """Fetch the outputs (after a failed job too); (the folder, what went wrong)."""
    from gpueater_ext._run_job import fetch_outputs, remote_workdir

    if not outputs:
        return None, None
    folder = task.outputs_folder(progress.tag).absolute()
    if progress.target is None:
        return None, "the job never ran on an instance, so there are no outputs"
    if progress.interrupts > 1:
        say("outputs", "outputs skipped (interrupted again)")
        return folder, "skipped: interrupted again"
    try:
        say("outputs", f"fetching {len(outputs)} output{'s' * (len(outputs) > 1)} to {folder}")
        remote = remote_workdir(progress.tag)
        problems: list[str] = yield Blocking(
            fetch_outputs, (progress.target, remote, outputs, folder)
        )
    except interrupts:
        progress.interrupts += 1
        say("outputs", "outputs skipped (interrupted)")
        return folder, "interrupted while fetching them"
    except GPUEaterError as error:
        return folder, str(error)
    if problems:
        say("outputs", f"{len(problems)} output(s) did not come back")
        return folder, "; ".join(problems)
    say("outputs", "outputs fetched")
    return folder, None


def _teardown(
    task: Task,
    progress: _Progress,
    say: Callable[[str, str], None],
    interrupts: tuple[type[BaseException], ...],
) -> Plan[tuple[bool, str | None, LeftRunning | None]]:
    """Apply the teardown: (done, what went wrong, what is left and how to end it).
    An interrupt during it tries once more; a second one gives up."""
    from gpueater_ext._run_teardown import left_running, tear_down

    if progress.instance is None and not progress.may_have_launched:
        return task.teardown == "keep", None, None
    attempts = 0
    while True:
        attempts += 1
        try:
            if task.teardown != "keep":
                verb = "terminating" if task.teardown == "down" else "stopping"
                say("teardown", f"teardown ({task.teardown}): {verb} {progress.tag}")
            done = yield from tear_down(
                task.teardown,
                progress.instance,
                progress.tag,
                may_have_launched=progress.may_have_launched,
            )
        except interrupts:
            progress.interrupts += 1
            if attempts == 1:
                say("teardown", "interrupted during the teardown: trying it once more")
                continue
            left = left_running(task.teardown, progress.instance, progress.tag)
            say("teardown", f"teardown abandoned; {left}")
            return False, "interrupted during the teardown", left
        except GPUEaterError as error:
            left = left_running(task.teardown, progress.instance, progress.tag)
            say("teardown", f"the teardown failed: {error}; {left}")
            return False, str(error), left
        if done is None:
            left = left_running(task.teardown, None, progress.tag)
            message = f"no instance tagged {progress.tag} was found to tear down; {left}"
            say("teardown", message)
            return False, "the interrupted launch's instance was not found", left
        say("teardown", done)
        return True, None, None
