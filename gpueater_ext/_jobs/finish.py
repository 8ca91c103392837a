"""Following a detached job from its local record: reach it, read its state, cancel it, and
once it has ended fetch its outputs and apply its teardown.

Who applies a detached job's `down` or `stop` (nothing runs on this machine between
commands): the next `gpueater job logs -f` that sees the job end, `gpueater job list` and
`job cancel`, and `gc` (and its timer), which calls `finish_ended_jobs`. The teardown is
the run's own (`_jobs.teardown.tear_down`); like a run's, it leaves a named instance to
another run's job that still runs there. Each of these reads the service first: an
instance that is gone ended the job with it (state `lost`).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from gpueater_ext._errors import GPUEaterError
from gpueater_ext._jobs.local import JobRecord, load_jobs, update_job

if TYPE_CHECKING:
    from gpueater_ext import GPUEater
    from gpueater_ext._models import Instance
    from gpueater_ext._ssh import SshTarget

__all__ = [
    "attach_job_to_lease",
    "cancel_job",
    "find_instance",
    "finish_ended_jobs",
    "finish_job",
    "job_cost_fields",
    "job_target",
    "refresh_job",
]

# The supervisor's `exit` file is written when the command ends: its time is the job's end.
_EXIT_TIME = 'date -r "$HOME/.gpueater/jobs/$1/exit" +%s.%N'


def find_instance(client: GPUEater, record: JobRecord) -> Instance | None:
    """The job's instance as the service lists it now (None: it is gone)."""
    instances = client.instance_list()
    return next((i for i in instances if i.instance_id == record.instance_id), None)


def job_target(record: JobRecord, instance: Instance) -> SshTarget:
    from gpueater_ext._ssh import SshTarget

    return SshTarget.for_instance(instance, key_file=record.key_file)


def _ended_at(target: SshTarget, job_id: str) -> float:
    """When the job's command ended, by the instance's clock; now when that cannot be read."""
    from gpueater_ext._ssh import capture_command

    try:
        result = capture_command(target, ["sh", "-c", _EXIT_TIME, "sh", job_id])
        text = result.stdout.decode("ascii").strip().splitlines()[-1]
        if result.exit_code == 0 and text.replace(".", "", 1).isdigit():
            return float(text)
    except (OSError, GPUEaterError, UnicodeDecodeError, IndexError, ValueError):
        pass
    return time.time()


def refresh_job(client: GPUEater, record: JobRecord) -> JobRecord:
    """The record with the job's state read from the instance, if it was still running."""
    from gpueater_ext._ssh import job_status

    if record.state != "running":
        return record
    instance = find_instance(client, record)
    if instance is None or instance.state != "RUNNING":
        now = "gone" if instance is None else instance.state
        return update_job(
            record.job_id, state="lost", ended=time.time(), note=f"its instance is {now}"
        )
    target = job_target(record, instance)
    status = job_status(target, record.job_id)
    if status.state == "exited":
        ended = max(record.started, _ended_at(target, record.job_id))
        return update_job(record.job_id, state="exited", ended=ended, exit_code=status.exit_code)
    if status.state == "unknown" and status.reason and "starting" not in status.reason:
        return update_job(record.job_id, state="lost", ended=time.time(), note=status.reason)
    return record


def finish_job(client: GPUEater, record: JobRecord) -> tuple[JobRecord, str | None]:
    """Once the job has ended: fetch its outputs, then apply its `down`/`stop` teardown, each
    once; (the record, what was done). A `down` whose outputs did not all come back is held
    (terminating would destroy them): the next finish tries again, the lease still ends it."""
    if record.state == "running" or not _left_to_finish(record):
        return record, None
    instance = find_instance(client, record)
    record, fetched = _fetch_outputs(record, instance)
    if record.teardown_done or record.teardown not in ("down", "stop"):
        return record, fetched
    if record.outputs_pending and record.teardown == "down" and instance is not None:
        note = (
            f"teardown held so as not to destroy the outputs: fetch them with `gpueater cp "
            f"{record.tag}:...` and end it with `gpueater terminate {record.tag}` (the lease "
            "ends it otherwise)"
        )
        return update_job(record.job_id, note=note), _joined(fetched, note)
    record, done = _tear_down(client, record, instance)
    return record, _joined(fetched, done)


def _left_to_finish(record: JobRecord) -> bool:
    """Outputs still to fetch, or a `down`/`stop` teardown not yet applied."""
    teardown_due = not record.teardown_done and record.teardown in ("down", "stop")
    return record.outputs_pending or teardown_due


def _joined(*parts: str | None) -> str | None:
    return "; ".join(part for part in parts if part) or None


