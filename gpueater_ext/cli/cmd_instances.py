"""Instances: `instances`, `show`, the life-cycle verbs and `tag`."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import click

from gpueater_ext._errors import GPUEaterError, NotFoundError
from gpueater_ext.cli import _say
from gpueater_ext.cli._confirm import confirm_destroy
from gpueater_ext.cli._exit import CliUsageError, ExitCode, one_line
from gpueater_ext.cli._lookup import find_instance, find_instances
from gpueater_ext.cli._output import Column, plain, print_json, print_object, print_table
from gpueater_ext.cli._state import CliState, output_option, pass_state, yes_option
from gpueater_ext.cli._waiting import wait_for

if TYPE_CHECKING:
    from gpueater_ext import GPUEater, Instance

__all__ = ["LIFECYCLE_COMMANDS", "instances", "print_instance", "show", "tag"]


def accrued_cost(row: Mapping[str, Any], now: datetime.datetime | None = None) -> float | None:
    """USD billed so far: the hourly price times the hours since launch."""
    if row.get("price") is None or not row.get("created_at"):
        return None
    try:
        created = datetime.datetime.fromisoformat(row["created_at"])
    except ValueError:
        return None
    if created.tzinfo is None:
        created = created.replace(tzinfo=datetime.UTC)
    now = now or datetime.datetime.now(datetime.UTC)
    hours = max((now - created).total_seconds(), 0) / 3600
    return float(row["price"]) * hours


def ssh_line(instance: Instance) -> str | None:
    """The login `gpueater ssh` would run, or None while it cannot (no address yet)."""
    try:
        return instance.ssh_command_line()
    except GPUEaterError:
        return None


INSTANCE_COLUMNS = (
    Column.field("ID", "instance_id"),
    Column.field("TAG", "tag"),
    Column.field("STATE", "state"),
    Column.field("PRODUCT", "product_name"),
    Column.field("IPV4", "ipv4"),
    Column("$/H", lambda row: f"{row['price']:.4f}" if row.get("price") is not None else None),
    Column("COST", lambda row: f"{cost:.2f}" if (cost := accrued_cost(row)) is not None else None),
    Column.field("SSH", "ssh"),
)


def print_instance(instance: Instance) -> None:
    row = plain(instance)
    cost = accrued_cost(row)
    row["cost"] = f"{cost:.2f} USD" if cost is not None else None
    row["ssh"] = ssh_line(instance)
    names = ["instance_id", "tag", "state", "product_name", "device_desc", "ipv4"]
    names += ["sshd_port", "sshd_user", "created_at", "price", "cost", "ssh"]
    print_object(row, names)


@click.command()
@click.option("--tag", metavar="TAG", help="Only instances with this tag.")
@output_option
@pass_state
def instances(state: CliState, tag: str | None) -> None:
    """Launched instances, with their accrued cost and a ready ssh line."""
    from gpueater_ext._plans_launch import is_launch_tag_of

    # A launch of TAG carries a launch tag (TAG-launch-<hex>) until it is renamed, so an
    # interrupted or unknown launch of TAG shows here too (see `_plans_launch`).
    found = [
        i
        for i in state.client().instance_list()
        if tag is None or i.tag == tag or is_launch_tag_of(i.tag, tag)
    ]
    if state.json:
        print_json(found)
        return
    # The full ssh line (every host-key option spelled out) is ~400 characters: the table
    # shows the short command that runs it; `gpueater show` prints the line itself.
    rows = [
        {**plain(instance), "ssh": f"gpueater ssh {instance.instance_id}"}
        if ssh_line(instance)
        else plain(instance)
        for instance in found
    ]
    from gpueater_ext.cli.cmd_lease import expiry_column  # leases of `gpueater run`

    columns = expiry_column(found, rows, INSTANCE_COLUMNS)
    print_table(rows, columns, empty="no instances")


@click.command()
@click.argument("instance")
@output_option
@pass_state
def show(state: CliState, instance: str) -> None:
    """One instance in full."""
    found = find_instance(state.client(), instance)
    if state.json:
        print_json(found)
    else:
        print_instance(found)


@click.command()
@click.argument("instance")
@click.argument("new_tag")
@output_option
@pass_state
def tag(state: CliState, instance: str, new_tag: str) -> None:
    """Change an instance's tag."""
    client = state.client()
    renamed = client.change_instance_tag(find_instance(client, instance), tag=new_tag)
    if state.json:
        print_json(renamed)
    else:
        print_instance(renamed)


Action = Callable[["GPUEater", "Instance", bool], "Instance"]

# A state on its way to another: an action refused in it (stop while LAUNCHING) is taken
# once the instance gets there, when the user asked to --wait.
_SETTLES_TO = {"LAUNCHING": "RUNNING", "STOPPING": "STOPPED"}


