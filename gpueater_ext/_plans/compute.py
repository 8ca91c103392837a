"""Typed plans of the endpoint-backed methods about images, SSH keys, instances and networks.

Each takes `(form=None, /, **fields)` where the fields are the operation's own, as keyword
arguments (ids may be given as int; they travel as strings). A field may also come from
the form dict or model; keywords win. `tests/sdk/test_tables_match_spec.py` checks every
signature against the spec's form fields and query parameters.
"""

from __future__ import annotations

from collections.abc import Mapping

from gpueater_ext._forms import FormArg
from gpueater_ext._instance_arg import InstanceForm
from gpueater_ext._models import (
    Instance,
    NetworkDescription,
    Port,
    PortList,
    Snapshot,
    SshKey,
    UserImage,
)
from gpueater_ext._plans.effects import Plan, blocking
from gpueater_ext._plans.shared import call, given
from gpueater_ext._plans.ssh import forget_host_key_quietly, host_key_may_be_recorded
from gpueater_ext._tags import check_tag

__all__ = [
    "Id",
    "change_instance_tag",
    "change_snapshot_tag",
    "close_port",
    "create_image",
    "delete_image",
    "delete_snapshot",
    "delete_ssh_key",
    "emergency_restart_instance",
    "import_image",
    "network_description",
    "open_port",
    "port_list",
    "refresh_ipv4",
    "register_ssh_key",
    "renew_ipv4",
    "restore_from_snapshot",
    "snapshot_instance",
    "snapshot_list",
    "start_instance",
    "stop_instance",
    "terminate_instance",
]

Id = str | int


# Image
def create_image(
    form: InstanceForm = None,
    /,
    *,
    instance_id: Id | None = None,
    image_name: str | None = None,
    machine_resource_id: Id | None = None,
    description: str | None = None,
) -> Plan[UserImage]:
    """Make a user-defined image from an instance (needs instance_id, image_name)."""
    return call("create_image", form, **given(locals()))


def import_image(
    form: FormArg = None,
    /,
    *,
    url: str | None = None,
    image_name: str | None = None,
    description: str | None = None,
) -> Plan[UserImage]:
    """Register an image found on the internet (needs url, image_name)."""
    return call("import_image", form, **given(locals()))


def delete_image(form: FormArg = None, /, *, fingerprint: str | None = None) -> Plan[None]:
    """Delete a user-defined image (needs fingerprint)."""
    return call("delete_image", form, **given(locals()))


def snapshot_instance(
    form: InstanceForm = None,
    /,
    *,
    instance_id: Id | None = None,
    machine_resource_id: Id | None = None,
    tag: str | None = None,
) -> Plan[Snapshot]:
    """Take a snapshot of an instance (needs instance_id)."""
    return call("snapshot_instance", form, **given(locals()))


def snapshot_list(
    form: InstanceForm = None, /, *, instance_id: Id | None = None
) -> Plan[list[Snapshot]]:
    """List the snapshots of an instance (needs instance_id)."""
    return call("snapshot_list", form, **given(locals()))


def change_snapshot_tag(
    form: FormArg = None, /, *, snapshot_id: str | None = None, tag: str | None = None
) -> Plan[None]:
    """Change a snapshot's tag (needs snapshot_id, tag; a Snapshot may be the form)."""
    return call("change_snapshot_tag", form, **given(locals()))


def delete_snapshot(
    form: FormArg = None,
    /,
    *,
    snapshot_id: Id | None = None,
    instance_id: Id | None = None,
    machine_resource_id: Id | None = None,
) -> Plan[None]:
    """Delete a snapshot (needs snapshot_id)."""
    return call("delete_snapshot", form, **given(locals()))


def restore_from_snapshot(
    form: InstanceForm = None,
    /,
    *,
    instance_id: Id | None = None,
    snapshot_id: Id | None = None,
    machine_resource_id: Id | None = None,
) -> Plan[None]:
    """Restore an instance's disk from a snapshot (needs instance_id, snapshot_id)."""
    return call("restore_from_snapshot", form, **given(locals()))


# SSH Key
def register_ssh_key(
    form: FormArg = None, /, *, name: str | None = None, public_key: str | None = None
) -> Plan[SshKey]:
    """Register a public key under a name (needs name, public_key)."""
    return call("register_ssh_key", form, **given(locals()))


def delete_ssh_key(form: FormArg = None, /, *, id: Id | None = None) -> Plan[None]:
    """Delete a registered key (needs id; an SshKey model supplies it)."""
    return call("delete_ssh_key", form, **given(locals()))


