"""Running the OpenSSH client: a login shell, a streamed command, a captured command.

All functions are synchronous and block; the async client runs them in a worker thread
(`asyncio.to_thread`). Before ssh starts, the key file and the known_hosts folder are
checked, so those problems are one-line SSHErrors rather than ssh's own noise.
"""

from __future__ import annotations

import functools
import os
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from gpueater_ext._errors import SSHError
from gpueater_ext._ssh.argv import ssh_argv
from gpueater_ext._ssh.keys import check_key_file
from gpueater_ext._ssh.known_hosts import host_key_changed_error, prepare_known_hosts
from gpueater_ext._ssh.remote import until_client_leaves
from gpueater_ext._ssh.target import SshTarget

__all__ = [
    "SSH_FAILED",
    "CommandResult",
    "capture_command",
    "login_instance",
    "os_errors_as_ssh",
    "prepared_argv",
    "run_checked",
    "run_command",
    "ssh_error",
]

# ssh's own exit status when it fails (the remote command's status otherwise).
SSH_FAILED = 255


@dataclass(frozen=True)
class CommandResult:
    """A finished remote command: its exit status (255: ssh failed) and its output."""

    exit_code: int
    stdout: bytes
    stderr: bytes


def prepared_argv(
    target: SshTarget,
    remote_words: Sequence[str] | None,
    *,
    batch: bool = True,
    tty: bool = False,
    extra_options: Sequence[str] = (),
) -> list[str]:
    """Check the key and the known_hosts folder, then build ssh's argument list."""
    check_key_file(target.key_file)
    known_hosts = prepare_known_hosts(target)
    return ssh_argv(
        target, known_hosts, remote_words, batch=batch, tty=tty, extra_options=extra_options
    )


def _no_ssh_client(target: SshTarget) -> SSHError:
    return SSHError(
        f"{target.ssh_program!r} not found: install OpenSSH's client "
        "(`apt-get install openssh-client`)"
    )


P = ParamSpec("P")
R = TypeVar("R")


def os_errors_as_ssh(function: Callable[P, R]) -> Callable[P, R]:
    """`function` with the SSH layer's rule that no OS exception reaches a user: a local
    file-system failure (an OSError) becomes an SSHError naming the file."""

    @functools.wraps(function)
    def checked(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except OSError as problem:
            where = f" ({os.fsdecode(problem.filename)})" if problem.filename else ""
            raise SSHError(f"{problem.strerror or problem}{where}") from None

    return checked


def ssh_error(target: SshTarget, stderr: bytes, doing: str) -> SSHError:
    """The SSHError for a failed ssh call: a changed host key explains itself."""
    changed = host_key_changed_error(target, stderr)
    if changed is not None:
        return changed
    lines = [line.strip() for line in stderr.decode(errors="replace").splitlines()]
    # tar ends with a summary line; the line before it names the actual problem.
    useful = [line for line in lines if line and "Exiting with failure status" not in line]
    reason = useful[-1] if useful else "ssh failed without a message"
    return SSHError(f"{doing} failed ({target.describe()}): {reason}")


def _raise_if_host_key_changed(target: SshTarget) -> None:
    """After a streamed call exited 255: was it the host key? (Its output went to the user.)"""
    probe = capture_command(target, ["true"])
    if probe.exit_code == 0:
        return
    changed = host_key_changed_error(target, probe.stderr)
    if changed is not None:
        raise changed


def login_instance(target: SshTarget) -> int:
    """An interactive login shell on the instance; returns ssh's exit status.

    Not in batch mode, so a passphrase-protected key may prompt.
    """
    argv = prepared_argv(target, None, batch=False)
    try:
        exit_code = subprocess.run(argv, check=False).returncode  # noqa: S603 (argument list)
    except FileNotFoundError:
        raise _no_ssh_client(target) from None
    if exit_code == SSH_FAILED:
        _raise_if_host_key_changed(target)
    return exit_code


def run_command(target: SshTarget, command: Sequence[str], *, tty: bool = False) -> int:
    """Run one remote command, its words passed exactly; output streams to this process's.

    Returns the remote command's exit status, or 255 when ssh itself failed (as ssh does);
    a changed host key raises HostKeyChangedError instead. Standard input is passed on.
    For shell syntax, say so explicitly: `["sh", "-c", "make && ./run"]`.
    """
    # Without a terminal nothing would end the remote command when this client goes away
    # (Ctrl-C here): the wrapper does. With one, sshd's hang-up of the pty does.
    remote = list(command) if tty else until_client_leaves(list(command))
    argv = prepared_argv(target, remote, tty=tty)
    try:
        exit_code = subprocess.run(argv, check=False).returncode  # noqa: S603 (argument list)
    except FileNotFoundError:
        raise _no_ssh_client(target) from None
    if exit_code == SSH_FAILED:
        _raise_if_host_key_changed(target)
    return exit_code


def capture_command(
    target: SshTarget,
    command: Sequence[str],
    *,
    input_bytes: bytes | None = None,
    timeout: float | None = None,
) -> CommandResult:
    """Run one remote command and collect its output; 255 means ssh failed (see stderr).

    A changed host key raises HostKeyChangedError; `timeout` (seconds) raises SSHError.
    """
    argv = prepared_argv(target, command)
    try:
        finished = subprocess.run(  # noqa: S603 (argument list)
            argv,
            input=input_bytes,
            stdin=subprocess.DEVNULL if input_bytes is None else None,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        raise _no_ssh_client(target) from None
    except subprocess.TimeoutExpired:
        raise SSHError(f"{target.describe()} did not finish within {timeout} s") from None
    if finished.returncode == SSH_FAILED:
        changed = host_key_changed_error(target, finished.stderr)
        if changed is not None:
            raise changed
    return CommandResult(finished.returncode, finished.stdout, finished.stderr)


def run_checked(target: SshTarget, command: Sequence[str], doing: str) -> bytes:
    """Run a remote command that must succeed; its stdout, or an SSHError naming `doing`."""
    result = capture_command(target, command)
    if result.exit_code != 0:
        raise ssh_error(target, result.stderr, doing)
    return result.stdout
