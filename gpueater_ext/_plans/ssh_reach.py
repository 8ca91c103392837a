"""The SSH extras that reach further, as plans: synchronize_files (rsync), tunnel and
ssh_config.

Instances are named as for the other SSH extras (an Instance, the seed's form dict, an id
or a tag; see `_plans.ssh`), and the blocking work runs through the same `Blocking` effect
(`shared.on_instance`), so both clients share these too. In AsyncGPUEater,
`await client.tunnel(...)` gives the open Tunnel, which `async with` closes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal

from gpueater_ext._errors import InvalidArgumentError
from gpueater_ext._instance_arg import InstanceArg
from gpueater_ext._models import Instance
from gpueater_ext._plans.effects import Call, Plan, ServiceUrl
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
    values = ssh_values(form, given_fields(locals()))
    if isinstance(values.get("exclude"), str):
        raise InvalidArgumentError("exclude takes a list of patterns, e.g. ['*.pyc']")
    arguments = (
        transfer_action(values),
        required_path(values, "src"),
        required_path(values, "dst"),
    )
    target = yield from ssh_target(form, values, "synchronize_files")
    from gpueater_ext import _ssh  # the SSH layer loads on the first SSH call

    return (
        yield from on_instance(
            _ssh.synchronize_files,
            target,
            *arguments,
            delete=flag(values, "delete"),
            exclude=list(values.get("exclude") or ()),
            gitignore=flag(values, "gitignore"),
            dry_run=flag(values, "dry_run"),
            on_progress=on_progress,
        )
    )


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
    values = ssh_values(form, given_fields(locals()))
    local = values.get("port")
    if not isinstance(local, int) or isinstance(local, bool):
        raise InvalidArgumentError(f"tunnel needs the local port as a number, not {local!r}")
    target = yield from ssh_target(form, values, "tunnel")
    from gpueater_ext import _ssh  # the SSH layer loads on the first SSH call

    return (yield from on_instance(_ssh.open_tunnel, target, local, values.get("remote_port")))


def ssh_config(*, write: bool = False) -> Plan[SshConfig]:
    """ssh_config Host blocks (`gpueater-<label>-<tag>`) for the RUNNING instances, with their
    address, port, user, key and the project's host key alias and known_hosts.

    `write=True` keeps them in the project's own file and includes it from `~/.ssh/config`
    (once, at the top, with a backup; the user's own entries are never edited), so plain
    `ssh gpueater-<label>-<tag>`, rsync and editors work. Terminated instances drop out on
    the next write; other services' blocks stay until a write for their service.
    """
    instances: list[Instance] = yield Call("instance_list")
    from gpueater_ext import _ssh  # the SSH layer loads on the first SSH call

    hosts, skipped = _ssh.ssh_config_hosts(instances)
    written: SshConfigUpdate | None = None
    if write:
        # Whose blocks this write replaces: the file keeps every other service's.
        service_url: str = yield ServiceUrl()
        written = yield from on_instance(_ssh.write_ssh_config, hosts, service_url=service_url)
    return _ssh.SshConfig(_ssh.ssh_config_text(hosts), hosts, skipped, written)
