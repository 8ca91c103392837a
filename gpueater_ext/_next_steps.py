"""How to check what a write did, for a Python caller and for the `gpueater` command.

An error that suggests a next step carries a `NextStep` (see `_errors`): the SDK call a
Python caller makes and the `gpueater` command a CLI user types, so the CLI never prints
Python calls and the SDK never prints shell commands. The ids of the request fill both in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gpueater_ext._errors import NextStep

__all__ = ["CHECK_BEFORE_AGAIN", "check_step", "instances_tagged", "rename_step"]

CHECK_BEFORE_AGAIN = "check with {how} before calling it again"

_Steps = Callable[[dict[str, Any]], tuple[str, str | None]]


def _field(request: dict[str, Any], name: str) -> str:
    value = request.get(name)
    return str(value) if value not in (None, "") else name.upper()


def _instance(request: dict[str, Any]) -> tuple[str, str | None]:
    return "instance_list()", f"gpueater show {_field(request, 'instance_id')}"


def _ports(request: dict[str, Any]) -> tuple[str, str | None]:
    instance_id = _field(request, "instance_id")
    return f"port_list(instance_id={instance_id!r})", f"gpueater ports {instance_id}"


def _network(request: dict[str, Any]) -> tuple[str, str | None]:
    instance_id = _field(request, "instance_id")
    return f"network_description(instance_id={instance_id!r})", f"gpueater network {instance_id}"


def _snapshots(request: dict[str, Any]) -> tuple[str, str | None]:
    instance_id = _field(request, "instance_id")
    return f"snapshot_list(instance_id={instance_id!r})", f"gpueater snapshots {instance_id}"


def _transaction(request: dict[str, Any]) -> tuple[str, str | None]:
    transaction_id = _field(request, "transaction_id")
    return (
        f"peak_transaction(transaction_id={transaction_id!r})",
        f"gpueater transaction show {transaction_id}",
    )


def _fixed(sdk_call: str, cli_command: str | None) -> _Steps:
    return lambda request: (sdk_call, cli_command)


_IMAGES = _fixed("registered_image_list()", "gpueater user-images")
_VOLUMES = _fixed("subscription_storage_list()", "gpueater volumes")
_SUBSCRIBED = _fixed("subscribed_list()", "gpueater subscriptions")
_KEYS = _fixed("ssh_key_list()", "gpueater ssh-keys")

_STEPS: dict[str, _Steps] = {
    "create_image": _IMAGES,
    "import_image": _IMAGES,
    "delete_image": _IMAGES,
    "snapshot_instance": _snapshots,
    "delete_snapshot": _snapshots,
    "restore_from_snapshot": _snapshots,
    "register_ssh_key": _KEYS,
    "delete_ssh_key": _KEYS,
    "change_instance_tag": _instance,
    "start_instance": _instance,
    "stop_instance": _instance,
    "terminate_instance": _fixed("instance_list()", "gpueater instances"),
    "emergency_restart_instance": _instance,
    "open_port": _ports,
    "close_port": _ports,
    "renew_ipv4": _network,
    "refresh_ipv4": _network,
    "create_volume": _VOLUMES,
    "attach_volume": _VOLUMES,
    "detach_volume": _VOLUMES,
    "delete_volume": _VOLUMES,
    "transfer_volume": _VOLUMES,
    "subscribe_instance": _SUBSCRIBED,
    "unsubscribe_instance": _SUBSCRIBED,
    "subscribe_storage": _SUBSCRIBED,
    "unsubscribe_storage": _SUBSCRIBED,
    "subscribe_network": _SUBSCRIBED,
    "unsubscribe_network": _SUBSCRIBED,
    "live_migration": _fixed("instance_list()", "gpueater instances"),
    "cancel_transaction": _transaction,
}


def check_step(operation: str, request: dict[str, Any]) -> NextStep:
    """'check with <how> before calling it again', for a write whose outcome is unknown."""
    steps = _STEPS.get(operation)
    sdk_call, cli_command = steps(request) if steps else ("the list of what it changes", None)
    return NextStep(CHECK_BEFORE_AGAIN, sdk_call, cli_command)


def instances_tagged(
    tag: str, advice: str = CHECK_BEFORE_AGAIN, *, listed_under: str | None = None
) -> NextStep:
    """Look for the instances carrying `tag`; in the CLI under `listed_under` when given
    (`gpueater instances --tag T` also lists T's launch tags, see `_plans.launch`)."""
    return NextStep(
        advice,
        f"instance_list() for the tag {tag!r}",
        f"gpueater instances --tag {listed_under or tag}",
    )


def rename_step(instance_id: str, tag: str) -> NextStep:
    """Give the instance `instance_id` the tag `tag` by hand."""
    return NextStep(
        "rename it with {how}",
        f"change_instance_tag(instance_id={instance_id!r}, tag={tag!r})",
        f"gpueater tag {instance_id} {tag}",
    )
