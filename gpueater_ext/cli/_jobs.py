"""Following work the service does over time (a live migration, an image build) with
progress on stderr, through the SDK's waiters.

A job ends in a status; only `succeeded` counts as success. Any other end is one error
line and exit 1, so `gpueater migrate ... --wait && next-step` never runs the next step
after a cancelled migration.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from gpueater_ext._errors import GPUEaterError, WaitTimeoutError
from gpueater_ext.cli import _say
from gpueater_ext.cli._progress import progress

if TYPE_CHECKING:
    from gpueater_ext._plans import Job

__all__ = ["follow_job", "job_wait_options"]


J = TypeVar("J", bound="Job")
Waiter = Callable[..., J]


def job_wait_options(*, default_timeout: float) -> Callable[[Any], Any]:
    """`--wait`, `--timeout SECONDS` and `--poll SECONDS` for a command that starts a job."""

    def decorate(command: Any) -> Any:
        command = click.option(
            "--poll",
            type=click.FloatRange(min=0.05),
            default=2.0,
            show_default=True,
            metavar="SECONDS",
            help="Time between two looks at the job while waiting.",
        )(command)
        command = click.option(
            "--timeout",
            type=click.FloatRange(min=1),
            default=default_timeout,
            show_default=True,
            metavar="SECONDS",
            help="Give up waiting after this long (the job goes on).",
        )(command)
        return click.option("--wait", is_flag=True, help="Follow the job until it ends.")(command)

    return decorate


def follow_job(
    waiter: Waiter[J],
    job: J,
    *,
    label: str,
    succeeded: str,
    goes_on: str,
    timeout: float,
    poll: float,
    show: bool,
) -> J:
    """Wait with `waiter` (a `wait_for_*` method of the client) until the job ends; return
    it when it ended in `succeeded`, raise a one-line ClickException otherwise.

    The job runs on the service whatever happens here, so a timeout's error and a note
    after Ctrl-C or a failed look say so with `goes_on` (how to follow or stop it).
    """
    try:
        with progress(label, enabled=show) as update:

            def on_poll(seen: J, _elapsed: float) -> None:
                update(describe_job(seen))

            ended = waiter(job, timeout=timeout, poll=poll, on_poll=on_poll)
    except WaitTimeoutError as error:
        raise WaitTimeoutError(f"{error}; {goes_on}", last_seen=error.last_seen) from None
    except (KeyboardInterrupt, GPUEaterError):
        _say.echo(f"note: {goes_on}", err=True)
        raise
    if ended.status != succeeded:
        # A failed image build says why in `error_description`; a transaction has no such field.
        why = getattr(ended, "error_description", None)
        raise click.ClickException(
            f"{label}: ended {describe_job(ended)}" + (f": {why}" if why else "")
        )
    return ended


def describe_job(job: Job) -> str:
    return f"{job.status} {job.progress or 0}%"
