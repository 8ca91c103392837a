"""The local record of detached jobs (`run --detach`), which `gpueater job` reads.

One JSON file, `jobs.json` in the tool's state folder (platformdirs
`user_state_dir("gpueater")`), mode 0600, rewritten whole under its lock
(`_local_files.locked` / `write_locked`: old or new, never partial, one writer at a time).
A record says where the job runs (instance id and tag, the service URL and profile it was
started through, the key file that reaches it), its remote job id, when it started and,
once it was seen to end, when it ended and its exit code, what teardown it asked for and
whether that was applied, the price per hour (so `job list` shows state, duration and
cost of an ended job without SSH), and the outputs still to fetch and where to.

A job is found by its remote job id or by its name (the run's instance tag); a name that
several records carry means the newest. No secret is ever in a record.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gpueater_ext._errors import InvalidArgumentError, NotFoundError

__all__ = ["STATES", "JobRecord", "find_job", "jobs_file", "load_jobs", "record_job", "update_job"]

# States a record can be in: `running` until seen to end; `exited` (exit_code set);
# `lost` (its supervisor ended without an exit status, or its instance is gone);
# `cancelled` (`job cancel` stopped it).
STATES = ("running", "exited", "lost", "cancelled")


@dataclasses.dataclass(frozen=True, kw_only=True)
class JobRecord:
    """One detached job, as this machine knows it (see the module docstring)."""

    name: str
    job_id: str
    instance_id: str
    tag: str
    service_url: str
    profile: str | None
    key_file: str | None
    started: float  # seconds since the epoch, this machine's clock
    teardown: str
    price_per_hour: float | None = None
    state: str = "running"
    ended: float | None = None
    exit_code: int | None = None
    teardown_done: bool = False
    note: str | None = None  # why it is lost, or what the teardown left
    # The task's outputs (clean relative paths) and the absolute local folder they come back
    # into once the job has ended (`finish.finish_job`, before the teardown); pending until
    # they came back or can no longer come (the instance is gone); the last problem, if any.
    outputs: tuple[str, ...] = ()
    outputs_dir: str | None = None
    outputs_pending: bool = False
    outputs_error: str | None = None

    @property
    def ended_or_now(self) -> float:
        import time

        return self.ended if self.ended is not None else time.time()

    @property
    def duration(self) -> float:
        return max(0.0, self.ended_or_now - self.started)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def jobs_file() -> Path:
    import platformdirs

    return platformdirs.user_state_path("gpueater") / "jobs.json"


def _read(path: Path) -> list[JobRecord]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    try:
        rows = json.loads(text)
        if not isinstance(rows, list):
            raise ValueError("not a list of jobs")
        return [_record(row) for row in rows]
    except (ValueError, TypeError) as error:
        raise InvalidArgumentError(
            f"the job record {path} cannot be read ({error}); move it aside to start afresh"
        ) from None


# What each field may hold: a damaged or hand-edited file is refused, never half-used.
_KINDS: dict[str, tuple[type, ...]] = {
    "name": (str,),
    "job_id": (str,),
    "instance_id": (str,),
    "tag": (str,),
    "service_url": (str,),
    "profile": (str, type(None)),
    "key_file": (str, type(None)),
    "started": (int, float),
    "teardown": (str,),
    "price_per_hour": (int, float, type(None)),
    "state": (str,),
    "ended": (int, float, type(None)),
    "exit_code": (int, type(None)),
    "teardown_done": (bool,),
    "note": (str, type(None)),
    "outputs": (list,),
    "outputs_dir": (str, type(None)),
    "outputs_pending": (bool,),
    "outputs_error": (str, type(None)),
}


def _record(row: object) -> JobRecord:
    if not isinstance(row, dict):
        raise ValueError("an entry is not an object")
    for name, value in row.items():
        kinds = _KINDS.get(name)
        if kinds is None:
            raise ValueError(f"unknown field {name!r}")
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise ValueError(f"field {name!r} holds {type(value).__name__}")
    outputs = row.get("outputs", [])
    if not all(isinstance(path, str) for path in outputs):
        raise ValueError("field 'outputs' holds a non-text path")
    record = JobRecord(**{**row, "outputs": tuple(outputs)})
    if record.state not in STATES:
        raise ValueError(f"state {record.state!r}")
    return record


def load_jobs() -> list[JobRecord]:
    """Every recorded job, oldest first."""
    return _read(jobs_file())


def _change(edit: Callable[[list[JobRecord]], list[JobRecord]]) -> None:
    from gpueater_ext._local_files import locked, write_locked

    path = jobs_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with locked(path) as real:
        records = edit(_read(real))
        data = json.dumps([r.to_dict() for r in records], indent=1, ensure_ascii=False)
        write_locked(real, (data + "\n").encode("utf-8"), mode=0o600)
    os.chmod(path, 0o600)


def record_job(record: JobRecord) -> None:
    """Add a started job (a record with its job id replaces an older one)."""
    _change(lambda records: [*(r for r in records if r.job_id != record.job_id), record])


def update_job(job_id: str, **changes: Any) -> JobRecord:
    """Change fields of the job's record; returns the new record."""
    changed: list[JobRecord] = []

    def edit(records: list[JobRecord]) -> list[JobRecord]:
        result = []
        for record in records:
            if record.job_id == job_id:
                record = dataclasses.replace(record, **changes)
                changed.append(record)
            result.append(record)
        return result

    _change(edit)
    if not changed:
        raise NotFoundError(f"no job {job_id!r} is recorded on this machine")
    return changed[0]


def find_job(name: str) -> JobRecord:
    """The job with this job id, or the newest whose name (instance tag) is `name`."""
    records = load_jobs()
    for record in records:
        if record.job_id == name:
            return record
    named = [r for r in records if r.name == name]
    if not named:
        raise NotFoundError(
            f"no detached job named {name!r} is recorded on this machine: "
            "`gpueater job list` shows them"
        )
    return max(named, key=lambda r: r.started)
