"""The table of the service's operations: the one place the SDK describes them.

Both clients, the call path, `api_list()` and the retry classification read this table;
nothing reads the YAML at run time. `tests/sdk/test_tables_match_spec.py` checks every
row against `openapi/gpueater.yaml` (method, path, tag, x-since, form schema, query
parameters and result schema), so the table cannot drift from the spec unnoticed.

`kind` is what a retry policy needs: a READ may be repeated freely; a WRITE may have taken
effect when its answer is lost, so it is never resent blindly. `peak_transaction` is a POST
that changes nothing, hence a READ.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
from types import ModuleType
from typing import Any

__all__ = ["OPERATIONS", "Kind", "Operation", "operation"]


class Kind(enum.Enum):
    READ = "read"
    WRITE = "write"


@dataclasses.dataclass(frozen=True)
class Operation:
    """One endpoint-backed operation of the service.

    `form` is the generated form model's class name (writes); `query` the query parameters
    (reads); `result` names the payload's public model: `"Instance"`, `"list[Instance]"`,
    None when the service answers `data: null`, or `"pdf"` for a document.
    """

    name: str
    group: str
    since: str | None
    method: str
    path: str
    kind: Kind
    result: str | None
    form: str | None = None
    query: tuple[str, ...] = ()

    @property
    def endpoint(self) -> str:
        return f"{self.method} {self.path}"

    def generated_module(self) -> ModuleType:
        """The generated module with `sync_detailed`/`asyncio_detailed` (imported on use,
        which keeps `import gpueater_ext` fast for the command line)."""
        package = self.group.lower().replace(" ", "_")
        return importlib.import_module(f"gpueater_client.api.{package}.{self.name}")

    def form_model(self) -> Any:
        """The generated attrs form class, or None for a read."""
        if self.form is None:
            return None
        return getattr(importlib.import_module("gpueater_client.models"), self.form)


_S = "/console/servers/"
R, W = Kind.READ, Kind.WRITE


def _op(
    name: str,
    group: str,
    since: str | None,
    endpoint: str,
    kind: Kind,
    result: str | None,
    form: str | None = None,
    query: tuple[str, ...] = (),
) -> Operation:
    method, path = endpoint.split(" ")
    return Operation(name, group, since, method, _S + path, kind, result, form, query)


_INSTANCE_ID = ("instance_id",)

# fmt: off
_TABLE = [
    # Image
    _op("image_list", "Image", "v0.8", "GET images", R, "list[Image]"),
    _op("registered_image_list", "Image", "v1.5", "GET registered_image_list", R,
        "list[UserImage]"),
    _op("create_image", "Image", "v1.5", "POST create_user_defined_image", W, "UserImage",
        "CreateImageForm"),
    _op("import_image", "Image", "v2.0", "POST import_image", W, "UserImage",
        "ImportImageForm"),
    _op("delete_image", "Image", "v1.5", "POST delete_user_defined_image", W, None,
        "DeleteImageForm"),
    _op("snapshot_instance", "Image", "v1.7", "POST snapshot_instance", W, "Snapshot",
        "SnapshotInstanceForm"),
    _op("snapshot_list", "Image", None, "GET snapshot_list", R, "list[Snapshot]",
        query=_INSTANCE_ID),
    _op("change_snapshot_tag", "Image", None, "POST change_snapshot_tag", W, None,
        "ChangeSnapshotTagForm"),
    _op("delete_snapshot", "Image", "v1.7", "POST delete_snapshot", W, None,
        "DeleteSnapshotForm"),
    _op("restore_from_snapshot", "Image", None, "POST restore_from_snapshot", W, None,
        "RestoreFromSnapshotForm"),
    # SSH Key
    _op("ssh_key_list", "SSH Key", "v0.8", "GET ssh_keys", R, "list[SshKey]"),
    _op("generate_ssh_key", "SSH Key", "v1.0", "GET ssh_key_gen", R, "SshKeyPair"),
    _op("register_ssh_key", "SSH Key", "v1.0", "POST register_ssh_key", W, "SshKey",
        "RegisterSshKeyForm"),
    _op("delete_ssh_key", "SSH Key", "v1.0", "POST delete_ssh_key", W, None,
        "DeleteSshKeyForm"),
    # Instance
    _op("ondemand_list", "Instance", "v0.8", "GET ondemand_launch_list", R, "LaunchCatalog"),
    _op("subscription_list", "Instance", "v2.0", "GET subscription_launch_list", R,
        "SubscriptionCatalog"),
    _op("launch_ondemand_instance", "Instance", "v0.8", "POST launch_ondemand_instance", W,
        None, "LaunchOndemandInstanceForm"),
    _op("launch_subcription_instance", "Instance", "v2.0",
        "POST launch_subscription_instance", W, None, "LaunchSubscriptionInstanceForm"),
    _op("instance_list", "Instance", "v0.8", "GET instance_list", R, "list[Instance]"),
    _op("change_instance_tag", "Instance", "v1.0", "POST change_instance_tag", W, "Instance",
        "ChangeInstanceTagForm"),
    _op("start_instance", "Instance", "v1.0", "POST start", W, "Instance",
        "InstanceActionForm"),
    _op("stop_instance", "Instance", "v1.0", "POST stop", W, "Instance",
        "InstanceActionForm"),
    _op("terminate_instance", "Instance", "v0.8", "POST force_terminate", W, "Instance",
        "InstanceActionForm"),
    _op("emergency_restart_instance", "Instance", "v1.0", "POST emergency_restart", W,
        "Instance", "InstanceActionForm"),
    # Network
    _op("port_list", "Network", "v1.0", "GET port_list", R, "list[Port]",
        query=("instance_id", "connection_id")),
    _op("open_port", "Network", "v1.0", "POST add_port", W, "list[Port]", "PortForm"),
    _op("close_port", "Network", "v1.0", "POST delete_port", W, "list[Port]", "PortForm"),
    _op("renew_ipv4", "Network", "v1.0", "POST renew_ipv4", W, "NetworkDescription",
        "InstanceIdForm"),
    _op("refresh_ipv4", "Network", None, "POST refresh_ipv4", W, "NetworkDescription",
        "InstanceIdForm"),
    _op("network_description", "Network", "v1.0", "GET instance_info", R,
        "NetworkDescription", query=_INSTANCE_ID),
    # Storage
    _op("create_volume", "Storage", "v2.0", "POST create_volume", W, "Volume",
        "CreateVolumeForm"),
    _op("attach_volume", "Storage", "v2.0", "POST attach_volume", W, "Volume",
        "AttachVolumeForm"),
    _op("detach_volume", "Storage", None, "POST detach_volume", W, "Volume", "VolumeIdForm"),
    _op("delete_volume", "Storage", "v2.0", "POST delete_volume", W, None, "VolumeIdForm"),
    _op("transfer_volume", "Storage", "v2.0", "POST transfer_volume", W, "Volume",
        "TransferVolumeForm"),
    # Subscription
    _op("subscription_instance_list", "Subscription", "v2.0", "GET plan_list_v1", R,
        "list[Plan]"),
    _op("subscription_storage_list", "Subscription", "v2.0", "GET storage_plan_list", R,
        "StorageList"),
    _op("subscription_network_list", "Subscription", "v2.0", "GET network_plan_list", R,
        "list[Plan]"),
    _op("subscribed_list", "Subscription", None, "GET subscribed_list", R,
        "list[Subscription]"),
    _op("subscribe_instance", "Subscription", "v2.0", "POST subscribe", W, "Subscription",
        "SubscriptionIdForm"),
    _op("unsubscribe_instance", "Subscription", "v2.0", "POST unsubscribe_for_admin", W,
        "Subscription", "SubscriptionIdForm"),
    _op("subscribe_storage", "Subscription", "v2.0", "POST subscribe_storage", W,
        "Subscription", "SubscriptionIdForm"),
    _op("unsubscribe_storage", "Subscription", "v2.0", "POST unsubscribe_storage", W,
        "Subscription", "SubscriptionIdForm"),
    _op("subscribe_network", "Subscription", "v2.0", "POST subscribe_network", W,
        "Subscription", "SubscriptionIdForm"),
    _op("unsubscribe_network", "Subscription", "v2.0", "POST unsubscribe_network", W,
        "Subscription", "SubscriptionIdForm"),
    # Special
    _op("live_migration", "Special", "v2.5", "POST live_migration", W, "Transaction",
        "LiveMigrationForm"),
    _op("cancel_transaction", "Special", "v2.5", "POST cancel_transaction", W, "Transaction",
        "TransactionIdForm"),
    _op("peak_transaction", "Special", "v2.5", "POST peak_transaction", R, "Transaction",
        "TransactionIdForm"),
    # Payment
    _op("invoice_list", "Payment", "v1.0", "GET charge_list", R, "list[Invoice]"),
    _op("subscription_invoice_list", "Payment", "v2.0", "GET invoice_list", R,
        "list[Invoice]"),
    _op("make_invoice", "Payment", "v2.5", "GET make_invoice", R, "pdf",
        query=("invoice_id",)),
]
# fmt: on

OPERATIONS: dict[str, Operation] = {row.name: row for row in _TABLE}


def operation(name: str) -> Operation:
    """The table's row for an operationId (KeyError for a name the service does not have)."""
    return OPERATIONS[name]
