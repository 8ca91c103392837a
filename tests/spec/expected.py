"""What the spec must contain, written down from the service's README and api-notes.md.

Kept apart from the spec on purpose: the tests compare the document against this list, so
an operation that goes missing or gains a wrong version is noticed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

# operationId -> (tag, x-since or None when the service's README does not list it)
OPERATIONS: dict[str, tuple[str, str | None]] = {
    "api_login": ("Auth", None),
    # Image
    "image_list": ("Image", "v0.8"),
    "registered_image_list": ("Image", "v1.5"),
    "create_image": ("Image", "v1.5"),
    "import_image": ("Image", "v2.0"),
    "delete_image": ("Image", "v1.5"),
    "snapshot_instance": ("Image", "v1.7"),
    "snapshot_list": ("Image", None),
    "snapshots": ("Image", None),  # the Ruby client's twin of snapshot_list (deprecated)
    "take_snapshot": ("Image", None),  # the Ruby client's twin of snapshot_instance
    "change_snapshot_tag": ("Image", None),  # the Ruby client's; not in the README
    "delete_snapshot": ("Image", "v1.7"),
    "restore_from_snapshot": ("Image", None),
    # SSH Key
    "ssh_key_list": ("SSH Key", "v0.8"),
    "generate_ssh_key": ("SSH Key", "v1.0"),
    "register_ssh_key": ("SSH Key", "v1.0"),
    "delete_ssh_key": ("SSH Key", "v1.0"),
    # Instance
    "ondemand_list": ("Instance", "v0.8"),
    "subscription_list": ("Instance", "v2.0"),
    "launch_ondemand_instance": ("Instance", "v0.8"),
    "launch_subcription_instance": ("Instance", "v2.0"),
    "instance_list": ("Instance", "v0.8"),
    "change_instance_tag": ("Instance", "v1.0"),
    "start_instance": ("Instance", "v1.0"),
    "stop_instance": ("Instance", "v1.0"),
    "terminate_instance": ("Instance", "v0.8"),
    "emergency_restart_instance": ("Instance", "v1.0"),
    # Network
    "port_list": ("Network", "v1.0"),
    "open_port": ("Network", "v1.0"),
    "close_port": ("Network", "v1.0"),
    "renew_ipv4": ("Network", "v1.0"),
    "refresh_ipv4": ("Network", None),
    "network_description": ("Network", "v1.0"),
    # Storage
    "create_volume": ("Storage", "v2.0"),
    "attach_volume": ("Storage", "v2.0"),
    "detach_volume": ("Storage", None),
    "delete_volume": ("Storage", "v2.0"),
    "transfer_volume": ("Storage", "v2.0"),
    # Subscription
    "subscription_instance_list": ("Subscription", "v2.0"),
    "subscription_storage_list": ("Subscription", "v2.0"),
    "subscription_network_list": ("Subscription", "v2.0"),
    "subscribed_list": ("Subscription", None),
    "subscribe_instance": ("Subscription", "v2.0"),
    "unsubscribe_instance": ("Subscription", "v2.0"),
    "subscribe_storage": ("Subscription", "v2.0"),
    "unsubscribe_storage": ("Subscription", "v2.0"),
    "subscribe_network": ("Subscription", "v2.0"),
    "unsubscribe_network": ("Subscription", "v2.0"),
    # Special
    "live_migration": ("Special", "v2.5"),
    "cancel_transaction": ("Special", "v2.5"),
    "peak_transaction": ("Special", "v2.5"),
    # Payment
    "invoice_list": ("Payment", "v1.0"),
    "subscription_invoice_list": ("Payment", "v2.0"),
    "make_invoice": ("Payment", "v2.5"),
}

# Operations no published client reached: their paths or forms are the project's choice.
PROJECT_PATHS = {
    "api_login",  # the token-pair form
    "subscription_storage_list",
    "subscription_network_list",
    "subscribe_storage",
    "unsubscribe_storage",
    "subscribe_network",
    "unsubscribe_network",
    "make_invoice",
}

# Operations kept only for a published client's other path: deprecated, answering like the
# operation each twins.
DEPRECATED = {"stop_instance", "snapshots", "take_snapshot"}

# Paths that the published clients used (api-notes.md), which the spec must keep.
PUBLISHED_PATHS = {
    "api_login": ("post", "/api_login"),
    "image_list": ("get", "/console/servers/images"),
    "change_instance_tag": ("post", "/console/servers/change_instance_tag"),
    "terminate_instance": ("post", "/console/servers/force_terminate"),
    "launch_subcription_instance": ("post", "/console/servers/launch_subscription_instance"),
    "unsubscribe_instance": ("post", "/console/servers/unsubscribe_for_admin"),
    "network_description": ("get", "/console/servers/instance_info"),
    "snapshots": ("get", "/console/servers/snapshots"),
    "take_snapshot": ("post", "/console/servers/take_snapshot"),
    "change_snapshot_tag": ("post", "/console/servers/change_snapshot_tag"),
    "invoice_list": ("get", "/console/servers/charge_list"),
    "subscription_invoice_list": ("get", "/console/servers/invoice_list"),
    "subscription_instance_list": ("get", "/console/servers/plan_list_v1"),
}


SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "gpueater.yaml"


HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path, method, operation
