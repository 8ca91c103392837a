"""The stages of a run on its instance, as plans: get it, sync, setup, the job; and the two
that come after whatever happened (stopping the job after Ctrl-C, fetching the outputs).

They share one `RunProgress`, which says how far the run got: the teardown and the result
are built from it, so an interrupt or a failure at any effect leaves it telling the truth.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gpueater_ext._errors import GPUEaterError
from gpueater_ext._jobs.task import Task
from gpueater_ext._models import Instance
from gpueater_ext._plans import Plan, blocking

if TYPE_CHECKING:
    from gpueater_ext._jobs.job import BinaryWriter
    from gpueater_ext._ssh import SshTarget

__all__ = ["RunProgress", "Say", "fetch_outputs_stage", "stop_after_interrupt", "work"]

Say = Callable[[str, str], None]


@dataclasses.dataclass
class RunProgress:
    """What a run has reached so far: the teardown and the result read it."""

    tag: str
    instance: Instance | None = None
    target: SshTarget | None = None
    launched: bool = False
    may_have_launched: bool = False
    job_id: str | None = None  # the job being streamed now
    own_jobs: set[str] = dataclasses.field(default_factory=set)  # every job this run started
    exit_code: int | None = None
    failed_stage: str | None = None
    setup_skipped: bool | None = None
    interrupts: int = 0
    cleaning: bool = False  # the outputs and the teardown have begun
    price_per_hour: float | None = None  # USD; None: not known (a subscription)
    detached_job: str | None = None  # the job started and left running (`run --detach`)


def work(
    task: Task,
    progress: RunProgress,
    say: Say,
    secret_values: Mapping[str, str],
    stdout: BinaryWriter,
    stderr: BinaryWriter,
    *,
    on_ready: Callable[[Task], Plan[Task]] | None = None,
    detach: bool = False,
) -> Plan[None]:
    """Instance, sync, setup and job: the stages the teardown comes after. `detach`:
    return once the job has started (setup, when due, is still followed to its end).

    A named run holds the name's lock (`hold_name_lock`) from the look-up until its job has
    started, so a second run with the name waits, then finds the instance synced, set up
    and busy (and a teardown, which takes the lock too, sees the job running)."""
    from gpueater_ext._jobs import job as job
    from gpueater_ext._jobs.instance import acquire_instance, hold_name_lock
    from gpueater_ext._ssh import SshTarget

    def launching() -> None:
        progress.may_have_launched = True

    def found(instance: Instance, launched: bool) -> None:
        progress.instance, progress.launched = instance, launched

    def priced(price: float | None) -> None:
        from gpueater_ext._jobs.cost import price_line

        progress.price_per_hour = price
        if price is None:
            return
        if progress.instance is not None:  # reused: no new lease
            say("cost", f"price ${price:.4f}/h")
            return
        say("cost", price_line(price, task.max_duration))

    lock: contextlib.ExitStack | None = None
    if task.name is not None:
        lock = yield from blocking(hold_name_lock, progress.tag)
    try:
        acquired = yield from acquire_instance(task, progress.tag, say, launching, found, priced)
        progress.instance = acquired.instance  # as it is now: RUNNING, with its address
        target = SshTarget.for_instance(acquired.instance, key_file=acquired.key_file)
        progress.target = target
        if on_ready is not None:  # a multi-node run waits here for every node (`_jobs.nodes`)
            task = yield from on_ready(task)
        if task.shutdown_on_expiry:  # the lease's backstop on the instance itself
            from gpueater_ext._jobs.shutdown_backstop import schedule_shutdown

            fires = yield from blocking(schedule_shutdown, target, task.max_duration)
            say("instance", f"{progress.tag} shuts itself down at {fires} (backstop)")
        remote = job.remote_workdir(progress.tag)
        if task.workdir is not None:
            say("sync", f"syncing {task.workdir} to ~/{remote} on {progress.tag}")
        else:  # nothing to send: the job still gets a folder of its own to run in
            say("sync", f"creating ~/{remote} on {progress.tag} (no workdir to sync)")
        sent: int = yield from blocking(
            job.sync_workdir, target, task.workdir, remote, task.exclude
        )
        if task.workdir is not None:
            say("sync", f"synced: {sent} file{'s' if sent != 1 else ''} sent")
        job_id = job.new_job_id()
        start: dict[str, Any] = {
            "cwd": remote,
            "env": dict(task.env),
            "secret_values": secret_values,
        }
        follow: dict[str, Any] = {
            "stdout": stdout,
            "stderr": stderr,
            "on_reconnect": lambda attempt, why: say(
                "run", f"the connection dropped ({why}); reconnecting (attempt {attempt})"
            ),
        }
        if task.setup is not None:
            setup_ok = yield from _setup(task, progress, say, f"{job_id}-setup", start, follow)
            if not setup_ok:
                return
        words = ["sh", "-c", task.run] if isinstance(task.run, str) else list(task.run)
        say("run", f"running the job ({job_id})")
        yield from _start(progress, job_id, words, start)
    finally:
        if lock is not None:
            lock.close()
    if detach:
        progress.detached_job = job_id  # the caller's result says so (the CLI's last line)
        return
    progress.exit_code = yield from blocking(job.follow_job, target, job_id, **follow)
    progress.job_id = None
    say("run", f"the job exited with status {progress.exit_code}")


def _start(
    progress: RunProgress, job_id: str, words: list[str], start: dict[str, Any]
) -> Plan[None]:
    from gpueater_ext._jobs.job import start_job

    assert progress.target is not None
    progress.job_id = job_id
    progress.own_jobs.add(job_id)
    yield from blocking(start_job, progress.target, job_id, words, **start)


def _setup(
    task: Task,
    progress: RunProgress,
    say: Say,
    job_id: str,
    start: dict[str, Any],
    follow: dict[str, Any],
) -> Plan[bool]:
    """Setup, unless done on the instance before; whether the job may run."""
    from gpueater_ext._jobs import job as job

    assert task.setup is not None
    assert progress.target is not None
    marker = job.setup_marker(task.setup, task.env)
    needed: bool = yield from blocking(job.setup_needed, progress.target, marker)
    progress.setup_skipped = not needed
    if not needed:
        say("setup", "setup skipped: this setup already ran on the instance")
        return True
    say("setup", "running setup")
    yield from _start(progress, job_id, ["sh", "-c", task.setup], start)
    code: int = yield from blocking(
        job.follow_job, progress.target, job_id, **follow, marker=marker
    )
    progress.job_id = None
    if code != 0:
        progress.exit_code, progress.failed_stage = code, "setup"
        say("setup", f"setup failed with exit status {code}; the job is not run")
        return False
    say("setup", "setup done")
    return True


def stop_after_interrupt(
    progress: RunProgress,
    say: Say,
    interrupts: tuple[type[BaseException], ...],
    has_outputs: bool,
) -> Plan[None]:
    """The first Ctrl-C: stop the job being streamed; a second one here skips the outputs."""
    from gpueater_ext._jobs.job import stop_job

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
            yield from blocking(stop_job, progress.target, progress.job_id)
            say("interrupt", f"stopped the remote job {progress.job_id}")
    except interrupts:
        progress.interrupts += 1
    except GPUEaterError as error:
        say("interrupt", f"the remote job {progress.job_id} could not be stopped: {error}")


def fetch_outputs_stage(
    task: Task,
    outputs: tuple[str, ...],
    progress: RunProgress,
    say: Say,
    interrupts: tuple[type[BaseException], ...],
) -> Plan[tuple[Path | None, str | None]]:
    """Fetch the outputs (after a failed job too); (the folder, what went wrong)."""
    from gpueater_ext._jobs.job import fetch_outputs, remote_workdir

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
        problems: list[str] = yield from blocking(
            fetch_outputs, progress.target, remote, outputs, folder
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
