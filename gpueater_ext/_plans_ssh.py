"""The seed's SSH extensions as plans: login, remote commands and file operations.

Each method finds the instance, builds its `SshTarget` and hands the blocking SSH work to
the SSH layer (`_ssh`) as a `Blocking` effect, so both clients share one implementation
(the async one runs the ssh process in a worker thread).

The instance may be given as an `Instance`, as the seed's form dict (its `instance_id`,
with the other fields of the seed's README: `action`, `src`, `dst`, `recursive`), or as an
instance id, tag or unique prefix, which `instance_list` resolves (the one rule of
`_instance_arg`). An Instance that is RUNNING with an
address is used as it is; anything else is looked up again, so a stale copy of a
just-launched instance still works. Keywords win over the form's values, as everywhere.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from gpueater_ext._errors import InvalidArgumentError, SSHError
from gpueater_ext._forms import merge_form
from gpueater_ext._instance_arg import InstanceArg, find_instance
from gpueater_ext._models import Instance
from gpueater_ext._plans import Blocking, Plan

if TYPE_CHECKING:  # the SSH layer loads on the first SSH call, not with the client
    from gpueater_ext._ssh import CommandResult, RemoteFileEntry, SshTarget

__all__ = [
    "PathArg",
    "capture_command",
    "copy_file",
    "delete_file",
    "file_list",
    "forget_host_key_quietly",
    "login_instance",
    "make_directory",
    "move_file",
    "run_command",
]

PathArg = str | os.PathLike[str]


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
    values = _values(form, given_fields(locals()))
    target = yield from _target(form, values, "login_instance")
    exit_code: int = yield Blocking(_ssh_layer, ("login_instance", target))
    return exit_code


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
    values = _values(form, {"instance_id": instance_id, "key_file": key_file})
    words = _command_words(command, "run_command")
    target = yield from _target(form, values, "run_command")
    exit_code: int = yield Blocking(_ssh_layer, ("run_command", target, words), {"tty": tty})
    return exit_code


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
    values = _values(form, {"instance_id": instance_id, "key_file": key_file})
    words = _command_words(command, "capture_command")
    target = yield from _target(form, values, "capture_command")
    result: CommandResult = yield Blocking(
        _ssh_layer,
        ("capture_command", target, words),
        {"input_bytes": input, "timeout": timeout},
    )
    return result


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
    return _transfer("copy_file", form, given_fields(locals()))


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
    return _transfer("move_file", form, given_fields(locals()))


def _transfer(name: str, form: InstanceArg | None, fields: dict[str, Any]) -> Plan[None]:
    """copy_file and move_file: the same arguments, the SSH layer's function `name`."""
    values = _values(form, fields)
    arguments = (_action(values), _required(values, "src"), _required(values, "dst"))
    target = yield from _target(form, values, name)
    yield Blocking(
        _ssh_layer, (name, target, *arguments), {"recursive": _flag(values, "recursive")}
    )


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
    values = _values(form, given_fields(locals()))
    path = _remote(values, "src")
    target = yield from _target(form, values, "delete_file")
    yield Blocking(
        _ssh_layer, ("delete_file", target, path), {"recursive": _flag(values, "recursive")}
    )


def make_directory(
    form: InstanceArg | None = None,
    /,
    *,
    instance_id: str | None = None,
    dst: str | None = None,
    key_file: PathArg | None = None,
) -> Plan[None]:
    """Create the remote folder `dst` and any missing parents (an existing one is fine)."""
    values = _values(form, given_fields(locals()))
    path = _remote(values, "dst")
    target = yield from _target(form, values, "make_directory")
    yield Blocking(_ssh_layer, ("make_directory", target, path))


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
    values = _values(form, given_fields(locals()))
    path = _remote(values, "src") if "src" in values else "."
    target = yield from _target(form, values, "file_list")
    entries: list[RemoteFileEntry] = yield Blocking(_ssh_layer, ("file_list", target, path))
    return entries


def forget_host_key_quietly(instance_id: str, service_url: str | None = None) -> None:
    """Forget a terminated instance's host key; a failure only logs a warning.

    The termination itself succeeded, and a stale alias does no harm until an instance
    with the same id appears, so this must not turn a done termination into an error.
    """
    import logging

    from gpueater_ext._ssh import forget_host_key

    try:
        forget_host_key(instance_id, service_url=service_url)
    except (SSHError, OSError) as problem:
        logging.getLogger("gpueater_ext").warning(
            "instance %s was terminated, but its host key was not forgotten: %s",
            instance_id,
            problem,
        )


def given_fields(arguments: dict[str, Any]) -> dict[str, Any]:
    """A plan's keyword fields (its `locals()` on entry), without the form."""
    return {name: value for name, value in arguments.items() if name != "form"}


def _values(form: InstanceArg | None, fields: dict[str, Any]) -> dict[str, Any]:
    """The form's values (none for an id or tag given as a string) updated by the keywords."""
    return merge_form(None if isinstance(form, str | int) else form, fields)


def _target(form: InstanceArg | None, values: dict[str, Any], method: str) -> Plan[SshTarget]:
    """The SshTarget of the instance the arguments name (see the module docstring)."""
    from gpueater_ext._ssh import SshTarget

    instance = yield from _instance(form, values, method)
    if instance.state != "RUNNING":
        raise SSHError(
            f"instance {instance.instance_id} is {instance.state}: SSH needs it RUNNING "
            "(start it and wait for it)"
        )
    return SshTarget.for_instance(instance, key_file=values.get("key_file"))


def _instance(form: InstanceArg | None, values: dict[str, Any], method: str) -> Plan[Instance]:
    named = form if isinstance(form, str) else values.get("instance_id")
    if isinstance(form, Instance) and named == form.instance_id and _reachable(form):
        return form
    if named is None or named == "":
        raise InvalidArgumentError(
            f"{method} needs the instance: pass an Instance, its id or tag, "
            "or a form with instance_id"
        )
    found: Instance = yield from find_instance(named, method)
    return found


def _reachable(instance: Instance) -> bool:
    return instance.state == "RUNNING" and bool(instance.ipv4)


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


def _action(values: dict[str, Any]) -> Literal["get", "put"]:
    action = values.get("action")
    if action == "get":
        return "get"
    if action == "put":
        return "put"
    raise InvalidArgumentError(
        f"action must be 'get' (from the instance) or 'put' (to it), not {action!r}"
    )


def _required(values: dict[str, Any], name: str) -> PathArg:
    value = values.get(name)
    if (isinstance(value, str) and value) or isinstance(value, os.PathLike):
        return value
    raise InvalidArgumentError(f"{name} must be a non-empty path, not {value!r}")


def _remote(values: dict[str, Any], name: str) -> str:
    value = _required(values, name)
    if not isinstance(value, str):
        raise InvalidArgumentError(f"{name} is a remote path: pass it as a string")
    return value


def _flag(values: dict[str, Any], name: str) -> bool:
    value = values.get(name, False)
    if not isinstance(value, bool):
        raise InvalidArgumentError(f"{name} must be True or False, not {value!r}")
    return value


def _ssh_layer(name: str, *args: Any, **kwargs: Any) -> Any:
    """Run the SSH layer's function `name` (the layer loads on the first SSH call, not with
    the client); a local file-system failure becomes an SSHError: no OS exception may reach
    a user."""
    from gpueater_ext import _ssh

    try:
        return getattr(_ssh, name)(*args, **kwargs)
    except OSError as problem:
        where = f" ({problem.filename})" if problem.filename else ""
        raise SSHError(f"{problem.strerror or problem}{where}") from None
