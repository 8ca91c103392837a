"""`gpueater lease list|extend|release`: the leases that end `run`'s instances
(`gpueater_ext._jobs.leases`), and the "EXPIRES IN" column of `gpueater instances`.

NAME is the instance's id or tag, as the ledger recorded it; when leases of several services
are recorded, the one of the current service (`--url`/profile) is meant first.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from gpueater_ext._errors import GPUEaterError
from gpueater_ext._jobs import (
    Lease,
    change_leases,
    find_lease,
    format_duration,
    parse_duration,
    read_leases,
    utc_now,
)
from gpueater_ext.cli import _say
from gpueater_ext.cli._output import Column, print_json, print_table
from gpueater_ext.cli._state import CliState, output_option, pass_state

if TYPE_CHECKING:
    from gpueater_ext import Instance

__all__ = ["expiry_column", "lease"]


def _expires(lease: Lease, now: datetime.datetime) -> str:
    left = lease.remaining(now)
    if left <= 0:
        return f"expired {format_duration(-left)} ago"
    return format_duration(left)


def _row(lease: Lease, now: datetime.datetime) -> dict[str, Any]:
    return {**lease.to_dict(), "expires_in": _expires(lease, now)}


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
    from now when it has already expired."""
    seconds = parse_duration(duration, field="DURATION")
    wanted = _found(state, name)
    changed: list[Lease] = []

    def push(leases: list[Lease]) -> list[Lease]:
        import dataclasses

        now = utc_now()
        out = []
        for x in leases:
            if x.same_instance(wanted.service_url, wanted.instance_id):
                start = max(x.deadline, now)
                x = dataclasses.replace(x, deadline=start + datetime.timedelta(seconds=seconds))
                changed.append(x)
            out.append(x)
        return out

    change_leases(push)
    if not changed:
        raise GPUEaterError(f"the lease of {name!r} was released meanwhile; nothing extended")
    done = changed[0]
    if state.json:
        print_json(_row(done, utc_now()))
    else:
        _say.echo(
            f"lease of {done.tag} ({done.instance_id}) extended: ends in "
            f"{_expires(done, utc_now())}, at {done.to_dict()['deadline']}"
        )


@lease.command()
@click.argument("name")
@output_option
@pass_state
def release(state: CliState, name: str) -> None:
    """Forget the lease of NAME: gc will not end it (the instance itself is not touched)."""
    wanted = _found(state, name)
    change_leases(
        lambda leases: [
            x for x in leases if not x.same_instance(wanted.service_url, wanted.instance_id)
        ]
    )
    if state.json:
        print_json({"released": wanted.to_dict()})
    else:
        _say.echo(
            f"lease of {wanted.tag} ({wanted.instance_id}) released: it runs until you end it "
            f"(gpueater terminate {wanted.instance_id})"
        )


def expiry_column(
    instances: Sequence[Instance], rows: list[dict[str, Any]], columns: Sequence[Column]
) -> Sequence[Column]:
    """For `gpueater instances`: put each leased instance's time left into its row and add
    an "EXPIRES IN" column when any is leased. A ledger that cannot be read is a warning,
    never a failed listing."""
    try:
        leases = read_leases()
    except GPUEaterError as error:
        _say.warning(str(error))
        return columns
    now = utc_now()
    any_leased = False
    for instance, row in zip(instances, rows, strict=True):
        url = instance.service_url
        found = next(
            (x for x in leases if url is not None and x.same_instance(url, instance.instance_id)),
            None,
        )
        if found is not None:
            row["expires_in"] = _expires(found, now)
            any_leased = True
    if not any_leased:
        return columns
    return (*columns, Column.field("EXPIRES IN", "expires_in"))