def _restart(client: GPUEater, instance: Instance, show: bool) -> Instance:
    """Stop, wait until STOPPED (with progress: it takes seconds), start."""
    stopping = client.stop_instance(instance)
    stopped = wait_for(client, stopping, "STOPPED", timeout=600, show=show)
    return client.start_instance(stopped)


def _gone(instance: Instance) -> Instance:
    """The instance as the wait for TERMINATED ended: it left the instance list, so its
    last seen TERMINATING is no longer true (the SDK's waiter returns it as last seen)."""
    return dataclasses.replace(instance, state="TERMINATED")


def _lifecycle_command(
    name: str,
    action: Action,
    waits_for: str,
    summary: str,
    *,
    destroys: bool = False,
    settles_first: bool = False,
) -> click.Command:
    """One of start, stop, restart, terminate, emergency-restart: same shape, own action."""

    @click.command(name, help=summary)
    @click.argument("names", metavar="INSTANCE...", nargs=-1)
    @click.option("--wait", is_flag=True, help=f"Wait until {waits_for.lower()}.")
    @click.option("--timeout", type=click.FloatRange(min=1), default=600, show_default=True)
    @yes_option
    @output_option
    @pass_state
    def command(
        state: CliState,
        names: tuple[str, ...],
        wait: bool,
        timeout: float,
        fleet_tag: str | None = None,
        all_tagged: bool = False,
    ) -> int:
        client = state.client()
        targets = _targets(client, names, fleet_tag, all_tagged)
        if destroys:
            shown = [f"{i.tag} ({i.instance_id})" for i in targets]
            confirm_destroy(name.replace("-", " "), shown, assume_yes=state.yes)
        results: list[Instance] = []
        failures = 0
        for instance in targets:
            try:
                if wait and settles_first and instance.state in _SETTLES_TO:
                    settled = _SETTLES_TO[instance.state]
                    instance = wait_for(
                        client, instance, settled, timeout=timeout, show=state.chatty
                    )
                result = action(client, instance, state.chatty)
                if wait:
                    result = wait_for(client, result, waits_for, timeout=timeout, show=state.chatty)
                    if waits_for == "TERMINATED":
                        result = _gone(result)
            except GPUEaterError as error:
                failures += 1
                _say.error(f"{instance.instance_id}: {one_line(error)}")
                continue
            results.append(result)
            if state.chatty:
                _say.echo(f"{name}: {result.tag} ({result.instance_id}) {result.state}", err=True)
        # When nothing succeeded stdout stays empty, as for every failure (not a bare `[]`).
        if state.json and results:
            print_json(results[0] if len(names) == 1 else results)
        return ExitCode.FAILED if failures else ExitCode.OK

    if name == "terminate":
        command = click.option(
            "--tag", "fleet_tag", metavar="TAG", help="Every instance with this tag (needs --all)."
        )(command)
        command = click.option(
            "--all", "all_tagged", is_flag=True, help="Confirms that --tag means all of them."
        )(command)
    return command


def _targets(
    client: GPUEater, names: tuple[str, ...], fleet_tag: str | None, all_tagged: bool
) -> list[Instance]:
    """The instances to act on, all resolved before the first is touched."""
    if fleet_tag is not None:
        if names:
            raise CliUsageError("give instance names or --tag, not both")
        if not all_tagged:
            raise CliUsageError(f"--tag {fleet_tag} acts on every instance so tagged: add --all")
        tagged = [i for i in client.instance_list() if i.tag == fleet_tag]
        if not tagged:
            raise NotFoundError(f"no instance is tagged {fleet_tag!r}")
        return tagged
    if not names:
        raise CliUsageError("name at least one INSTANCE")
    return find_instances(client, names)


LIFECYCLE_COMMANDS = (
    _lifecycle_command(
        "start",
        lambda c, i, _show: c.start_instance(i),
        "RUNNING",
        "Start instances (with --wait, a STOPPING one once it is STOPPED).",
        settles_first=True,
    ),
    _lifecycle_command(
        "stop",
        lambda c, i, _show: c.stop_instance(i),
        "STOPPED",
        "Stop instances (with --wait, a LAUNCHING one once it is RUNNING).",
        settles_first=True,
    ),
    _lifecycle_command(
        "restart",
        _restart,
        "RUNNING",
        "Restart instances (stop, wait until stopped, start; with --wait, a LAUNCHING one "
        "once it is RUNNING).",
        settles_first=True,
    ),
    _lifecycle_command(
        "terminate",
        lambda c, i, _show: c.terminate_instance(i),
        "TERMINATED",
        "Terminate instances (destroys them and their disks).",
        destroys=True,
    ),
    _lifecycle_command(
        "emergency-restart",
        lambda c, i, _show: c.emergency_restart_instance(i),
        "RUNNING",
        "Power-cycle hung instances without a clean shutdown.",
        destroys=True,
    ),
)
