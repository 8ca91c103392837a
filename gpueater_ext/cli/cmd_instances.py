"""Instances: `instances`, `show`, the life-cycle verbs and `tag`."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import click

from gpueater_ext._errors import GPUEaterError, NotFoundError
from gpueater_ext._tags import check_tag
from gpueater_ext.cli import _say
from gpueater_ext.cli._confirm import confirm_destroy
from gpueater_ext.cli._costs import costed, hourly_cell, instance_costs, so_far_cell, so_far_text
from gpueater_ext.cli._exit import CliUsageError, ExitCode, one_line
from gpueater_ext.cli._lookup import find_instance, find_instances
from gpueater_ext.cli._output import Column, print_json, print_object, print_table
from gpueater_ext.cli._reach import (
    NameIndex,
    how_to_reach,
    instances_or_none,
    ssh_command,
    ssh_line,
)
from gpueater_ext.cli._state import CliState, output_option, pass_state, yes_option
from gpueater_ext.cli._tag_use import allow_duplicate_tag_option, refuse_tag_in_use
from gpueater_ext.cli._waiting import wait_for

if TYPE_CHECKING:
    from gpueater_ext import GPUEater, Instance
    from gpueater_ext._cost import InstanceCost

__all__ = ["LIFECYCLE_COMMANDS", "instances", "print_instance", "show", "tag", "with_ssh_line"]


def with_ssh_line(instance: Instance, cost: InstanceCost) -> dict[str, Any]:
    """The instance as data with its `cost` (`_costs.costed`) and `ssh`: the full login
    line, or null while it cannot log in (not RUNNING, or no address yet)."""
    return {**costed(instance, cost), "ssh": ssh_line(instance)}


INSTANCE_COLUMNS = (
    Column.field("ID", "instance_id"),
    Column.field("TAG", "tag"),
    Column.field("STATE", "state"),
    Column.field("PRODUCT", "product_name"),
    Column.field("IPV4", "ipv4"),
    Column("$/H", hourly_cell),  # both from the row's `cost` (`_costs.costed`)
    Column("COST", so_far_cell),
    Column.field("SSH", "ssh", optional=True),  # left out when the row does not fit
)


def print_instance(
    instance: Instance, cost: InstanceCost, among: Sequence[Instance] | None
) -> None:
    """`instance` for people, with its cost; `among` (the account's instances) decides
    whether its tag names it in the ssh command shown (see `_reach`)."""
    row = costed(instance, cost)
    if cost.billing == "subscription":
        row["price"] = None  # the product's hourly rate, which this instance is not charged
    row["cost"] = so_far_text(row)
    row["ssh"] = how_to_reach(instance, among)
    names = ["instance_id", "tag", "state", "product_name", "device_desc", "ipv4"]
    names += ["sshd_port", "sshd_user", "created_at", "price", "cost", "ssh"]
    print_object(row, names)


@click.command()
@click.option("--tag", metavar="TAG", help="Only instances with this tag.")
@click.option("--watch", is_flag=True, help="Show the list again every --interval, until Ctrl-C.")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.5),
    metavar="SECONDS",
    help="How often --watch looks again (default: 2).",
)
@output_option
@pass_state
def instances(state: CliState, tag: str | None, watch: bool, interval: float | None) -> None:
    """Launched instances, with their accrued cost and how to log in.

    COST is the hourly price times the time since launch for an instance on demand, and
    `subscription` for one on a subscription (invoiced with it, not per hour); `-o json`
    adds the same as a `cost` object to each instance (see `gpueater_ext._cost`). EXPIRES IN
    is the time left on the lease `gpueater run` gave it; `-o json` has it as a `lease`
    object (null when there is none).
    """
    if interval is not None and not watch:
        raise CliUsageError("--interval is how often --watch looks again: add --watch")
    if watch:
        from gpueater_ext.cli._watch import watch_until_interrupted

        watch_until_interrupted(lambda: _print_instances(state, tag), interval or 2.0)
    else:
        _print_instances(state, tag)


def _print_instances(state: CliState, tag: str | None) -> None:
    found = state.client().instance_list()
    if tag is not None:
        # Only for --tag: `_plans.launch` imports the launch, reconcile and wait plans
        # (~8 ms of every listing, issue 25).
        from gpueater_ext._plans import is_launch_tag_of

        # A launch of TAG carries a launch tag (TAG-launch-<hex>) until it is renamed, so an
        # interrupted or unknown launch of TAG shows here too (see `_plans.launch`).
        found = [i for i in found if i.tag == tag or is_launch_tag_of(i.tag, tag)]
    costs = instance_costs(state.client(), found)
    from gpueater_ext.cli._lease_view import expiry_column, lease_fields  # `gpueater run`'s

    if state.json:
        listed = [costed(instance, costs[instance.instance_id]) for instance in found]
        lease_fields(found, listed)
        print_json(listed)
        return
    # The full ssh line (every host-key option spelled out) is ~400 characters: the table
    # shows the short command that runs it; `show -o json` gives the line itself.
    names = NameIndex(found)  # once: per instance, short names are then O(1)
    rows = [
        {**costed(instance, costs[instance.instance_id]), "ssh": ssh_command(instance, names)}
        for instance in found
    ]
    columns = expiry_column(found, rows, INSTANCE_COLUMNS)
    print_table(rows, columns, empty="no instances")


@click.command()
@click.argument("instance")
@output_option
@pass_state
def show(state: CliState, instance: str) -> None:
    """One instance in full, with its cost (`-o json`: a `cost` object, as `instances`,
    and its full ssh line)."""
    client = state.client()
    found = find_instance(client, instance)
    cost = instance_costs(client, [found])[found.instance_id]
    if state.json:
        print_json(with_ssh_line(found, cost))
    else:
        print_instance(found, cost, client.instance_list())


@click.command()
@click.argument("instance")
@click.argument("new_tag")
@allow_duplicate_tag_option
@output_option
@pass_state
def tag(state: CliState, instance: str, new_tag: str, allow_duplicate_tag: bool) -> None:
    """Change an instance's tag (1-40 letters, digits, '.', '_', '-'; refused when another
    live instance has it, unless --allow-duplicate-tag)."""
    check_tag(new_tag, "NEW_TAG")  # before anything is asked of the service
    client = state.client()
    chosen = find_instance(client, instance)
    refuse_tag_in_use(client, new_tag, allowed=allow_duplicate_tag, renaming=chosen)
    renamed = client.change_instance_tag(chosen, tag=new_tag)
    cost = instance_costs(client, [renamed])[renamed.instance_id]
    if state.json:
        print_json(with_ssh_line(renamed, cost))
    else:
        print_instance(renamed, cost, instances_or_none(client))


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
