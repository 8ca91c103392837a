"""Network: `ports`, `port open|close`, `ip renew|refresh`, `network`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from gpueater_ext.cli import _say
from gpueater_ext.cli._confirm import confirm_destroy
from gpueater_ext.cli._lookup import find_instance
from gpueater_ext.cli._output import Column, print_json, print_object, print_table
from gpueater_ext.cli._state import CliState, output_option, pass_state, yes_option

if TYPE_CHECKING:
    from gpueater_ext import Instance, NetworkDescription, PortList

__all__ = ["ip", "network", "port", "ports"]

PORT_NUMBER = click.IntRange(1, 65535)
SSH_PORT = 22
PORT_COLUMNS = (Column.field("PORT", "port", "right"), Column.field("PROTOCOL", "protocol"))


def _print_ports(state: CliState, ports: PortList) -> None:
    if state.json:
        print_json(ports)
    else:
        print_table(ports.port_list, PORT_COLUMNS, empty="no open ports")


def _print_network(state: CliState, description: NetworkDescription) -> None:
    if state.json:
        print_json(description)
        return
    status = description.instance_status
    row = {
        "tag": status.tag,
        "private_ipv4": status.private_ipv4,
        "global_ipv4": status.global_ipv4,
        "global_ipv6": status.global_ipv6,
        "received": _traffic(status.bytes_received, status.packets_received),
        "sent": _traffic(status.bytes_sent, status.packets_sent),
        "root_storage_usage": status.root_storage_usage,
        "ports": ", ".join(str(p.port) for p in description.port_list) or None,
    }
    print_object(row)


def _traffic(octets: int | None, packets: int | None) -> str | None:
    if octets is None and packets is None:
        return None
    return f"{_count(octets)} bytes, {_count(packets)} packets"


def _count(number: int | None) -> str:
    return "?" if number is None else str(number)


@click.command()
@click.argument("instance")
@output_option
@pass_state
def ports(state: CliState, instance: str) -> None:
    """An instance's open inbound ports."""
    client = state.client()
    _print_ports(state, client.port_list(find_instance(client, instance)))


@click.group()
def port() -> None:
    """Open and close inbound ports."""


@port.command("open")
@click.argument("instance")
@click.argument("number", metavar="PORT", type=PORT_NUMBER)
@output_option
@pass_state
def open_port(state: CliState, instance: str, number: int) -> None:
    """Open PORT (1-65535) to inbound TCP traffic."""
    client = state.client()
    _print_ports(state, client.open_port(find_instance(client, instance), port=number))


@port.command("close")
@click.argument("instance")
@click.argument("number", metavar="PORT", type=PORT_NUMBER)
@yes_option
@output_option
@pass_state
def close_port(state: CliState, instance: str, number: int) -> None:
    """Close PORT (closing 22, SSH's, warns and asks first)."""
    client = state.client()
    found = find_instance(client, instance)
    if number == SSH_PORT:
        _confirm_closing_ssh(state, found)
    _print_ports(state, client.close_port(found, port=number))


def _confirm_closing_ssh(state: CliState, instance: Instance) -> None:
    """Closing 22 cuts every SSH extra off the instance (ssh, cp, sync, tunnels): asked on
    a terminal, refused without one unless --yes, as a destroying command is."""
    shown = f"{instance.tag} ({instance.instance_id})"
    if state.chatty:
        _say.warning(
            f"port 22 is SSH: once it is closed, gpueater ssh, cp, sync and tunnel cannot "
            f"reach {shown} until it is opened again (gpueater port open "
            f"{instance.instance_id} 22)"
        )
    confirm_destroy("close port 22 (SSH) on", [shown], assume_yes=state.yes)


@click.group()
def ip() -> None:
    """Renew or refresh an instance's IPv4 address."""


@ip.command()
@click.argument("instance")
@output_option
@pass_state
def renew(state: CliState, instance: str) -> None:
    """Give the instance a new IPv4 address."""
    client = state.client()
    _print_network(state, client.renew_ipv4(find_instance(client, instance)))


@ip.command()
@click.argument("instance")
@output_option
@pass_state
def refresh(state: CliState, instance: str) -> None:
    """Re-apply the instance's IPv4 configuration (same address)."""
    client = state.client()
    _print_network(state, client.refresh_ipv4(find_instance(client, instance)))


@click.command()
@click.argument("instance")
@output_option
@pass_state
def network(state: CliState, instance: str) -> None:
    """An instance's addresses, traffic, root disk use and open ports."""
    client = state.client()
    _print_network(state, client.network_description(find_instance(client, instance)))
