"""`tunnel` and `jupyter`: a local port on 127.0.0.1 forwarded to a port on an instance,
open until Ctrl-C."""

from __future__ import annotations

import contextlib
import re
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import click

from gpueater_ext.cli import _say
from gpueater_ext.cli._exit import CliUsageError
from gpueater_ext.cli._lookup import find_instance
from gpueater_ext.cli._output import print_json
from gpueater_ext.cli._state import CliState, output_option, pass_state
from gpueater_ext.cli.cmd_network import PORT_NUMBER
from gpueater_ext.cli.cmd_ssh import key_file_option

if TYPE_CHECKING:
    from gpueater_ext import Instance, Tunnel

__all__ = ["jupyter", "tunnel"]

DEFAULT_NOTEBOOK_PORT = 8888


def parse_ports(spec: str) -> tuple[int, int]:
    """`PORT` or `PORT:REMOTE_PORT` as (local, remote); a local 0 picks a free port."""
    found = re.fullmatch(r"(\d{1,5})(?::(\d{1,5}))?", spec)
    if found is None:
        raise CliUsageError(f"{spec!r} is not PORT or PORT:REMOTE_PORT (e.g. 8888:8889)")
    ports = int(found.group(1)), int(found.group(2) or found.group(1))
    if not (0 <= ports[0] <= 65535 and 1 <= ports[1] <= 65535):
        raise CliUsageError(f"ports must be from 1 to 65535, not {spec!r}")
    return ports


@contextlib.contextmanager
def _sigterm_as_exit() -> Iterator[None]:
    """SIGTERM and SIGHUP (a closed terminal) end the command like Ctrl-C does, through the
    `with` that closes the tunnel, so no ssh is left forwarding behind a killed command."""

    def leave(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = {number: signal.signal(number, leave) for number in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _hold_open(
    state: CliState, opened: Tunnel, instance: Instance, shown: dict[str, Any], url: str | None
) -> None:
    """Say where the tunnel is (stdout: the URL or JSON), then wait until Ctrl-C."""
    if state.json:
        print_json(shown)
    else:
        _say.echo(url or f"127.0.0.1:{opened.local_port}")
    sys.stdout.flush()  # a script reading our stdout must see it while we wait
    if state.chatty:
        _say.echo(
            f"forwarding 127.0.0.1:{opened.local_port} to port {opened.remote_port} on "
            f"{instance.tag} ({instance.instance_id}); Ctrl-C closes it",
            err=True,
        )
    opened.wait()  # returns only by Ctrl-C (KeyboardInterrupt) or a broken connection


@click.command()
@click.argument("instance")
@click.argument("ports", metavar="PORT[:REMOTE_PORT]")
@key_file_option
@output_option
@pass_state
def tunnel(state: CliState, instance: str, ports: str, key_file: Path | None) -> None:
    """Forward 127.0.0.1:PORT to REMOTE_PORT (default: PORT) on an instance until Ctrl-C.

    PORT 0 picks a free local port (printed).
    """
    local, remote = parse_ports(ports)
    client = state.client()
    found = find_instance(client, instance)
    with _sigterm_as_exit(), client.tunnel(found, local, remote, key_file=key_file) as opened:
        shown = {
            "instance_id": found.instance_id,
            "local_port": opened.local_port,
            "remote_port": opened.remote_port,
            "local_address": f"127.0.0.1:{opened.local_port}",
        }
        _hold_open(state, opened, found, shown, None)


@click.command()
@click.argument("instance")
@click.option(
    "--port",
    type=PORT_NUMBER,
    help="The notebook's port on the instance (default: the running server's, else 8888).",
)
@click.option("--local-port", type=PORT_NUMBER, help="The local port (default: --port's).")
@key_file_option
@output_option
@pass_state
def jupyter(
    state: CliState,
    instance: str,
    port: int | None,
    local_port: int | None,
    key_file: Path | None,
) -> None:
    """Reach a notebook server on an instance: a tunnel, and its local URL with the token."""
    from gpueater_ext._errors import SSHError
    from gpueater_ext._ssh import (
        JUPYTER_MISSING,
        list_servers_words,
        notebook_url,
        parse_servers,
    )

    client = state.client()
    found = find_instance(client, instance)
    listed = client.capture_command(found, list_servers_words(), key_file=key_file, timeout=60)
    if listed.exit_code == JUPYTER_MISSING:
        raise click.ClickException(
            f"jupyter is not installed on {found.tag}: install it there "
            "(`pip install jupyterlab`) and start it (`jupyter lab --no-browser`)"
        )
    if listed.exit_code != 0:
        reason = listed.stderr.decode(errors="replace").strip().splitlines()[-1:]
        raise SSHError(f"listing notebook servers on {found.tag} failed: {reason or 'no message'}")
    servers = parse_servers(listed.stdout)
    if port is None:
        port = servers[0].port if len(servers) == 1 else DEFAULT_NOTEBOOK_PORT
    server = next((s for s in servers if s.port == port), None)
    if server is None and state.chatty:
        _say.echo(
            f"no notebook server is running on port {port} of {found.tag}: start one there "
            f"(`jupyter lab --no-browser --port {port}`); the tunnel is open meanwhile",
            err=True,
        )
    with (
        _sigterm_as_exit(),
        client.tunnel(found, local_port or port, port, key_file=key_file) as opened,
    ):
        url = notebook_url(opened.local_port, server)
        shown = {
            "instance_id": found.instance_id,
            "local_port": opened.local_port,
            "remote_port": opened.remote_port,
            "url": url,
            "server_found": server is not None,
        }
        _hold_open(state, opened, found, shown, url)
