"""`gpueater run [TASK.yaml] [options] [-- CMD ARGS...]`: a job from a task file to results.

The task file (see `gpueater run --schema`) and the options say the same things; an
option wins over the file (how they merge: `cli/_run_options.py`). `-- CMD ARGS` replaces
the file's `run:` with one command given as words (no shell reads them); `run:` in a file
is a shell script run by `sh` on the instance.

What it prints: the job's own stdout and stderr as it runs (exact bytes through a pipe;
control characters escaped on a terminal: `_say.JobOutput`), and on stderr one
`gpueater:` line per step (launching, syncing, setup, running, fetching outputs, tearing
down) and a last line saying how it ended, with its duration and cost (`_jobs.cost`; before a
launch a line gives the price per hour and the most the lease can cost). `--detach` returns
once the job has started (`gpueater job` follows it). With `-o json` the job's stdout goes
to stderr too and stdout holds one result object; `-q` prints only the job's output.

Exit status: the job's own when it ran and everything after it worked; 1 when the job
exited 0 but its outputs could not be fetched or the teardown failed (the `error:` line
says what is left running and the command that ends it); 130 after Ctrl-C (1 if the
teardown then failed); the table's codes (docs/guides/cli.md, "Exit codes") when the job could not
start: 2 for a mistake in the task file or options, found before anything is launched.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from gpueater_ext.cli import _say
from gpueater_ext.cli._exit import CliUsageError, ExitCode
from gpueater_ext.cli._output import print_json
from gpueater_ext.cli._run_options import merged_task
from gpueater_ext.cli._state import CliState, output_option, pass_state

if TYPE_CHECKING:
    from gpueater_ext._jobs import RunEvent, RunResult, Task
    from gpueater_ext.cli._run_lease import RunLease

__all__ = ["run"]

_WORDS = "gpueater_run_words"  # ctx.meta key: the words after `--`


class _RunCommand(click.Command):
    """Takes the words after `--` as the command before click parses the rest, so that
    `gpueater run -- python train.py` is not read as TASK=python."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" in args:
            cut = args.index("--")
            ctx.meta[_WORDS] = tuple(args[cut + 1 :])
            args = args[:cut]
        return super().parse_args(ctx, args)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [*super().collect_usage_pieces(ctx), "[-- CMD [ARGS]...]"]