def _fetch_outputs(record: JobRecord, instance: Instance | None) -> tuple[JobRecord, str | None]:
    """Bring the ended job's outputs back (`job.fetch_outputs`), if still pending."""
    from pathlib import Path

    from gpueater_ext._jobs.job import checked_outputs, fetch_outputs, remote_workdir

    if not record.outputs_pending or record.outputs_dir is None:
        return record, None
    if instance is None or instance.state == "TERMINATING":
        why = "its instance is gone, and the outputs with it"
        return update_job(record.job_id, outputs_pending=False, outputs_error=why), (
            f"outputs not fetched: {why}"
        )
    if instance.state != "RUNNING":
        why = f"its instance is {instance.state}: start it, then `gpueater job list` fetches them"
        return update_job(record.job_id, outputs_error=why), f"outputs not fetched: {why}"
    folder = Path(record.outputs_dir)
    try:
        problems = fetch_outputs(
            job_target(record, instance),
            remote_workdir(record.tag),
            checked_outputs(record.outputs),
            folder,
        )
    except GPUEaterError as error:
        problems = [str(error)]
    if problems:
        why = "; ".join(problems)
        return update_job(record.job_id, outputs_error=why), (
            f"{len(problems)} output(s) did not come back: {why}"
        )
    done = update_job(record.job_id, outputs_pending=False, outputs_error=None)
    return done, f"outputs fetched to {folder}"


def _tear_down(
    client: GPUEater, record: JobRecord, instance: Instance | None
) -> tuple[JobRecord, str | None]:
    """Apply the ended job's `down`/`stop` teardown (once; none left to apply to a gone one)."""
    from gpueater_ext._jobs.job import other_running_jobs
    from gpueater_ext._jobs.teardown import tear_down

    if instance is None or instance.state == "TERMINATING":
        _release_lease(record)
        return update_job(record.job_id, teardown_done=True), None
    if instance.state == "RUNNING":
        try:
            others = other_running_jobs(job_target(record, instance), {record.job_id})
        except GPUEaterError:
            others = []  # unreachable: an instance nobody can use is only a bill
        if others:
            note = f"teardown left to job {others[0]}, which still runs on {record.tag}"
            return update_job(record.job_id, note=note), note
    done = client._run(
        tear_down(record.teardown, instance, record.tag, may_have_launched=False)  # type: ignore[arg-type]
    )
    _release_lease(record)
    return update_job(record.job_id, teardown_done=True), done


def _release_lease(record: JobRecord) -> None:
    """The instance's lease (`_jobs.leases`) has nothing left to end once the teardown is done."""
    from gpueater_ext._jobs.leases import release_lease

    release_lease(record.service_url, record.instance_id)


def attach_job_to_lease(record: JobRecord) -> None:
    """Name the detached job in its instance's lease (`Lease.job_id`), for `gc`'s report."""
    from gpueater_ext._jobs.leases import change_lease

    change_lease(
        record.service_url,
        record.instance_id,
        lambda lease: dataclasses.replace(lease, job_id=record.job_id),
    )


def cancel_job(client: GPUEater, record: JobRecord) -> tuple[JobRecord, str | None]:
    """Stop the job (TERM, then KILL) and apply its teardown; (the record, what was done)."""
    from gpueater_ext._ssh import stop_job

    if record.state == "running":
        instance = find_instance(client, record)
        if instance is not None and instance.state == "RUNNING":
            stop_job(job_target(record, instance), record.job_id)
        record = refresh_job(client, record)
        if record.state == "running":  # stopped, but the instance still says running
            record = update_job(record.job_id, state="cancelled", ended=time.time())
        elif record.state == "exited":
            record = update_job(record.job_id, state="cancelled")
    return finish_job(client, record)


def finish_ended_jobs(client_for: Callable[[JobRecord], GPUEater]) -> list[str]:
    """For every recorded job with outputs to fetch or a `down`/`stop` teardown not yet
    applied: read its state and, once it has ended, finish it (`finish_job`). Returns one
    line per thing done or failed (a failure is reported and the others still handled).
    For `gc`."""
    lines = []
    for record in load_jobs():
        if not _left_to_finish(record):
            continue
        try:
            client = client_for(record)
            record = refresh_job(client, record)
            _record, done = finish_job(client, record)
        except GPUEaterError as error:
            lines.append(f"job {record.job_id} on {record.tag}: {error}")
            continue
        if done is not None:
            lines.append(f"job {record.job_id} ended: {done}")
    return lines


def job_cost_fields(record: JobRecord) -> dict[str, object]:
    """State, duration and cost of a record, as `job list` shows them."""
    from gpueater_ext._jobs.cost import RunCost

    cost = (
        RunCost(record.price_per_hour, record.duration)
        if record.price_per_hour is not None
        else None
    )
    return {**dataclasses.asdict(record), "cost": cost.to_dict() if cost is not None else None}
