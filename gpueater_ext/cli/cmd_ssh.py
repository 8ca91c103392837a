"""`gpueater ssh INSTANCE [-- COMMAND ARGS...]`: a login shell, or one remote command.

The exit status is ssh's own: the remote command's, or 255 when ssh itself failed (a
changed host key included, which also prints its one `error:` line). Failures of the tool
before ssh starts (a name that matches nothing, a missing key, a bad option, an unreachable
service) exit 255 too, with their `error:` line: a remote command's own 3 or 6 must not be
mistaken for the tool's codes.
"""

from __future__ import annotations

from pathlib import Path

import click

from gpueater_ext.cli import _say
from gpueater_ext.cli._exit import CliUsageError, one_line
from gpueater_ext.cli._lookup import find_instance
from gpueater_ext.cli._output import print_json
from gpueater_ext.cli._state import CliState, RemoteStatusCommand, output_option, pass_state

__all__ = ["key_file_option", "ssh"]

# What ssh itself answers when it failed; the CLI passes it on, as ssh would.
SSH_FAILED = 255


def key_file_option(command: click.Command) -> click.Command:
    """`-i/--key-file`: the private key to use instead of ~/.ssh/<instance's key>.pem."""
    return click.option(
        "-i",
        "--key-file",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Private key file (default: ~/.ssh/<the instance's key name>.pem).",
    )(command)


@click.command(cls=RemoteStatusCommand)
@click.argument("instance")
@click.argument("command", nargs=-1, metavar="[-- COMMAND ARGS...]")
@click.option("-t", "--tty", is_flag=True, help="Give the remote command a terminal.")
@key_file_option
@output_option
@pass_state
def ssh(
    state: CliState, instance: str, command: tuple[str, ...], tty: bool, key_file: Path | None
) -> int:
    """Log in to an instance, or run one command there and exit with its status.

    The command's words reach the instance exactly as given (no remote shell parsing);
    for shell syntax run a shell: gpueater ssh web -- sh -c 'make && ./train'.
    With -o json the command's output is collected into one object
    (exit_code, stdout, stderr).
    """
    from gpueater_ext._ssh import HostKeyChangedError

    if state.json and not command:
        raise CliUsageError("an interactive login has no JSON output: give a COMMAND after --")
    client = state.client()
    target = find_instance(client, instance)
    try:
        if not command:
            return client.login_instance(target, key_file=key_file)
        if state.json:
            result = client.capture_command(target, list(command), key_file=key_file)
            print_json(
                {
                    "exit_code": result.exit_code,
                    "stdout": result.stdout.decode(errors="replace"),
                    "stderr": result.stderr.decode(errors="replace"),
                }
            )
            return result.exit_code
        return client.run_command(target, list(command), tty=tty, key_file=key_file)
    except HostKeyChangedError as refused:
        # ssh ran and refused the host: its status, with the explanation on one line.
        _say.error(one_line(refused))
        return SSH_FAILED
