"""`gpueater job logs|list|cancel`: follow the jobs `gpueater run --detach` left running.

`job` (noun-verb) because "jobs" elsewhere in the CLI are the service's own work
(migrations, image builds, `_jobs`). A NAME is the run's instance tag (the task's `name`,
or the generated tag `run --detach` printed) or the remote job id; the jobs are the ones
recorded on this machine (`_jobs.local`).

- `job logs NAME` prints the job's stdout and stderr so far (from the start; exact bytes
  through a pipe, control characters escaped on a terminal) and exits 0; `-f` follows
  them until the job ends (reconnecting when the connection drops), then applies a `down`
  or `stop` teardown and exits with the job's exit status.
- `job list` reads the state of the jobs still recorded as running (service and SSH) and
  shows state, exit code, duration and cost (ended jobs from the record alone); an ended
  job's pending teardown is applied on the way, and said on stderr.
- `job cancel NAME` stops the job (TERM to its processes, KILL after 10 s) and applies
  its teardown.

Cost is the job's time at the price per hour of its instance (an estimate, `_jobs.cost`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from gpueater_ext._errors import GPUEaterError
from gpueater_ext.cli import _say
from gpueater_ext.cli._output import Column, print_json, print_table
from gpueater_ext.cli._state import CliState, output_option, pass_state

if TYPE_CHECKING:
    from gpueater_ext import GPUEater
    from gpueater_ext._jobs import JobRecord

__all__ = ["job"]

# The job's output files so far (`_ssh.job_supervisor`'s layout); the id arrives as $1.
_CAT = 'cat "$HOME/.gpueater/jobs/$1/$2"'


@click.group()
def job() -> None:
    """Follow detached jobs (`gpueater run --detach`): logs, list, cancel.

    NAME is the run's instance tag or the job id (`gpueater job list` shows both).
    """


def _client_for(state: CliState, record: JobRecord) -> GPUEater:
    """The client of the service the job was started through: this command's when it
    points there, else one for the record's URL and profile. Never another service's: an
    instance looked for where it never was would look gone, and the job lost."""
    config = state.config()
    if config is not None and config.url == record.service_url:
        return state.client()
    key = (record.service_url, record.profile)
    if key not in _OTHER_CLIENTS:
        from gpueater_ext import GPUEater

        _OTHER_CLIENTS[key] = GPUEater(
            url=record.service_url, profile=record.profile, session_cache=True
        )
    return _OTHER_CLIENTS[key]


# One client per other service for the command's lifetime (a CLI process is one command).
_OTHER_CLIENTS: dict[tuple[str, str | None], GPUEater] = {}


def _ending(record: JobRecord, done: str | None) -> str:
    from gpueater_ext._jobs import RunCost, duration_words

    how = {
        "exited": f"exited with status {record.exit_code}",
        "cancelled": "was cancelled",
        "lost": f"was lost ({record.note})",
    }.get(record.state, record.state)
    took = duration_words(record.duration)
    if record.price_per_hour is not None:
        took = str(RunCost(record.price_per_hour, record.duration))
    line = f"job {record.job_id} {how}; {took}"
    return f"{line}; {done}" if done else line


@job.command("logs")
@click.argument("name")
@click.option("-f", "--follow", is_flag=True, help="Follow the output until the job ends.")
@pass_state
def logs(state: CliState, name: str, follow: bool) -> int:
    """Print the job's stdout and stderr from its start; -f follows them to the end, then
    applies a `down`/`stop` teardown and exits with the job's exit status."""
    from gpueater_ext import _jobs as job_runner
    from gpueater_ext._errors import NotFoundError
    from gpueater_ext._jobs import find_job

    record = find_job(name)
    client = _client_for(state, record)
    instance = job_runner.find_instance(client, record)
    if instance is None or instance.state != "RUNNING":
        record = job_runner.refresh_job(client, record)
        where = f"the instance {record.tag} ({record.instance_id}) of job {record.job_id}"
        if instance is None or instance.state == "TERMINATING":
            raise NotFoundError(f"{where} is gone, and its output with it")
        raise GPUEaterError(
            f"{where} is {instance.state}: its output is on its disk; start it "
            f"(gpueater start {record.instance_id}) to read it"
        )
    target = job_runner.job_target(record, instance)
    out, err = _say.JobOutput(err=False), _say.JobOutput(err=True)
    try:
        if follow:
            from gpueater_ext._ssh import stream_job

            stream_job(target, record.job_id, out, err)
        else:
            _print_so_far(target, record.job_id, out, err)
    finally:
        out.finish()
        err.finish()
    record = job_runner.refresh_job(client, record)
    if not follow:
        return 0
    record, done = job_runner.finish_job(client, record)
    if state.chatty:
        _say.echo(f"gpueater: {_ending(record, done)}", err=True)
    return record.exit_code if record.exit_code is not None else 1


def _print_so_far(target: Any, job_id: str, out: _say.JobOutput, err: _say.JobOutput) -> None:
    from gpueater_ext._ssh import capture_command, check_job_id, ssh_error

    for stream, sink in (("stdout", out), ("stderr", err)):
        result = capture_command(target, ["sh", "-c", _CAT, "sh", check_job_id(job_id), stream])
        if result.exit_code != 0:
            raise ssh_error(target, result.stderr, f"reading job {job_id}'s {stream}")
        sink.write(result.stdout)


def _row(record: JobRecord) -> dict[str, Any]:
    from gpueater_ext._jobs import job_cost_fields

    row = job_cost_fields(record)
    row["duration"] = record.duration  # one rounding, where it is shown
    return row


JOB_COLUMNS = (
    Column.field("NAME", "name"),
    Column.field("JOB", "job_id"),
    Column.field("INSTANCE", "instance_id"),
    Column.field("STATE", "state"),
    Column.field("EXIT", "exit_code", justify="right"),
    Column("DURATION", lambda row: _duration(row["duration"]), justify="right"),
    Column("COST", lambda row: f"{row['cost']['usd']:.4f}" if row["cost"] else None, "right"),
    Column.field("TEARDOWN", "teardown"),
)


def _duration(seconds: float) -> str:
    from gpueater_ext._jobs import duration_words

    return duration_words(seconds)


@job.command("list")
@output_option
@pass_state
def list_jobs(state: CliState) -> None:
    """Detached jobs recorded on this machine: state, exit code, duration and cost."""
    from gpueater_ext import _jobs as job_runner
    from gpueater_ext._jobs import load_jobs

    records = []
    for record in load_jobs():
        if record.state == "running" or not record.teardown_done or record.outputs_pending:
            try:
                client = _client_for(state, record)
                record = job_runner.refresh_job(client, record)
                record, done = job_runner.finish_job(client, record)
                if done and state.chatty:
                    _say.echo(f"gpueater: {done}", err=True)
            except GPUEaterError as error:
                _say.warning(f"job {record.job_id}: its state could not be read: {error}")
        records.append(record)
    if state.json:
        print_json([_row(r) for r in records])
    else:
        print_table([_row(r) for r in records], JOB_COLUMNS, empty="no detached jobs")


@job.command("cancel")
@click.argument("name")
@pass_state
def cancel(state: CliState, name: str) -> None:
    """Stop the job (TERM, then KILL after 10 s) and apply its teardown (down or stop)."""
    from gpueater_ext._jobs import cancel_job, find_job

    record = find_job(name)
    record, done = cancel_job(_client_for(state, record), record)
    if state.chatty:
        _say.echo(f"gpueater: {_ending(record, done)}", err=True)
