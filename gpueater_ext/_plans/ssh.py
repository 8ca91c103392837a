"""The seed's SSH extensions as plans: login, remote commands and file operations.

Each method finds the instance, builds its `SshTarget` and hands the blocking SSH work to
the SSH layer (`_ssh`) as a `Blocking` effect (`shared.on_instance`, typed), so both
clients share one implementation (the async one runs the ssh process in a worker thread).

The instance may be given as an `Instance`, as the seed's form dict (its `instance_id`,
with the other fields of the seed's README: `action`, `src`, `dst`, `recursive`), or as an
instance id, tag or unique prefix, which `instance_list` resolves (the one rule of
`gpueater_ext._instance_arg`). An Instance that is RUNNING with an
address is used as it is; anything else is looked up again, so a stale copy of a
just-launched instance still works. Keywords win over the form's values, as everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from gpueater_ext._errors import InvalidArgumentError, SSHError
from gpueater_ext._instance_arg import InstanceArg
from gpueater_ext._plans.effects import Plan
from gpueater_ext._plans.shared import (
    PathArg,
    flag,
    given_fields,
    on_instance,
    required_path,
    ssh_target,
    ssh_values,
    transfer_action,
)

if TYPE_CHECKING:  # the SSH layer loads on the first SSH call, not with the client
    from gpueater_ext._ssh import CommandResult, RemoteFileEntry

__all__ = [
    "capture_command",
    "copy_file",
    "delete_file",
    "file_list",
    "forget_host_key_quietly",
    "host_key_may_be_recorded",
    "login_instance",
    "make_directory",
    "move_file",
    "run_command",
]


def login_instance(
    form: InstanceArg | None = None,
    /,
    *,
    instance_id: str | None = None,
    key_file: PathArg | None = None,
) -> Plan[int]:
    """An interactive ssh login on the instance; returns ssh's exit status.

    Uses this process's terminal; host keys are checked against the project's known_hosts.
    """
    values = ssh_values(form, given_fields(locals()))
    target = yield from ssh_target(form, values, "login_instance")
    from gpueater_ext import _ssh  # the SSH layer loads on the first SSH call

    return (yield from on_instance(_ssh.login_instance, target))


def run_command(
    form: InstanceArg | None = None,
    /,
    command: Sequence[str] | None = None,
    *,
    instance_id: str | None = None,
    tty: bool = False,
    key_file: PathArg | None = None,
) -> Plan[int]:
    """Run one command on the instance, its words passed exactly (no remote shell parsing),
    with output streaming to this process's; returns the remote exit status (255: ssh
    failed). For shell syntax say so: `["sh", "-c", "make && ./train"]`.
    """
    values = ssh_values(form, {"instance_id": instance_id, "key_file": key_file})
    words = _command_words(command, "run_command")
    target = yield from ssh_target(form, values, "run_command")
    from gpueater_ext import _ssh  # the SSH layer loads on the first SSH call

    return (yield from on_instance(_ssh.run_command, target, words, tty=tty))


def capture_command(
    form: InstanceArg | None = None,
    /,
    command: Sequence[str] | None = None,
    *,
    instance_id: str | None = None,
    input: bytes | None = None,
    timeout: float | None = None,
    key_file: PathArg | None = None,
) -> Plan[CommandResult]:
    """Run one command as `run_command` does, collecting its output: a CommandResult with
    `exit_code`, `stdout` and `stderr` (bytes). `input` is sent to its standard input;
    after `timeout` seconds it is stopped and SSHError raised."""
    values = ssh_values(form, {"instance_id": instance_id, "key_file": key_file})
    words = _command_words(command, "capture_command")
    target = yield from ssh_target(form, values, "capture_command")
    from gpueater_ext import _ssh  # the SSH layer loads on the first SSH call

    return (
        yield from on_instance(
            _ssh.capture_command, target, words, input_bytes=input, timeout=timeout
        )
    )


def copy_file(
    form: InstanceArg | None = None,
    /,
    *,
    instance_id: str | None = None,
    action: Literal["get", "put"] | None = None,
    src: PathArg | None = None,
    dst: PathArg | None = None,
    recursive: bool | None = None,
    key_file: PathArg | None = None,
) -> Plan[None]:
    """Copy a file: action "get" brings remote `src` here as `dst`, "put" sends local `src`
    to remote `dst`. Like cp: an existing folder as `dst` receives the copy inside it;
    folders need `recursive=True`. Remote relative paths start in the remote user's home;
    no path is ever globbed or expanded. The copy is a tar stream over one ssh call.
    """
    return _transfer("copy_file", form, given_fields(locals()), move=False)


def move_file(
    form: InstanceArg | None = None,
    /,
    *,
    instance_id: str | None = None,
    action: Literal["get", "put"] | None = None,
    src: PathArg | None = None,
    dst: PathArg | None = None,
    recursive: bool | None = None,
    key_file: PathArg | None = None,
) -> Plan[None]:
    """Copy as `copy_file` does, then delete the source; a failed copy deletes nothing."""
    return _transfer("move_file", form, given_fields(locals()), move=True)


def _transfer(
    name: str, form: InstanceArg | None, fields: dict[str, Any], *, move: bool
) -> Plan[None]:
    """copy_file and move_file (`name`): the same arguments, the SSH layer's copy or move."""
    values = ssh_values(form, fields)
    arguments = (
        transfer_action(values),
        required_path(values, "src"),
        required_path(values, "dst"),
    )
    target = yield from ssh_target(form, values, name)
    from gpueater_ext import _ssh  # the SSH layer loads on the first SSH call

    copy = _ssh.move_file if move else _ssh.copy_file
    yield from on_instance(copy, target, *arguments, recursive=flag(values, "recursive"))


