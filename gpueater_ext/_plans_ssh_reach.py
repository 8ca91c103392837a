"""The SSH extras that reach further, as plans: synchronize_files (rsync), tunnel and
ssh_config.

Instances are named as for the other SSH extras (an Instance, the seed's form dict, an id
or a tag; see `_plans_ssh`), and the blocking work runs through the same `Blocking` effect,
so both clients share these too. In AsyncGPUEater, `await client.tunnel(...)` gives the
open Tunnel, which `async with` closes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal

from gpueater_ext._errors import InvalidArgumentError
from gpueater_ext._instance_arg import InstanceArg
from gpueater_ext._models import Instance
from gpueater_ext._plans import Blocking, Call, Plan
from gpueater_ext._plans_ssh import (
    PathArg,
    _action,
    _flag,
    _required,
    _ssh_layer,
    _target,
    _values,
    given_fields,
)

if TYPE_CHECKING:
    from gpueater_ext._ssh import SshConfig, SshConfigUpdate, SyncResult, Tunnel

__all__ = ["ssh_config", "synchronize_files", "tunnel"]


def synchronize_files(
    form: InstanceArg | None = None,
    /,
    *,
    instance_id: str | None = None,
    action: Literal["get", "put"] | None = None,
    src: PathArg | None = None,
    dst: PathArg | None = None,
    delete: bool | None = None,
    exclude: Sequence[str] | None = None,
    gitignore: bool | None = None,
    dry_run: bool | None = None,
    on_progress: Callable[[str], None] | None = None,
    key_file: PathArg | None = None,
) -> Plan[SyncResult]:
    """Make folder `dst` hold what folder `src` holds, sending only what changed (rsync):
    action "get" from the instance to here, "put" from here to the instance.

    `delete=True` removes what `src` does not have from `dst` (excluded files stay);
    `exclude` holds rsync patterns (`*.pyc`, `/data`); `gitignore=True` honours the source's
    `.gitignore` files; `dry_run=True` only reports; `on_progress(line)` receives rsync's
    overall progress. Returns a SyncResult (its items, `transferred` and `deleted` paths).
    Remote paths are never globbed or expanded; the instance needs rsync installed.
    """
    values = _values(form, given_fields(locals()))
    if isinstance(values.get("exclude"), str):
        raise InvalidArgumentError("exclude takes a list of patterns, e.g. ['*.pyc']")
    arguments = (_action(values), _required(values, "src"), _required(values, "dst"))
    target = yield from _target(form, values, "synchronize_files")
    options = {
        "delete": _flag(values, "delete"),
        "exclude": list(values.get("exclude") or ()),
        "gitignore": _flag(values, "gitignore"),
        "dry_run": _flag(values, "dry_run"),
        "on_progress": on_progress,
    }
    result: SyncResult = yield Blocking(
        _ssh_layer, ("synchronize_files", target, *arguments), options
    )
    return result


def tunnel(
    form: InstanceArg | None = None,
    /,
    port: int | None = None,
    remote_port: int | None = None,
    *,
    instance_id: str | None = None,
    key_file: PathArg | None = None,
) -> Plan[Tunnel]:
    """Forward local port `port` on 127.0.0.1 to `remote_port` (default: the same) on the
    instance; returns the open Tunnel once the local port accepts connections.

    Use it as a context manager, which closes the forward: `with client.tunnel(instance,
    8888) as t: ... t.url()`. `port=0` picks a free local port (`t.local_port`). A taken
    local port raises SSHError at once.
    """
    values = _values(form, given_fields(locals()))
    local = values.get("port")
    if not isinstance(local, int) or isinstance(local, bool):
        raise InvalidArgumentError(f"tunnel needs the local port as a number, not {local!r}")
    target = yield from _target(form, values, "tunnel")
    opened: Tunnel = yield Blocking(
        _ssh_layer, ("open_tunnel", target, local, values.get("remote_port"))
    )
    return opened


def ssh_config(*, write: bool = False) -> Plan[SshConfig]:
    """ssh_config Host blocks (`gpueater-<label>-<tag>`) for the RUNNING instances, with their
    address, port, user, key and the project's host key alias and known_hosts.

    `write=True` keeps them in the project's own file and includes it from `~/.ssh/config`
    (once, at the top, with a backup; the user's own entries are never edited), so plain
    `ssh gpueater-<label>-<tag>`, rsync and editors work. Terminated instances drop out on
    the next write.
    """
    from gpueater_ext._ssh import SshConfig, ssh_config_hosts, ssh_config_text

    instances: list[Instance] = yield Call("instance_list")
    hosts, skipped = ssh_config_hosts(instances)
    written: SshConfigUpdate | None = None
    if write:
        written = yield Blocking(_ssh_layer, ("write_ssh_config", hosts))
    return SshConfig(ssh_config_text(hosts), hosts, skipped, written)