# Instance
def change_instance_tag(
    form: InstanceForm = None, /, *, instance_id: Id | None = None, tag: str | None = None
) -> Plan[Instance]:
    """Change an instance's tag (needs instance_id, tag).

    The new tag (the `tag` keyword, or a form dict's) follows the tag rule of `_tags`, else
    InvalidArgumentError before anything is sent; an Instance passed without `tag=` resends
    its own tag as the service returned it, unchecked.
    """
    fields = given(locals())
    new = tag if tag is not None else form.get("tag") if isinstance(form, Mapping) else None
    if new is not None:
        check_tag(new, "change_instance_tag: tag")
    return call("change_instance_tag", form, **fields)


def start_instance(
    form: InstanceForm = None,
    /,
    *,
    instance_id: Id | None = None,
    machine_resource_id: Id | None = None,
    instances: str | None = None,
) -> Plan[Instance]:
    """Start a STOPPED instance; a RUNNING one is left as it is."""
    return call("start_instance", form, **given(locals()))


def stop_instance(
    form: InstanceForm = None,
    /,
    *,
    instance_id: Id | None = None,
    machine_resource_id: Id | None = None,
    instances: str | None = None,
) -> Plan[Instance]:
    """Stop a RUNNING instance (deprecated by the service); a STOPPED one is left as it is."""
    return call("stop_instance", form, **given(locals()))


def terminate_instance(
    form: InstanceForm = None,
    /,
    *,
    instance_id: Id | None = None,
    machine_resource_id: Id | None = None,
    instances: str | None = None,
) -> Plan[Instance]:
    """Terminate an instance: it and its disk are destroyed, billing stops.

    Its host key is then forgotten (its alias in the project's known_hosts).
    """
    terminated: Instance = yield from call("terminate_instance", form, **given(locals()))
    # A thread (async client) only when a key may be recorded: ~1.3 ms of the client's CPU
    # per bulk termination was the hand-off to forget a key that was never recorded.
    if host_key_may_be_recorded(terminated.instance_id, terminated.service_url):
        yield from blocking(forget_host_key_quietly, terminated.instance_id, terminated.service_url)
    return terminated


def emergency_restart_instance(
    form: InstanceForm = None,
    /,
    *,
    instance_id: Id | None = None,
    machine_resource_id: Id | None = None,
    instances: str | None = None,
) -> Plan[Instance]:
    """Power-cycle a hung instance without a clean shutdown."""
    return call("emergency_restart_instance", form, **given(locals()))


# Network
def _port_list(ports: list[Port]) -> PortList:
    # The service answers the bare list (spec 3.0.0); PortList keeps 2.x code working.
    return PortList(port_list=ports)


def port_list(
    form: InstanceForm = None, /, *, instance_id: Id | None = None, connection_id: Id | None = None
) -> Plan[PortList]:
    """List an instance's open ports (needs instance_id)."""
    return _port_list((yield from call("port_list", form, **given(locals()))))


def open_port(
    form: InstanceForm = None,
    /,
    *,
    instance_id: Id | None = None,
    connection_id: Id | None = None,
    port: int | str | None = None,
) -> Plan[PortList]:
    """Open a TCP port (1-65535) for inbound traffic (needs instance_id, connection_id, port)."""
    return _port_list((yield from call("open_port", form, **given(locals()))))


def close_port(
    form: InstanceForm = None,
    /,
    *,
    instance_id: Id | None = None,
    connection_id: Id | None = None,
    port: int | str | None = None,
) -> Plan[PortList]:
    """Close an open port (needs instance_id, connection_id, port)."""
    return _port_list((yield from call("close_port", form, **given(locals()))))


def renew_ipv4(
    form: InstanceForm = None, /, *, instance_id: Id | None = None
) -> Plan[NetworkDescription]:
    """Give the instance a new IPv4 address (needs instance_id)."""
    return call("renew_ipv4", form, **given(locals()))


def refresh_ipv4(
    form: InstanceForm = None, /, *, instance_id: Id | None = None
) -> Plan[NetworkDescription]:
    """Re-apply the instance's IPv4 configuration, keeping the address (needs instance_id)."""
    return call("refresh_ipv4", form, **given(locals()))


def network_description(
    form: InstanceForm = None, /, *, instance_id: Id | None = None
) -> Plan[NetworkDescription]:
    """Describe an instance's network: its status (addresses, traffic, disk use) and open
    ports (needs instance_id)."""
    return call("network_description", form, **given(locals()))
