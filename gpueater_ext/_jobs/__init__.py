"""The job runner: `run` (a task on a fresh instance: launch, sync, setup, the job, outputs,
teardown), on several nodes, detached jobs and their local records, leases and `gc`.

This `__init__` is the package's one import point: code outside it (the method table, the
CLI) imports the names of `__all__` from here, never its modules
(tests/project/test_layers.py). Each name loads its module on first use
(`gpueater_ext._lazy`). It builds on the plans (`gpueater_ext._plans`) and drives the
remote job supervisor through the SSH layer's import point (`gpueater_ext._ssh`).

- `task`, `task_file` (with `task.schema.json`): the Task model and task files.
- `runner`: the `run` plan and its result; `stages`, `instance`, `resources`, `job`,
  `teardown`: its stages; `nodes`, `rank_output`: several nodes; `cost`: a run's cost.
- `local`, `finish`: detached jobs' local records, and finishing ended ones.
- `leases`, `schedulers`, `shutdown_backstop`, `gc`: leases that end forgotten instances.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gpueater_ext._lazy import load_on_first_use

if TYPE_CHECKING:
    from gpueater_ext._jobs.cost import RunCost, duration_words
    from gpueater_ext._jobs.finish import (
        attach_job_to_lease,
        cancel_job,
        find_instance,
        finish_ended_jobs,
        finish_job,
        job_cost_fields,
        job_target,
        refresh_job,
    )
    from gpueater_ext._jobs.gc import collect_garbage
    from gpueater_ext._jobs.leases import (
        Lease,
        action_for,
        change_lease,
        change_leases,
        find_lease,
        format_duration,
        parse_duration,
        read_leases,
        record_lease,
        release_lease,
        utc_now,
    )
    from gpueater_ext._jobs.local import JobRecord, find_job, load_jobs, update_job
    from gpueater_ext._jobs.runner import (
        BinaryWriter,
        OnEvent,
        RunEvent,
        RunInterrupted,
        RunResult,
        RunTeardownError,
        run,
    )
    from gpueater_ext._jobs.schedulers import find_scheduler, gc_command
    from gpueater_ext._jobs.shutdown_backstop import (
        SCHEDULE_TIMEOUT,
        scheduled_or_raise,
        shutdown_command,
    )
    from gpueater_ext._jobs.task import Resources, Task
    from gpueater_ext._jobs.task_file import read_task_fields, schema_text

# public name -> the module of this package that defines it
_EXPORTS: dict[str, str] = {
    "refresh_job": "finish",
    "job_target": "finish",
    "finish_job": "finish",
    "find_instance": "finish",
    "action_for": "leases",
    "attach_job_to_lease": "finish",
    "BinaryWriter": "runner",
    "cancel_job": "finish",
    "change_lease": "leases",
    "change_leases": "leases",
    "collect_garbage": "gc",
    "duration_words": "cost",
    "find_job": "local",
    "find_lease": "leases",
    "find_scheduler": "schedulers",
    "finish_ended_jobs": "finish",
    "format_duration": "leases",
    "gc_command": "schedulers",
    "job_cost_fields": "finish",
    "JobRecord": "local",
    "Lease": "leases",
    "load_jobs": "local",
    "OnEvent": "runner",
    "parse_duration": "leases",
    "read_leases": "leases",
    "read_task_fields": "task_file",
    "record_lease": "leases",
    "release_lease": "leases",
    "Resources": "task",
    "run": "runner",
    "RunCost": "cost",
    "RunEvent": "runner",
    "RunInterrupted": "runner",
    "RunResult": "runner",
    "RunTeardownError": "runner",
    "schema_text": "task_file",
    "SCHEDULE_TIMEOUT": "shutdown_backstop",
    "scheduled_or_raise": "shutdown_backstop",
    "shutdown_command": "shutdown_backstop",
    "Task": "task",
    "update_job": "local",
    "utc_now": "leases",
}

__all__ = [
    "SCHEDULE_TIMEOUT",
    "BinaryWriter",
    "JobRecord",
    "Lease",
    "OnEvent",
    "Resources",
    "RunCost",
    "RunEvent",
    "RunInterrupted",
    "RunResult",
    "RunTeardownError",
    "Task",
    "action_for",
    "attach_job_to_lease",
    "cancel_job",
    "change_lease",
    "change_leases",
    "collect_garbage",
    "duration_words",
    "find_instance",
    "find_job",
    "find_lease",
    "find_scheduler",
    "finish_ended_jobs",
    "finish_job",
    "format_duration",
    "gc_command",
    "job_cost_fields",
    "job_target",
    "load_jobs",
    "parse_duration",
    "read_leases",
    "read_task_fields",
    "record_lease",
    "refresh_job",
    "release_lease",
    "run",
    "scheduled_or_raise",
    "schema_text",
    "shutdown_command",
    "update_job",
    "utc_now",
]

if not TYPE_CHECKING:  # mypy reads the imports above; each name loads on first use
    __getattr__, __dir__ = load_on_first_use(__name__, _EXPORTS, globals())
