"""`gpueater gc [--dry-run] [--install | --uninstall]`: end the instances whose lease expired.

What gc does is `gpueater_ext._jobs.gc` (it reads the service before acting and only touches the
instance a lease was made for); each lease is acted on through its own service URL and
profile, as recorded by the run that made it. Before the leases, detached jobs that have
ended get their teardown (`_jobs.finish.finish_ended_jobs`, when that part is installed).

`--install` sets up a user-level timer running gc every 15 minutes (`_jobs.schedulers`: a
systemd user timer, else a crontab entry), `--uninstall` removes it. Nothing runs gc while
this machine is off or asleep: the timer catches up at wake-up, and `run
--shutdown-on-expiry` is the backstop on the instance itself.

Output: one line per lease acted on (or that would be, with --dry-run), then a summary;
`-o json` prints the steps. Exit status 1 when a lease could not be applied (it is kept for
the next gc) and for "no scheduler found"; 2 for a mistake in the options.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from gpueater_ext._errors import GPUEaterError
from gpueater_ext.cli import _say
from gpueater_ext.cli._exit import CliUsageError, ExitCode
from gpueater_ext.cli._output import print_json
from gpueater_ext.cli._state import CliState, output_option, pass_state

if TYPE_CHECKING:
    from gpueater_ext import GPUEater

__all__ = ["gc"]


class _Clients:
    """One client per (service URL, profile), made when first needed, closed at the end."""

    def __init__(self) -> None:
        self._made: dict[tuple[str, str | None], GPUEater] = {}

    def __call__(self, record: Any) -> GPUEater:
        from gpueater_ext import GPUEater

        key = (str(record.service_url), record.profile)
        if key not in self._made:
            self._made[key] = GPUEater(
                url=key[0] or None, profile=key[1], session_cache=True, reconcile_timeout=_wait()
            )
        return self._made[key]

    def close(self) -> None:
        for client in self._made.values():
            client.close()


def _wait() -> float | None:
    from gpueater_ext.cli._state import _reconcile_timeout

    return _reconcile_timeout()


@click.command()
@click.option("--dry-run", is_flag=True, help="Say what would be done; change nothing.")
@click.option(
    "--install", is_flag=True, help="Run gc every 15 minutes (systemd user timer or cron)."
)
@click.option("--uninstall", is_flag=True, help="Remove the timer --install set up.")
@output_option
@pass_state
def gc(state: CliState, dry_run: bool, install: bool, uninstall: bool) -> int:
    """End (terminate or stop) every instance whose lease has expired, after reading the
    service to check it is still the leased instance. Nothing runs gc while this machine is
    off: see docs/guides/jobs.md, "Leases and gc"."""
    given = [name for name, on in (("--dry-run", dry_run), ("--install", install),
                                   ("--uninstall", uninstall)) if on]  # fmt: skip
    if len(given) > 1:
        raise CliUsageError(f"give one of {' and '.join(given)}")
    if install or uninstall:
        from gpueater_ext._jobs import find_scheduler, gc_command

        scheduler = find_scheduler()
        done = scheduler.install(gc_command()) if install else scheduler.uninstall()
        if state.json:
            print_json({"scheduler": scheduler.name, "done": done})
        else:
            _say.echo(done)
        return ExitCode.OK
    return _collect(state, dry_run)


def _collect(state: CliState, dry_run: bool) -> int:
    from gpueater_ext._jobs import collect_garbage, utc_now

    clients = _Clients()
    try:
        jobs = [] if dry_run else _finish_jobs(clients)
        steps = collect_garbage(clients, utc_now(), dry_run=dry_run)
    finally:
        clients.close()
    if state.json:
        print_json({"jobs": jobs, "leases": [step.to_dict() for step in steps]})
    else:
        for line in jobs:
            _say.echo(line)
        for step in steps:
            if step.outcome != "pending":
                _say.echo(step.message)
        pending = sum(step.outcome == "pending" for step in steps)
        acted = len(steps) - pending
        what = "would act on" if dry_run else "acted on"
        if state.chatty:
            _say.echo(
                f"gc: {what} {acted} expired lease{'s' if acted != 1 else ''}; "
                f"{pending} not yet due",
                err=True,
            )
    return ExitCode.FAILED if any(step.outcome == "failed" for step in steps) else ExitCode.OK


def _finish_jobs(clients: _Clients) -> list[str]:
    """Detached jobs that ended get their teardown first (the detached-jobs part's hook)."""
    try:
        from gpueater_ext._jobs import finish_ended_jobs
    except ImportError:
        return []
    try:
        lines: list[str] = finish_ended_jobs(clients)
    except GPUEaterError as error:  # the leases are still worth applying
        return [f"detached jobs not checked: {error}"]
    return lines