def _print_schema(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from gpueater_ext._jobs import schema_text

    _say.echo(schema_text(), lines=True, nl=False)
    ctx.exit(0)


@click.command(cls=_RunCommand)
@click.argument("task_file", metavar="[TASK.yaml]", required=False, type=click.Path(path_type=Path))
@click.option(
    "--product",
    "products",
    multiple=True,
    metavar="NAME",
    help="Product to launch; repeat it for an order of preference (the first in stock wins).",
)
@click.option("--max-price", type=click.FloatRange(min=0), metavar="USD", help="Per-hour ceiling.")
@click.option("--image", metavar="NAME", help="Image name or alias (default: a recent Ubuntu).")
@click.option(
    "--ssh-key", metavar="NAME", help="Registered SSH key (default: your own gpueater key)."
)
@click.option("--region", metavar="REGION", help="Only a product offered in REGION (tokyo-1).")
@click.option(
    "--subscription",
    metavar="SUBSCRIPTION",
    help="Launch on an instance subscription (id or plan name) instead of a --product.",
)
@click.option(
    "--name",
    metavar="NAME",
    help="Instance tag: an instance carrying it is reused, otherwise launched with it.",
)
@click.option(
    "--workdir",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Local folder synced to the instance before the run (only changes travel).",
)
@click.option(
    "--exclude",
    "excludes",
    multiple=True,
    metavar="PATTERN",
    help="Leave files matching PATTERN out of the sync (rsync's patterns); repeatable.",
)
@click.option(
    "--setup", metavar="SCRIPT", help="Shell script run once per instance (again when changed)."
)
@click.option(
    "--env",
    "env_assignments",
    multiple=True,
    metavar="NAME=VALUE",
    help="Environment variable for setup and run; repeatable.",
)
@click.option(
    "--secret",
    "secrets",
    multiple=True,
    metavar="NAME",
    help="Pass the local variable NAME to the job, its value never shown; repeatable.",
)
@click.option(
    "--outputs",
    multiple=True,
    metavar="PATH",
    help="Remote path (relative to the workdir) fetched back after the run; repeatable.",
)
@click.option(
    "--outputs-dir",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Local folder for outputs (default: gpueater-outputs/<instance tag>).",
)
@click.option("--down", is_flag=True, help="Terminate the instance afterwards (default).")
@click.option("--stop", is_flag=True, help="Stop the instance afterwards.")
@click.option("--keep", is_flag=True, help="Leave the instance running afterwards.")
@click.option(
    "--nodes",
    type=int,
    metavar="N",
    help="Run on N instances at once (1 to 64), each told its rank and the others' addresses.",
)
@click.option(
    "--max-duration",
    metavar="DURATION",
    help="The instance's lease: `gpueater gc` ends it after this long (90m, 4h, 1d; default 4h).",
)
@click.option(
    "--shutdown-on-expiry",
    is_flag=True,
    default=None,
    help="Also schedule a shutdown on the instance at --max-duration, for when gc cannot run.",
)
@click.option(
    "--idle-timeout",
    metavar="DURATION",
    help="With --keep: the lease ends this long after the job ends (30m, 2h).",
)
@click.option(
    "--detach",
    is_flag=True,
    help="Return once the job has started; follow it with `gpueater job logs NAME -f`.",
)
@click.option(
    "--schema",
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=_print_schema,
    help="Print the task file's JSON Schema (for editors) and exit.",
)
@output_option
@pass_state
def run(state: CliState, /, task_file: Path | None, **options: Any) -> int:
    """Run a job on an instance: launch or reuse it, sync the workdir, run setup and the
    command with live output, fetch the outputs and tear down, Ctrl-C included.

    TASK.yaml holds the same settings as the options (`--schema` prints its schema);
    options win. `-- CMD ARGS` is one command, given as words (no shell); `run:` in the
    file is a shell script for sh. Exits with the job's exit status.
    """
    words = click.get_current_context().meta.get(_WORDS)
    teardowns = [name for name in ("down", "stop", "keep") if options.pop(name)]
    if len(teardowns) > 1:
        raise CliUsageError(f"give one of --down, --stop and --keep, not {' and '.join(teardowns)}")
    detach = options.pop("detach")
    task = merged_task(task_file, words, teardown=teardowns[0] if teardowns else None, **options)
    return _run(state, task, detach=detach)


def _run(state: CliState, task: Task, *, detach: bool = False) -> int:
    from gpueater_ext import RunInterrupted

    client = state.client()
    keeper = _lease_keeper(state, task)
    job_stdout = _say.JobOutput(err=state.json)  # -o json: stdout holds only the result
    job_stderr = _say.JobOutput(err=True)
    try:
        result = client.run(
            task,
            stdout=job_stdout,
            stderr=job_stderr,
            on_event=keeper.on_event,
            detach=detach,
        )
    except RunInterrupted as stop:
        result = stop.result
    finally:
        job_stdout.finish()
        job_stderr.finish()
    keeper.finish(result)
    if result.job_id is not None and result.detached:
        from gpueater_ext._jobs import update_job

        config = state.config()  # so `gpueater job` reaches it through the same profile
        record = update_job(result.job_id, profile=config.profile if config is not None else None)
        from gpueater_ext._jobs import attach_job_to_lease

        attach_job_to_lease(record)
    return _report(state, result)


def _lease_keeper(state: CliState, task: Task) -> RunLease:
    """Every instance a run uses carries a lease (`_run_lease`), also with -q and -o json."""
    from gpueater_ext.cli._run_lease import RunLease

    config = state.config()
    url, profile = (config.url, config.profile) if config is not None else (None, None)
    return RunLease(task, url, profile, _progress_printer(state))


def _progress_printer(state: CliState) -> Callable[[RunEvent], None] | None:
    if not state.chatty:
        return None

    def show(event: RunEvent) -> None:
        _say.echo(f"gpueater: {event}", err=True)

    return show


def _report(state: CliState, result: RunResult) -> int:
    """Say how the run ended (one line, or the JSON object) and choose the exit status."""
    problems = [text for text in (result.outputs_error, result.teardown_error) if text]
    if result.left_running:
        problems.append(f"left running; end it with: {result.left_running}")
    if state.json:
        print_json(_result_object(result))
    elif state.chatty:
        _say.echo(f"gpueater: {_ending(result)}", err=True)
    if problems:
        _say.error("; ".join(problems))
    if result.interrupted:
        return ExitCode.FAILED if result.teardown_error else ExitCode.INTERRUPTED
    if result.detached:
        return ExitCode.OK
    if result.exit_code is None:
        return ExitCode.FAILED
    if result.exit_code == 0 and problems:
        return ExitCode.FAILED
    return result.exit_code


# What the instance's teardown does, in words ("teardown down" read as a stutter).
_AFTER_A_DETACHED_JOB: dict[str, str] = {
    "down": "the instance is terminated",
    "stop": "the instance is stopped",
    "keep": "the instance is kept",
}


def _ending(result: RunResult) -> str:
    if result.detached:
        tag = result.instance.tag if result.instance is not None else "its instance"
        return (
            f"job {result.job_id} runs detached on {tag} ({_AFTER_A_DETACHED_JOB[result.teardown]}"
            f" once it ends); follow it with: gpueater job logs {tag} -f"
        )
    if result.interrupted:
        how = "interrupted"
    elif result.exit_code is None:
        how = "the job did not run"
    else:
        failed = "setup" if result.failed_stage == "setup" else "the job"
        how = f"{failed} exited with status {result.exit_code}"
    parts = [f"done in {result.duration:.1f} s: {how}"]
    if result.outputs_dir is not None and not result.outputs_error:
        parts.append(f"outputs in {_shown_path(result.outputs_dir)}")
    parts.append(_teardown_words(result))
    cost = result.cost
    if cost is not None:
        parts.append(f"cost about ${cost.usd:.4f} (${cost.price_per_hour:.4f}/h)")
    else:
        parts.append("cost unknown (no hourly price)")
    return "; ".join(parts)


def _teardown_words(result: RunResult) -> str:
    tag = result.instance.tag if result.instance is not None else "the instance"
    if result.nodes:
        tag = f"the {len(result.nodes)} nodes"
    if result.teardown_left_to is not None:
        # Another run's job still runs on the named instance: its own teardown applies.
        return f"{tag} left to the run of job {result.teardown_left_to}, still running on it"
    if not result.teardown_done:
        return f"{tag} was not torn down"
    done = {"down": "terminated", "stop": "stopped", "keep": "kept running"}
    return f"{tag} {done.get(result.teardown, result.teardown)}"


def _shown_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)


def _result_object(result: RunResult) -> dict[str, Any]:
    """The result for `-o json`; a multi-node run's also lists each node's (`nodes`, with
    its `rank` and `address`)."""
    instance = result.instance
    whole: dict[str, Any] = {
        "exit_code": result.exit_code,
        "instance_id": instance.instance_id if instance is not None else None,
        "tag": instance.tag if instance is not None else None,
        "outputs_dir": str(result.outputs_dir) if result.outputs_dir is not None else None,
        "duration": round(result.duration, 3),
        "teardown": result.teardown,
        "teardown_done": result.teardown_done,
        "interrupted": result.interrupted,
        "setup_skipped": result.setup_skipped,
        "outputs_error": result.outputs_error,
        "teardown_error": result.teardown_error,
        "left_running": result.left_running,
        "teardown_left_to": result.teardown_left_to,
        "job_id": result.job_id,
        "detached": result.detached,
        "cost": result.cost.to_dict() if result.cost is not None else None,
    }
    if result.nodes:
        whole["nodes"] = [
            {"rank": node.rank, "address": node.address, **_result_object(node)}
            for node in result.nodes
        ]
    return whole
