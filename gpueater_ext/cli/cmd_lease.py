"""`gpueater lease list|extend|release`: the leases that end `run`'s instances
(`gpueater_ext._jobs.leases`); `gpueater instances` shows them through `cli._lease_view`.

NAME is the instance's id or tag, as the ledger recorded it; when leases of several services
are recorded, the one of the current service (`--url`/profile) is meant first.
"""

from __future__ import annotations

import datetime
from typing import Any

import click

from gpueater_ext._errors import GPUEaterError
from gpueater_ext._jobs import (
    Lease,
    change_lease,
    find_lease,
    parse_duration,
    read_leases,
    release_lease,
    utc_now,
)
from gpueater_ext.cli import _say
from gpueater_ext.cli._lease_view import expires_in
from gpueater_ext.cli._output import Column, print_json, print_table
from gpueater_ext.cli._state import CliState, output_option, pass_state

__all__ = ["lease"]


def _row(lease: Lease, now: datetime.datetime) -> dict[str, Any]:
    return {**lease.to_dict(), "expires_in": expires_in(lease, now)}


_COLUMNS = (
    Column.field("ID", "instance_id"),
    Column.field("TAG", "tag"),
    Column.field("EXPIRES IN", "expires_in"),
    Column.field("DEADLINE (UTC)", "deadline"),
    Column.field("AT EXPIRY", "action"),
    Column.field("PROFILE", "profile"),
    Column.field("SERVICE", "service_url"),
)


@click.group()
def lease() -> None:
    """The leases that end the instances `gpueater run` launched (`gpueater gc` applies them)."""


@lease.command("list")
@output_option
@pass_state
def list_leases(state: CliState) -> None:
    """Every lease on this machine, with the time left and the action at expiry."""
    now = utc_now()
    rows = [_row(x, now) for x in read_leases()]
    if state.json:
        print_json(rows)
        return
    print_table(rows, _COLUMNS, empty="no leases")


def _current_url(state: CliState) -> str | None:
    config = state.config()
    return config.url if config is not None else None


def _found(state: CliState, name: str) -> Lease:
    leases = read_leases()
    url = _current_url(state)
    if url is not None and any(x.service_url == url for x in leases):
        return find_lease(leases, name, url)
    return find_lease(leases, name)


@lease.command()
@click.argument("name")
@click.argument("duration")
@output_option
@pass_state
def extend(state: CliState, name: str, duration: str) -> None:
    """Push the lease of NAME back by DURATION (90m, 2h, 1d), counted from its deadline, or
    from now when it has already expired. A shutdown backstop the run left on the instance
    (`run --shutdown-on-expiry`) moves with it, first: if it cannot, nothing is extended."""
    delay = datetime.timedelta(seconds=parse_duration(duration, field="DURATION"))
    wanted = _found(state, name)

    def pushed(deadline: datetime.datetime) -> datetime.datetime:
        return max(deadline, utc_now().replace(microsecond=0)) + delay  # whole seconds

    planned = pushed(wanted.deadline)
    if wanted.shutdown_backstop:
        _move_backstop(state, wanted, planned)

    def push(now_held: Lease) -> Lease:
        import dataclasses

        # Another extend may have landed since `wanted` was read: push from its deadline, so
        # both count (else to the one the backstop was moved for).
        same = now_held.deadline == wanted.deadline
        return dataclasses.replace(
            now_held, deadline=planned if same else pushed(now_held.deadline)
        )

    done = change_lease(wanted.service_url, wanted.instance_id, push)
    if done is None:
        raise GPUEaterError(f"the lease of {name!r} was released meanwhile; nothing extended")
    if done.shutdown_backstop and done.deadline != planned:
        # Another extend landed meanwhile: the backstop follows where both together ended.
        _move_backstop(
            state,
            done,
            done.deadline,
            unless=f"the lease of {done.tag} now ends at {done.to_dict()['deadline']} (another "
            f"extend landed meanwhile), but its shutdown backstop fires earlier, at "
            f"{_utc(planned)}: `gpueater lease extend {done.tag} 1m` moves it once the "
            "instance answers SSH",
        )
    if state.json:
        print_json(_row(done, utc_now()))
    else:
        _say.echo(
            f"lease of {done.tag} ({done.instance_id}) extended: ends in "
            f"{expires_in(done, utc_now())}, at {done.to_dict()['deadline']}"
        )


def _utc(moment: datetime.datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _move_backstop(
    state: CliState, lease: Lease, deadline: datetime.datetime, *, unless: str | None = None
) -> None:
    """Replace the run's shutdown backstop on the instance with one firing at `deadline`: left
    alone, it would shut the instance down at the lease's old deadline (`shutdown_backstop`).
    Done before the ledger changes, so a failure leaves both as they were; `unless` is the
    warning for a failure once the ledger has changed."""
    from gpueater_ext._jobs import SCHEDULE_TIMEOUT, scheduled_or_raise, shutdown_command
    from gpueater_ext.cli._lookup import find_instance

    command, fires = shutdown_command((deadline - utc_now()).total_seconds())
    try:
        client = state.client()
        instance = find_instance(client, lease.instance_id)
        result = client.capture_command(instance, command, timeout=SCHEDULE_TIMEOUT)
        scheduled_or_raise(result.exit_code)
    except GPUEaterError:
        _say.warning(
            unless
            or f"nothing extended: the shutdown backstop on {lease.tag} (run "
            "--shutdown-on-expiry) could not be moved; the lease and the backstop still end "
            f"it at {lease.to_dict()['deadline']}"
        )
        raise
    _say.note(f"{lease.tag} now shuts itself down at {fires} (backstop)")


@lease.command()
@click.argument("name")
@output_option
@pass_state
def release(state: CliState, name: str) -> None:
    """Forget the lease of NAME: gc will not end it. The instance itself is not touched: a
    shutdown backstop on it (`run --shutdown-on-expiry`) still fires."""
    wanted = _found(state, name)
    release_lease(wanted.service_url, wanted.instance_id)
    if state.json:
        print_json({"released": wanted.to_dict()})
    else:
        _say.echo(
            f"lease of {wanted.tag} ({wanted.instance_id}) released: it runs until you end it "
            f"(gpueater terminate {wanted.instance_id})"
        )