def delete_file(
    form: InstanceArg | None = None,
    /,
    *,
    instance_id: str | None = None,
    src: str | None = None,
    recursive: bool | None = None,
    key_file: PathArg | None = None,
) -> Plan[None]:
    """Delete the remote file `src` (a folder too, with `recursive=True`); a missing path is
    an SSHError. '.', '..' and '/' are refused."""
    values = ssh_values(form, given_fields(locals()))
    path = _remote(values, "src")
    target = yield from ssh_target(form, values, "delete_file")
    from gpueater_ext import _ssh  # the SSH layer loads on the first SSH call

    yield from on_instance(_ssh.delete_file, target, path, recursive=flag(values, "recursive"))


def make_directory(
    form: InstanceArg | None = None,
    /,
    *,
    instance_id: str | None = None,
    dst: str | None = None,
    key_file: PathArg | None = None,
) -> Plan[None]:
    """Create the remote folder `dst` and any missing parents (an existing one is fine)."""
    values = ssh_values(form, given_fields(locals()))
    path = _remote(values, "dst")
    target = yield from ssh_target(form, values, "make_directory")
    from gpueater_ext import _ssh  # the SSH layer loads on the first SSH call

    yield from on_instance(_ssh.make_directory, target, path)


def file_list(
    form: InstanceArg | None = None,
    /,
    *,
    instance_id: str | None = None,
    src: str | None = None,
    key_file: PathArg | None = None,
) -> Plan[list[RemoteFileEntry]]:
    """The entries of the remote folder `src` (default: the remote user's home), sorted by
    name: RemoteFileEntry(name, type, size, modified). A file lists as its one entry."""
    values = ssh_values(form, given_fields(locals()))
    path = _remote(values, "src") if "src" in values else "."
    target = yield from ssh_target(form, values, "file_list")
    from gpueater_ext import _ssh  # the SSH layer loads on the first SSH call

    return (yield from on_instance(_ssh.file_list, target, path))


def host_key_may_be_recorded(instance_id: str, service_url: str | None = None) -> bool:
    """Whether a terminated instance's host key may be recorded, so that forgetting it is
    worth a `Blocking` effect (in the async client a worker thread); one stat, decided in
    the plan (see `_ssh.known_hosts.may_record_host_key`)."""
    from gpueater_ext import _ssh  # the SSH layer loads on the first SSH call

    return _ssh.may_record_host_key(instance_id, service_url=service_url)


def forget_host_key_quietly(instance_id: str, service_url: str | None = None) -> None:
    """Forget a terminated instance's host key; a failure only logs a warning.

    The termination itself succeeded, and a stale alias does no harm until an instance
    with the same id appears, so this must not turn a done termination into an error.
    """
    import logging

    from gpueater_ext import _ssh  # the SSH layer loads on the first SSH call

    try:
        _ssh.forget_host_key(instance_id, service_url=service_url)
    except (SSHError, OSError) as problem:
        logging.getLogger("gpueater_ext").warning(
            "instance %s was terminated, but its host key was not forgotten: %s",
            instance_id,
            problem,
        )


def _command_words(command: Sequence[str] | None, method: str) -> list[str]:
    if command is None:
        raise InvalidArgumentError(f"{method} needs the command, as a list of words")
    if isinstance(command, str | bytes):
        raise InvalidArgumentError(
            f"{method} takes the command as a list of words, e.g. ['ls', '-l', path]; "
            "for shell syntax pass ['sh', '-c', script]"
        )
    words = list(command)
    if not words or not all(isinstance(word, str) for word in words):
        raise InvalidArgumentError(f"{method} needs a non-empty list of string words")
    return words


def _remote(values: dict[str, Any], name: str) -> str:
    value = required_path(values, name)
    if not isinstance(value, str):
        raise InvalidArgumentError(f"{name} is a remote path: pass it as a string")
    return value
